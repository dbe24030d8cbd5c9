"""Writes of thank-you note campaigns: invite the writers, take their notes, moderate, close.

A campaign invites, through personal links that need no account, the mentors' mentees, their
fellow mentors, and people the manager names (executives, the mentees' managers). Its
invitations leave like a survey's: the campaign and its writers are written in one transaction
that also enqueues the task `queue_note_invitations_task`; the task queues each writer's e-mail
in the outbox and marks them invited in the same transaction, so a task run twice invites
nobody twice.

A note waits for the manager, who approves it or sets it aside; only approved notes reach the
mentor (their page, their card). Closing the campaign sends each mentor their approved notes.
"""

import datetime
import re
import zoneinfo
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import default_task_backend

from laurier.core.dates import organisation_today
from laurier.core.link_renewal import (
    fingerprint,
    is_current,
    replace_token,
    withdraw_unsent_emails,
)
from laurier.organisations.audit import acting_user, record_change, record_event
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import queue_email
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing, Person

from ..categories import Giver
from ..models import NOTE_MAX_LENGTH, NoteCampaign, NoteWriter, ThankYouNote, new_note_token

# How long a campaign may stay open: long enough to gather notes, short enough to stay timely.
MAX_OPEN_DAYS = 120
EMAIL_BATCH = 200


# --- Creating --------------------------------------------------------------------------------


def parse_named_writers(text):
    """[(name, email)] from lines "Name <email>", "Name, email" or "email"; ValidationError
    listing every bad line otherwise, so that one mistake shows all the others at once."""
    people, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"(.*?)[\s,;]*<?\s*([^\s<>,;]+@[^\s<>,;]+?)\s*>?", line)
        email = match.group(2) if match else ""
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(number)d: “%(line)s” has no valid e-mail address.")
                % {"number": number, "line": line[:80]}
            )
            continue
        name = match.group(1).strip(" ,;\"'") or email.split("@")[0]
        people.append((name[:200], email.lower()))
    if errors:
        raise ValidationError(errors)
    return people


def _targets(program, mentor):
    """The Person ids a campaign thanks: one mentor, or every active mentor of the program."""
    if mentor is not None:
        return [mentor.pk]
    return list(
        MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def _program_writers(program, targets, *, mentees, peers):
    """[(person, relation)] of the program's people invited to write: the targets' mentees in
    active pairings and the program's other active mentors."""
    invited = []
    if mentees:
        mentee_ids = Pairing.objects.filter(
            program=program, mentor_id__in=targets, status=Pairing.Status.ACTIVE
        ).values("mentee_id")
        invited += [(person, Giver.MENTEE) for person in Person.objects.filter(pk__in=mentee_ids)]
    if peers:
        mentors = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
        if len(targets) == 1:
            mentors = mentors.exclude(person_id=targets[0])
        people = Person.objects.filter(pk__in=mentors.values("person_id"))
        invited += [(person, Giver.PEER) for person in people]
    return invited


def create_note_campaign(
    *,
    program,
    actor,
    closes_on,
    mentor=None,
    message="",
    mentees=True,
    peers=False,
    executives=(),
    mentee_managers=(),
    named_language="",
    form_token="",
    today=None,
):
    """Invite people to write thank-you notes to `mentor`, or to every active mentor of
    `program`; returns (campaign, created).

    Writers: the mentors' mentees (`mentees`), the program's other mentors (`peers`), and the
    people named in `executives` and `mentee_managers` ([(name, email)], e.g. from
    `parse_named_writers`), written to in `named_language` (the organisation's by default)
    unless Laurier knows them. A person invited twice is invited once, as the first relation
    found.
    Refused (ValidationError by field) for a mentor who is not active in the program, a last
    day in the past or more than MAX_OPEN_DAYS ahead, or nobody to invite. A second submit of
    the same form (`form_token`) returns the first campaign with created=False.
    """
    if form_token and (earlier := _created_with(program, form_token)):
        return earlier, False
    today = today or organisation_today(program.organisation)
    errors = {}
    if (
        mentor is not None
        and not MentorEnrolment.objects.filter(
            program=program, person=mentor, status=EnrolmentStatus.ACTIVE
        ).exists()
    ):
        errors["mentor"] = _("Choose an active mentor of this program.")
    if closes_on < today:
        errors["closes_on"] = _("Choose a last day from today on.")
    elif (closes_on - today).days > MAX_OPEN_DAYS:
        errors["closes_on"] = _(
            "Notes are best gathered while the moment is fresh: choose a last day within "
            "%(days)d days."
        ) % {"days": MAX_OPEN_DAYS}
    if named_language and named_language not in dict(settings.LANGUAGES):
        errors["named_language"] = _("Choose French or English.")
    if len(message or "") > 2000:
        errors["message"] = _("Keep your message to 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    targets = _targets(program, mentor)
    writers = _writers(
        program,
        targets,
        mentees=mentees,
        peers=peers,
        named_language=named_language,
        named=[
            *((p, Giver.EXECUTIVE) for p in executives),
            *((p, Giver.MENTEE_MANAGER) for p in mentee_managers),
        ],
    )
    if not targets or not writers:
        raise ValidationError(
            {"mentees": _("Nobody would be invited to write: choose who writes.")},
            code="nobody",
        )
    try:
        with transaction.atomic():
            campaign = NoteCampaign.objects.create(
                organisation=program.organisation,
                program=program,
                mentor=mentor,
                message=(message or "").strip(),
                closes_on=closes_on,
                created_by=acting_user(actor),
                request_key=form_token or "",
            )
            NoteWriter.objects.bulk_create(
                (NoteWriter(campaign=campaign, **writer) for writer in writers), batch_size=1000
            )
            record_change(
                organisation=program.organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=campaign,
            )
            _enqueue_tasks(campaign)
    except IntegrityError:
        earlier = _created_with(program, form_token) if form_token else None
        if earlier is None:
            raise
        return earlier, False
    return campaign, True


def _enqueue_tasks(campaign):
    from ..tasks import close_note_campaign_task, queue_note_invitations_task

    queue_note_invitations_task.enqueue(campaign.pk)
    if default_task_backend.supports_defer:
        # Five minutes into the day after the last one, where the organisation is.
        zone = zoneinfo.ZoneInfo(campaign.organisation.time_zone)
        end = datetime.datetime.combine(
            campaign.closes_on + datetime.timedelta(days=1), datetime.time(0, 5), tzinfo=zone
        )
        close_note_campaign_task.using(run_after=end).enqueue(campaign.pk)


def _created_with(program, form_token):
    return NoteCampaign.objects.filter(program=program, request_key=form_token).first()


def _writers(program, targets, *, mentees, peers, named, named_language=""):
    """The writers' fields, one per e-mail address, the program's people first."""
    by_email = {}
    for person, relation in _program_writers(program, targets, mentees=mentees, peers=peers):
        by_email.setdefault(
            person.email.lower(),
            {
                "person": person,
                "name": person.full_name,
                "email": person.email,
                "language": person.language,
                "relation": relation,
            },
        )
    emails = [email for (_name, email), _relation in named]
    known = {
        person.email.lower(): person
        for person in Person.objects.filter(organisation=program.organisation, email__in=emails)
    }
    for (name, email), relation in named:
        person = known.get(email)
        by_email.setdefault(
            email,
            {
                "person": person,
                "name": person.full_name if person else name,
                "email": email,
                "language": person.language
                if person
                else named_language or program.organisation.language,
                "relation": relation,
            },
        )
    return list(by_email.values())


# --- Invitations -----------------------------------------------------------------------------


def writer_link(writer):
    """The absolute personal link at which a writer writes, without an account."""
    return settings.SITE_URL.rstrip("/") + reverse("notes_public:write", args=[writer.token])


def invitation_reason(writer):
    return f"note-invitation:{writer.pk}"


def campaign_topic(campaign):
    return f"note-campaign:{campaign.pk}"


def invitation_email(writer, campaign, *, new_link=False):
    """(subject, text, HTML) of a writer's invitation, in their language; `new_link` says the
    link replaces the one sent before."""
    organisation = campaign.organisation
    with translation.override(writer.language), timezone.override(organisation.time_zone):
        mentor = campaign.mentor
        context = {
            "writer": writer,
            "campaign": campaign,
            "organisation": organisation,
            "program": campaign.program,
            "mentor": mentor,
            "asker": _asker(campaign),
            "link": writer_link(writer),
            "language": writer.language,
            "limit": NOTE_MAX_LENGTH,
            "new_link": new_link,
        }
        if mentor is not None:
            subject = _("%(organisation)s: a word of thanks for %(mentor)s?") % {
                "organisation": organisation.name,
                "mentor": mentor.full_name,
            }
        else:
            subject = _("%(organisation)s: a word of thanks for the mentors of %(program)s?") % {
                "organisation": organisation.name,
                "program": campaign.program.name,
            }
        text = render_to_string("recognition/email/note_invitation.txt", context)
        html = render_to_string("recognition/email/note_invitation.html", context)
    return subject, text, html


def _asker(campaign):
    user = campaign.created_by
    return (user.get_full_name() or user.email) if user else ""


def queue_note_invitations(campaign):
    """Queue the invitation of every writer not invited yet; returns how many were queued.

    Safe to run twice or in two workers: each batch locks its writers, queues their e-mails
    and marks them invited in one transaction, and skips a reason already in the outbox.
    """
    campaign = NoteCampaign.objects.select_related(
        "organisation", "program", "mentor", "created_by"
    ).get(pk=campaign.pk)
    if not campaign.is_open:
        return 0
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                NoteWriter.objects.select_for_update()
                .filter(campaign=campaign, invited_at__isnull=True)
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return queued
            done = set(
                OutgoingEmail.objects.filter(
                    organisation=campaign.organisation,
                    reason__in=[invitation_reason(writer) for writer in batch],
                ).values_list("reason", flat=True)
            )
            for writer in batch:
                if invitation_reason(writer) in done:
                    continue
                subject, text, html = invitation_email(writer, campaign)
                queue_email(
                    organisation=campaign.organisation,
                    to=writer.email,
                    subject=subject,
                    text=text,
                    html=html,
                    reason=invitation_reason(writer),
                    topic=campaign_topic(campaign),
                )
                queued += 1
            NoteWriter.objects.filter(pk__in=[writer.pk for writer in batch]).update(
                invited_at=timezone.now()
            )


def send_new_writer_link(writer, *, actor, seen):
    """Replace a writer's personal link and send them the new one; returns (writer, replaced).

    The old address answers like an unknown one at once; the notes they wrote stay theirs.
    `seen` is the fingerprint of the link the manager's page showed: when the link changed
    since (a double submit), nothing happens and `replaced` is False. Their invitation leaves
    again with the new link; their unsent e-mails with the old one are withdrawn. A closed
    campaign refuses (nobody can write any more).
    """
    with transaction.atomic():
        writer = NoteWriter.objects.select_for_update().get(pk=writer.pk)
        if not is_current(writer.token, seen):
            return writer, False
        campaign = NoteCampaign.objects.select_related(
            "organisation", "program", "mentor", "created_by"
        ).get(pk=writer.campaign_id)
        if not campaign.is_open:
            raise ValidationError(closed_message(campaign), code="closed")
        token = new_note_token()
        if not replace_token(NoteWriter, writer, token):
            return writer, False
        writer.token = token
        withdraw_unsent_emails(campaign.organisation, [invitation_reason(writer)])
        # Invited now: the invitations' task, if it has not reached them, leaves them alone.
        writer.invited_at = writer.invited_at or timezone.now()
        NoteWriter.objects.filter(pk=writer.pk).update(invited_at=writer.invited_at)
        subject, text, html = invitation_email(writer, campaign, new_link=True)
        queue_email(
            organisation=campaign.organisation,
            to=writer.email,
            subject=subject,
            text=text,
            html=html,
            reason=f"{invitation_reason(writer)}:link-{fingerprint(token)}",
            topic=campaign_topic(campaign),
        )
        record_event(
            organisation=campaign.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=writer,
            changes={"new_link": True},
        )
    return writer, True


# --- Writing ---------------------------------------------------------------------------------


def mentors_for_writer(writer):
    """The Persons `writer` may write to, by name: a mentee their own mentors among the
    campaign's, a fellow mentor every other one, anyone else every mentor of the campaign."""
    campaign = writer.campaign
    mentors = Person.objects.filter(pk__in=_targets(campaign.program, campaign.mentor))
    if writer.relation == Giver.MENTEE and writer.person_id:
        mentors = mentors.filter(
            pairings_as_mentor__program=campaign.program,
            pairings_as_mentor__mentee_id=writer.person_id,
            pairings_as_mentor__status=Pairing.Status.ACTIVE,
        )
    if writer.person_id:
        mentors = mentors.exclude(pk=writer.person_id)
    return mentors.distinct().order_by("last_name", "first_name", "pk")


def _check_text(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a few words before sending.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _(
                    "Your note is %(length)d characters long: keep it to %(limit)d, so that it "
                    "fits on the card beside the others."
                )
                % {"length": len(text), "limit": NOTE_MAX_LENGTH}
            }
        )
    return text


def write_note(writer, *, mentor, text, signature):
    """Save a writer's note to `mentor`; returns (note, created).

    A writer has one note per mentor: writing again changes it while the manager has not read
    it, and is refused after. Refused too when the campaign is closed, when `mentor` is not one
    the writer may write to, or for an empty or too long note or signature.
    """
    text = _check_text(text)
    signature = (signature or "").strip()
    if not signature:
        raise ValidationError({"signature": _("Sign your note, so the mentor knows who wrote it.")})
    if len(signature) > 200:
        raise ValidationError({"signature": _("Keep your signature to 200 characters.")})
    with transaction.atomic():
        writer = (
            NoteWriter.objects.select_for_update(of=("self",))
            .select_related("campaign__organisation", "campaign__program", "campaign__mentor")
            .get(pk=writer.pk)
        )
        if not writer.campaign.is_open:
            raise ValidationError(closed_message(writer.campaign), code="closed")
        if not mentors_for_writer(writer).filter(pk=mentor.pk).exists():
            raise ValidationError({"mentor": _("Choose one of the mentors listed.")})
        note = ThankYouNote.objects.filter(writer=writer, mentor=mentor).first()
        if note is not None and note.status != ThankYouNote.Status.PENDING:
            raise ValidationError(
                _("The program's team has already read your note: it can no longer change."),
                code="moderated",
            )
        if note is None:
            note = ThankYouNote.objects.create(
                campaign=writer.campaign,
                writer=writer,
                mentor=mentor,
                text=text,
                signature=signature,
            )
            return note, True
        note.text, note.signature = text, signature
        note.save(update_fields=["text", "signature", "updated_at"])
    return note, False


def closed_message(campaign):
    """Why a writer can no longer write, with the day it closed: the last day it was open,
    or the day the manager closed it, if earlier."""
    closed_on = campaign.closes_on
    if campaign.closed_at is not None:
        zone = zoneinfo.ZoneInfo(campaign.organisation.time_zone)
        closed_on = min(closed_on, timezone.localtime(campaign.closed_at, zone).date())
    return _(
        "This invitation to write closed on %(date)s. Thank you all the same for thinking of it."
    ) % {"date": _long_date(closed_on)}


def _long_date(day):
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


# --- Moderating and closing ------------------------------------------------------------------


def moderate_notes(campaign, *, actor, note_ids, approve):
    """Approve the campaign's pending or set-aside notes among `note_ids`, or set them aside;
    returns how many changed. Notes of another campaign are left alone."""
    status = ThankYouNote.Status.APPROVED if approve else ThankYouNote.Status.REJECTED
    with transaction.atomic():
        changed = (
            ThankYouNote.objects.filter(campaign=campaign, pk__in=list(note_ids))
            .exclude(status=status)
            .update(
                status=status,
                moderated_by=acting_user(actor),
                moderated_at=timezone.now(),
                updated_at=timezone.now(),
            )
        )
        if changed:
            record_event(
                organisation=campaign.organisation_id,
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=campaign,
                changes={"notes": changed, "status": status},
            )
    return changed


def close_note_campaign(campaign, *, actor):
    """Close a campaign; a task (`send_campaign_notes`) then sends each mentor their approved
    notes. Closing twice closes once.

    Notes still waiting stay readable by the manager, who may approve them later; they then
    show on the mentor's page and card, without a second e-mail.
    """
    with transaction.atomic():
        campaign = (
            NoteCampaign.objects.select_for_update(of=("self",))
            .select_related("organisation", "program")
            .get(pk=campaign.pk)
        )
        if campaign.closed_at is not None:
            return campaign
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
        record_event(
            organisation=campaign.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=campaign,
            changes={"closed": True},
        )
        from ..tasks import send_campaign_notes_task

        send_campaign_notes_task.enqueue(campaign.pk)
    return campaign


def notes_email(campaign, mentor, notes):
    """(subject, text, HTML) of the e-mail bringing a mentor their notes, in their language."""
    organisation = campaign.organisation
    with translation.override(mentor.language), timezone.override(organisation.time_zone):
        context = {
            "mentor": mentor,
            "notes": notes,
            "organisation": organisation,
            "program": campaign.program,
            "language": mentor.language,
            "link": (
                settings.SITE_URL.rstrip("/")
                + reverse("recognition:my_notes", args=[organisation.slug])
                if mentor.user_id
                else ""
            ),
        }
        subject = ngettext(
            "%(organisation)s: a thank-you note for you, %(first_name)s",
            "%(organisation)s: %(count)d thank-you notes for you, %(first_name)s",
            len(notes),
        ) % {
            "organisation": organisation.name,
            "count": len(notes),
            "first_name": mentor.first_name,
        }
        text = render_to_string("recognition/email/notes_for_mentor.txt", context)
        html = render_to_string("recognition/email/notes_for_mentor.html", context)
    return subject, text, html


MENTORS_PER_BATCH = 200


def send_campaign_notes(campaign):
    """Queue, for each mentor, one e-mail bringing their approved notes of a closed campaign;
    returns how many were queued. The task of `close_note_campaign`, out of its request.

    Every approved note is read in one query, ordered by mentor; each batch of mentors is
    checked against the outbox (reason `notes-for-mentor:<campaign>:<mentor>`) and queued in
    one transaction, so a task run twice sends nobody their notes twice.
    """
    campaign = NoteCampaign.objects.select_related("organisation", "program").get(pk=campaign.pk)
    if campaign.closed_at is None:
        return 0
    notes = (
        campaign.notes.filter(status=ThankYouNote.Status.APPROVED)
        .select_related("mentor")
        .order_by("mentor_id", "created_at", "pk")
    )
    by_mentor = []
    for _mentor_id, group in groupby(notes, key=lambda note: note.mentor_id):
        mentor_notes = list(group)
        by_mentor.append((mentor_notes[0].mentor, mentor_notes))
    queued = 0
    for start in range(0, len(by_mentor), MENTORS_PER_BATCH):
        batch = by_mentor[start : start + MENTORS_PER_BATCH]
        reasons = {mentor.pk: _notes_reason(campaign, mentor) for mentor, _notes in batch}
        with transaction.atomic():
            # The campaign's lock makes a second worker wait, then find the e-mails queued.
            list(NoteCampaign.objects.select_for_update().filter(pk=campaign.pk).values("pk"))
            done = set(
                OutgoingEmail.objects.filter(
                    organisation=campaign.organisation, reason__in=reasons.values()
                ).values_list("reason", flat=True)
            )
            for mentor, mentor_notes in batch:
                if reasons[mentor.pk] in done:
                    continue
                subject, text, html = notes_email(campaign, mentor, mentor_notes)
                queue_email(
                    organisation=campaign.organisation,
                    to=mentor.email,
                    subject=subject,
                    text=text,
                    html=html,
                    reason=reasons[mentor.pk],
                    topic=campaign_topic(campaign),
                )
                queued += 1
    return queued


def _notes_reason(campaign, mentor):
    return f"notes-for-mentor:{campaign.pk}:{mentor.pk}"


def close_due_note_campaigns(today=None, campaigns=None):
    """Close every campaign (of `campaigns`, else all) whose last day has passed; returns how
    many. The daily sweep, and the task each campaign schedules for its end."""
    closed = 0
    due = (campaigns if campaigns is not None else NoteCampaign.objects).filter(
        closed_at__isnull=True
    )
    for campaign in due.select_related("organisation").iterator(chunk_size=200):
        if (today or organisation_today(campaign.organisation)) > campaign.closes_on:
            close_note_campaign(campaign, actor=None)
            closed += 1
    return closed
