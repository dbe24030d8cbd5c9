"""Writes of awards: add one, approve it, give it, cancel it, and ask the mentor about it.

The budget follows each step through the ledger (`services.budgets`): approving commits the
option's costs to the program's budget for the award's fiscal year, giving spends what the
recognition actually cost, cancelling gives the commitment back. Each step locks the award,
so a double submit, or two managers at the same moment, do it once.

Giving queues the mentor's e-mail in the same transaction, and fixes the day the mentor is
asked for feedback (`Organisation.feedback_delay_days` later). On that day a task, or the
`recognition_daily` sweep, adds the mentor to the program's recognition-feedback campaign of
the year (one request per award) and queues the invitation.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from laurier.api import webhooks
from laurier.core.bilingual import in_reader_language
from laurier.core.dates import (
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    organisation_today,
)
from laurier.organisations.audit import acting_user, record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent
from laurier.outbox.services import queue_email
from laurier.profiles.models import MentorProfile
from laurier.programs.models import EnrolmentStatus, MentorEnrolment

from ..catalog import FOR_MENTEES
from ..categories import Giver, PublicConsent, Visibility
from ..models import AWARD_MESSAGE_MAX_LENGTH, Award, Budget, LedgerEntry
from ..selectors.calendar import program_moments
from ..selectors.my_awards import from_whom
from .budgets import (
    Commitment,
    commit_many,
    record_spending,
    release_commitment,
    spend_commitment,
)
from .chat import post_award_to_chat

LANGUAGES = ("fr-ca", "en")
# Fields a manager may change while an award is open; the option and the mentor only before
# approval, since the budget commitment is for that option and that person.
EDITABLE_FIELDS = ("planned_on", "moment_key", "givers", "giver_names", "message")
PLANNED_ONLY_FIELDS = ("mentor", "option")
# How long after its fiscal year the recognition-feedback campaign of that year stays open:
# a request sent on its last day still has three months to be answered.
FEEDBACK_GRACE_DAYS = 92


# --- Adding ----------------------------------------------------------------------------------


def moments_for(program, mentor, fiscal_year):
    """{key: CalendarMoment} a recognition of `mentor` may be tied to in `fiscal_year`: the
    program's moments, with the mentor's own anniversary but not the other mentors'."""
    start, end = fiscal_year_bounds(program.organisation, fiscal_year)
    people = [mentor.pk] if mentor is not None else []
    return {moment.key: moment for moment in program_moments(program, start, end, people)}


def _moment_labels(program, mentor, planned_on, key):
    """{"moment_fr": ..., "moment_en": ...} of the moment `key`, refused when it is not one of
    the mentor's moments in `planned_on`'s fiscal year."""
    if not key:
        return {"moment_fr": "", "moment_en": ""}
    year = fiscal_year_of(program.organisation, planned_on)
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            moment = moments_for(program, mentor, year).get(key)
            if moment is not None:
                labels[f"moment_{language[:2]}"] = str(moment.label)
    if len(labels) < len(LANGUAGES):
        # Refused outside the loop's languages: in the reader's own.
        raise ValidationError(
            {"moment_key": _("Choose a moment of this mentor's calendar in that year.")}
        )
    return labels


def _check_givers(givers):
    givers = list(dict.fromkeys(givers or ()))
    if any(giver not in Giver.values for giver in givers):
        raise ValidationError({"givers": _("Choose who gives it from the list.")})
    return givers


def _check_message(message):
    message = (message or "").strip()
    if len(message) > AWARD_MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "message": _(
                    "The message is %(length)d characters long: keep it to %(limit)d, about "
                    "what fits on a card."
                )
                % {"length": len(message), "limit": AWARD_MESSAGE_MAX_LENGTH}
            }
        )
    return message


def _check_mentor(program, mentor):
    enrolled = MentorEnrolment.objects.filter(
        program=program, person=mentor, status=EnrolmentStatus.ACTIVE
    ).exists()
    if mentor.organisation_id != program.organisation_id or not enrolled:
        raise ValidationError({"mentor": _("Choose an active mentor of this program.")})


def _check_option(program, option, mentor):
    if option.organisation_id != program.organisation_id or option.standard_key in FOR_MENTEES:
        raise ValidationError({"option": _("Choose a recognition of the catalog for mentors.")})
    if not option.active:
        raise ValidationError(
            {"option": _("This option is no longer offered: offer it again first.")}
        )
    _check_consent(option, mentor)


def _check_consent(option, mentor):
    """Refuse a public recognition for a mentor who asked to keep theirs private."""
    profile = MentorProfile.objects.filter(person=mentor).only("public_consent").first()
    if (
        option.visibility == Visibility.PUBLIC
        and profile
        and profile.public_consent == PublicConsent.NO
    ):
        raise ValidationError(
            {
                "option": _(
                    "%(mentor)s asked to keep their recognition private, and “%(option)s” is "
                    "public: choose a private recognition."
                )
                % {"mentor": mentor.full_name, "option": in_reader_language(option, "name")}
            }
        )


def add_award(
    *,
    program,
    mentor,
    option,
    planned_on,
    actor,
    moment_key="",
    givers=(),
    giver_names="",
    message="",
    form_token="",
):
    """Plan a recognition for one mentor of `program`, outside any plan; returns (award,
    created).

    The award starts planned: nothing is committed until it is approved. Refused
    (ValidationError by field) for someone who is not an active mentor of the program, an
    option retired, for mentees or public for a mentor who asked for privacy, a moment that is
    not the mentor's, or a message too long. A second submit of the same form (`form_token`)
    returns the first award with created=False.
    """
    if form_token and (earlier := _added_with(program, form_token)):
        return earlier, False
    _check_mentor(program, mentor)
    _check_option(program, option, mentor)
    fields = {
        "givers": _check_givers(givers),
        "giver_names": (giver_names or "").strip()[:200],
        "message": _check_message(message),
        "moment_key": moment_key or "",
        **_moment_labels(program, mentor, planned_on, moment_key),
    }
    try:
        with transaction.atomic():
            award = Award.objects.create(
                organisation=program.organisation,
                program=program,
                mentor=mentor,
                option=option,
                planned_on=planned_on,
                created_by=acting_user(actor),
                request_key=form_token or "",
                **fields,
            )
            record_change(
                organisation=program.organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=award,
            )
    except IntegrityError:
        earlier = _added_with(program, form_token) if form_token else None
        if earlier is None:
            raise
        return earlier, False
    return award, True


def _added_with(program, form_token):
    return Award.objects.filter(program=program, request_key=form_token).first()


def awards_from_plan(plan, lines, actor):
    """One approved award per line of a plan being approved, holding the line's commitment.

    Called by `approve_plan` inside its transaction, once each line has its commitment.
    """
    labels = {}
    for language in LANGUAGES:
        with translation.override(language):
            moments = program_moments(plan.program, plan.starts_on, plan.ends_on)
            labels[language] = {moment.key: str(moment.label) for moment in moments}
    from ..selectors.plans import moment_label

    def label(line, language):
        with translation.override(language):
            known = labels[language].get(line.moment_key)
            return known or str(moment_label(line, {}))

    commitments = dict(plan.lines.values_list("pk", "commitment_id"))
    Award.objects.bulk_create(
        (
            Award(
                organisation_id=plan.organisation_id,
                program_id=plan.program_id,
                mentor_id=line.mentor_id,
                option_id=line.option_id,
                plan_line=line,
                moment_key=line.moment_key,
                moment_fr=label(line, "fr-ca"),
                moment_en=label(line, "en"),
                planned_on=line.moment_date,
                givers=line.givers,
                status=Award.Status.APPROVED,
                commitment_id=commitments.get(line.pk),
                created_by=acting_user(actor),
            )
            for line in lines
        ),
        batch_size=1000,
    )


# --- Changing --------------------------------------------------------------------------------


def _locked(award):
    """The award, locked, then read with its relations. Two queries: on PostgreSQL a query that
    waited for the lock re-reads the locked row but not the rows joined to it, so a commitment
    written by the transaction it waited for would be missing."""
    Award.objects.select_for_update().filter(pk=award.pk).values_list("pk").get()
    return Award.objects.select_related(
        "organisation", "program", "mentor", "option", "commitment"
    ).get(pk=award.pk)


def _refuse_closed(award):
    if award.status == Award.Status.GIVEN:
        raise ValidationError(_("This recognition was already given: it can no longer change."))
    if award.status == Award.Status.CANCELLED:
        raise ValidationError(_("This recognition was cancelled: it can no longer change."))


def edit_award(award, *, actor, **fields):
    """Change an open award: its date, moment, givers and message; its mentor and option too
    while it is only planned. Returns the award."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - set(PLANNED_ONLY_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of an award: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        award = _locked(award)
        _refuse_closed(award)
        before = snapshot(award)
        moving = {
            name
            for name in PLANNED_ONLY_FIELDS
            if name in fields and fields[name] != getattr(award, name)
        }
        if moving and award.status != Award.Status.PLANNED:
            raise ValidationError(
                _(
                    "The budget is committed for this mentor and this recognition: cancel it "
                    "and add another to change them."
                )
            )
        mentor = fields.get("mentor", award.mentor)
        option = fields.get("option", award.option)
        planned_on = fields.get("planned_on", award.planned_on)
        if "mentor" in moving:
            _check_mentor(award.program, mentor)
        if moving:
            _check_option(award.program, option, mentor)
        if award.commitment_id and not _same_fiscal_year(award, planned_on):
            raise ValidationError(
                {
                    "planned_on": _(
                        "The budget of %(year)s holds this recognition: choose a date in that "
                        "fiscal year."
                    )
                    % {
                        "year": fiscal_year_label(
                            award.organisation, award.commitment.budget.fiscal_year
                        )
                    }
                }
            )
        if award.commitment_id and planned_on != award.planned_on and option.capacity:
            _commit_again(award, actor, planned_on)
        award.mentor, award.option, award.planned_on = mentor, option, planned_on
        if "givers" in fields:
            award.givers = _check_givers(fields["givers"])
        if "giver_names" in fields:
            award.giver_names = (fields["giver_names"] or "").strip()[:200]
        if "message" in fields:
            award.message = _check_message(fields["message"])
        if "moment_key" in fields or moving or "planned_on" in fields:
            key = fields.get("moment_key", award.moment_key)
            award.moment_key = key or ""
            for name, value in _moment_labels(award.program, mentor, planned_on, key).items():
                setattr(award, name, value)
        award.save()
        record_change(
            organisation=award.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=award,
            before=before,
        )
    return award


def _commit_again(award, actor, planned_on):
    """Move an approved award's commitment to its new date: an option's capacity is counted
    by the date of its commitments. The ledger is only added to: the old commitment is
    released and a new one made, refused (and the release undone) when the new date's period
    has no room left."""
    release_commitment(
        award.commitment,
        actor=actor,
        reason=_("Moved to %(date)s") % {"date": date_format(planned_on, "DATE_FORMAT")},
    )
    moves = LedgerEntry.objects.filter(
        budget=award.commitment.budget, request_key__startswith=f"award-{award.pk}-"
    ).count()
    (award.commitment,) = commit_many(
        award.commitment.budget,
        actor=actor,
        commitments=[
            Commitment(
                option=award.option,
                occurred_on=planned_on,
                person=award.mentor,
                request_key=f"award-{award.pk}-{moves + 1}",
            )
        ],
    )


def _same_fiscal_year(award, day):
    return fiscal_year_of(award.organisation, day) == award.commitment.budget.fiscal_year


def needs_budget(option):
    """Whether giving `option` goes through the ledger: it costs something or is counted."""
    return bool(option.cost_money or option.staff_hours or option.material_items or option.capacity)


def award_budget(award):
    """The budget an award's costs come from: its program's, for the fiscal year of its date."""
    year = fiscal_year_of(award.organisation, award.planned_on)
    return Budget.objects.filter(program=award.program, fiscal_year=year).first()


def _no_budget(award):
    year = fiscal_year_of(award.organisation, award.planned_on)
    return ValidationError(
        _("%(program)s has no budget for %(year)s: create it before approving.")
        % {
            "program": award.program.name,
            "year": fiscal_year_label(award.organisation, year),
        }
    )


def _commit(award, actor):
    """Commit a planned award's option to the budget; the caller holds the award's lock."""
    if not needs_budget(award.option):
        return
    budget = award_budget(award)
    if budget is None:
        raise _no_budget(award)
    (award.commitment,) = commit_many(
        budget,
        actor=actor,
        commitments=[
            Commitment(
                option=award.option,
                occurred_on=award.planned_on,
                person=award.mentor,
                request_key=f"award-{award.pk}",
            )
        ],
    )


def approve_award(award, *, actor):
    """Commit a planned award to its program's budget; approving twice approves once.

    Refused, with nothing written, without a budget for the award's fiscal year or when the
    option's costs pass what is left of it or of the option's capacity.
    """
    _check_option(award.program, award.option, award.mentor)
    with transaction.atomic():
        award = _locked(award)
        if award.status == Award.Status.APPROVED:
            return award
        _refuse_closed(award)
        _commit(award, actor)
        award.status = Award.Status.APPROVED
        award.save(update_fields=["status", "commitment", "updated_at"])
        _audit_status(award, actor)
    return award


def _audit_status(award, actor, **changes):
    record_event(
        organisation=award.organisation_id,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=award,
        changes={"status": award.status, **changes},
    )


def give_award(
    award,
    *,
    actor,
    given_on,
    money=None,
    staff_hours=None,
    material_items=None,
    message=None,
    giver_names=None,
    today=None,
):
    """Record that a recognition was given, what it actually cost, and tell the mentor.

    A planned award is approved on the way. The actual cost (None: the commitment's, or the
    option's) is spent from the budget; more than committed only while the budget has room
    for the difference, else it is refused and nothing is written. The mentor's e-mail is
    queued in the same transaction, and their feedback request set for
    `feedback_delay_days` later. Giving twice gives once.
    """
    with transaction.atomic():
        award = _locked(award)
        if award.status == Award.Status.GIVEN:
            return award
        _refuse_closed(award)
        today = today or organisation_today(award.organisation)
        if given_on > today:
            raise ValidationError(
                {"given_on": _("Mark it given once it has been: choose today or an earlier date.")}
            )
        if message is not None:
            award.message = _check_message(message)
        if giver_names is not None:
            award.giver_names = giver_names.strip()[:200]
        if award.status == Award.Status.PLANNED:
            _check_option(award.program, award.option, award.mentor)
            _commit(award, actor)
        else:
            # Approved months ago, perhaps: the mentor may have asked for privacy since.
            _check_consent(award.option, award.mentor)
        award.spending = _spend(award, actor, given_on, money, staff_hours, material_items)
        award.status = Award.Status.GIVEN
        award.given_on = given_on
        award.given_by = acting_user(actor)
        award.feedback_due_on = given_on + datetime.timedelta(
            days=award.organisation.feedback_delay_days
        )
        award.save()
        _audit_status(award, actor, given_on=given_on.isoformat())
        _tell_mentor(award)
        post_award_to_chat(award)
        webhooks.award_given(award)
        _schedule_feedback(award)
    return award


def _in_budget_year(budget, given_on):
    """The ledger date of a spending: the day it was given, or the last day of the budget's
    fiscal year for a recognition handed over a few days after that year ended (its budget
    pays for it all the same)."""
    _first, last = fiscal_year_bounds(budget.organisation, budget.fiscal_year)
    return min(given_on, last)


def _spend(award, actor, given_on, money, staff_hours, material_items):
    amounts = {"money": money, "staff_hours": staff_hours, "material_items": material_items}
    if award.commitment_id:
        budget = award.commitment.budget
        return spend_commitment(
            award.commitment,
            actor=actor,
            occurred_on=_in_budget_year(budget, given_on),
            **amounts,
        )
    if not any(amounts.values()):
        return None
    # A recognition that costs nothing in the catalog, but cost something this time.
    budget = award_budget(award)
    if budget is None:
        raise _no_budget(award)
    given_on = _in_budget_year(budget, given_on)
    filled = {name: value or Decimal(0) for name, value in amounts.items()}
    filled["material_items"] = int(filled["material_items"])
    return record_spending(
        budget,
        actor=actor,
        option=award.option,
        person=award.mentor,
        occurred_on=given_on,
        **filled,
    )


def cancel_award(award, *, actor, reason):
    """Cancel an open award; its commitment goes back to the budget. `reason` is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is cancelled.")})
    with transaction.atomic():
        award = _locked(award)
        if award.status == Award.Status.CANCELLED:
            return award
        _refuse_closed(award)
        if award.commitment_id:
            release_commitment(award.commitment, actor=actor, reason=reason[:300])
        award.status = Award.Status.CANCELLED
        award.cancel_reason = reason[:300]
        award.save(update_fields=["status", "cancel_reason", "updated_at"])
        _audit_status(award, actor, reason=award.cancel_reason)
    return award


# --- Telling the mentor ----------------------------------------------------------------------


def my_awards_link(award):
    return settings.SITE_URL.rstrip("/") + reverse(
        "recognition:my_award", args=[award.organisation.slug, award.pk]
    )


def award_given_email(award):
    """(subject, text, HTML) of the e-mail telling the mentor, in their language."""
    person = award.mentor
    organisation = award.organisation
    with translation.override(person.language), timezone.override(organisation.time_zone):
        context = {
            "award": award,
            "person": person,
            "organisation": organisation,
            "program": award.program,
            "option_name": in_reader_language(award.option, "name"),
            "givers": from_whom(award),
            "given_on": date_format(award.given_on, "DATE_FORMAT"),
            "link": my_awards_link(award) if person.user_id else "",
            "language": person.language,
        }
        subject = _("%(organisation)s: thank you for your mentoring, %(first_name)s") % {
            "organisation": organisation.name,
            "first_name": person.first_name,
        }
        text = render_to_string("recognition/email/award_given.txt", context)
        html = render_to_string("recognition/email/award_given.html", context)
    return subject, text, html


def _tell_mentor(award):
    subject, text, html = award_given_email(award)
    queue_email(
        organisation=award.organisation,
        to=award.mentor.email,
        subject=subject,
        text=text,
        html=html,
        reason=f"award-given:{award.pk}",
        topic=f"award:{award.pk}",
    )


# --- Asking for feedback ---------------------------------------------------------------------


def _schedule_feedback(award):
    """Ask for feedback on the due day, where the task backend can wait until then; the
    `recognition_daily` sweep covers the others (and a worker that was down that day)."""
    if not default_task_backend.supports_defer:
        return
    from ..tasks import ask_feedback_on_award

    zone = zoneinfo.ZoneInfo(award.organisation.time_zone)
    due = datetime.datetime.combine(award.feedback_due_on, datetime.time(9), tzinfo=zone)
    ask_feedback_on_award.using(run_after=due).enqueue(award.pk)


def feedback_campaign(program, day, actor=None):
    """The program's recognition-feedback campaign for `day`'s fiscal year, made the first
    time: one campaign a year gathers every award's feedback, so the survey pages show them
    together, and each award finds its own answers through its request."""
    from laurier.surveys.models import Campaign, Survey
    from laurier.surveys.services.editing import copy_survey
    from laurier.surveys.standard import install_standard_surveys

    organisation = program.organisation
    year = fiscal_year_of(organisation, day)
    prefix = f"award-feedback-{year}"
    campaigns = Campaign.objects.filter(program=program, launch_key__startswith=prefix)
    if campaign := campaigns.open().order_by("-created_at", "-pk").first():
        return campaign
    # A manager closed the year's campaign by hand: the next requests go to a new one.
    earlier = campaigns.count()
    key = f"{prefix}-{earlier + 1}" if earlier else prefix
    survey = install_standard_surveys(organisation)[Survey.Purpose.FEEDBACK]
    _first, last = fiscal_year_bounds(organisation, year)
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    closes_on = last + datetime.timedelta(days=FEEDBACK_GRACE_DAYS + 1)
    with translation.override(organisation.language):
        name = _("Recognition feedback, %(year)s") % {"year": fiscal_year_label(organisation, year)}
    try:
        with transaction.atomic():
            sent = copy_survey(survey, frozen=True)
            if sent.anonymous:
                # Each answer belongs to its award, where the manager reads it: the survey
                # cannot promise anonymity, so its invitations do not.
                sent.anonymous = False
                sent.save(update_fields=["anonymous"])
            return Campaign.objects.create(
                organisation=organisation,
                program=program,
                survey=sent,
                name=name,
                audience=Campaign.Audience.CHOSEN,
                closes_at=datetime.datetime.combine(closes_on, datetime.time(), tzinfo=zone),
                created_by=acting_user(actor),
                launch_key=key,
            )
    except IntegrityError:
        # Another worker made it at the same moment.
        return Campaign.objects.get(program=program, launch_key=key)


def feedback_about(award):
    about = {}
    for language in LANGUAGES:
        with translation.override(language):
            about[f"about_{language[:2]}"] = _("About “%(option)s”, received on %(date)s.") % {
                "option": in_reader_language(award.option, "name"),
                "date": date_format(award.given_on, "DATE_FORMAT"),
            }
    return about


def ask_feedback(award, today=None):
    """Send the mentor the feedback survey about a given award, once its day has come.

    Returns True when it asked now. Safe to run twice, or in two workers: the award is locked
    and asked once; the invitation goes through the campaign's own idempotent queuing.
    """
    from laurier.surveys.models import Recipient
    from laurier.surveys.services.campaigns import queue_invitations

    with transaction.atomic():
        award = (
            Award.objects.select_for_update(of=("self",))
            .select_related("organisation", "program", "option")
            .filter(pk=award.pk, status=Award.Status.GIVEN, feedback_request__isnull=True)
            .first()
        )
        if award is None:
            return False
        today = today or organisation_today(award.organisation)
        if award.feedback_due_on is None or award.feedback_due_on > today:
            return False
        campaign = feedback_campaign(award.program, today)
        award.feedback_request = Recipient.objects.create(
            campaign=campaign,
            person_id=award.mentor_id,
            about_key=f"award:{award.pk}",
            **feedback_about(award),
        )
        award.save(update_fields=["feedback_request", "updated_at"])
    queue_invitations(campaign)
    return True


def ask_due_feedback(today=None):
    """Ask for feedback on every given award whose day has come; returns how many were asked.

    The sweep behind `manage.py recognition_daily`: it catches what no deferred task did.
    Without `today`, each award is weighed against its own organisation's today.
    """
    # A day of margin over the server's date: the organisations' time zones differ.
    latest = (today or timezone.localdate()) + datetime.timedelta(days=0 if today else 1)
    due = Award.objects.filter(
        status=Award.Status.GIVEN,
        feedback_request__isnull=True,
        feedback_due_on__lte=latest,
    ).order_by("feedback_due_on", "pk")
    return sum(
        ask_feedback(award, today=today) for award in due.only("pk").iterator(chunk_size=500)
    )
