"""The campaign page tells managers how its e-mails fared, and sends the failed ones again."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Campaign, Recipient
from laurier.surveys.services.campaigns import campaign_topic, invitation_reason
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
    survey,
)

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status


def launched(program, survey, actor, people):
    enrol_mentors(program, people)
    return launch(program, survey, actor)


def give_up(campaign, count, error="550 5.1.1 Mailbox unavailable"):
    """As if the outbox had given up on `count` of the campaign's invitations."""
    ids = OutgoingEmail.objects.filter(topic=campaign_topic(campaign.pk)).order_by("to")[:count]
    OutgoingEmail.objects.filter(pk__in=list(ids.values_list("pk", flat=True))).update(
        status=Status.FAILED, attempts=8, last_error=error, next_attempt_at=None
    )


def test_each_invitation_is_filed_under_its_campaign(program, survey, manager_user):
    campaign = launched(program, survey, manager_user, 3)

    topics = OutgoingEmail.objects.values_list("topic", flat=True)
    assert list(topics) == [campaign_topic(campaign.pk)] * 3


def test_the_page_counts_sent_retrying_and_failed_emails(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = launched(program, survey, manager_user, 4)
    give_up(campaign, 1)
    retried = OutgoingEmail.objects.filter(status=Status.SENT).first()
    OutgoingEmail.objects.filter(pk=retried.pk).update(status=Status.PENDING, attempts=2)

    with translation.override("en"):
        page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert "2 e-mails sent" in page
    assert "1 e-mail not sent yet: the mail server refused it, it is tried again later" in page
    assert "1 e-mail could not be sent" in page


def test_the_page_names_who_missed_their_email_and_why(
    manager_client, program, survey, manager_user, campaign_url
):
    campaign = launched(program, survey, manager_user, 3)
    give_up(campaign, 1)
    missed = OutgoingEmail.objects.get(status=Status.FAILED)

    response = manager_client.get(campaign_url("campaign_detail", campaign.pk))

    page = response.content.decode()
    assert missed.to in page
    assert "550 5.1.1 Mailbox unavailable" in page
    assert [email.to for email in response.context["delivery"].failed_emails] == [missed.to]


def test_the_page_runs_the_same_queries_for_1_or_30_failed_emails(
    django_assert_max_num_queries, manager_client, program, survey, manager_user, campaign_url
):
    small = launched(program, survey, manager_user, 2)
    give_up(small, 1)
    with CaptureQueriesContext(connection) as queries:
        manager_client.get(campaign_url("campaign_detail", small.pk))
    enrol_mentors(program, 40)
    large = launch(program, survey, manager_user, name="Large")
    give_up(large, 30)

    with django_assert_max_num_queries(len(queries)):
        response = manager_client.get(campaign_url("campaign_detail", large.pk))
    assert response.context["delivery"].failed == 30


def test_failed_emails_are_sent_again_once(
    smtp_server, manager_client, program, survey, manager_user, campaign_url
):
    campaign = launched(program, survey, manager_user, 3)
    give_up(campaign, 2)
    smtp_server.messages.clear()
    url = campaign_url("campaign_resend", campaign.pk)

    manager_client.post(url)
    manager_client.post(url)

    assert len(smtp_server.messages) == 2
    assert not OutgoingEmail.objects.filter(status=Status.FAILED).exists()
    assert AuditEvent.objects.filter(changes__emails_sent_again=2).count() == 1


def test_a_failed_email_is_sent_again_with_the_same_personal_link(
    smtp_server, manager_client, program, survey, manager_user, campaign_url
):
    campaign = launched(program, survey, manager_user, 1)
    give_up(campaign, 1)
    smtp_server.messages.clear()

    manager_client.post(campaign_url("campaign_resend", campaign.pk))

    token = Recipient.objects.get(campaign=campaign).token
    message = smtp_server.messages[0]
    assert f"/s/{token}/" in message.get_body(preferencelist=("plain",)).get_content()


def test_someone_who_answered_since_gets_no_failed_email_again(
    smtp_server, manager_client, program, survey, manager_user, campaign_url
):
    campaign = launched(program, survey, manager_user, 2)
    give_up(campaign, 2)
    answered = Recipient.objects.filter(campaign=campaign).order_by("pk").first()
    Recipient.objects.filter(pk=answered.pk).update(responded_at=timezone.now())
    smtp_server.messages.clear()

    manager_client.post(campaign_url("campaign_resend", campaign.pk))

    assert [message["To"] for message in smtp_server.messages] == [
        OutgoingEmail.objects.get(status=Status.SENT).to
    ]
    withdrawn = OutgoingEmail.objects.get(reason=invitation_reason(answered))
    assert withdrawn.status == Status.CANCELLED


def test_a_closed_campaign_sends_nothing_again(
    smtp_server, manager_client, program, survey, manager_user, campaign_url
):
    campaign = launched(program, survey, manager_user, 2)
    give_up(campaign, 2)
    Campaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())
    smtp_server.messages.clear()

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()
    manager_client.post(campaign_url("campaign_resend", campaign.pk))

    assert "failed e-mails again" not in page
    assert smtp_server.messages == []
    assert OutgoingEmail.objects.filter(status=Status.FAILED).count() == 2


def test_a_manager_of_another_program_cannot_send_them_again(
    login, organisation, program, survey, manager_user
):
    campaign = launched(program, survey, manager_user, 1)
    give_up(campaign, 1)
    other = factories.ProgramFactory(organisation=organisation, slug="autre")

    response = login(manager_user).post(
        reverse("surveys:campaign_resend", args=[organisation.slug, other.slug, campaign.pk])
    )

    assert response.status_code == 404
    assert OutgoingEmail.objects.filter(status=Status.FAILED).count() == 1


def test_emails_queued_before_topics_are_filed_under_their_campaign(program, survey, manager_user):
    campaign = launched(program, survey, manager_user, 2)
    recipient = Recipient.objects.filter(campaign=campaign).first()
    OutgoingEmail.objects.update(topic="")
    OutgoingEmail.objects.create(organisation=program.organisation, to="x@example.org", reason="x")
    migration = importlib.import_module("laurier.outbox.migrations.0002_outgoingemail_topic")

    migration.tag_campaign_emails(apps, None)

    invitation = OutgoingEmail.objects.get(reason=invitation_reason(recipient))
    assert invitation.topic == campaign_topic(campaign.pk)
    assert OutgoingEmail.objects.get(reason="x").topic == ""
