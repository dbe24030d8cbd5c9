"""The demo's recognitions and events: given this year, asked about, still to give, attended.

One test per subject, each loading the demo once: loading it takes seconds."""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from laurier.demo.demo_organisation import MENTOR
from laurier.outbox.models import OutgoingEmail
from laurier.recognition.models import Award, Event, EventInvitation

TODAY = datetime.date(2026, 11, 24)
FISCAL_YEAR_START = datetime.date(2026, 4, 1)


def test_the_demo_gives_recognitions_asks_about_them_and_has_some_to_give(demo):
    # The demo mentor received one and is asked about it, not answered yet.
    mine = Award.objects.get(mentor__email=MENTOR.email)
    assert mine.status == Award.Status.GIVEN and mine.message
    assert mine.feedback_request.invited_at is not None
    assert mine.feedback_request.responded_at is None
    # In the executive program this fiscal year: five given, and last spring's mentor-of-the-year
    # trophy (the contest's part of the demo); each spent from the budget, three with the
    # mentor's feedback.
    given = Award.objects.filter(
        organisation=demo,
        program__slug="releve-des-cadres",
        status=Award.Status.GIVEN,
        given_on__gte=FISCAL_YEAR_START,
    )
    assert given.count() == 6
    assert given.filter(contest_win__isnull=False).count() == 1
    assert given.filter(feedback_request__responded_at__isnull=False).count() == 3
    assert all(award.spending_id for award in given)
    # Two still to give, committed, one of them late.
    waiting = Award.objects.filter(organisation=demo, status=Award.Status.APPROVED)
    assert sorted(award.planned_on < TODAY for award in waiting) == [False, True]
    assert all(award.commitment_id for award in waiting)
    # What happened before today was sent then: loading the demo sends nothing.
    assert not OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).exists()


def test_the_demo_has_last_years_recognitions_in_every_program_most_in_december(demo):
    last_year = Award.objects.filter(
        organisation=demo, status=Award.Status.GIVEN, given_on__lt=FISCAL_YEAR_START
    )
    assert set(last_year.values_list("program__slug", flat=True)) == {
        "releve-des-cadres",
        "accueil",
        "femmes-en-stim",
    }
    busiest = (
        last_year.annotate(month=ExtractMonth("given_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()
    )
    assert busiest["month"] == 12
    # Given through the services: each recognition that costs something was spent.
    assert not last_year.filter(option__cost_money__gt=0, spending__isnull=True).exists()
    assert last_year.filter(feedback_request__responded_at__isnull=False).exists()
    assert last_year.exclude(givers=["manager"]).exists()
    assert not last_year.filter(mentor__email=MENTOR.email).exists()


def test_the_demo_has_a_workshop_attended_a_full_dinner_and_a_gala_to_answer(demo):
    mine = EventInvitation.objects.filter(person__email=MENTOR.email)
    assert mine.filter(attended=True, event__kind="workshop").exists()
    assert mine.filter(event__kind="gala", answer="pending").exists()
    dinner = Event.objects.get(organisation=demo, kind="dinner")
    answers = list(dinner.invitations.values_list("answer", flat=True))
    assert answers.count("going") == dinner.capacity
    assert answers.count("waiting") == 3
