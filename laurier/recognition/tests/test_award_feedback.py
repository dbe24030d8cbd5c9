"""Asking a mentor about a recognition: on its day, once, in the program's yearly campaign.

Léa receives a thank-you word (free: no budget involved) today; the organisation waits 14
days, then asks her through the program's "Recognition feedback" campaign of the year.
"""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from laurier.outbox.models import OutgoingEmail
from laurier.recognition.models import Award
from laurier.recognition.services import awards
from laurier.recognition.tasks import ask_feedback_on_award
from laurier.surveys.models import Campaign, Recipient, Survey
from laurier.surveys.services.answers import submit_response
from laurier.surveys.services.campaigns import close_campaign
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

from .test_award_service_support import (  # noqa: F401
    DAY,
    add,
    approved,
    enrol,
    free_option,
    give,
    lea,
    today,
    year_bounds,
    year_of,
)

pytestmark = pytest.mark.django_db

DELAY = datetime.timedelta(days=14)


@pytest.fixture
def word(organisation):
    return free_option(organisation)


@pytest.fixture
def given(program, lea, word, manager_user, today):
    """Léa's thank-you word, given today: her feedback is due in 14 days."""
    award = approved(program, lea, word, manager_user, planned_on=today)
    return give(award, manager_user, given_on=today)


def refreshed(award):
    return Award.objects.select_related("feedback_request__campaign").get(pk=award.pk)


def invitations():
    return OutgoingEmail.objects.filter(reason__startswith="survey-invitation:")


def move_today(monkeypatch, day):
    monkeypatch.setattr(awards, "organisation_today", lambda organisation: day)


# --- When --------------------------------------------------------------------------------------


def test_the_feedback_is_due_fourteen_days_after_the_award_by_default(given, today):
    assert given.feedback_due_on == today + DELAY


def test_nothing_is_asked_before_the_due_day(given, today):
    assert awards.ask_due_feedback(today=today + DELAY - DAY) == 0

    assert refreshed(given).feedback_request is None
    assert not Recipient.objects.exists()
    assert not invitations().exists()


def test_the_mentor_is_asked_on_the_due_day(given, lea, today):
    assert awards.ask_due_feedback(today=today + DELAY) == 1

    request = refreshed(given).feedback_request
    assert (request.person, request.about_key) == (lea, f"award:{given.pk}")


def test_a_mentor_asked_late_is_still_asked(given, today):
    assert awards.ask_due_feedback(today=today + 3 * DELAY) == 1


def test_the_mentor_is_asked_once_however_often_the_sweep_runs(given, today):
    awards.ask_due_feedback(today=today + DELAY)
    again = awards.ask_due_feedback(today=today + DELAY + DAY)

    assert again == 0
    assert Recipient.objects.count() == 1
    assert invitations().count() == 1


def test_asking_about_one_award_twice_asks_once(given, today):
    first = awards.ask_feedback(given, today=today + DELAY)
    second = awards.ask_feedback(given, today=today + DELAY)

    assert (first, second) == (True, False)
    assert Recipient.objects.count() == 1


def test_the_organisations_delay_is_honoured(organisation, program, lea, word, manager_user, today):
    organisation.feedback_delay_days = 30
    organisation.save()
    award = give(
        approved(program, lea, word, manager_user, planned_on=today), manager_user, given_on=today
    )

    assert awards.ask_due_feedback(today=today + DELAY) == 0
    assert awards.ask_due_feedback(today=today + 29 * DAY) == 0
    assert awards.ask_due_feedback(today=today + 30 * DAY) == 1
    assert refreshed(award).feedback_request is not None


@pytest.mark.parametrize("status", [Award.Status.PLANNED, Award.Status.APPROVED])
def test_an_award_not_given_is_never_asked(program, lea, word, manager_user, today, status):
    award = add(program, lea, word, manager_user, planned_on=today)
    if status == Award.Status.APPROVED:
        awards.approve_award(award, actor=manager_user)
    # Even with a due day (it never has one before it is given).
    Award.objects.filter(pk=award.pk).update(feedback_due_on=today)

    assert awards.ask_due_feedback(today=today + DELAY) == 0
    assert awards.ask_feedback(award, today=today + DELAY) is False
    assert not Recipient.objects.exists()


def test_a_cancelled_award_is_never_asked(program, lea, word, manager_user, today):
    award = approved(program, lea, word, manager_user, planned_on=today)
    awards.cancel_award(award, actor=manager_user, reason="Léa left")
    Award.objects.filter(pk=award.pk).update(feedback_due_on=today)

    assert awards.ask_due_feedback(today=today + DELAY) == 0
    assert awards.ask_feedback(award, today=today + DELAY) is False
    assert not Recipient.objects.exists()


def test_the_daily_command_asks_for_what_is_due(program, lea, word, manager_user, today, capsys):
    # Given two weeks ago: due today, whatever day the suite runs.
    award = approved(program, lea, word, manager_user, planned_on=today - DELAY)
    give(award, manager_user, given_on=today - DELAY)

    call_command("recognition_daily")

    assert refreshed(award).feedback_request is not None
    assert capsys.readouterr().out.startswith("1 ")


def test_the_daily_command_leaves_alone_what_is_not_due(given, capsys):
    call_command("recognition_daily")

    assert refreshed(given).feedback_request is None
    assert capsys.readouterr().out.startswith("0 ")


def test_the_task_asks_on_its_day(given, monkeypatch, today):
    move_today(monkeypatch, today + DELAY)

    ask_feedback_on_award.call(given.pk)

    assert refreshed(given).feedback_request is not None


def test_the_task_run_early_asks_nothing(given):
    ask_feedback_on_award.call(given.pk)

    assert refreshed(given).feedback_request is None


def test_giving_schedules_the_task_for_nine_in_the_morning_of_the_due_day(
    settings, organisation, program, lea, word, manager_user, today
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    award = give(
        approved(program, lea, word, manager_user, planned_on=today), manager_user, given_on=today
    )

    (task,) = DBTaskResult.objects.filter(task_path__endswith="ask_feedback_on_award")
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    assert task.args_kwargs["args"] == [award.pk]
    assert task.run_after == datetime.datetime.combine(today + DELAY, datetime.time(9), tzinfo=zone)


# --- Where -------------------------------------------------------------------------------------


def test_the_request_is_part_of_the_programs_feedback_campaign_of_the_year(
    organisation, given, today
):
    awards.ask_due_feedback(today=today + DELAY)

    campaign = refreshed(given).feedback_request.campaign
    assert campaign.program == given.program
    assert campaign.survey.purpose == Survey.Purpose.FEEDBACK
    assert campaign.survey.frozen
    assert campaign.audience == Campaign.Audience.CHOSEN
    assert campaign.launch_key == f"award-feedback-{year_of(organisation, today + DELAY)}"


def test_the_campaign_stays_open_three_months_after_its_fiscal_year(organisation, given, today):
    awards.ask_due_feedback(today=today + DELAY)

    campaign = refreshed(given).feedback_request.campaign
    _first, last = year_bounds(organisation, today + DELAY)
    assert campaign.is_open
    assert campaign.closes_at.date() > last + datetime.timedelta(days=90)


def test_awards_of_one_program_and_year_share_one_campaign(
    program, given, word, manager_user, today
):
    marc = enrol(program, "Marc")
    other = give(
        approved(program, marc, word, manager_user, planned_on=today), manager_user, given_on=today
    )

    awards.ask_due_feedback(today=today + DELAY)

    assert Campaign.objects.count() == 1
    assert refreshed(given).feedback_request.campaign == refreshed(other).feedback_request.campaign


def test_the_campaign_is_reused_from_one_day_to_the_next(program, given, word, manager_user, today):
    awards.ask_feedback(given, today=today + DELAY)
    marc = enrol(program, "Marc")
    later = give(
        approved(program, marc, word, manager_user, planned_on=today), manager_user, given_on=today
    )
    awards.ask_feedback(later, today=today + DELAY)

    assert Campaign.objects.count() == 1
    assert Recipient.objects.count() == 2


def test_one_mentor_asked_about_two_awards_gets_two_requests(
    program, lea, given, manager_user, organisation, today
):
    second = give(
        approved(
            program, lea, free_option(organisation, name_en="Lunch"), manager_user, planned_on=today
        ),
        manager_user,
        given_on=today,
    )

    awards.ask_due_feedback(today=today + DELAY)

    requests = Recipient.objects.filter(person=lea).order_by("pk")
    assert [request.about_key for request in requests] == [
        f"award:{given.pk}",
        f"award:{second.pk}",
    ]


def test_another_program_has_its_own_campaign(organisation, given, word, manager_user, today):
    other_program = factories.ProgramFactory(organisation=organisation, name="Accueil")
    other_program.managers.add(manager_user)
    marc = enrol(other_program, "Marc")
    other = give(
        approved(other_program, marc, word, manager_user, planned_on=today),
        manager_user,
        given_on=today,
    )

    awards.ask_due_feedback(today=today + DELAY)

    assert refreshed(other).feedback_request.campaign.program == other_program
    assert Campaign.objects.count() == 2


def test_another_fiscal_year_has_its_own_campaign(organisation, given, today):
    awards.ask_feedback(given, today=today + DELAY)
    first_campaign = refreshed(given).feedback_request.campaign
    _first, last = year_bounds(organisation, today + DELAY)

    campaign = awards.feedback_campaign(given.program, last + DAY)

    assert campaign != first_campaign
    assert campaign.launch_key == f"award-feedback-{year_of(organisation, last + DAY)}"
    assert awards.feedback_campaign(given.program, last + DAY) == campaign


def test_a_mentor_is_invited_even_after_the_years_campaign_was_closed_by_hand(
    program, lea, given, word, manager_user, today
):
    awards.ask_feedback(given, today=today + DELAY)
    close_campaign(refreshed(given).feedback_request.campaign, actor=manager_user)
    marc = enrol(program, "Marc")
    later = give(
        approved(program, marc, word, manager_user, planned_on=today),
        manager_user,
        given_on=today,
    )

    awards.ask_feedback(later, today=today + DELAY)

    request = refreshed(later).feedback_request
    assert request.campaign.is_open
    assert request.invited_at is not None
    assert invitations().filter(to=marc.email).count() == 1


# --- What --------------------------------------------------------------------------------------


def test_the_request_names_the_option_and_the_day_in_both_languages(given, today):
    awards.ask_due_feedback(today=today + DELAY)

    request = refreshed(given).feedback_request
    with translation.override("fr-ca"):
        le = date_format(today, "DATE_FORMAT")
    with translation.override("en"):
        on = date_format(today, "DATE_FORMAT")
    assert request.about_en == f"About “Thank-you word”, received on {on}."
    assert "Mot de remerciement" in request.about_fr and le in request.about_fr
    with translation.override("en"):
        assert request.about == request.about_en


def test_the_invitation_is_queued_for_the_mentor(given, lea, today):
    awards.ask_due_feedback(today=today + DELAY)

    (email,) = invitations()
    request = refreshed(given).feedback_request
    assert (email.to, email.reason) == (lea.email, f"survey-invitation:{request.pk}")
    assert request.invited_at is not None


def test_the_invitation_of_an_english_speaking_mentor_is_in_english(
    smtp_server, program, word, manager_user, today
):
    john = enrol(program, "John", language="en")
    give(
        approved(program, john, word, manager_user, planned_on=today), manager_user, given_on=today
    )

    awards.ask_due_feedback(today=today + DELAY)

    subject = "Hydro Laurentides: what did you think of your recognition?"
    (message,) = [m for m in smtp_server.messages if m["Subject"].strip() == subject]
    assert message["To"] == "john@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    with translation.override("en"):
        day = date_format(today, "DATE_FORMAT")
    assert f"About “Thank-you word”, received on {day}." in text


def test_the_invitation_of_a_french_speaking_mentor_is_in_french(smtp_server, given, today):
    awards.ask_due_feedback(today=today + DELAY)

    with translation.override("fr-ca"):
        subject = translation.gettext(
            "%(organisation)s: what did you think of your recognition?"
        ) % {"organisation": "Hydro Laurentides"}
    (message,) = [m for m in smtp_server.messages if m["Subject"].strip() == subject]
    assert message["To"] == "lea@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert refreshed(given).feedback_request.about_fr in text
    assert "Thank-you word" not in text


# --- The answers -------------------------------------------------------------------------------


def feedback_answers(request, *, comment="Très touchée, merci."):
    """Answers to the feedback survey of `request`'s campaign, by question key."""
    questions = {
        question.key: question
        for question in request.campaign.survey.questions.prefetch_related("choices")
    }
    yes = next(c for c in questions["expectations"].choices.all() if c.key == "yes")
    return {
        questions["satisfaction"].pk: 5,
        questions["relevance"].pk: 4,
        questions["expectations"].pk: yes.pk,
        questions["comment"].pk: comment,
    }


def answers_by_key(award):
    response = refreshed(award).feedback_request.response
    return {
        answer.question.key: answer.number or answer.text or answer.choice.key
        for answer in response.answers.select_related("question", "choice")
    }


def test_the_mentors_answers_attach_to_the_award(given, today):
    awards.ask_due_feedback(today=today + DELAY)
    request = refreshed(given).feedback_request

    submit_response(recipient=request, answers=feedback_answers(request))

    assert answers_by_key(given) == {
        "satisfaction": 5,
        "relevance": 4,
        "expectations": "yes",
        "comment": "Très touchée, merci.",
    }


def test_answers_about_two_awards_stay_apart(
    program, lea, given, organisation, manager_user, today
):
    lunch = give(
        approved(
            program, lea, free_option(organisation, name_en="Lunch"), manager_user, planned_on=today
        ),
        manager_user,
        given_on=today,
    )
    awards.ask_due_feedback(today=today + DELAY)
    for award, comment in ((given, "Le mot"), (lunch, "Le dîner")):
        request = refreshed(award).feedback_request
        submit_response(recipient=request, answers=feedback_answers(request, comment=comment))

    assert answers_by_key(given)["comment"] == "Le mot"
    assert answers_by_key(lunch)["comment"] == "Le dîner"


def test_feedback_is_never_promised_anonymous_since_it_belongs_to_its_award(
    organisation, given, today
):
    standard = install_standard_surveys(organisation)[Survey.Purpose.FEEDBACK]
    Survey.objects.filter(pk=standard.pk).update(anonymous=True)

    awards.ask_due_feedback(today=today + DELAY)

    sent = refreshed(given).feedback_request.campaign.survey
    assert not sent.results_are_anonymous
    assert "anonym" not in invitations().get().text
