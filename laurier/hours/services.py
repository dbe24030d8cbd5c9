"""Writes for mentoring sessions: log, confirm, change, delete; every one audited.

Forms check what they can, but every rule is checked here again, so that a
crafted request or an import cannot slip past it.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurier.core.dates import organisation_today
from laurier.organisations.audit import record_change, record_creations, snapshot
from laurier.organisations.models import AuditEvent
from laurier.organisations.tenancy import programs_managed_by
from laurier.programs.figures_cache import figures_changed
from laurier.programs.models import Pairing

from .models import (
    CONFIRMING_SIDES,
    LONGEST_SESSION_MINUTES,
    SHORTEST_SESSION_MINUTES,
    LoggedBy,
    MentoringSession,
    SessionFormat,
    SessionSetting,
)

DUPLICATE_MESSAGE = _(
    "This session is already logged: same pairing, same date, same length. Nothing was added."
)


class BulkSessionsError(ValidationError):
    """Some rows of a bulk entry were refused; `row_errors` maps a row's index to its messages."""

    def __init__(self, row_errors):
        self.row_errors = row_errors
        super().__init__(_("Nothing was saved: correct the rows marked below."))


def session_date_problem(held_on, *, today, starts_on, ends_on):
    """The rule a session's date breaks, or None: "future", "before_pairing" or "after_pairing".

    `today` is the organisation's today; `starts_on`/`ends_on` are the pairing's. Pure, so
    that the importer applies the very same rule to pairings it looked up in bulk.
    """
    if held_on > today:
        return "future"
    if held_on < starts_on:
        return "before_pairing"
    if ends_on is not None and held_on > ends_on:
        return "after_pairing"
    return None


def is_session_length(duration_minutes):
    """Whether a session may last `duration_minutes` (a whole number, 5 to 720 minutes)."""
    return (
        isinstance(duration_minutes, int)
        and not isinstance(duration_minutes, bool)
        and SHORTEST_SESSION_MINUTES <= duration_minutes <= LONGEST_SESSION_MINUTES
    )


def _check_session_facts(pairing, held_on, duration_minutes, format, setting):
    """The rules a session's date, length, format and setting obey, as field errors."""
    errors = {}
    date_problem = None
    if held_on is None:
        errors["held_on"] = _("Enter the date of the session.")
    else:
        date_problem = session_date_problem(
            held_on,
            today=organisation_today(pairing.program.organisation),
            starts_on=pairing.starts_on,
            ends_on=pairing.ends_on,
        )
    if date_problem == "future":
        errors["held_on"] = _("A session cannot be logged before it happens.")
    elif date_problem == "before_pairing":
        errors["held_on"] = _("The pairing only started on %(date)s.") % {
            "date": pairing.starts_on.isoformat()
        }
    elif date_problem == "after_pairing":
        errors["held_on"] = _("The pairing ended on %(date)s.") % {
            "date": pairing.ends_on.isoformat()
        }
    if not is_session_length(duration_minutes):
        errors["duration_minutes"] = _(
            "A session lasts between %(shortest)s and %(longest)s minutes."
        ) % {"shortest": SHORTEST_SESSION_MINUTES, "longest": LONGEST_SESSION_MINUTES}
    if format not in SessionFormat.values:
        errors["format"] = _("Choose a format from the list.")
    if setting not in SessionSetting.values:
        errors["setting"] = _("Choose where the session took place from the list.")
    return errors


def _check_may_log(pairing, logged_by, user):
    """Mentors and mentees log on their own active pairings; managers on the programs they run."""
    if logged_by == LoggedBy.MENTOR:
        allowed = user is not None and pairing.mentor.user_id == user.pk
    elif logged_by == LoggedBy.MENTEE:
        allowed = user is not None and pairing.mentee.user_id == user.pk
    elif logged_by == LoggedBy.MANAGER:
        membership = (
            user.memberships.filter(organisation_id=pairing.program.organisation_id).first()
            if user is not None and user.is_authenticated
            else None
        )
        allowed = (
            membership is not None
            and programs_managed_by(membership).filter(pk=pairing.program_id).exists()
        )
    else:
        raise ValidationError({NON_FIELD_ERRORS: _("Say who logged the session.")})
    if not allowed:
        raise ValidationError({"pairing": _("You cannot log sessions on this pairing.")})
    if logged_by != LoggedBy.MANAGER and pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError({"pairing": _("This pairing is no longer active.")})


def _is_duplicate(pairing, held_on, duration_minutes, exclude_pk=None):
    sessions = MentoringSession.objects.filter(
        pairing=pairing, held_on=held_on, duration_minutes=duration_minutes
    )
    if exclude_pk is not None:
        sessions = sessions.exclude(pk=exclude_pk)
    return sessions.exists()


def log_session(
    pairing,
    held_on,
    duration_minutes,
    format=SessionFormat.ONE_TO_ONE,
    setting=SessionSetting.IN_PERSON,
    notes="",
    logged_by=LoggedBy.MANAGER,
    user=None,
):
    """Record time a mentor and mentee spent together; it counts as training for both.

    Raises ValidationError (keyed by field) for a future date, a date outside the
    pairing, a length outside 5–720 minutes, someone logging on a pairing that is not
    theirs, or a session already logged (same pairing, date and length).
    """
    _check_may_log(pairing, logged_by, user)
    errors = _check_session_facts(pairing, held_on, duration_minutes, format, setting)
    if errors:
        raise ValidationError(errors)
    if _is_duplicate(pairing, held_on, duration_minutes):
        raise ValidationError({NON_FIELD_ERRORS: DUPLICATE_MESSAGE})
    try:
        with transaction.atomic():
            session = MentoringSession.objects.create(
                pairing=pairing,
                program_id=pairing.program_id,
                mentor_id=pairing.mentor_id,
                mentee_id=pairing.mentee_id,
                held_on=held_on,
                duration_minutes=duration_minutes,
                format=format,
                setting=setting,
                notes=notes or "",
                logged_by=logged_by,
                logged_by_user=user if user is not None and user.is_authenticated else None,
            )
            record_change(
                organisation=pairing.program.organisation,
                actor=user,
                action=AuditEvent.Action.CREATE,
                instance=session,
            )
            figures_changed(pairing.program.organisation_id)
    except IntegrityError as error:
        # Two submits racing past the check above meet the unique constraint here.
        raise ValidationError({NON_FIELD_ERRORS: DUPLICATE_MESSAGE}) from error
    return session


def confirming_side(session, user):
    """'mentor' or 'mentee' when `user` may confirm this session, else None."""
    if user is None or not user.is_authenticated:
        return None
    for side in CONFIRMING_SIDES.get(session.logged_by, ()):
        if getattr(session, side).user_id == user.pk:
            return side
    return None


def confirm_session(session, user):
    """The other side of the pairing vouches for a session; confirming twice changes nothing.

    A session the mentor logged is confirmed by the mentee and the reverse; one a
    manager logged, by either. Anyone else gets a ValidationError.
    """
    if confirming_side(session, user) is None:
        raise ValidationError(_("Only the other person of the pairing can confirm this session."))
    with transaction.atomic():
        before = snapshot(session)
        now = timezone.now()
        # A conditional update, so that a double submit confirms (and audits) once.
        updated = MentoringSession.objects.filter(pk=session.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, confirmed_by=user
        )
        session.refresh_from_db(fields=["confirmed_at", "confirmed_by"])
        if updated:
            record_change(
                organisation=session.program.organisation,
                actor=user,
                action=AuditEvent.Action.UPDATE,
                instance=session,
                before=before,
            )
    return session


def update_session(session, *, held_on, duration_minutes, format, setting, notes="", user):
    """Correct a session's facts; a new date or length clears its confirmation.

    The confirmation vouched for other facts, so it must be given again.
    """
    errors = _check_session_facts(session.pairing, held_on, duration_minutes, format, setting)
    if errors:
        raise ValidationError(errors)
    if _is_duplicate(session.pairing, held_on, duration_minutes, exclude_pk=session.pk):
        raise ValidationError({NON_FIELD_ERRORS: DUPLICATE_MESSAGE})
    before = snapshot(session)
    if held_on != session.held_on or duration_minutes != session.duration_minutes:
        session.confirmed_at = None
        session.confirmed_by = None
    session.held_on = held_on
    session.duration_minutes = duration_minutes
    session.format = format
    session.setting = setting
    session.notes = notes or ""
    try:
        with transaction.atomic():
            session.save()
            record_change(
                organisation=session.program.organisation,
                actor=user,
                action=AuditEvent.Action.UPDATE,
                instance=session,
                before=before,
            )
            figures_changed(session.program.organisation_id)
    except IntegrityError as error:
        raise ValidationError({NON_FIELD_ERRORS: DUPLICATE_MESSAGE}) from error
    return session


def delete_session(session, user):
    """Remove a session logged by mistake; the audit trail keeps what it was."""
    organisation = session.program.organisation
    with transaction.atomic():
        record_change(
            organisation=organisation,
            actor=user,
            action=AuditEvent.Action.DELETE,
            instance=session,
        )
        session.delete()
        figures_changed(organisation.pk)


def log_sessions_in_bulk(program, rows, user):
    """Log many sessions of one program at once, all of them or none, as its manager.

    `rows` is a list of dicts with pairing, held_on, duration_minutes, format,
    setting and optionally notes. When any row is refused (including a row that
    repeats another), nothing is saved and BulkSessionsError.row_errors tells why,
    row by row (0-based index).

    The same rules as `log_session`, in a number of queries that does not grow with
    the rows: the manager's right is checked once (every row is of `program`), and
    repeats are looked up for all the rows together.
    """
    row_errors = {}
    of_program = []
    for index, row in enumerate(rows):
        pairing = row.get("pairing")
        if pairing is None or pairing.program_id != program.pk:
            row_errors[index] = [str(_("Choose a pairing of this program."))]
            continue
        # The same program for every row: reading it through each pairing is a query a row.
        pairing.program = program
        of_program.append((index, pairing, row))
    if of_program:
        # The manager's right depends on the program only: one check holds for every row.
        try:
            _check_may_log(of_program[0][1], LoggedBy.MANAGER, user)
        except ValidationError as error:
            raise BulkSessionsError(
                {**row_errors, **{index: error.messages for index, _pairing, _row in of_program}}
            ) from error
    logged = _existing_session_keys(program, [(pairing, row) for _i, pairing, row in of_program])
    sessions = []
    keys = {}
    for index, pairing, row in of_program:
        facts = {
            "held_on": row.get("held_on"),
            "duration_minutes": row.get("duration_minutes"),
            "format": row.get("format") or SessionFormat.ONE_TO_ONE,
            "setting": row.get("setting") or SessionSetting.IN_PERSON,
        }
        errors = _check_session_facts(pairing, **facts)
        if errors:
            row_errors[index] = ValidationError(errors).messages
            continue
        key = (pairing.pk, facts["held_on"], facts["duration_minutes"])
        if key in logged:
            row_errors[index] = [str(DUPLICATE_MESSAGE)]
            continue
        logged.add(key)
        keys[index] = key
        sessions.append(_new_session(pairing, facts, row.get("notes"), user))
    if row_errors:
        raise BulkSessionsError(row_errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                MentoringSession.objects.bulk_create(sessions)
        except IntegrityError as error:
            # A concurrent submit logged some of these rows after they were looked up.
            now_logged = _existing_session_keys(
                program, [(pairing, row) for _i, pairing, row in of_program]
            )
            raced = [index for index, key in keys.items() if key in now_logged] or list(keys)
            raise BulkSessionsError({index: [str(DUPLICATE_MESSAGE)] for index in raced}) from error
        record_creations(organisation=program.organisation, actor=user, instances=sessions)
        figures_changed(program.organisation_id)
    return sessions


def _existing_session_keys(program, pairings_and_rows):
    """(pairing id, date, minutes) of the sessions already logged for these rows, in one query."""
    pairing_ids = {pairing.pk for pairing, _row in pairings_and_rows}
    dates = {row.get("held_on") for _pairing, row in pairings_and_rows} - {None}
    if not pairing_ids or not dates:
        return set()
    return set(
        MentoringSession.objects.filter(
            program=program, pairing_id__in=pairing_ids, held_on__in=dates
        ).values_list("pairing_id", "held_on", "duration_minutes")
    )


def _new_session(pairing, facts, notes, user):
    return MentoringSession(
        pairing=pairing,
        program_id=pairing.program_id,
        mentor_id=pairing.mentor_id,
        mentee_id=pairing.mentee_id,
        notes=notes or "",
        logged_by=LoggedBy.MANAGER,
        logged_by_user=user if user is not None and user.is_authenticated else None,
        **facts,
    )
