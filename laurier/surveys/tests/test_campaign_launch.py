"""Launching a campaign: a frozen copy of the survey, one personal link per person, once."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Campaign, Recipient, Survey
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401 — fixtures
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    paused,
    survey,
    today,
)

pytestmark = pytest.mark.django_db


def test_launch_sends_a_frozen_copy_of_the_survey(program, survey, manager_user):
    enrol_mentors(program, 1)
    campaign = launch(program, survey, manager_user)

    assert campaign.survey.frozen
    assert campaign.survey.copied_from == survey
    assert campaign.survey.questions.count() == survey.questions.count()


def test_mentors_audience_is_the_programs_active_mentors(program, survey, manager_user):
    active = enrol_mentors(program, 2)
    paused(program)
    factories.MenteeEnrolmentFactory(program=program)
    factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=program.organisation)
    )

    campaign = launch(program, survey, manager_user)

    assert set(campaign.recipients.values_list("person", flat=True)) == {p.pk for p in active}


def test_mentees_audience_is_the_programs_active_mentees(program, survey, manager_user):
    enrol_mentors(program, 1)
    mentee = factories.MenteeEnrolmentFactory(program=program).person

    campaign = launch(program, survey, manager_user, audience=Campaign.Audience.MENTEES)

    assert list(campaign.recipients.values_list("person", flat=True)) == [mentee.pk]


def test_chosen_audience_gets_each_chosen_person_once(program, survey, manager_user):
    mentor = paused(program)
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    factories.MenteeEnrolmentFactory(program=program, person=mentor)

    campaign = launch(
        program,
        survey,
        manager_user,
        audience=Campaign.Audience.CHOSEN,
        people=[mentor.pk, mentee.pk, mentor.pk],
    )

    assert sorted(campaign.recipients.values_list("person", flat=True)) == sorted(
        [mentor.pk, mentee.pk]
    )


def test_a_person_outside_the_program_cannot_be_chosen(program, survey, manager_user):
    outsider = factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=program.organisation)
    ).person

    with pytest.raises(ValidationError):
        launch(
            program, survey, manager_user, audience=Campaign.Audience.CHOSEN, people=[outsider.pk]
        )

    assert not Campaign.objects.exists()


def test_a_closing_date_in_the_past_is_refused(program, survey, manager_user):
    enrol_mentors(program, 1)

    with pytest.raises(ValidationError):
        launch(
            program, survey, manager_user, closes_at=timezone.now() - datetime.timedelta(hours=1)
        )

    assert not Campaign.objects.exists()


def test_a_campaign_without_anybody_to_ask_is_refused(program, survey, manager_user):
    with pytest.raises(ValidationError):
        launch(program, survey, manager_user)

    assert not Survey.objects.filter(frozen=True).exists()


def test_a_survey_without_questions_is_refused(program, organisation, manager_user):
    enrol_mentors(program, 1)

    with pytest.raises(ValidationError):
        launch(program, factories.SurveyFactory(organisation=organisation), manager_user)

    assert not Campaign.objects.exists()


def test_another_organisations_survey_is_refused(program, manager_user, other_organisation):
    enrol_mentors(program, 1)
    foreign = factories.SurveyFactory(organisation=other_organisation)

    with pytest.raises(ValidationError):
        launch(program, foreign, manager_user)


def test_the_launch_is_audited(program, survey, manager_user):
    enrol_mentors(program, 1)

    campaign = launch(program, survey, manager_user)

    event = AuditEvent.objects.get(object_type="surveys.campaign")
    assert (event.action, event.object_id, event.actor) == (
        AuditEvent.Action.CREATE,
        str(campaign.pk),
        manager_user,
    )


def test_launching_the_same_survey_twice_within_a_minute_makes_one_campaign(
    program, survey, manager_user
):
    enrol_mentors(program, 2)

    first = launch(program, survey, manager_user)
    second = launch(program, survey, manager_user)

    assert first == second
    assert Campaign.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2


def test_the_same_survey_may_be_sent_again_later(program, survey, manager_user):
    enrol_mentors(program, 1)
    first = launch(program, survey, manager_user)
    Campaign.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert launch(program, survey, manager_user) != first


def test_ten_thousand_recipients_are_written_in_bulk(
    settings, program, survey, manager_user, django_assert_max_num_queries
):
    # The invitations are a task: here it is only recorded, so the launch alone is measured.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    people = factories.PersonFactory.build_batch(10_000, organisation=program.organisation)
    from laurier.programs.models import MentorEnrolment, Person

    Person.objects.bulk_create(people, batch_size=1000)
    MentorEnrolment.objects.bulk_create(
        [
            MentorEnrolment(program=program, person=person, since=datetime.date(2026, 1, 1))
            for person in Person.objects.filter(organisation=program.organisation)
        ],
        batch_size=1000,
    )

    # One insert per batch of recipients (SQLite takes fewer rows per insert than PostgreSQL).
    with django_assert_max_num_queries(120):
        campaign = launch(program, survey, manager_user)

    assert Recipient.objects.filter(campaign=campaign).count() == 10_000
    assert len(set(Recipient.objects.values_list("token", flat=True))) == 10_000


def test_the_automatic_reminder_is_scheduled_after_the_chosen_days(
    settings, program, survey, manager_user
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    enrol_mentors(program, 1)

    campaign = launch(program, survey, manager_user, remind_after_days=3)

    reminders = [
        result
        for result in default_task_backend.results
        if result.task.name == "send_campaign_reminders"
    ]
    assert [result.args for result in reminders] == [[campaign.pk]]
    assert reminders[0].task.run_after == campaign.created_at + datetime.timedelta(days=3)


def test_a_reminder_after_the_closing_date_is_refused(program, survey, manager_user):
    enrol_mentors(program, 1)

    with pytest.raises(ValidationError):
        launch(
            program,
            survey,
            manager_user,
            closes_at=timezone.now() + datetime.timedelta(days=2),
            remind_after_days=3,
        )
