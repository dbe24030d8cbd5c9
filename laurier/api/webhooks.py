"""Outgoing webhooks: tell an organisation's own systems when something happens in Laurier.

The services where events happen call `announce` (or `announce_many` for objects made in
bulk) inside their transaction: one delivery per active endpoint subscribed to the event is
written to the outbox with the change, so a rolled-back change announces nothing, and the
outbox's worker posts it, signed, with retries (see `laurier.outbox.services`).

A payload carries ids the receiver can fetch through the API and the few facts it needs to
act, never more about a person than the API gives the organisation itself:

    {"id": "evt_…", "event": "award.given", "created_at": "2026-05-04T13:02:11Z",
     "organisation": "hydro", "data": {"award_id": 42, …}}

`id` names the event: the same on every endpoint and on every retry, so a receiver can
ignore a post it has already handled.

Below the announcing, the admins' writes on endpoints (each audited): create, edit, delete,
rotate the secret, send a test event, retry a delivery.
"""

import datetime
import ipaddress
import urllib.parse
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurier.organisations.audit import record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingWebhook
from laurier.outbox.services import queue_endpoint_deliveries, retry_webhook

from .models import Event, WebhookEndpoint, new_webhook_secret

# The event of a test delivery, sent to an endpoint whatever its subscriptions.
PING = "ping"
# How long a test delivery counts as just sent: a double click sends one.
PING_REPEAT_SECONDS = 30


# --- Announcing events ------------------------------------------------------------------------


def announce(*, organisation, event, data):
    """Queue the event for every active endpoint of `organisation` subscribed to it.

    Call it inside the transaction of the change announced. `data`: JSON-ready ids and key
    facts. Returns the queued deliveries (none when nobody listens: one query).
    """
    return announce_many(organisation=organisation, event=event, items=[data])


def announce_many(*, organisation, event, items):
    """Like `announce`, for the same event about many objects (`items`: one `data` each),
    in one query for the endpoints and one insert whatever their number."""
    items = list(items)
    if not items:
        return []
    return _announce(organisation, event, items, _subscribers(organisation, event))


def _announce(organisation, event, items, endpoints):
    if not endpoints:
        return []
    slug = _slug(organisation)
    created_at = _timestamp(timezone.now())
    deliveries = []
    for data in items:
        payload = {
            "id": f"evt_{uuid.uuid4().hex}",
            "event": str(event),
            "created_at": created_at,
            "organisation": slug,
            "data": data,
        }
        deliveries.extend(_delivery(endpoint, event, payload) for endpoint in endpoints)
    return queue_endpoint_deliveries(deliveries)


def _subscribers(organisation, event):
    # Few endpoints per organisation: filtering their events here works on every database,
    # where a JSON "contains" lookup does not (SQLite).
    organisation_id = getattr(organisation, "pk", organisation)
    endpoints = WebhookEndpoint.objects.filter(organisation_id=organisation_id, is_active=True)
    return [endpoint for endpoint in endpoints if str(event) in endpoint.events]


def _slug(organisation):
    if hasattr(organisation, "slug"):
        return organisation.slug
    from laurier.organisations.models import Organisation

    return Organisation.objects.values_list("slug", flat=True).get(pk=organisation)


def _delivery(endpoint, event, payload):
    return OutgoingWebhook(
        organisation_id=endpoint.organisation_id,
        endpoint=endpoint,
        event=str(event),
        url=endpoint.url,
        payload=payload,
        reason=f"webhook:{endpoint.pk}",
        topic=f"webhook:{endpoint.pk}",
    )


def _timestamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(value):
    return value.isoformat() if value else None


# What each event's `data` holds, for the admins' page that documents them (kept beside the
# functions below that write them).
EVENT_FIELDS = {
    Event.AWARD_GIVEN: ("award_id", "program_id", "mentor_id", "option_id", "given_on"),
    Event.BADGE_ISSUED: (
        "credential_id",
        "kind",
        "person_id",
        "badge_class_id",
        "award_id",
        "issued_at",
        "verification_url",
    ),
    Event.SURVEY_COMPLETED: (
        "campaign_id",
        "program_id",
        "purpose",
        "anonymous",
        "responses",
        "recipients",
        "person_id",
    ),
    Event.MENTOR_JOINED: ("enrolment_id", "program_id", "person_id", "since"),
    Event.MENTOR_LEFT: ("enrolment_id", "program_id", "person_id", "since", "left_on"),
}


# What each event says. The services call these, so that a payload is written in one place.


def award_given(award):
    """Announce a recognition given to a mentor."""
    return announce(
        organisation=award.organisation,
        event=Event.AWARD_GIVEN,
        data={
            "award_id": award.pk,
            "program_id": award.program_id,
            "mentor_id": award.mentor_id,
            "option_id": award.option_id,
            "given_on": _day(award.given_on),
        },
    )


def credentials_issued(organisation, credentials):
    """Announce badges and certificates just issued (perhaps a bulk job's thousand)."""
    return announce_many(
        organisation=organisation,
        event=Event.BADGE_ISSUED,
        items=(
            {
                "credential_id": credential.pk,
                "kind": credential.kind,
                "person_id": credential.person_id,
                "badge_class_id": credential.badge_class_id,
                "award_id": credential.award_id,
                "issued_at": _timestamp(credential.issued_at),
                "verification_url": credential.url,
            }
            for credential in credentials
        ),
    )


def survey_completed(campaign, recipient):
    """Announce a recipient's first submission to a campaign, with the campaign's counts
    (read in the submission's transaction, and only when someone listens).

    For an anonymous survey (and every pulse) the payload does not say who answered: only
    the campaign and its counts.
    """
    endpoints = _subscribers(campaign.organisation_id, Event.SURVEY_COMPLETED)
    if not endpoints:
        return []
    anonymous = campaign.survey.results_are_anonymous
    data = {
        "campaign_id": campaign.pk,
        "program_id": campaign.program_id,
        "purpose": campaign.survey.purpose,
        "anonymous": anonymous,
        **campaign.recipients.aggregate(
            responses=Count("pk", filter=Q(responded_at__isnull=False)), recipients=Count("pk")
        ),
    }
    if not anonymous:
        data["person_id"] = recipient.person_id
    return _announce(campaign.organisation_id, Event.SURVEY_COMPLETED, [data], endpoints)


def _enrolment_data(enrolment):
    return {
        "enrolment_id": enrolment.pk,
        "program_id": enrolment.program_id,
        "person_id": enrolment.person_id,
        "since": _day(enrolment.since),
    }


def mentor_joined(organisation, enrolments):
    """Announce mentors enrolled in a program (one, or an import's batch)."""
    return announce_many(
        organisation=organisation,
        event=Event.MENTOR_JOINED,
        items=(_enrolment_data(enrolment) for enrolment in enrolments),
    )


def mentor_left(organisation, enrolments):
    """Announce mentors who left a program. The reason stays in Laurier: it may be personal."""
    return announce_many(
        organisation=organisation,
        event=Event.MENTOR_LEFT,
        items=(
            {**_enrolment_data(enrolment), "left_on": _day(enrolment.status_changed_on)}
            for enrolment in enrolments
        ),
    )


def enrolment_status_changed(organisation, enrolment, *, previous):
    """Announce a mentor who left the program (status now "left") or came back to it."""
    from laurier.programs.models import EnrolmentStatus, MentorEnrolment

    if not isinstance(enrolment, MentorEnrolment) or previous == enrolment.status:
        return []
    if enrolment.status == EnrolmentStatus.LEFT:
        return mentor_left(organisation, [enrolment])
    if previous == EnrolmentStatus.LEFT:
        return mentor_joined(organisation, [enrolment])
    return []


def enrolment_moves(model, updated):
    """{"left": [...], "back": [...]}: the mentor enrolments among `updated` (changed, not
    yet saved) that now leave their program, or come back to it. Read before the batch is
    written, to compare with the status stored: one query."""
    from laurier.programs.models import EnrolmentStatus, MentorEnrolment

    moves = {"left": [], "back": []}
    if model is not MentorEnrolment or not updated:
        return moves
    stored = dict(model.objects.filter(pk__in=[e.pk for e in updated]).values_list("pk", "status"))
    for enrolment in updated:
        was_left = stored.get(enrolment.pk) == EnrolmentStatus.LEFT
        if enrolment.status == EnrolmentStatus.LEFT and not was_left:
            moves["left"].append(enrolment)
        elif was_left and enrolment.status != EnrolmentStatus.LEFT:
            moves["back"].append(enrolment)
    return moves


def imported_enrolments(model, created, moves):
    """Announce an import batch's new mentors (not those imported as having left already),
    and the `moves` of `enrolment_moves`. One query for the organisation, when any."""
    from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Program

    if model is not MentorEnrolment:
        return []
    joined = [e for e in created if e.status != EnrolmentStatus.LEFT] + moves["back"]
    left = moves["left"]
    program_ids = {enrolment.program_id for enrolment in [*joined, *left]}
    if not program_ids:
        return []
    organisation_of = dict(
        Program.objects.filter(pk__in=program_ids).values_list("pk", "organisation_id")
    )
    announced = []
    # One import is one organisation's: this loop runs once.
    for organisation_id in set(organisation_of.values()):
        ours = {pk for pk, owner in organisation_of.items() if owner == organisation_id}
        announced += mentor_joined(organisation_id, [e for e in joined if e.program_id in ours])
        announced += mentor_left(organisation_id, [e for e in left if e.program_id in ours])
    return announced


# --- Managing endpoints -------------------------------------------------------------------

ENDPOINT_FIELDS = ("url", "description", "events", "is_active")


def allows_private_addresses():
    """Whether endpoints may be plain http:// and on this machine's network (development)."""
    return settings.DEBUG or settings.WEBHOOK_PRIVATE_ADDRESSES


def check_endpoint_url(url):
    """Refuse an address Laurier must not post to: anything but https, or a host of the
    server's own network, outside development. The outbox checks again when it posts (a
    name's address can change)."""
    parts = urllib.parse.urlsplit(url)
    if allows_private_addresses():
        if parts.scheme not in ("http", "https"):
            raise ValidationError({"url": _("Enter an address starting with https://.")})
        return
    if parts.scheme != "https":
        raise ValidationError({"url": _("Enter an address starting with https://.")})
    host = (parts.hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost") or _is_internal_ip(host):
        raise ValidationError(
            {"url": _("Enter a public address: Laurier cannot post inside its own network.")}
        )


def _is_internal_ip(host):
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def _check_events(events):
    events = [str(event) for event in events]
    unknown = set(events) - set(Event.values)
    if unknown:
        raise ValidationError({"events": _("Choose events from the list.")})
    if not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    # In the list's order, whatever the order chosen: the pages and the audit read the same.
    return [event for event in Event.values if event in events]


def _audited_fields(endpoint):
    return {name: value for name, value in snapshot(endpoint).items() if name in ENDPOINT_FIELDS}


def create_endpoint(*, organisation, actor, url, events, description="", is_active=True):
    """Subscribe an address of the organisation to events; it gets a fresh secret."""
    check_endpoint_url(url)
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=url,
        description=description.strip(),
        events=_check_events(events),
        is_active=is_active,
        created_by=actor,
    )
    with transaction.atomic():
        endpoint.full_clean(exclude=["created_by"])
        endpoint.save()
        # The secret stays out of the audit trail: it would let anyone who reads it forge posts.
        record_event(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=endpoint,
            changes=_audited_fields(endpoint),
        )
    return endpoint


def update_endpoint(endpoint, *, actor, **fields):
    """Change an endpoint's address, description, events or whether it is active.

    Turning it off withdraws the deliveries that have not left; those waiting for a retry
    go to the new address, if it changed.
    """
    unknown = set(fields) - set(ENDPOINT_FIELDS)
    if unknown:
        raise ValueError(f"Not an endpoint field: {', '.join(sorted(unknown))}")
    if "url" in fields:
        check_endpoint_url(fields["url"])
    if "events" in fields:
        fields["events"] = _check_events(fields["events"])
    if "description" in fields:
        fields["description"] = fields["description"].strip()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = snapshot(endpoint)
        for name, value in fields.items():
            setattr(endpoint, name, value)
        endpoint.full_clean(exclude=["created_by"])
        endpoint.save(update_fields=list(fields) or None)
        if not endpoint.is_active:
            cancel_pending_deliveries(endpoint)
        record_change(
            organisation=endpoint.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=endpoint,
            before=before,
        )
    return endpoint


def cancel_pending_deliveries(endpoint):
    """Withdraw the endpoint's deliveries that have not left; returns how many."""
    return OutgoingWebhook.objects.filter(
        endpoint=endpoint, status=OutgoingWebhook.Status.PENDING
    ).update(status=OutgoingWebhook.Status.CANCELLED, next_attempt_at=None)


def delete_endpoint(endpoint, *, actor):
    """Remove an endpoint, its delivery log with it: nothing more is sent to it."""
    with transaction.atomic():
        record_event(
            organisation=endpoint.organisation_id,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=endpoint,
            changes=_audited_fields(endpoint),
        )
        endpoint.delete()


def rotate_secret(endpoint, *, actor):
    """Give the endpoint a new secret: the old one no longer signs anything, retries
    included. The receiver must be given the new one."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.secret = new_webhook_secret()
        endpoint.save(update_fields=["secret"])
        # Says that it changed, and when, never what it is.
        record_event(
            organisation=endpoint.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=endpoint,
            changes={"secret": ["whsec_…", "whsec_…"]},
        )
    return endpoint


def send_test_event(endpoint):
    """Queue a `ping` delivery to the endpoint, whatever events it listens to.

    Returns it (tried already by a worker without a queue), or None when a test left less
    than PING_REPEAT_SECONDS ago (a double click). Refused for an endpoint turned off.
    """
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update()
            .select_related("organisation")
            .get(pk=endpoint.pk)
        )
        if not endpoint.is_active:
            raise ValidationError(_("Turn this webhook on first: nothing is sent to it while off."))
        recent = timezone.now() - datetime.timedelta(seconds=PING_REPEAT_SECONDS)
        if endpoint.deliveries.filter(event=PING, created_at__gte=recent).exists():
            return None
        payload = {
            "id": f"evt_{uuid.uuid4().hex}",
            "event": PING,
            "created_at": _timestamp(timezone.now()),
            "organisation": endpoint.organisation.slug,
            "data": {"endpoint_id": endpoint.pk},
        }
        [delivery] = queue_endpoint_deliveries([_delivery(endpoint, PING, payload)])
    delivery.refresh_from_db()
    return delivery


def retry_delivery(delivery):
    """Send a delivery the outbox gave up on again, now; False if it had not failed.
    Refused while its endpoint is off."""
    if not delivery.endpoint.is_active:
        raise ValidationError(_("Turn this webhook on first: nothing is sent to it while off."))
    return retry_webhook(delivery)
