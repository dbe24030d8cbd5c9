"""Writes of the culture profile: an organisation describes how it likes to recognise people."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent

from ..culture import AXES, STRONG
from ..models import CultureProfile

PROFILE_FIELDS = (
    "values_fr",
    "values_en",
    "norms_fr",
    "norms_en",
    *(axis.leaning for axis in AXES),
)
LEANING_OUT_OF_RANGE = _("Choose one of the five steps.")


def clean_values(text):
    """One value per line: lines trimmed, empty and repeated ones dropped, order kept."""
    seen, values = set(), []
    for line in (text or "").splitlines():
        value = line.strip()
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            values.append(value)
    return "\n".join(values)


def check_profile(fields):
    """Raise a ValidationError naming each leaning outside -2..2."""
    errors = {}
    for axis in AXES:
        lean = fields[axis.leaning]
        if not isinstance(lean, int) or isinstance(lean, bool) or abs(lean) > STRONG:
            errors[axis.leaning] = LEANING_OUT_OF_RANGE
    if errors:
        raise ValidationError(errors)


def save_culture_profile(*, organisation, actor, **fields):
    """Create or update the organisation's culture profile; returns it.

    The profile is made the first time it is saved. Two first saves at the same moment cannot
    make two profiles: the database allows one per organisation, and the second save updates
    the profile the first one made.
    """
    fields = {name: fields.get(name) for name in PROFILE_FIELDS}
    for name in ("values_fr", "values_en"):
        fields[name] = clean_values(fields[name])
    for name in ("norms_fr", "norms_en"):
        fields[name] = (fields[name] or "").strip()
    for axis in AXES:
        if fields[axis.leaning] is None:
            fields[axis.leaning] = 0
    check_profile(fields)
    with transaction.atomic():
        profile, created = _profile_for_update(organisation, actor, fields)
        if created:
            record_change(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=profile,
            )
            return profile
        before = snapshot(profile)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.updated_by = actor
        profile.save()
        record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=profile,
            before={**before, "updated_by": snapshot(profile)["updated_by"]},
        )
    return profile


def _profile_for_update(organisation, actor, fields):
    """(profile locked for update, created): made with `fields` when there was none."""
    profile = CultureProfile.objects.select_for_update().filter(organisation=organisation).first()
    if profile is not None:
        return profile, False
    try:
        with transaction.atomic():
            return (
                CultureProfile.objects.create(
                    organisation=organisation, updated_by=actor, **fields
                ),
                True,
            )
    except IntegrityError:
        # Another first save won the race: update the profile it made.
        return CultureProfile.objects.select_for_update().get(organisation=organisation), False
