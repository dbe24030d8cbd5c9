"""Writes of the recognition catalog: options created, edited, retired and offered again.

Every rule the option form checks is checked here again, so a crafted request cannot break one:
names in both languages, costs never negative, a capacity of at least one, at least one moment,
known moments and givers. Options are never deleted: ledger entries and plans point at them, so
an option no longer offered is retired and keeps its history.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurier.core.money import to_cents
from laurier.organisations.audit import record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent, Organisation

from ..categories import Giver, RecognitionMoment
from ..models import RecognitionOption

OPTION_FIELDS = (
    "category",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "cost_money",
    "staff_hours",
    "material_items",
    "material_needs",
    "capacity",
    "capacity_period",
    "visibility",
    "formality",
    "scope",
    "nature",
    "min_hours_mentored",
    "min_tenure_months",
    "active_mentors_only",
    "contest_winners_only",
    "moments",
    "usual_givers",
    "personalisation",
)
TEXT_FIELDS = ("name_fr", "name_en", "description_fr", "description_en", "material_needs")

NAME_REQUIRED = _("Give the option a name in this language.")
NAME_TAKEN = _("Another option of the catalog already has this name.")
RETIRED_NAME_TAKEN = _(
    "A retired option of the catalog has this name: offer it again rather than adding it anew."
)
NEGATIVE_COST = _("A cost cannot be negative.")
NEGATIVE_NUMBER = _("This number cannot be negative.")
CAPACITY_AT_LEAST_ONE = _("A capacity is at least 1; leave it empty when the option has no limit.")
MOMENT_REQUIRED = _("Choose at least one moment at which the option can be given.")
UNKNOWN_CHOICE = _("Choose among the listed values.")


NOT_A_NUMBER = _("Enter a number.")


def clean_fields(fields):
    """The submitted fields, trimmed and typed as stored (money rounded to the cent).

    Moments and givers keep the calendar's order, whatever order they were ticked in.
    """
    # A field left out takes the model's default, as an option made any other way would.
    cleaned = {name: fields[name] if name in fields else _default(name) for name in OPTION_FIELDS}
    for name in TEXT_FIELDS:
        cleaned[name] = (cleaned[name] or "").strip()
    errors = {}
    for name, kind, empty in (
        ("cost_money", Decimal, Decimal("0")),
        ("staff_hours", Decimal, Decimal("0")),
        ("material_items", int, 0),
        ("min_hours_mentored", Decimal, None),
        ("min_tenure_months", int, None),
        ("capacity", int, None),
    ):
        value = cleaned[name]
        if value is None or value == "":
            cleaned[name] = empty
            continue
        try:
            cleaned[name] = kind(value)
        except (ArithmeticError, TypeError, ValueError):
            errors[name] = NOT_A_NUMBER
            continue
        if kind is Decimal and not cleaned[name].is_finite():
            errors[name] = NOT_A_NUMBER
    if errors:
        raise ValidationError(errors)
    # Hours are stored with two decimals too; typed "0.5" must compare equal to stored "0.50".
    for name in ("cost_money", "staff_hours", "min_hours_mentored"):
        if cleaned[name] is not None:
            cleaned[name] = to_cents(cleaned[name])
    cleaned["moments"] = _in_order(cleaned["moments"], RecognitionMoment.values)
    cleaned["usual_givers"] = _in_order(cleaned["usual_givers"], Giver.values)
    for flag in ("active_mentors_only", "contest_winners_only"):
        cleaned[flag] = bool(cleaned[flag])
    return cleaned


def _default(name):
    field = RecognitionOption._meta.get_field(name)
    return field.get_default() if field.has_default() else None


def _in_order(chosen, known):
    """`chosen` in the order of `known`, unknown values kept at the end for the check to refuse."""
    chosen = list(dict.fromkeys(chosen or ()))
    return [value for value in known if value in chosen] + [
        value for value in chosen if value not in known
    ]


def check_option(fields):
    """Raise a ValidationError naming each field that breaks a rule of the catalog."""
    errors = {}
    for name in ("name_fr", "name_en"):
        if not fields[name]:
            errors[name] = NAME_REQUIRED
    if fields["cost_money"] < 0:
        errors["cost_money"] = NEGATIVE_COST
    if fields["staff_hours"] < 0:
        errors["staff_hours"] = NEGATIVE_COST
    if fields["material_items"] < 0:
        errors["material_items"] = NEGATIVE_NUMBER
    if fields["min_hours_mentored"] is not None and fields["min_hours_mentored"] < 0:
        errors["min_hours_mentored"] = NEGATIVE_NUMBER
    if fields["min_tenure_months"] is not None and fields["min_tenure_months"] < 0:
        errors["min_tenure_months"] = NEGATIVE_NUMBER
    if fields["capacity"] is not None and fields["capacity"] < 1:
        errors["capacity"] = CAPACITY_AT_LEAST_ONE
    if not fields["moments"]:
        errors["moments"] = MOMENT_REQUIRED
    elif set(fields["moments"]) - set(RecognitionMoment.values):
        errors["moments"] = UNKNOWN_CHOICE
    if set(fields["usual_givers"]) - set(Giver.values):
        errors["usual_givers"] = UNKNOWN_CHOICE
    if errors:
        raise ValidationError(errors)


def _validated(option):
    """Check the choices and lengths the model declares (category, visibility...)."""
    try:
        option.full_clean(exclude=["organisation", "moments", "usual_givers"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _same_name(organisation, fields, exclude_pk=None):
    return (
        RecognitionOption.objects.filter(organisation=organisation)
        .filter(Q(name_fr__iexact=fields["name_fr"]) | Q(name_en__iexact=fields["name_en"]))
        .exclude(pk=exclude_pk)
        .order_by("pk")
        .first()
    )


def _name_taken(earlier, fields):
    """The error for a name another option has, on the field that repeats it."""
    field = "name_fr" if earlier.name_fr.lower() == fields["name_fr"].lower() else "name_en"
    return ValidationError({field: NAME_TAKEN if earlier.active else RETIRED_NAME_TAKEN})


def _same_as(option, fields):
    return all(getattr(option, name) == fields[name] for name in OPTION_FIELDS)


def create_option(*, organisation, actor, **fields):
    """Add an option to the organisation's catalog; returns (option, created).

    Names are what managers pick options by, so another option may not have either of them.
    The organisation row is locked while checking, so the same form sent twice (a double click,
    a reload) returns the option the first one created, with created=False.
    """
    fields = clean_fields(fields)
    check_option(fields)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if earlier := _same_name(organisation, fields):
            if _same_as(earlier, fields):
                return earlier, False
            raise _name_taken(earlier, fields)
        option = RecognitionOption(organisation=organisation, **fields)
        _validated(option)
        option.save()
        record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=option,
        )
    return option, True


def update_option(option, *, actor, **fields):
    """Save a manager's changes to an option; a standard option stays the standard one."""
    fields = clean_fields(fields)
    check_option(fields)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=option.organisation_id).first()
        option = RecognitionOption.objects.select_for_update().get(pk=option.pk)
        if earlier := _same_name(option.organisation_id, fields, exclude_pk=option.pk):
            raise _name_taken(earlier, fields)
        before = {
            **snapshot(option),
            "moments": option.moments,
            "usual_givers": option.usual_givers,
        }
        for name, value in fields.items():
            setattr(option, name, value)
        _validated(option)
        option.save()
        _audit_update(option, actor, before)
    return option


def _audit_update(option, actor, before):
    # snapshot() leaves lists out; moments and givers are lists, so they are compared here.
    event = record_change(
        organisation=option.organisation,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=option,
        before=before,
    )
    changed_lists = {
        name: [before[name], getattr(option, name)]
        for name in ("moments", "usual_givers")
        if before[name] != getattr(option, name)
    }
    # record_change compares plain fields only; the two lists are added to its event.
    if changed_lists and event is None:
        record_event(
            organisation=option.organisation_id,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=option,
            changes=changed_lists,
        )
    elif changed_lists:
        event.changes.update(changed_lists)
        event.save(update_fields=["changes"])


def retire_option(option, *, actor):
    """Stop offering an option; its history stays. Returns False when it was already retired."""
    return _set_offered(option, actor=actor, offered=False)


def reactivate_option(option, *, actor):
    """Offer a retired option again. Returns False when it was already offered."""
    return _set_offered(option, actor=actor, offered=True)


def _set_offered(option, *, actor, offered):
    with transaction.atomic():
        option = RecognitionOption.objects.select_for_update().get(pk=option.pk)
        if option.active == offered:
            return False
        before = snapshot(option)
        option.active = offered
        option.retired_at = None if offered else timezone.now()
        option.save(update_fields=["active", "retired_at", "updated_at"])
        record_change(
            organisation=option.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=option,
            before=before,
        )
    return True
