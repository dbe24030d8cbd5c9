"""The jury's work: conflicts of interest declared and confirmed, then scores.

Every rule is checked here again whatever the page showed: a juror's link is a bearer token,
and a crafted request must not score a nominee the juror is in conflict with. Conflicts are
computed afresh from `selectors.conflicts` at each call, so a pairing made or a conflict
declared a second ago already counts.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurier.organisations.audit import record_change, record_event
from laurier.organisations.models import AuditEvent, Membership

from ..models import (
    DECLARABLE_REASONS,
    SCORE_MAX,
    SCORE_MIN,
    ConflictReason,
    Criterion,
    DeclaredConflict,
    Juror,
    Nominee,
    Phase,
    Score,
)
from ..selectors import (
    conflict_refusal,
    editions_managed_by,
    is_new_to,
    nominees_in_the_running,
)

NOTE_MAX_LENGTH = DeclaredConflict._meta.get_field("note").max_length
# Until scoring closes a juror may still see a conflict they had not thought of.
DECLARING_PHASES = (Phase.UPCOMING, Phase.NOMINATIONS, Phase.SCORING)
# Said by the service and by the juror's pages: one sentence, translated once.
SCORING_CLOSED = gettext_lazy("Scoring is closed: scores can no longer change.")
CONFLICTS_CLOSED = gettext_lazy("Scoring is closed: conflicts of interest can no longer change.")


# --- Conflicts of interest -------------------------------------------------------------------


def declare_conflict(juror, nominee, reason, note="", *, actor=None, today=None):
    """Record that `juror` is in conflict with `nominee` (by the juror, or by a manager as
    `actor`). Returns (conflict, created): a second declaration of the same pair changes nothing.

    The juror's scores of that nominee are kept: the result sets them aside, listed with the
    reason, as it does for every conflicted pair, so the frozen result shows what was left out
    and why. Jurors and managers alike declare only until scoring closes: after that, someone
    with the provisional ranking in front of them could change the field."""
    edition = juror.edition
    if nominee.category.edition_id != edition.pk:
        raise ValidationError(_("This nominee is not in this contest."), code="other_edition")
    if actor is not None and not _manages(actor, edition):
        raise ValidationError(
            _("Only the contest's managers can record a conflict of interest for a juror."),
            code="forbidden",
        )
    _check_conflicts_open(edition, today)
    if reason not in DECLARABLE_REASONS:
        raise ValidationError({"reason": _("Choose one of the reasons listed.")}, code="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep the details to %(limit)d characters or fewer.")
                % {"limit": NOTE_MAX_LENGTH}
            },
            code="note",
        )
    if reason == ConflictReason.OTHER and not note:
        raise ValidationError(
            {"note": _("Say in a few words what the conflict of interest is.")}, code="note"
        )
    with transaction.atomic():
        # One declaration at a time per juror: a double submit finds the first one.
        Juror.objects.select_for_update().filter(pk=juror.pk).first()
        existing = DeclaredConflict.objects.filter(juror=juror, nominee=nominee).first()
        if existing is not None:
            return existing, False
        conflict = DeclaredConflict.objects.create(
            juror=juror,
            nominee=nominee,
            reason=reason,
            note=note,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_change(
            organisation=edition.organisation_id,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=conflict,
        )
    return conflict, True


def _check_conflicts_open(edition, today):
    phase = edition.phase(today)
    if phase == Phase.ANNOUNCED:
        raise ValidationError(
            _("The results are announced: conflicts of interest can no longer change."),
            code="announced",
        )
    if phase not in DECLARING_PHASES:
        raise ValidationError(
            _(
                "Scoring is closed (it ended on %(date)s): conflicts of interest can no longer "
                "be declared or removed, so the result rests on the scores as the jury left them."
            )
            % {"date": date_format(edition.scoring_close_on, "DATE_FORMAT")},
            code="closed",
        )


def confirm_conflicts(juror, today=None):
    """The juror says they declared every conflict with the nominees listed: scoring opens for
    them, for the nominees in the running now. Returns True when it changed anything."""
    edition = juror.edition
    if edition.phase(today) not in DECLARING_PHASES:
        raise ValidationError(
            _("Scoring is closed: there is nothing left to confirm."), code="closed"
        )
    with transaction.atomic():
        locked = Juror.objects.select_for_update().get(pk=juror.pk)
        latest = (
            nominees_in_the_running(edition)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if locked.conflicts_confirmed_at is not None and (
            latest is None or latest <= locked.conflicts_confirmed_at
        ):
            # Already covers every nominee: a second click changes nothing.
            juror.conflicts_confirmed_at = locked.conflicts_confirmed_at
            return False
        before = {"conflicts_confirmed_at": _plain(locked.conflicts_confirmed_at)}
        juror.conflicts_confirmed_at = timezone.now()
        Juror.objects.filter(pk=juror.pk).update(
            conflicts_confirmed_at=juror.conflicts_confirmed_at
        )
        record_event(
            organisation=edition.organisation_id,
            actor=None,
            action=AuditEvent.Action.UPDATE,
            instance=juror,
            changes={
                "conflicts_confirmed_at": [
                    before["conflicts_confirmed_at"],
                    _plain(juror.conflicts_confirmed_at),
                ]
            },
        )
    return True


def _plain(value):
    return None if value is None else str(value)


def _manages(actor, edition):
    """Whether the user `actor` runs `edition` (its program's manager, or an admin)."""
    if actor is None or not actor.is_authenticated:
        return False
    membership = Membership.objects.filter(
        organisation_id=edition.organisation_id, user=actor
    ).first()
    return membership is not None and editions_managed_by(membership).filter(pk=edition.pk).exists()


def remove_conflict(conflict, *, actor, today=None):
    """A manager of the edition removes a declared conflict (a juror never can: a conflict
    they declared stands), until scoring closes. The scores the juror gave that nominee were
    kept when the conflict was declared: they count in the result again."""
    juror = conflict.juror
    edition = juror.edition
    if not _manages(actor, edition):
        raise ValidationError(
            _("Only the contest's managers can remove a conflict of interest."), code="forbidden"
        )
    _check_conflicts_open(edition, today)
    with transaction.atomic():
        deleted, _details = DeclaredConflict.objects.filter(pk=conflict.pk).delete()
        if not deleted:
            # Removed by a first click already.
            return False
        record_change(
            organisation=edition.organisation_id,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=conflict,
        )
    return True


# --- Scores ----------------------------------------------------------------------------------


def scoring_refusal(juror, nominee, *, today=None):
    """Why `juror` may not score `nominee` now, or "" when they may. The conflict is computed
    here, from the records, whatever the page sent."""
    edition = juror.edition
    phase = edition.phase(today)
    if nominee.category.edition_id != edition.pk:
        return _("This nominee is not in your contest.")
    if phase in (Phase.UPCOMING, Phase.NOMINATIONS):
        return _("Scoring has not opened yet.")
    if phase != Phase.SCORING:
        return str(SCORING_CLOSED)
    if juror.conflicts_confirmed_at is None:
        return _("Declare your conflicts of interest first, then confirm you have no other.")
    if nominee.status != Nominee.Status.NOMINATED:
        return _("This mentor is no longer in the running.")
    refusal = conflict_refusal(juror, nominee)
    if refusal:
        return refusal
    if is_new_to(juror, nominee):
        return _(
            "This mentor was nominated after you confirmed your conflicts of interest: tell "
            "us first whether you have one with them."
        )
    return ""


def record_scores(juror, nominee, values, *, today=None):
    """Store the juror's scores of `nominee`, one per criterion of the rubric, all at once.
    `values` is {criterion_id: int}. Returns True when a score changed: a double submit
    stores the same scores once."""
    with transaction.atomic():
        # Read the juror again under lock: a conflict confirmed or declared a moment ago counts,
        # and two submits of the same form run one after the other.
        juror = (
            Juror.objects.select_for_update()
            .select_related("edition__organisation")
            .get(pk=juror.pk)
        )
        nominee = Nominee.objects.select_related("category").get(pk=nominee.pk)
        refusal = scoring_refusal(juror, nominee, today=today)
        if refusal:
            raise ValidationError(refusal, code="refused")
        criteria = {
            criterion.pk: criterion for criterion in Criterion.objects.filter(edition=juror.edition)
        }
        clean = _clean_values(values, criteria)
        existing = {
            score.criterion_id: score
            for score in Score.objects.filter(juror=juror, nominee=nominee)
        }
        changed = {}
        for criterion_id, value in clean.items():
            score = existing.get(criterion_id)
            if score is None:
                Score.objects.create(
                    juror=juror, nominee=nominee, criterion_id=criterion_id, value=value
                )
                changed[str(criterion_id)] = [None, value]
            elif score.value != value:
                changed[str(criterion_id)] = [score.value, value]
                score.value = value
                score.save(update_fields=["value", "scored_at"])
        if changed:
            record_event(
                organisation=juror.edition.organisation_id,
                actor=None,
                action=AuditEvent.Action.UPDATE,
                instance=nominee,
                changes={"juror": juror.pk, "scores": changed},
            )
    return bool(changed)


def _clean_values(values, criteria):
    if not criteria:
        raise ValidationError(
            _("The rubric has no criterion yet: ask the contest's managers."), code="no_criteria"
        )
    if not isinstance(values, dict):
        raise ValidationError(_("Give a score for each criterion."), code="missing")
    keys = set(values)
    if not all(isinstance(key, int) and not isinstance(key, bool) for key in keys) or (
        keys - set(criteria)
    ):
        raise ValidationError(
            _("These scores are for criteria that are not in this contest's rubric."),
            code="extra",
        )
    missing = [criteria[pk] for pk in criteria if pk not in keys]
    if missing:
        raise ValidationError(
            _("Give a score for each criterion: %(names)s.")
            % {"names": ", ".join(criterion.name for criterion in missing)},
            code="missing",
        )
    for pk, value in values.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not SCORE_MIN <= value <= SCORE_MAX
        ):
            raise ValidationError(
                _("Each score is a whole number from %(min)d to %(max)d (%(criterion)s).")
                % {"min": SCORE_MIN, "max": SCORE_MAX, "criterion": criteria[pk].name},
                code="range",
            )
    return dict(values)
