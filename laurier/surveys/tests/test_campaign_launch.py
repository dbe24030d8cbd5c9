"""Launching a campaign: a frozen copy of the survey, one personal link per person, once."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Campaign, Recipient, Survey
from laurier.surveys.services import campaigns as campaigns_service
from laurier.surveys.services.campaigns import launch_campaign
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401 — fixtures
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    paused,
    pulse_survey,
    survey,
    today,
)


def launch_values(program, survey, actor, launch_key):
    return {
        "program": program,
        "survey": survey,
        "name": "Pulse",
        "closes_at": timezone.now() + datetime.timedelta(days=14),
        "audience": Campaign.Audience.MENTORS,
        "actor": actor,
        "launch_key": launch_key,
    }


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the messages in their English source."""
    with translation.override("en"):
        yield


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


def test_a_second_launch_with_the_same_key_returns_the_first_campaign(
    program, survey, manager_user
):
    enrol_mentors(program, 2)

    first = launch(program, survey, manager_user, launch_key="form-1")
    second, created = launch_campaign(**launch_values(program, survey, manager_user, "form-1"))

    assert (second, created) == (first, False)
    assert Campaign.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2


def test_two_launches_with_different_keys_make_two_campaigns(program, manager_user):
    # The same survey, name and minute: two "people I choose" launches to different people.
    survey = pulse_survey(program.organisation, anonymous=False)
    first_person, second_person = enrol_mentors(program, 2)

    first = launch(
        program,
        survey,
        manager_user,
        audience=Campaign.Audience.CHOSEN,
        people=[first_person.pk],
        launch_key="form-1",
    )
    second = launch(
        program,
        survey,
        manager_user,
        audience=Campaign.Audience.CHOSEN,
        people=[second_person.pk],
        launch_key="form-2",
    )

    assert first != second
    assert [r.person for r in second.recipients.all()] == [second_person]


def test_a_key_already_written_by_a_concurrent_launch_returns_that_campaign(
    program, survey, manager_user, monkeypatch
):
    # The race: the look-up found nothing, then the other request's campaign committed.
    enrol_mentors(program, 1)
    first = launch(program, survey, manager_user, launch_key="form-1")
    calls = []
    real = campaigns_service._launched_with

    def missed_once(program, launch_key):
        calls.append(launch_key)
        return None if len(calls) == 1 else real(program, launch_key)

    monkeypatch.setattr(campaigns_service, "_launched_with", missed_once)

    second, created = launch_campaign(**launch_values(program, survey, manager_user, "form-1"))

    assert (second, created) == (first, False)
    assert Campaign.objects.count() == 1


def test_a_frozen_copy_belongs_to_one_campaign_only(program, survey, manager_user):
    enrol_mentors(program, 1)
    first = launch(program, survey, manager_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(
            organisation=program.organisation,
            program=program,
            survey=first.survey,
            name="Copy",
            closes_at=first.closes_at,
        )


def test_an_anonymous_survey_needs_the_threshold_of_recipients(organisation, program, manager_user):
    enrol_mentors(program, organisation.anonymity_threshold - 1)

    with pytest.raises(ValidationError) as error:
        launch(program, pulse_survey(organisation), manager_user)

    assert "at least 5 people" in error.value.message_dict["audience"][0]
    assert not Campaign.objects.exists()


def test_an_anonymous_survey_at_the_threshold_is_sent(organisation, program, manager_user):
    enrol_mentors(program, organisation.anonymity_threshold)

    campaign = launch(program, pulse_survey(organisation), manager_user)

    assert campaign.recipients.count() == organisation.anonymity_threshold


@pytest.mark.parametrize("purpose", [Survey.Purpose.PROFILE, Survey.Purpose.PULSE])
def test_profile_and_pulse_surveys_are_not_sent_to_mentees(
    organisation, program, manager_user, purpose
):
    for _index in range(6):
        factories.MenteeEnrolmentFactory(program=program)

    with pytest.raises(ValidationError) as error:
        launch(
            program,
            pulse_survey(organisation, purpose=purpose),
            manager_user,
            audience=Campaign.Audience.MENTEES,
        )

    assert "mentors only" in error.value.message_dict["audience"][0]


def test_a_profile_survey_goes_to_chosen_mentors_of_any_status(program, manager_user):
    survey = pulse_survey(program.organisation, anonymous=False, purpose=Survey.Purpose.PROFILE)
    mentor = paused(program)

    campaign = launch(
        program, survey, manager_user, audience=Campaign.Audience.CHOSEN, people=[mentor.pk]
    )

    assert [r.person for r in campaign.recipients.all()] == [mentor]


def test_a_profile_survey_refuses_a_chosen_mentee(program, manager_user):
    survey = pulse_survey(program.organisation, anonymous=False, purpose=Survey.Purpose.PROFILE)
    mentor = enrol_mentors(program, 1)[0]
    mentee = factories.MenteeEnrolmentFactory(program=program).person

    with pytest.raises(ValidationError) as error:
        launch(
            program,
            survey,
            manager_user,
            audience=Campaign.Audience.CHOSEN,
            people=[mentor.pk, mentee.pk],
        )

    assert "mentors only" in error.value.message_dict["people"][0]
    assert not Campaign.objects.exists()


def test_chosen_people_are_checked_without_reading_the_whole_program(program, survey, manager_user):
    chosen = enrol_mentors(program, 1)[0]
    enrol_mentors(program, 3)

    with CaptureQueriesContext(connection) as queries:
        launch(program, survey, manager_user, audience=Campaign.Audience.CHOSEN, people=[chosen.pk])

    enrolment_reads = [
        q["sql"] for q in queries.captured_queries if "enrolment" in q["sql"].lower()
    ]
    assert enrolment_reads
    assert all(str(chosen.pk) in sql and " IN (" in sql for sql in enrolment_reads)


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


def test_a_launch_sent_again_after_its_closing_date_opens_the_first_campaign(
    program, survey, manager_user
):
    enrol_mentors(program, 1)
    first = launch(program, survey, manager_user, launch_key="form-1")
    values = launch_values(program, survey, manager_user, "form-1")
    values["closes_at"] = timezone.now() - datetime.timedelta(days=1)

    assert launch_campaign(**values) == (first, False)


# A second pulse in a cycle


@pytest.fixture
def cycle_with_a_pulse(organisation, program, manager_user):
    """A cycle whose pulse was already sent, and closed: a second one would split it."""
    from laurier.surveys.services.campaigns import close_campaign

    cycle = factories.CycleFactory(program=program)
    enrol_mentors(program, organisation.anonymity_threshold)
    pulse = pulse_survey(organisation, purpose=Survey.Purpose.PULSE)
    close_campaign(launch(program, pulse, manager_user, cycle=cycle), actor=manager_user)
    return cycle, pulse


@pytest.mark.django_db
def test_a_second_pulse_in_a_cycle_needs_confirming(cycle_with_a_pulse, program, manager_user):
    cycle, pulse = cycle_with_a_pulse

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        launch(program, pulse, manager_user, cycle=cycle)

    message = refused.value.message_dict[campaigns_service.SPLIT_PULSE_FIELD][0]
    assert "already received the engagement pulse on" in message
    assert Campaign.objects.filter(cycle=cycle).count() == 1


@pytest.mark.django_db
def test_a_confirmed_second_pulse_is_launched(cycle_with_a_pulse, program, manager_user):
    cycle, pulse = cycle_with_a_pulse

    launch(program, pulse, manager_user, cycle=cycle, split_pulse_confirmed=True)

    assert Campaign.objects.filter(cycle=cycle).count() == 2


@pytest.mark.django_db
def test_a_pulse_in_another_cycle_or_another_survey_needs_no_confirming(
    cycle_with_a_pulse, program, survey, manager_user
):
    cycle, pulse = cycle_with_a_pulse

    launch(program, pulse, manager_user, cycle=factories.CycleFactory(program=program))
    launch(program, survey, manager_user, cycle=cycle)

    assert Campaign.objects.count() == 3
