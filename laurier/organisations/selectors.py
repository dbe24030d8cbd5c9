"""Reads for the organisation pages, each in a constant number of queries."""

import datetime
from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from laurier.core.search import matches_every_word
from laurier.programs.models import (
    Person,
    Program,
)

from .models import AuditEvent, Invitation, Membership


def members_of(organisation, search=""):
    """The organisation's memberships with their user and the programs each one manages there.

    Each user carries `programs_managed_here` (programs of this organisation only).
    """
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__managed_programs",
                queryset=Program.objects.filter(organisation=organisation).order_by("name"),
                to_attr="programs_managed_here",
            )
        )
    )
    if search:
        memberships = memberships.filter(
            matches_every_word(search, ["user__first_name", "user__last_name", "user__email"])
        )
    return memberships


def pending_invitations(organisation):
    """Invitations neither accepted nor revoked (expired ones included: they can be re-sent)."""
    return (
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .prefetch_related(Prefetch("programs", queryset=Program.objects.order_by("name")))
        .order_by("email")
    )


def invitation_by_token(token):
    """The invitation a link points to, whatever its state, or None."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .prefetch_related("programs")
        .filter(token=token)
        .first()
    )


def invitee_language(organisation, email):
    """The language to write to someone invited: their own choice when Laurier knows it.

    A user's chosen language first, then that of the organisation's person with this
    e-mail, then the organisation's language.
    """
    user = get_user_model().objects.filter(email__iexact=email).only("language").first()
    if user is not None and user.language:
        return user.language
    person = (
        Person.objects.filter(organisation=organisation, email__iexact=email)
        .only("language")
        .first()
    )
    if person is not None and person.language:
        return person.language
    return organisation.language


def audit_events(organisation, *, action="", kind="", search=""):
    """The organisation's audit trail, newest first, optionally filtered."""
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if action:
        events = events.filter(action=action)
    if kind:
        events = events.filter(object_type=kind)
    if search:
        events = events.filter(matches_every_word(search, ["object_repr"]))
    return events


def audit_kinds(organisation):
    """(object_type, readable kind) pairs present in the organisation's trail, for a filter."""
    types = (
        AuditEvent.objects.filter(organisation=organisation)
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
    kinds = [
        (object_type, str(AuditEvent(object_type=object_type).object_type_display))
        for object_type in types
    ]
    return sorted(kinds, key=lambda kind: kind[1].lower())


# Changes recorded under a name that is not a model field.
EXTRA_LABELS = {
    "programs": _("programs managed"),
    "rows": _("rows"),
    "created": pgettext_lazy("import count", "rows created"),
    "updated": pgettext_lazy("import count", "rows updated"),
    "unchanged": pgettext_lazy("import count", "rows unchanged"),
    # A person's data exported or erased (privacy).
    "format": _("format"),
    "own_data": _("their own data"),
    "reason": _("reason"),
    # One person's personal link replaced by a manager.
    "new_link": _("new personal link"),
}
# Bookkeeping a reader of the trail has no use for.
HIDDEN_FIELDS = {"id", "password", "token"}


def _model_of(event):
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


def _field_and_label(model, name):
    if name in EXTRA_LABELS:
        return None, str(EXTRA_LABELS[name])
    if model is None:
        return None, name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None, name
    if field.auto_created and not field.concrete:
        # A reverse relation (a campaign's "notes"): the change counts rows, it is no column.
        return None, capfirst(str(field.related_model._meta.verbose_name_plural))
    return field, capfirst(str(getattr(field, "verbose_name", name)))


def names_of_related_objects(events):
    """{(model, pk): name} for every object the events' changes point to by id.

    The trail stores foreign keys as ids; readers want names. One query per kind
    of related object for the whole page, whatever its length.
    """
    wanted = defaultdict(set)
    for event in events:
        model = _model_of(event)
        for name, value in (event.changes or {}).items():
            field, _label = _field_and_label(model, name)
            if field is None or not field.many_to_one:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    wanted[field.related_model].add(str(item))
    names = {}
    for related_model, ids in wanted.items():
        numeric = [int(pk) for pk in ids if pk.isdigit()]
        for obj in related_model._default_manager.filter(pk__in=numeric):
            names[(related_model, str(obj.pk))] = str(obj)
    return names


def _readable_value(field, value, names):
    if value is None or value == "":
        return "—"
    if field is not None and field.many_to_one:
        return names.get((field.related_model, str(value)), str(value))
    if field is not None and field.choices:
        for choice, label in field.flatchoices:
            if str(choice) == str(value):
                return str(label)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    return str(value)


def describe_changes(event, names=None):
    """An audit event's changes as (label, before, after) rows in the reader's language.

    For a creation, `before` is None and `after` holds the recorded value. `names`
    comes from `names_of_related_objects`, to show related objects by name.
    """
    names = names or {}
    model = _model_of(event)
    rows = []
    for name, value in (event.changes or {}).items():
        if name in HIDDEN_FIELDS:
            continue
        field, label = _field_and_label(model, name)
        if isinstance(value, list) and len(value) == 2 and event.action != AuditEvent.Action.CREATE:
            rows.append(
                (
                    label,
                    _readable_value(field, value[0], names),
                    _readable_value(field, value[1], names),
                )
            )
        else:
            rows.append((label, None, _readable_value(field, value, names)))
    return rows


def changes_as_text(event, names=None):
    """The changes of an event on one line, for exports."""
    parts = []
    for label, before, after in describe_changes(event, names):
        colon = pgettext("between a label and its value", ":")
        value = after if before is None else f"{before} → {after}"
        parts.append(f"{label}{colon} {value}")
    return "; ".join(parts)
