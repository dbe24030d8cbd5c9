"""The demo's awards: recognitions given this year, their feedback, and some still to give."""

import datetime

import pytest

from laurier.demo.demo_organisation import MENTOR, load_demo_organisation
from laurier.organisations.models import Organisation
from laurier.outbox.models import OutgoingEmail
from laurier.recognition.models import Award

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def demo(db):
    load_demo_organisation(today=TODAY)
    return Organisation.objects.get(slug="demo")


def test_the_demo_mentor_received_a_recognition_and_is_asked_about_it(demo):
    award = Award.objects.get(mentor__email=MENTOR.email)
    assert award.status == Award.Status.GIVEN
    assert award.message
    assert award.feedback_request.invited_at is not None
    assert award.feedback_request.responded_at is None


def test_three_given_recognitions_have_the_mentors_feedback(demo):
    given = Award.objects.filter(organisation=demo, status=Award.Status.GIVEN)
    assert given.count() == 5
    assert given.filter(feedback_request__responded_at__isnull=False).count() == 3
    assert all(award.spending_id for award in given)


def test_two_recognitions_wait_to_be_given_one_of_them_late(demo):
    waiting = Award.objects.filter(organisation=demo, status=Award.Status.APPROVED)
    assert sorted(award.planned_on < TODAY for award in waiting) == [False, True]
    assert all(award.commitment_id for award in waiting)


def test_the_demo_sends_no_email_when_it_loads(demo):
    assert not OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).exists()


def test_the_demo_mentor_attended_a_workshop_and_is_invited_to_the_gala(demo):
    from laurier.recognition.models import EventInvitation

    mine = EventInvitation.objects.filter(person__email=MENTOR.email)
    assert mine.filter(attended=True, event__kind="workshop").exists()
    assert mine.filter(event__kind="gala", answer="pending").exists()


def test_the_mentors_dinner_is_full_with_a_waiting_list(demo):
    from laurier.recognition.models import Event

    dinner = Event.objects.get(organisation=demo, kind="dinner")
    answers = list(dinner.invitations.values_list("answer", flat=True))
    assert answers.count("going") == dinner.capacity
    assert answers.count("waiting") == 3
