"""Creating, editing and retiring an organisation's badges.

A badge's texts and design describe the credentials issued *from now on*: a credential already
issued is signed and never changes, so editing a badge cannot rewrite anybody's proof.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from laurier.organisations.audit import acting_user, record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent

from ..images import BadgeDesign, clean_label
from ..models import BadgeClass, BadgeRule

RULES_WITH_THRESHOLD = (BadgeRule.HOURS, BadgeRule.YEARS, BadgeRule.PAIRINGS)

EDITABLE_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "criteria_fr",
    "criteria_en",
    "shape",
    "palette",
    "emblem",
    "label",
    "rule",
    "threshold",
    "event_kind",
    "valid_years",
    "active",
)


def rule_errors(rule, threshold, event_kind) -> dict:
    """{field: message} for a rule given without what it needs, or with what it cannot use."""
    errors = {}
    if rule not in BadgeRule.values:
        errors["rule"] = _("Choose how the badge is awarded.")
        return errors
    if rule in RULES_WITH_THRESHOLD:
        if threshold is None:
            errors["threshold"] = _("Give the threshold that awards the badge.")
        elif rule == BadgeRule.HOURS and threshold <= 0:
            errors["threshold"] = _("Give more than 0 hours.")
        elif rule == BadgeRule.YEARS and threshold < 1:
            errors["threshold"] = _("Give at least 1 year.")
        elif rule == BadgeRule.PAIRINGS and threshold < 1:
            errors["threshold"] = _("Give at least 1 pairing.")
        elif rule == BadgeRule.PAIRINGS and threshold != int(threshold):
            errors["threshold"] = _("A number of pairings is a whole number.")
    elif threshold is not None:
        errors["threshold"] = _("Leave the threshold empty: this way of awarding has none.")
    if event_kind and rule != BadgeRule.EVENT:
        errors["event_kind"] = _("A kind of event only goes with “Attended an event”.")
    return errors


def _check(organisation, fields, badge=None):
    """Every rule the form checks, again: a crafted request cannot store a bad badge."""
    errors = rule_errors(fields.get("rule"), fields.get("threshold"), fields.get("event_kind"))
    try:
        BadgeDesign(
            shape=fields.get("shape"),
            palette=fields.get("palette"),
            emblem=fields.get("emblem"),
            label=fields.get("label", ""),
        )
    except ValueError:
        errors.setdefault("shape", _("Choose a shape, colours and an emblem from the lists."))
    for field in ("name_fr", "name_en"):
        name = (fields.get(field) or "").strip()
        if not name:
            errors[field] = _("Give the badge a name.")
            continue
        same = BadgeClass.objects.annotate(lower=Lower(field)).filter(
            organisation=organisation, lower=name.lower()
        )
        if badge is not None:
            same = same.exclude(pk=badge.pk)
        if same.exists():
            errors[field] = _("Another badge already has this name.")
    if errors:
        raise ValidationError(errors)


def _cleaned(fields):
    fields = {key: value for key, value in fields.items() if key in EDITABLE_FIELDS}
    if "label" in fields:
        fields["label"] = clean_label(fields["label"])
    for key in ("name_fr", "name_en"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if "event_kind" in fields:
        fields["event_kind"] = fields["event_kind"] or ""
    return fields


def _created_with(organisation, form_token):
    """The badge an earlier submit of the same form created, if any."""
    if not form_token:
        return None
    return BadgeClass.objects.filter(organisation=organisation, request_key=form_token).first()


def create_badge_class(organisation, *, actor, form_token="", **fields) -> tuple[BadgeClass, bool]:
    """(badge, created). A second submit of the same form (same `form_token`) creates nothing
    and returns the first badge. Raises ValidationError, by field, for a badge that breaks a
    rule (a threshold missing, a name another badge has)."""
    fields = _cleaned(fields)
    if earlier := _created_with(organisation, form_token):
        return earlier, False
    try:
        _check(organisation, fields)
        with transaction.atomic():
            badge = BadgeClass.objects.create(
                organisation=organisation,
                created_by=acting_user(actor),
                request_key=form_token,
                **fields,
            )
            record_event(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=badge,
                changes=snapshot(badge),
            )
    except (ValidationError, IntegrityError):
        # The same form sent twice at once: the first submit's badge, committed meanwhile, has
        # the name (ValidationError) or the (organisation, request_key) (IntegrityError) the
        # second one wanted. The second submit returns it.
        if earlier := _created_with(organisation, form_token):
            return earlier, False
        raise
    return badge, True


def edit_badge_class(badge, *, actor, **fields) -> BadgeClass:
    """Change a badge for the credentials issued from now on."""
    fields = _cleaned(fields)
    with transaction.atomic():
        badge = BadgeClass.objects.select_for_update().get(pk=badge.pk)
        merged = {name: getattr(badge, name) for name in EDITABLE_FIELDS} | fields
        _check(badge.organisation, merged, badge=badge)
        before = snapshot(badge)
        for name, value in fields.items():
            setattr(badge, name, value)
        badge.save()
        record_change(
            organisation=badge.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=badge,
            before=before,
        )
        return badge


def retire_badge_class(badge, *, actor) -> BadgeClass:
    """Stop awarding a badge, by hand or by its rule; those who hold it keep it."""
    return _set_active(badge, False, actor)


def reactivate_badge_class(badge, *, actor) -> BadgeClass:
    return _set_active(badge, True, actor)


def _set_active(badge, active, actor):
    with transaction.atomic():
        locked = BadgeClass.objects.select_for_update().get(pk=badge.pk)
        # The caller's badge says the truth too: it may be awarded (or not) next.
        badge.active = active
        if locked.active == active:
            return locked
        before = snapshot(locked)
        locked.active = active
        locked.save(update_fields=["active"])
        record_change(
            organisation=locked.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=locked,
            before=before,
        )
        return locked
