"""Writes of survey campaigns: launch, invitations, reminders, closing.

How the invitations leave. `launch_campaign` writes the campaign and its recipients in one
transaction and, in that same transaction, enqueues the task `queue_campaign_invitations`; the
task renders and queues each person's e-mail in the outbox. We chose this over queuing the
e-mails inside the launch request because a program may have 10,000 mentors: rendering and
writing 10,000 e-mails (and their delivery tasks) would hold the manager's request, and a
database lock, for many seconds, while the launch itself needs a bounded number of bulk
queries. Nothing is lost this way: with the database task backend the task row commits or rolls
back with the campaign, and the task is idempotent (a recipient is invited once: `invited_at`
is set in the transaction that queues the e-mail, and the outbox's `reason` is checked too), so
a retried or doubled task never sends anyone a second invitation.
"""

import datetime
import math
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend

from laurier.core.link_renewal import (
    fingerprint,
    is_current,
    replace_token,
    withdraw_unsent_emails,
)
from laurier.organisations.audit import record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import queue_email, retry_failed_emails

from ..models import Campaign, Question, Recipient, Survey, new_token
from ..selectors.campaigns import audience_person_ids, enrolled_among, remindable_condition
from .editing import copy_survey

# E-mails queued per transaction by the tasks: small enough to keep locks short.
EMAIL_BATCH = 200
# Surveys about the mentors themselves: sent to mentors only.
MENTOR_ONLY_PURPOSES = (Survey.Purpose.PROFILE, Survey.Purpose.PULSE)
RECIPIENT_BATCH = 1000
# The launch form's field confirming a second pulse in a cycle; its error is a warning.
SPLIT_PULSE_FIELD = "launch_anyway"


def invitation_reason(recipient):
    return f"survey-invitation:{recipient.pk}"


def campaign_topic(campaign_id):
    """The outbox topic of a campaign's e-mails: its page reports their delivery."""
    return f"campaign:{campaign_id}"


def reminder_reason(recipient):
    return f"survey-reminder:{recipient.pk}:{recipient.reminders_sent}"


def answer_link(recipient):
    """The absolute personal link at which a recipient answers, without an account."""
    return settings.SITE_URL.rstrip("/") + reverse("survey_links:answer", args=[recipient.token])


def launch_campaign(
    *,
    program,
    survey,
    name,
    closes_at,
    audience,
    actor,
    cycle=None,
    people=(),
    remind_after_days=None,
    launch_key="",
    split_pulse_confirmed=False,
):
    """Send a survey to a program's people; returns (campaign, created).

    Freezes a copy of the survey, writes the campaign and one recipient per person (bulk),
    audits it and enqueues the invitations (see the module's docstring). `people` are person
    ids, used when the audience is "chosen"; they must be enrolled in the program. Profile and
    pulse surveys go to mentors only, and an anonymous survey to at least the organisation's
    anonymity threshold of people. `launch_key` is the launch form's one-time token: a second
    launch with the same key returns the first campaign with created=False, so a double submit
    never sends a survey twice.

    A second pulse in a cycle that already has one (open or closed) is refused with the
    SPLIT_PULSE_FIELD error unless `split_pulse_confirmed`: the manager must launch it knowingly.
    """
    # First: a form sent again days later opens its campaign, even if its date has passed.
    if launch_key and (earlier := _launched_with(program, launch_key)):
        return earlier, False
    now = timezone.now()
    name = name.strip()
    errors = {}
    if survey.organisation_id != program.organisation_id or survey.frozen:
        errors["survey"] = _("Choose one of the organisation's surveys.")
    elif not survey.questions.exists():
        errors["survey"] = _("This survey has no question yet: add some before sending it.")
    if cycle is not None and cycle.program_id != program.pk:
        errors["cycle"] = _("Choose a cycle of this program.")
    if closes_at <= now:
        errors["closes_on"] = _("Choose a closing date in the future.")
    if remind_after_days is not None and (
        remind_after_days < 1 or now + datetime.timedelta(days=remind_after_days) >= closes_at
    ):
        errors["remind_after_days"] = _(
            "The reminder must leave at least one day after the launch and before the closing date."
        )
    mentors_only = survey.purpose in MENTOR_ONLY_PURPOSES
    if audience not in Campaign.Audience.values:
        errors["audience"] = _("Choose who receives the survey.")
    elif mentors_only and audience == Campaign.Audience.MENTEES:
        errors["audience"] = _(
            "A profile or engagement pulse survey is about mentors: send it to mentors only."
        )
    if errors:
        raise ValidationError(errors)
    if not split_pulse_confirmed and (earlier := _earlier_pulse(program, survey, cycle)):
        raise ValidationError(
            {SPLIT_PULSE_FIELD: split_pulse_warning(program, earlier)}, code="split_pulse"
        )
    person_ids = _recipient_ids(program, survey, audience, people, mentors_only=mentors_only)
    with transaction.atomic():
        try:
            # A savepoint: the same form sent twice at the same moment collides on the
            # (program, launch_key) constraint, and the second one returns the first campaign.
            with transaction.atomic():
                campaign = Campaign.objects.create(
                    organisation=program.organisation,
                    program=program,
                    cycle=cycle,
                    survey=copy_survey(survey, frozen=True),
                    name=name,
                    audience=audience,
                    closes_at=closes_at,
                    remind_after_days=remind_after_days,
                    created_by=actor,
                    launch_key=launch_key,
                )
        except IntegrityError:
            earlier = _launched_with(program, launch_key) if launch_key else None
            if earlier is None:
                raise
            return earlier, False
        Recipient.objects.bulk_create(
            (Recipient(campaign=campaign, person_id=person_id) for person_id in person_ids),
            batch_size=RECIPIENT_BATCH,
        )
        record_change(
            organisation=program.organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=campaign,
        )
        from ..tasks import queue_campaign_invitations, send_campaign_reminders

        queue_campaign_invitations.enqueue(campaign.pk)
        if remind_after_days and default_task_backend.supports_defer:
            send_campaign_reminders.using(
                run_after=campaign.created_at + datetime.timedelta(days=remind_after_days)
            ).enqueue(campaign.pk)
    return campaign, True


def _earlier_pulse(program, survey, cycle):
    """The first engagement pulse `cycle` received in this program, if sending `survey` adds one."""
    if cycle is None or survey.purpose != Survey.Purpose.PULSE:
        return None
    return (
        Campaign.objects.filter(program=program, cycle=cycle, survey__purpose=Survey.Purpose.PULSE)
        .order_by("created_at", "pk")
        .first()
    )


def splits_a_pulse(program, survey, cycle):
    """Whether sending `survey` would give `cycle` a second engagement pulse in this program."""
    return _earlier_pulse(program, survey, cycle) is not None


def split_pulse_warning(program, earlier=None):
    """The warning before a second pulse, in words a manager acts on: what happens and why.

    The box it is shown in has a "Send anyway" checkbox next to the "Send the survey" button.
    """
    values = {"threshold": program.organisation.anonymity_threshold}
    if earlier is None:
        return (
            _(
                "This cycle already received the engagement pulse. Results only show when "
                "%(threshold)d mentors answer the same pulse: a second one splits the answers and "
                "may hide the results of both. Tick “Send anyway” to send it all the same."
            )
            % values
        )
    zone = zoneinfo.ZoneInfo(program.organisation.time_zone)
    sent_on = timezone.localtime(earlier.created_at, zone)
    return _(
        "This cycle already received the engagement pulse on %(date)s. Results only show when "
        "%(threshold)d mentors answer the same pulse: a second one splits the answers and may "
        "hide the results of both. Tick “Send anyway” to send it all the same."
    ) % {**values, "date": date_format(sent_on.date(), "DATE_FORMAT")}


def _launched_with(program, launch_key):
    return Campaign.objects.filter(program=program, launch_key=launch_key).first()


def _recipient_ids(program, survey, audience, people, *, mentors_only):
    """The ids of the people a launch goes to, checked against the launch rules."""
    if audience == Campaign.Audience.CHOSEN:
        person_ids = sorted({int(pk) for pk in people})
        enrolled = enrolled_among(program, person_ids, mentors_only=mentors_only)
        if len(enrolled) < len(person_ids):
            message = (
                _(
                    "A profile or engagement pulse survey goes to mentors only: choose mentors of "
                    "this program."
                )
                if mentors_only
                else _("Choose people enrolled in this program.")
            )
            raise ValidationError({"people": message}, code="not_enrolled")
    else:
        person_ids = audience_person_ids(program, audience)
    if not person_ids:
        raise ValidationError(
            {"audience": _("Nobody would receive this survey: choose other people.")},
            code="nobody",
        )
    threshold = program.organisation.anonymity_threshold
    if survey.results_are_anonymous and len(person_ids) < threshold:
        raise ValidationError(
            {
                "audience": _(
                    "An anonymous survey must go to at least %(threshold)d people, so that no "
                    "one's answers can be recognised; this one would go to %(count)d."
                )
                % {"threshold": threshold, "count": len(person_ids)}
            },
            code="too_few_for_anonymity",
        )
    return person_ids


def _email_context(campaign):
    """What every e-mail of a campaign shares, read once for all its recipients."""
    survey = campaign.survey
    asker = campaign.created_by
    return {
        "campaign": campaign,
        "survey": survey,
        "organisation": campaign.organisation,
        "program_name": campaign.program.name if campaign.program else "",
        "asker": (asker.get_full_name() or asker.email) if asker else "",
        **_length_of(survey),
    }


# How long people take, roughly, to answer a question: a click for a choice or a scale, a
# minute to write a few words.
SECONDS_PER_QUICK_QUESTION = 20
SECONDS_PER_TEXT_QUESTION = 60


def _length_of(survey):
    """{question_count, minutes}: the survey's questions and the whole minutes they take."""
    counts = survey.questions.aggregate(
        total=Count("pk"), texts=Count("pk", filter=Q(kind__in=Question.TEXT_KINDS))
    )
    seconds = (
        counts["texts"] * SECONDS_PER_TEXT_QUESTION
        + (counts["total"] - counts["texts"]) * SECONDS_PER_QUICK_QUESTION
    )
    return {"question_count": counts["total"], "minutes": max(1, math.ceil(seconds / 60))}


def campaign_email(recipient, shared, *, reminder=False, new_link=False):
    """A recipient's invitation or reminder (subject, text, HTML), in the person's language and
    the organisation's time zone; `new_link` says the link replaces the one sent before."""
    person = recipient.person
    organisation = shared["organisation"]
    with translation.override(person.language), timezone.override(organisation.time_zone):
        context = {
            **shared,
            "person": person,
            "language": person.language,
            "reminder": reminder,
            "new_link": new_link,
            # Read in the person's language. The survey's introduction is left to the survey's
            # first page: it often says how long the survey takes and that it is anonymous,
            # which the e-mail already says once.
            "title": shared["survey"].title,
            # What this request is about, when the campaign asks about several things.
            "about": recipient.about,
            # Computed here, inside the organisation's time zone.
            "last_day": shared["campaign"].last_day,
            "link": answer_link(recipient),
            "my_surveys_link": (
                settings.SITE_URL.rstrip("/")
                + reverse("surveys:my_surveys", args=[organisation.slug])
                if person.user_id
                else ""
            ),
        }
        values = {
            "organisation": organisation.name,
            "program": shared["program_name"],
            "survey": context["title"],
        }
        # Short enough to read whole in an inbox (about 80 characters for usual names), with
        # one colon: the organisation first, so people see who asks.
        if shared["survey"].purpose == Survey.Purpose.FEEDBACK and not reminder:
            subject = gettext("%(organisation)s: what did you think of your recognition?")
        elif reminder and values["program"]:
            subject = gettext(
                "%(organisation)s: we still await your view on the %(program)s program"
            )
        elif reminder:
            subject = gettext("%(organisation)s: we still await your view in “%(survey)s”")
        elif values["program"]:
            subject = gettext("%(organisation)s: your view on the %(program)s program")
        else:
            subject = gettext("%(organisation)s: your view in “%(survey)s”")
        subject = subject % values
        text = render_to_string("surveys/email/campaign.txt", context)
        html = render_to_string("surveys/email/campaign.html", context)
    return subject, text, html


def _queue(recipient, shared, reason, *, reminder, new_link=False):
    subject, text, html = campaign_email(recipient, shared, reminder=reminder, new_link=new_link)
    queue_email(
        organisation=shared["organisation"],
        to=recipient.person.email,
        subject=subject,
        text=text,
        html=html,
        reason=reason,
        topic=campaign_topic(shared["campaign"].pk),
    )


def _already_queued(organisation, reasons):
    return set(
        OutgoingEmail.objects.filter(organisation=organisation, reason__in=reasons).values_list(
            "reason", flat=True
        )
    )


def queue_invitations(campaign):
    """Queue the invitation of every recipient not invited yet; returns how many were queued.

    Safe to run twice, or in two workers at once: each batch locks its recipients, queues their
    e-mails and marks them invited in one transaction, and skips a reason already in the outbox.
    A closed campaign invites nobody.
    """
    campaign = Campaign.objects.select_related(
        "survey", "organisation", "program", "created_by"
    ).get(pk=campaign.pk)
    if not campaign.is_open:
        return 0
    shared = _email_context(campaign)
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                Recipient.objects.select_for_update(of=("self",))
                .filter(campaign=campaign, invited_at__isnull=True)
                .select_related("person")
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return queued
            done = _already_queued(campaign.organisation, [invitation_reason(r) for r in batch])
            for recipient in batch:
                if invitation_reason(recipient) not in done:
                    _queue(recipient, shared, invitation_reason(recipient), reminder=False)
                    queued += 1
            Recipient.objects.filter(pk__in=[r.pk for r in batch]).update(invited_at=timezone.now())


def remind_non_respondents(campaign, *, actor=None):
    """Enqueue a reminder to everyone invited who has not answered, except people reminded in
    the last 24 hours; returns how many people it reminds, and audits it on the campaign.

    The task `queue_reminders` stamps each person as it queues their e-mail, so a double submit
    (two tasks) reminds nobody twice: the second finds everyone stamped a moment ago. A closed
    campaign refuses.
    """
    from ..tasks import queue_campaign_reminders

    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign.is_open:
            raise ValidationError(
                _("This campaign is closed: nobody can be reminded."), code="closed"
            )
        reminded = Recipient.objects.filter(remindable_condition(now), campaign=campaign).count()
        if reminded:
            _audit_reminder(campaign, actor, reminded)
            queue_campaign_reminders.enqueue(campaign.pk)
    return reminded


def _audit_reminder(campaign, actor, count):
    # record_change() records field changes; a reminder changes no field of the campaign, so
    # its event says what was done, like the import's summary event.
    record_event(
        organisation=campaign.organisation_id,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=campaign,
        changes={"reminder_sent_to": count},
    )


def queue_reminders(campaign):
    """Queue the reminder e-mail of everyone remindable now; returns how many were queued.

    Each batch locks its recipients, queues their e-mails and stamps them (`reminded_at`,
    `reminders_sent`) in one transaction; the next batch selects by those stamps, so the loop
    ends, and a second run, or a second task, finds nobody left to remind. People who answered
    meanwhile, and everyone once the campaign closed, are left alone.
    """
    campaign = Campaign.objects.select_related(
        "survey", "organisation", "program", "created_by"
    ).get(pk=campaign.pk)
    if not campaign.is_open:
        return 0
    shared = _email_context(campaign)
    now = timezone.now()
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                Recipient.objects.select_for_update(of=("self",))
                .filter(remindable_condition(now), campaign=campaign)
                .select_related("person")
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return queued
            for recipient in batch:
                recipient.reminders_sent += 1
                _queue(recipient, shared, reminder_reason(recipient), reminder=True)
                queued += 1
            Recipient.objects.filter(pk__in=[r.pk for r in batch]).update(
                reminded_at=now, reminders_sent=F("reminders_sent") + 1
            )


def send_new_link(recipient, *, actor, seen):
    """Replace a recipient's personal link and send them the new one; returns (recipient,
    replaced).

    The old address answers like an unknown one at once; their answers stay. `seen` is the
    fingerprint of the link the manager's page showed: when the link changed since (a double
    submit), nothing happens and `replaced` is False. The invitation e-mail leaves with the new
    link, to the person's address as it is now; their unsent e-mails with the old link are
    withdrawn. A closed campaign refuses (its links no longer open the survey).
    """
    with transaction.atomic():
        recipient = (
            Recipient.objects.select_for_update(of=("self",))
            .select_related("person", "campaign")
            .get(pk=recipient.pk)
        )
        if not is_current(recipient.token, seen):
            return recipient, False
        campaign = Campaign.objects.select_related(
            "survey", "organisation", "program", "created_by"
        ).get(pk=recipient.campaign_id)
        if not campaign.is_open:
            raise ValidationError(
                _("This campaign is closed: its links no longer open the survey."),
                code="closed",
            )
        token = new_token()
        if not replace_token(Recipient, recipient, token):
            return recipient, False
        recipient.token = token
        withdraw_unsent_emails(
            campaign.organisation, [invitation_reason(recipient), _reminders_of(recipient)]
        )
        # Invited now: the invitations' task, if it has not reached them, leaves them alone.
        recipient.invited_at = recipient.invited_at or timezone.now()
        Recipient.objects.filter(pk=recipient.pk).update(invited_at=recipient.invited_at)
        _queue(
            recipient,
            _email_context(campaign),
            f"{invitation_reason(recipient)}:link-{fingerprint(token)}",
            reminder=False,
            new_link=True,
        )
        record_event(
            organisation=campaign.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=recipient,
            changes={"new_link": True},
        )
    return recipient, True


def _reminders_of(recipient):
    return f"survey-reminder:{recipient.pk}"


def send_failed_emails_again(campaign, *, actor):
    """Send again the campaign's e-mails the outbox gave up on; returns how many.

    They keep their text: the personal link in each stays valid until the campaign closes, so
    nobody needs a new one. A closed campaign refuses (its links no longer open the survey).
    Safe to repeat: only given-up e-mails move (see `retry_failed_emails`).
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign.is_open:
            raise ValidationError(
                _("This campaign is closed: its e-mails can no longer be sent."), code="closed"
            )
        _withdraw_failed_emails_of_respondents(campaign)
        count = retry_failed_emails(
            organisation=campaign.organisation, topic=campaign_topic(campaign.pk)
        )
        if count:
            record_event(
                organisation=campaign.organisation_id,
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                instance=campaign,
                changes={"emails_sent_again": count},
            )
    return count


def _recipient_of_reason(reason):
    """The recipient id in "survey-invitation:<id>" or "survey-reminder:<id>:<n>", else None."""
    parts = reason.split(":")
    if len(parts) >= 2 and parts[0] in ("survey-invitation", "survey-reminder"):
        return int(parts[1]) if parts[1].isdigit() else None
    return None


def _withdraw_failed_emails_of_respondents(campaign):
    """Someone who has answered since their e-mail failed needs it no more: withdraw it."""
    failed = OutgoingEmail.objects.filter(
        organisation_id=campaign.organisation_id,
        topic=campaign_topic(campaign.pk),
        status=OutgoingEmail.Status.FAILED,
    ).values_list("pk", "reason")
    recipients = {pk: _recipient_of_reason(reason) for pk, reason in failed}
    answered = set(
        Recipient.objects.filter(
            campaign=campaign, pk__in=set(recipients.values()) - {None}, responded_at__isnull=False
        ).values_list("pk", flat=True)
    )
    withdrawn = [pk for pk, recipient in recipients.items() if recipient in answered]
    if withdrawn:
        OutgoingEmail.objects.filter(pk__in=withdrawn).update(status=OutgoingEmail.Status.CANCELLED)


def send_automatic_reminders(campaign_id):
    """The reminder a campaign asked for after N days: nothing once closed, and nobody reminded
    in the last 24 hours is reminded again."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or not campaign.is_open:
        return 0
    try:
        return remind_non_respondents(campaign)
    except ValidationError:
        # Closed between the look-up and the lock: nothing to do.
        return 0


def close_campaign(campaign, *, actor):
    """Close a campaign now: answers can no longer change. Closing twice changes nothing.

    The closing date becomes now, so that lists and the audit trail show when it really closed.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.closed_at is not None:
            return campaign
        before = snapshot(campaign)
        now = timezone.now()
        campaign.closed_at = now
        campaign.closes_at = min(campaign.closes_at, now)
        campaign.save(update_fields=["closed_at", "closes_at"])
        record_change(
            organisation=campaign.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=campaign,
            before=before,
        )
    return campaign
