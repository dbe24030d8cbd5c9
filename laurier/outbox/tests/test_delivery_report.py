"""How a group of e-mails fared, and sending again the ones the outbox gave up on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laurier.outbox.models import OutgoingEmail
from laurier.outbox.selectors import delivery_report
from laurier.outbox.services import queue_emails, retry_failed_emails

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status


def emails(organisation, count, topic="campaign:1", **state):
    queued = queue_emails(
        organisation=organisation,
        messages=[
            {"to": f"p{n}@example.org", "subject": "S", "text": "T", "topic": topic}
            for n in range(count)
        ],
    )
    OutgoingEmail.objects.filter(pk__in=[email.pk for email in queued]).update(**state)
    return queued


def test_the_report_counts_each_delivery_state(organisation):
    emails(organisation, 3, status=Status.SENT)
    emails(organisation, 2, status=Status.PENDING, attempts=0)
    emails(organisation, 1, status=Status.PENDING, attempts=2, last_error="421 busy")
    emails(organisation, 1, status=Status.FAILED, attempts=8, last_error="550 no such user")
    emails(organisation, 1, status=Status.CANCELLED)
    emails(organisation, 4, topic="campaign:2", status=Status.FAILED)

    report = delivery_report(organisation, "campaign:1")

    assert (report.sent, report.waiting, report.retrying, report.failed) == (3, 2, 1, 1)
    assert [(e.to, e.last_error) for e in report.failed_emails] == [
        ("p0@example.org", "550 no such user")
    ]


def test_the_report_lists_a_few_failed_emails_in_two_queries(organisation):
    emails(organisation, 30, status=Status.FAILED)

    with CaptureQueriesContext(connection) as queries:
        report = delivery_report(organisation, "campaign:1", failed_listed=5)

    assert len(queries) == 2
    assert (len(report.failed_emails), report.failed_not_listed) == (5, 25)


def test_the_report_ignores_other_organisations(organisation, other_organisation):
    emails(other_organisation, 2, status=Status.FAILED)

    assert delivery_report(organisation, "campaign:1").total == 0


def test_failed_emails_are_sent_again_once(organisation, smtp_server):
    failed = emails(organisation, 2, status=Status.FAILED, attempts=8, next_attempt_at=None)
    emails(organisation, 1, status=Status.SENT)
    # The test's task backend sent them as they were queued: only what follows counts.
    smtp_server.messages.clear()

    assert retry_failed_emails(organisation=organisation, topic="campaign:1") == 2
    assert retry_failed_emails(organisation=organisation, topic="campaign:1") == 0

    assert sorted(message["To"] for message in smtp_server.messages) == [
        "p0@example.org",
        "p1@example.org",
    ]
    assert set(
        OutgoingEmail.objects.filter(pk__in=[e.pk for e in failed]).values_list("status", flat=True)
    ) == {Status.SENT}
