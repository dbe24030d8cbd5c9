"""Writes of events: plan one, invite people, take their answers, remind them, take attendance.

Invitations leave like a survey's: the invitations are written in one transaction that also
enqueues `queue_event_invitations_task`, which queues each person's e-mail, with the event's
`.ics` attached, and marks them invited in the same transaction (a task run twice invites
nobody twice). Answers lock the event row, so two people answering "yes" for the last place
at the same moment get one place and one spot on the waiting list; a place given back goes to
the first on the waiting list, who is told by e-mail.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import default_task_backend
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from laurier.core.bilingual import in_reader_language
from laurier.core.link_renewal import (
    fingerprint,
    is_current,
    replace_token,
    withdraw_unsent_emails,
)
from laurier.organisations.audit import acting_user, record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import queue_email
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment

from ..models import PROFESSIONAL_DEVELOPMENT_KINDS, Event, EventInvitation, new_note_token

EMAIL_BATCH = 200
# Bounds that keep a crafted value inside what the database and the calendar can hold.
MAX_CAPACITY = 100_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_TRAINING_HOURS = Decimal("999999.99")
EVENT_FIELDS = (
    "kind",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "mentors_only",
    "training_hours",
    "remind_days_before",
    "option",
)
Answer = EventInvitation.Answer
# A change to these is news for the people invited.
MOVING_FIELDS = ("starts_at", "ends_at", "place", "online_url")


# --- Planning the event ----------------------------------------------------------------------


def _check_event(program, fields):
    errors = {}
    if not (fields.get("name_fr") or "").strip() and not (fields.get("name_en") or "").strip():
        errors["name_fr"] = _("Give the event a name, in French or in English.")
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    zone = zoneinfo.ZoneInfo(program.organisation.time_zone)
    for name in ("starts_at", "ends_at"):
        moment = fields.get(name)
        # The year as the manager typed it, where the organisation is.
        if moment is not None and not FIRST_YEAR <= moment.astimezone(zone).year <= LAST_YEAR:
            errors[name] = date_out_of_range()
    if starts_at and ends_at and ends_at <= starts_at and "ends_at" not in errors:
        errors["ends_at"] = _("The event must end after it starts.")
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Leave the places empty for no limit, or give at least one.")
    elif capacity is not None and capacity > MAX_CAPACITY:
        errors["capacity"] = too_many_places()
    hours = fields.get("training_hours")
    if hours is not None:
        try:
            hours = fields["training_hours"] = Decimal(str(hours))
        except ArithmeticError:
            hours = Decimal("-1")
        if not hours.is_finite() or hours < 0:
            errors["training_hours"] = _("Give zero or more hours.")
        elif hours > MAX_TRAINING_HOURS:
            errors["training_hours"] = _("Give fewer hours.")
        elif hours and fields.get("kind") not in PROFESSIONAL_DEVELOPMENT_KINDS:
            errors["training_hours"] = only_professional_development()
    option = fields.get("option")
    if option is not None and option.organisation_id != program.organisation_id:
        errors["option"] = _("Choose a recognition of the organisation's catalog.")
    if errors:
        raise ValidationError(errors)
    # One name is enough: the other language shows the same words.
    fields["name_fr"] = (fields.get("name_fr") or "").strip() or fields["name_en"].strip()
    fields["name_en"] = (fields.get("name_en") or "").strip() or fields["name_fr"]
    return fields


def date_out_of_range():
    return _("Choose a date between the years %(first)d and %(last)d.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def too_many_places():
    return _("Give at most %(most)s places.") % {
        "most": formats.number_format(MAX_CAPACITY, force_grouping=True)
    }


def only_professional_development():
    return _(
        "Only professional development counts as training: choose a workshop, a "
        "conference, a seminar or a community-of-practice meetup, or leave it empty."
    )


def create_event(*, program, actor, form_token="", **fields):
    """Plan an event of `program`; returns (event, created). Fields: EVENT_FIELDS.

    A second submit of the same form (`form_token`) returns the first event, created=False.
    """
    if form_token and (
        earlier := Event.objects.filter(program=program, request_key=form_token).first()
    ):
        return earlier, False
    fields = _check_event(
        program, {name: fields.get(name) for name in EVENT_FIELDS if name in fields}
    )
    try:
        with transaction.atomic():
            event = Event.objects.create(
                organisation=program.organisation,
                program=program,
                created_by=acting_user(actor),
                request_key=form_token or "",
                **fields,
            )
            record_change(
                organisation=program.organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=event,
            )
    except IntegrityError:
        earlier = Event.objects.filter(program=program, request_key=form_token).first()
        if earlier is None or not form_token:
            raise
        return earlier, False
    return event, True


def edit_event(event, *, actor, **fields):
    """Change an event that is not cancelled; returns it. Fewer places than people already
    coming is refused: nobody loses a place they were given."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of an event: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _refuse_cancelled(event)
        before = snapshot(event)
        merged = {name: getattr(event, name) for name in EVENT_FIELDS} | fields
        merged = _check_event(event.program, merged)
        capacity = merged.get("capacity")
        going = event.invitations.filter(answer=Answer.GOING).count()
        if capacity is not None and capacity < going:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(count)d people are already coming: keep at least %(count)d places."
                    )
                    % {"count": going}
                }
            )
        if (
            merged["mentors_only"]
            and not event.mentors_only
            and event.invitations.exclude(person_id__in=invitable_people(event, "mentors")).exists()
        ):
            raise ValidationError(
                {
                    "mentors_only": _(
                        "People who are not mentors of the program are already invited: the "
                        "event cannot be reserved for mentors any more."
                    )
                }
            )
        moved = [name for name in MOVING_FIELDS if merged[name] != getattr(event, name)]
        for name, value in merged.items():
            setattr(event, name, value)
        event.save()
        if capacity is None or capacity > going:
            _promote_waiting(event)
        # A correction to an event already held (its real times, for the record) is news to
        # nobody: only a change to one still ahead is told.
        if moved and event.starts_at > timezone.now():
            _tell_of_the_change(event)
        record_change(
            organisation=event.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=event,
            before=before,
        )
    return event


def _tell_of_the_change(event):
    """After a change of time or place: everyone invited and not declining will be told, with
    the updated .ics, by a task (`tell_invited`), and reminded again before the new day."""
    event.invitations.update(reminded_at=None)
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
    from ..tasks import tell_invited_task

    # The moment of the change names it: each person is told once of each change.
    tell_invited_task.enqueue(event.pk, "changed", timezone.now().isoformat())
    schedule_reminders(event)


def _refuse_cancelled(event):
    if event.cancelled_at is not None:
        raise ValidationError(_("This event was cancelled: it can no longer change."))


def cancel_event(event, *, actor, reason):
    """Cancel an event; everyone whose invitation went out and who is coming, waiting or has
    not answered will be told, with `reason` (required), by a task (`tell_invited`)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the event is cancelled.")})
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .select_related("organisation", "program")
            .get(pk=event.pk)
        )
        if event.cancelled_at is not None:
            return event
        event.cancelled_at = timezone.now()
        event.sequence += 1
        event.save(update_fields=["cancelled_at", "sequence"])
        record_event(
            organisation=event.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=event,
            changes={"cancelled": reason[:300]},
        )
        from ..tasks import tell_invited_task

        tell_invited_task.enqueue(event.pk, "cancelled", "", reason)
    return event


# --- Inviting --------------------------------------------------------------------------------


def invitable_people(event, audience):
    """The Person ids of an audience: the program's active mentors ("mentors"), active mentees
    ("mentees") or both ("everyone"); an event reserved for mentors invites mentors only."""
    mentors = MentorEnrolment.objects.filter(program=event.program, status=EnrolmentStatus.ACTIVE)
    mentees = MenteeEnrolment.objects.filter(program=event.program, status=EnrolmentStatus.ACTIVE)
    ids = set()
    if audience in ("mentors", "everyone"):
        ids |= set(mentors.values_list("person_id", flat=True))
    if audience in ("mentees", "everyone") and not event.mentors_only:
        ids |= set(mentees.values_list("person_id", flat=True))
    return ids


def invite(event, *, actor, audience="", people=()):
    """Invite an audience ("mentors", "mentees", "everyone") and/or chosen people (Person ids,
    enrolled in the program; mentors only for an event reserved for mentors); returns how many
    new invitations. Someone already invited is not invited twice."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("program").get(pk=event.pk)
        _refuse_cancelled(event)
        if event.starts_at <= timezone.now():
            raise ValidationError(_("This event has begun: it is too late to invite anyone."))
        ids = invitable_people(event, audience) if audience else set()
        chosen = {int(pk) for pk in people}
        if chosen:
            allowed = invitable_people(event, "everyone")
            if chosen - allowed:
                raise ValidationError(
                    {
                        "people": _("Choose mentors of this program.")
                        if event.mentors_only
                        else _("Choose people enrolled in this program.")
                    }
                )
            ids |= chosen
        ids -= set(event.invitations.values_list("person_id", flat=True))
        if not ids and not event.invitations.exists():
            raise ValidationError({"audience": _("Nobody would be invited: choose who to invite.")})
        EventInvitation.objects.bulk_create(
            (EventInvitation(event=event, person_id=pk) for pk in sorted(ids)), batch_size=1000
        )
        if ids:
            record_event(
                organisation=event.organisation_id,
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=event,
                changes={"invited": len(ids)},
            )
            from ..tasks import queue_event_invitations_task

            queue_event_invitations_task.enqueue(event.pk)
            schedule_reminders(event)
    return len(ids)


def rsvp_link(invitation):
    return settings.SITE_URL.rstrip("/") + reverse("events_public:rsvp", args=[invitation.token])


def event_ics(event, language, link=""):
    """The event as an iCalendar file (text), in `language`, for calendars to add."""
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Laurier//Events//FR")
        calendar.add("version", "2.0")
        calendar.add("method", "CANCEL" if event.cancelled_at else "PUBLISH")
        entry = CalendarEvent()
        host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "laurier"
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", timezone.now())
        # Calendars replace an entry by a later sequence of the same UID: a moved or cancelled
        # event updates the one already there.
        entry.add("sequence", event.sequence)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        entry.add("summary", in_reader_language(event, "name"))
        description = in_reader_language(event, "description")
        if link:
            answer = _("Your answer: %(link)s") % {"link": link}
            description = f"{description}\n\n{answer}".strip()
        if description:
            entry.add("description", description)
        if event.place or event.online_url:
            entry.add("location", event.place or event.online_url)
        if event.online_url:
            entry.add("url", event.online_url)
        if event.cancelled_at:
            entry.add("status", "CANCELLED")
        calendar.add_component(entry)
    return calendar.to_ical().decode()


def event_email(invitation, event, kind, extra=None):
    """(subject, text, HTML, attachments) of an event e-mail to one person, in their language:
    `kind` is "invitation", "reminder", "place" (a place freed up for them), "changed" (its
    time or place) or "cancelled". Each carries the event's .ics, which adds, updates or
    removes the calendar entry."""
    person = invitation.person
    organisation = event.organisation
    with translation.override(person.language), timezone.override(organisation.time_zone):
        name = in_reader_language(event, "name")
        link = rsvp_link(invitation)
        context = {
            "kind": kind,
            "event": event,
            "event_name": name,
            "description": in_reader_language(event, "description"),
            "when": _when(event),
            "person": person,
            "invitation": invitation,
            "organisation": organisation,
            "program": event.program,
            "link": link,
            "language": person.language,
            **(extra or {}),
        }
        values = {"organisation": organisation.name, "event": name}
        subject = {
            "invitation": _("%(organisation)s invites you: %(event)s"),
            "reminder": _("Reminder: %(event)s, soon"),
            "place": _("A place is yours: %(event)s"),
            "cancelled": _("Cancelled: %(event)s"),
            "changed": _("Changed: %(event)s"),
        }[kind] % values
        text = render_to_string("recognition/email/event.txt", context)
        html = render_to_string("recognition/email/event.html", context)
        attachments = [
            {
                "filename": "invitation.ics",
                "mimetype": "text/calendar",
                "content": event_ics(event, person.language, link),
            }
        ]
    return subject, text, html, attachments


def _when(event):
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    day = date_format(start, "DATE_FORMAT")
    if start.date() == end.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": day,
            "start": date_format(start, "TIME_FORMAT"),
            "end": date_format(end, "TIME_FORMAT"),
        }
    return _("%(start)s to %(end)s") % {
        "start": date_format(start, "DATETIME_FORMAT"),
        "end": date_format(end, "DATETIME_FORMAT"),
    }


def _reason(invitation, kind, stamp=None):
    """The outbox reason of one e-mail: the same person is never sent the same news twice.
    A reminder is per reminding, a freed place per answer, a change per change."""
    stamp = stamp or {
        "reminder": invitation.reminded_at,
        "place": invitation.answered_at,
    }.get(kind)
    if isinstance(stamp, datetime.datetime):
        stamp = stamp.isoformat()
    suffix = f":{stamp}" if stamp else ""
    return f"event-{kind}:{invitation.pk}{suffix}"


def _queue(invitation, event, kind, extra=None, stamp=None):
    subject, text, html, attachments = event_email(invitation, event, kind, extra)
    queue_email(
        organisation=event.organisation,
        to=invitation.person.email,
        subject=subject,
        text=text,
        html=html,
        reason=_reason(invitation, kind, stamp),
        topic=f"event:{event.pk}",
        attachments=attachments,
    )


def queue_event_invitations(event):
    """Queue the invitation of everyone not invited yet; returns how many were queued. Safe to
    run twice or in two workers: each batch is locked, queued and marked in one transaction."""
    event = Event.objects.select_related("organisation", "program").get(pk=event.pk)
    if event.cancelled_at is not None:
        return 0
    queued = 0
    while True:
        with transaction.atomic():
            # Under the event's lock, as cancel_event takes it: once cancelled, nobody more is
            # invited, and everyone invited before is among those its task tells.
            if _locked_cancelled(event):
                return queued
            batch = list(
                EventInvitation.objects.select_for_update(of=("self",))
                .filter(event=event, invited_at__isnull=True)
                .select_related("person")
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return queued
            done = set(
                OutgoingEmail.objects.filter(
                    organisation=event.organisation,
                    reason__in=[_reason(invitation, "invitation") for invitation in batch],
                ).values_list("reason", flat=True)
            )
            for invitation in batch:
                if _reason(invitation, "invitation") not in done:
                    _queue(invitation, event, "invitation")
                    queued += 1
            EventInvitation.objects.filter(pk__in=[i.pk for i in batch]).update(
                invited_at=timezone.now()
            )


def _locked_cancelled(event):
    return (
        Event.objects.select_for_update()
        .filter(pk=event.pk)
        .values_list("cancelled_at", flat=True)
        .get()
        is not None
    )


def told_of_news(event):
    """The invitations told of a change or a cancellation: those that went out (a person
    whose invitation is still to leave never heard of the event) and that did not say no."""
    return event.invitations.filter(
        invited_at__isnull=False, answer__in=(Answer.GOING, Answer.WAITING, Answer.PENDING)
    ).values("pk")


def tell_invited(event, kind, stamp="", reason=""):
    """Tell of a change ("changed", `stamp` naming the change) or of the cancellation
    ("cancelled", with its `reason`) everyone whose invitation went out and who still counts
    on the event; returns how many e-mails were queued.

    The task of `edit_event` and `cancel_event`, out of their request: batches of EMAIL_BATCH,
    each locked, checked against the outbox and queued in one transaction, so a task run twice
    (or in two workers) tells nobody twice.
    """
    event = Event.objects.select_related("organisation", "program").get(pk=event.pk)
    if kind not in ("changed", "cancelled"):
        raise ValueError(f"Not news to tell: {kind}")
    if kind == "changed" and event.cancelled_at is not None:
        return 0  # The cancellation tells them.
    extra = {"reason": reason} if kind == "cancelled" else None
    queued, after = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                EventInvitation.objects.select_for_update(of=("self",))
                .filter(pk__in=told_of_news(event), pk__gt=after)
                .select_related("person")
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return queued
            reasons = {invitation.pk: _reason(invitation, kind, stamp) for invitation in batch}
            done = set(
                OutgoingEmail.objects.filter(
                    organisation=event.organisation, reason__in=reasons.values()
                ).values_list("reason", flat=True)
            )
            for invitation in batch:
                if reasons[invitation.pk] not in done:
                    _queue(invitation, event, kind, extra, stamp)
                    queued += 1
            after = batch[-1].pk


def send_new_rsvp_link(invitation, *, actor, seen):
    """Replace an invited person's personal link and send them the new one; returns
    (invitation, replaced).

    The old address answers like an unknown one at once; their answer stays. `seen` is the
    fingerprint of the link the manager's page showed: when the link changed since (a double
    submit), nothing happens and `replaced` is False. The invitation leaves again with the new
    link and its calendar file, to the person's address as it is now; their unsent invitation
    and reminders with the old link are withdrawn. Refused once answers are closed (the event
    began or was cancelled).
    """
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .select_related("organisation", "program")
            .get(pk=invitation.event_id)
        )
        invitation = (
            EventInvitation.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=invitation.pk)
        )
        if not is_current(invitation.token, seen):
            return invitation, False
        if closed := answers_closed(event):
            raise ValidationError(closed, code="closed")
        token = new_note_token()
        if not replace_token(EventInvitation, invitation, token):
            return invitation, False
        invitation.token = token
        withdraw_unsent_emails(
            event.organisation,
            [_reason(invitation, "invitation"), f"event-reminder:{invitation.pk}"],
        )
        # Invited now: the invitations' task, if it has not reached them, leaves them alone.
        invitation.invited_at = invitation.invited_at or timezone.now()
        EventInvitation.objects.filter(pk=invitation.pk).update(invited_at=invitation.invited_at)
        _queue(invitation, event, "invitation", {"new_link": True}, f"link-{fingerprint(token)}")
        record_event(
            organisation=event.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=invitation,
            changes={"new_link": True},
        )
    return invitation, True


# --- Answers ---------------------------------------------------------------------------------


# Once the event is over the link has nothing left to do: it still shows the event and what
# the person answered for a week, then expires (it names the person and where they were).
RSVP_LINK_DAYS_AFTER_EVENT = 7


def rsvp_link_expired(event, now=None):
    """True once the event ended more than RSVP_LINK_DAYS_AFTER_EVENT days ago."""
    ends = event.ends_at + datetime.timedelta(days=RSVP_LINK_DAYS_AFTER_EVENT)
    return (now or timezone.now()) >= ends


def answers_closed(event, now=None):
    """Why nobody can answer any more, or "" while they can."""
    if event.cancelled_at is not None:
        return _("This event was cancelled.")
    if event.starts_at <= (now or timezone.now()):
        return _("This event has begun: answers are closed.")
    return ""


def respond(invitation, *, going):
    """Record a person's answer; returns the invitation.

    "Yes" takes a place, or the end of the waiting list when the event is full ("waiting");
    "yes" again keeps the place or the spot. "No" gives a place back, which goes to the first
    on the waiting list, told by e-mail. Refused once the event has begun or was cancelled.
    """
    with transaction.atomic():
        event = (
            Event.objects.select_for_update()
            .select_related("organisation", "program")
            .get(pk=invitation.event_id)
        )
        invitation = (
            EventInvitation.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=invitation.pk)
        )
        if closed := answers_closed(event):
            raise ValidationError(closed, code="closed")
        now = timezone.now()
        if going:
            if invitation.answer in (Answer.GOING, Answer.WAITING):
                return invitation
            if _is_full(event):
                invitation.answer, invitation.waiting_since = Answer.WAITING, now
            else:
                invitation.answer, invitation.waiting_since = Answer.GOING, None
        else:
            if invitation.answer == Answer.DECLINED:
                return invitation
            gave_back = invitation.answer == Answer.GOING
            invitation.answer, invitation.waiting_since = Answer.DECLINED, None
        invitation.answered_at = now
        invitation.save(update_fields=["answer", "waiting_since", "answered_at"])
        if not going and gave_back:
            _promote_waiting(event)
    return invitation


def _is_full(event):
    if event.capacity is None:
        return False
    return event.invitations.filter(answer=Answer.GOING).count() >= event.capacity


def _promote_waiting(event):
    """Give the free places to the waiting list, first come first served, each told by e-mail.
    The caller holds the event's lock."""
    while not _is_full(event):
        first = (
            event.invitations.filter(answer=Answer.WAITING)
            .select_related("person")
            .order_by("waiting_since", "pk")
            .first()
        )
        if first is None:
            return
        first.answer, first.waiting_since, first.answered_at = Answer.GOING, None, timezone.now()
        first.save(update_fields=["answer", "waiting_since", "answered_at"])
        _queue(first, event, "place")


def waiting_position(invitation):
    """1 for the first on the waiting list; None when not waiting."""
    if invitation.answer != Answer.WAITING:
        return None
    ahead = invitation.event.invitations.filter(answer=Answer.WAITING).filter(
        Q(waiting_since__lt=invitation.waiting_since)
        | Q(waiting_since=invitation.waiting_since, pk__lt=invitation.pk)
    )
    return ahead.count() + 1


# --- Reminders and attendance ------------------------------------------------------------------


def remind_due_events(now=None):
    """Remind the people coming to every event whose reminder day has come; returns how many
    people were reminded. Each person is reminded once (stamped in the transaction that queues
    the e-mail). The daily sweep, and the task each event's invitations schedule."""
    now = now or timezone.now()
    events = Event.objects.filter(
        cancelled_at__isnull=True, remind_days_before__isnull=False, starts_at__gt=now
    ).select_related("organisation", "program")
    reminded = 0
    for event in events.iterator(chunk_size=100):
        if reminder_due_at(event) > now:
            continue
        with transaction.atomic():
            invitations = list(
                EventInvitation.objects.select_for_update(of=("self",))
                .filter(event=event, answer=Answer.GOING, reminded_at__isnull=True)
                .select_related("person")
            )
            for invitation in invitations:
                invitation.reminded_at = now
                invitation.save(update_fields=["reminded_at"])
                _queue(invitation, event, "reminder")
            reminded += len(invitations)
    return reminded


def reminder_due_at(event):
    """From when an event's reminder leaves: the start of the day `remind_days_before` days
    before it, where the organisation is (0: the morning of the event)."""
    zone = zoneinfo.ZoneInfo(event.organisation.time_zone)
    day = timezone.localtime(event.starts_at, zone).date()
    day -= datetime.timedelta(days=event.remind_days_before)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)


def take_attendance(event, *, actor, attended_ids):
    """Record who came, among the people invited: those in `attended_ids` came, the others who
    said yes did not. Refused before the event begins. Returns how many came.

    A professional-development event's attendance counts as training hours for each person who
    came (`selectors.events.training_attended`)."""
    attended_ids = {int(pk) for pk in attended_ids}
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _refuse_cancelled(event)
        if event.starts_at > timezone.now():
            raise ValidationError(_("Attendance is taken once the event has begun."))
        invitations = event.invitations.all()
        unknown = attended_ids - set(invitations.values_list("pk", flat=True))
        if unknown:
            raise ValidationError(_("Choose among the people invited."))
        invitations.filter(pk__in=attended_ids).update(attended=True)
        invitations.exclude(pk__in=attended_ids).filter(
            answer__in=(Answer.GOING, Answer.WAITING)
        ).update(attended=False)
        invitations.exclude(pk__in=attended_ids).exclude(
            answer__in=(Answer.GOING, Answer.WAITING)
        ).update(attended=None)
        record_event(
            organisation=event.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=event,
            changes={"attended": len(attended_ids)},
        )
    return len(attended_ids)


def schedule_reminders(event):
    """Wake the worker on the event's reminder day, where the backend can wait until then."""
    if event.remind_days_before is None or not default_task_backend.supports_defer:
        return
    from ..tasks import remind_events_task

    remind_events_task.using(run_after=max(reminder_due_at(event), timezone.now())).enqueue()
