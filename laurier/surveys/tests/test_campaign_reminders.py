"""Reminders go to those who have not answered, at most once a day; closing stops everything."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Campaign, Recipient
from laurier.surveys.services.campaigns import (
    close_campaign,
    queue_reminders,
    remind_non_respondents,
)
from laurier.surveys.tasks import send_campaign_reminders

from .test_campaign_emails import text_of
from .test_campaign_support import (  # noqa: F401
    answer,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    survey,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(program, survey, manager_user):
    # English readers: the tests recognise reminders by their English subject.
    enrol_mentors(program, 3, person__language="en")
    campaign = launch(program, survey, manager_user)
    # Invited two days ago: a reminder waits at least a day after the invitation.
    Recipient.objects.filter(campaign=campaign).update(
        invited_at=timezone.now() - datetime.timedelta(days=2)
    )
    return campaign


@pytest.fixture
def answered(campaign):
    recipient = Recipient.objects.filter(campaign=campaign).order_by("pk").first()
    answer(recipient)
    return recipient


def test_nobody_is_reminded_the_day_they_were_invited(smtp_server, campaign, manager_user):
    Recipient.objects.filter(campaign=campaign).update(invited_at=timezone.now())

    assert remind_non_respondents(campaign, actor=manager_user) == 0
    assert not reminded_addresses(smtp_server)


def reminded_addresses(inbox):
    """The address of each reminder: every message after a person's invitation, whatever the
    language of its subject."""
    seen, reminded = set(), []
    for message in inbox.messages:
        if message["To"] in seen:
            reminded.append(message["To"])
        seen.add(message["To"])
    return sorted(reminded)


def test_reminders_go_only_to_those_who_have_not_answered(
    smtp_server, campaign, answered, manager_user
):
    assert remind_non_respondents(campaign, actor=manager_user) == 2

    expected = sorted(
        Recipient.objects.filter(campaign=campaign)
        .exclude(pk=answered.pk)
        .values_list("person__email", flat=True)
    )
    assert reminded_addresses(smtp_server) == expected


def test_a_reminder_is_counted_on_the_recipient(campaign, answered, manager_user):
    remind_non_respondents(campaign, actor=manager_user)

    reminded = Recipient.objects.filter(campaign=campaign).exclude(pk=answered.pk)
    assert {(r.reminders_sent, r.reminded_at is not None) for r in reminded} == {(1, True)}
    answered.refresh_from_db()
    assert (answered.reminders_sent, answered.reminded_at) == (0, None)


def test_nobody_is_reminded_twice_in_a_day(campaign, manager_user):
    remind_non_respondents(campaign, actor=manager_user)

    assert remind_non_respondents(campaign, actor=manager_user) == 0
    assert OutgoingEmail.objects.filter(reason__startswith="survey-reminder:").count() == 3


def test_a_day_later_a_second_reminder_may_leave(campaign, manager_user):
    remind_non_respondents(campaign, actor=manager_user)
    Recipient.objects.update(reminded_at=timezone.now() - datetime.timedelta(hours=25))

    assert remind_non_respondents(campaign, actor=manager_user) == 3
    assert set(Recipient.objects.values_list("reminders_sent", flat=True)) == {2}
    assert OutgoingEmail.objects.filter(reason__startswith="survey-reminder:").count() == 6


def test_a_double_submitted_reminder_reminds_once(
    smtp_server, manager_client, campaign, campaign_url
):
    url = campaign_url("campaign_remind", campaign.pk)

    manager_client.post(url)
    response = manager_client.post(url, follow=True)

    assert len(reminded_addresses(smtp_server)) == 3
    assert "Nobody to remind" in response.content.decode()


def test_the_reminder_button_says_how_many_people_it_reminds(
    manager_client, campaign, answered, campaign_url
):
    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert "Send a reminder to the 2 people who have not answered" in page


def test_the_reminder_is_in_the_persons_language(smtp_server, program, survey, manager_user):
    enrol_mentors(program, 1, person__language="en", person__email="john@example.org")
    enrol_mentors(program, 1, person__language="fr-ca", person__email="helene@example.org")
    campaign = launch(program, survey, manager_user)
    Recipient.objects.update(invited_at=timezone.now() - datetime.timedelta(days=2))

    remind_non_respondents(campaign, actor=manager_user)

    english, french = (
        [m for m in smtp_server.messages if m["To"] == address][-1]["Subject"].strip()
        for address in ("john@example.org", "helene@example.org")
    )
    assert english == "Hydro Laurentides: we still await your view on the Relève program"
    assert english.count(":") == 1
    french_text = [m for m in smtp_server.messages if m["To"] == "helene@example.org"][-1]
    assert "Pouls de l'engagement" in text_of(french_text)
    assert french.startswith("Hydro Laurentides")


def test_the_automatic_reminder_reminds_those_who_have_not_answered(campaign, answered):
    assert send_campaign_reminders.call(campaign.pk) == 2


def test_the_automatic_reminder_does_nothing_once_closed(campaign, manager_user):
    close_campaign(campaign, actor=manager_user)

    assert send_campaign_reminders.call(campaign.pk) == 0
    assert not OutgoingEmail.objects.filter(reason__startswith="survey-reminder:").exists()


def test_the_automatic_reminder_spares_people_reminded_today(campaign, manager_user):
    remind_non_respondents(campaign, actor=manager_user)

    assert send_campaign_reminders.call(campaign.pk) == 0


def test_a_closed_campaign_reminds_nobody(campaign, manager_user):
    close_campaign(campaign, actor=manager_user)

    with pytest.raises(ValidationError):
        remind_non_respondents(campaign, actor=manager_user)


def test_closing_now_closes_the_campaign(manager_client, campaign, campaign_url):
    manager_client.post(campaign_url("campaign_close", campaign.pk))

    campaign.refresh_from_db()
    assert campaign.closed_at is not None
    assert not campaign.is_open


def test_answers_can_no_longer_change_once_closed(campaign, answered, manager_user):
    close_campaign(campaign, actor=manager_user)

    with pytest.raises(ValidationError):
        answer(Recipient.objects.get(pk=answered.pk), likert=1)


def test_closing_is_audited(campaign, manager_user):
    close_campaign(campaign, actor=manager_user)

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert (event.object_id, event.actor, list(event.changes)) == (
        str(campaign.pk),
        manager_user,
        ["closes_at"],
    )


def test_closing_twice_changes_nothing(manager_client, campaign, campaign_url, manager_user):
    close_campaign(campaign, actor=manager_user)
    closed_at = Campaign.objects.get(pk=campaign.pk).closed_at

    manager_client.post(campaign_url("campaign_close", campaign.pk))

    assert Campaign.objects.get(pk=campaign.pk).closed_at == closed_at
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1


def test_closing_asks_for_a_confirmation_and_only_by_post(manager_client, campaign, campaign_url):
    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert "Yes, close the campaign" in page
    assert manager_client.get(campaign_url("campaign_close", campaign.pk)).status_code == 405


def reminders_in_outbox():
    return OutgoingEmail.objects.filter(reason__startswith="survey-reminder:").count()


def test_the_reminder_task_stamps_each_person_as_it_queues_their_e_mail(campaign, answered):
    assert queue_reminders(campaign) == 2

    reminded = Recipient.objects.filter(campaign=campaign).exclude(pk=answered.pk)
    assert {(r.reminders_sent, r.reminded_at is not None) for r in reminded} == {(1, True)}
    assert reminders_in_outbox() == 2


def test_the_reminder_task_never_sends_again_whatever_the_outbox_holds(campaign, manager_user):
    remind_non_respondents(campaign, actor=manager_user)
    # Delivered e-mails may be purged from the outbox: the stamps alone decide.
    OutgoingEmail.objects.filter(reason__startswith="survey-reminder:").delete()

    assert queue_reminders(campaign) == 0
    assert reminders_in_outbox() == 0


def test_a_reminder_is_audited_on_the_campaign(campaign, answered, manager_user):
    remind_non_respondents(campaign, actor=manager_user)

    event = AuditEvent.objects.get(object_id=str(campaign.pk), changes__has_key="reminder_sent_to")
    assert (event.actor, event.object_type, event.changes) == (
        manager_user,
        "surveys.campaign",
        {"reminder_sent_to": 2},
    )


def test_nobody_to_remind_records_nothing(campaign, manager_user):
    remind_non_respondents(campaign, actor=manager_user)
    events = AuditEvent.objects.count()

    remind_non_respondents(campaign, actor=manager_user)

    assert AuditEvent.objects.count() == events
