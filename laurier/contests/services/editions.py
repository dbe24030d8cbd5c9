"""Setting up and running an edition: the edition itself (with a first category and rubric
proposed), its categories and their badges, its rubric, its jury and their invitations, and
the nominees a manager withdraws or restores.

Every function checks its rules again, whatever the form did (a crafted request must not get
through), raises ValidationError with translated messages, and audits with `record_change`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Max, Q, Value, When
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from laurier.core.dates import organisation_today
from laurier.core.site_urls import absolute_url
from laurier.credentials.images import Emblem, Palette, Shape
from laurier.credentials.models import BadgeClass, BadgeRule
from laurier.credentials.services.badges import create_badge_class
from laurier.organisations.audit import acting_user, record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent, Role
from laurier.organisations.tenancy import programs_managed_by
from laurier.outbox.services import queue_email
from laurier.programs.models import Person
from laurier.recognition.models import RecognitionOption

from ..models import (
    MAX_WINNERS_PER_CATEGORY,
    Category,
    Criterion,
    Edition,
    Juror,
    Nominee,
    Phase,
    Score,
    new_link_token,
)

# Proposed when an edition is created, so that the manager edits rather than starts blank.
NOMINATION_DAYS = 30
SCORING_DAYS = 21
DAYS_BEFORE_ANNOUNCING = 7
DEFAULT_CATEGORY = {
    "name_fr": "Mentor de l'année",
    "name_en": "Mentor of the year",
    "description_fr": "Le mentor dont l'engagement a le plus marqué ses mentorés cette année.",
    "description_en": "The mentor whose commitment made the greatest difference to their "
    "mentees this year.",
}
DEFAULT_RUBRIC = (
    {
        "name_fr": "Impact sur les mentorés",
        "name_en": "Impact on mentees",
        "guidance_fr": "Qu'est-ce qui a changé pour les mentorés grâce à ce mentor? Cherchez "
        "des exemples concrets dans les témoignages.",
        "guidance_en": "What changed for the mentees thanks to this mentor? Look for concrete "
        "examples in the stories.",
        "weight": 3,
    },
    {
        "name_fr": "Engagement",
        "name_en": "Commitment",
        "guidance_fr": "Régularité, disponibilité et suivi tout au long de l'année.",
        "guidance_en": "Regularity, availability and follow-through all year long.",
        "weight": 2,
    },
    {
        "name_fr": "Générosité",
        "name_en": "Generosity",
        "guidance_fr": "Du temps et des connaissances donnés au-delà de ce qui était demandé, "
        "y compris aux autres mentors et au programme.",
        "guidance_en": "Time and knowledge given beyond what was asked, including to other "
        "mentors and to the program.",
        "weight": 2,
    },
    {
        "name_fr": "Innovation",
        "name_en": "Innovation",
        "guidance_fr": "De nouvelles façons d'accompagner, des ressources créées, des idées "
        "reprises par d'autres.",
        "guidance_en": "New ways of mentoring, resources created, ideas others took up.",
        "weight": 1,
    },
)
# A second click on "Invite" within this delay is the same click: one e-mail.
REINVITE_AFTER = datetime.timedelta(minutes=2)

EDITION_FIELDS = (
    "year",
    "name_fr",
    "name_en",
    "introduction_fr",
    "introduction_en",
    "nominations_open_on",
    "nominations_close_on",
    "scoring_close_on",
    "announce_on",
    "active_mentors_only",
    "min_hours",
    "min_tenure_months",
    "past_winners_excluded_years",
    "allow_self_nomination",
    "option",
)
# What decides who may be nominated and when: changing it once people nominated deserves a
# warning (nominations already made stay).
RULE_FIELDS = (
    "nominations_open_on",
    "nominations_close_on",
    "scoring_close_on",
    "announce_on",
    "active_mentors_only",
    "min_hours",
    "min_tenure_months",
    "past_winners_excluded_years",
    "allow_self_nomination",
)


def default_dates(today):
    """(open, close, scoring close, announce): nominations from today for 30 days, the jury's
    three weeks, the announcement a week later."""
    close = today + datetime.timedelta(days=NOMINATION_DAYS - 1)
    scoring = close + datetime.timedelta(days=SCORING_DAYS)
    return today, close, scoring, scoring + datetime.timedelta(days=DAYS_BEFORE_ANNOUNCING)


def default_names(year):
    return {"name_fr": f"Mentor de l'année {year}", "name_en": f"Mentor of the year {year}"}


def award_options(organisation, keep=None):
    """The catalog's offered recognitions a contest can give, those of the contest category
    first; `keep` (an option id) stays listed even if no longer offered."""
    offered = Q(active=True)
    if keep:
        offered |= Q(pk=keep)
    return (
        RecognitionOption.objects.filter(offered, organisation=organisation)
        .annotate(
            contest_first=Case(
                When(category="contest", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("contest_first", "name_fr", "pk")
    )


def may_run_organisation_wide(membership):
    return membership.role == Role.ADMIN


# --- Editions -------------------------------------------------------------------------------


def _check_scope(membership, program):
    if program is None:
        if not may_run_organisation_wide(membership):
            raise ValidationError(
                {
                    "program": _(
                        "Only the organisation's administrators run an edition for the "
                        "whole organisation: choose one of your programs."
                    )
                }
            )
        return
    if not programs_managed_by(membership).filter(pk=program.pk).exists():
        raise ValidationError({"program": _("Choose one of the programs you manage.")})


def timeline_errors(open_on, close_on, scoring_on, announce_on):
    """{field: message} for dates missing or out of order."""
    errors = {}
    names = {
        "nominations_open_on": open_on,
        "nominations_close_on": close_on,
        "scoring_close_on": scoring_on,
        "announce_on": announce_on,
    }
    for field, value in names.items():
        if value is None:
            errors[field] = _("Give this date.")
    if errors:
        return errors
    if close_on < open_on:
        errors["nominations_close_on"] = _(
            "The last day to nominate cannot come before nominations open."
        )
    if scoring_on <= close_on:
        errors["scoring_close_on"] = _(
            "The jury's last day must come after the last day to nominate: the jury scores "
            "once every nomination is in."
        )
    if announce_on < scoring_on:
        errors["announce_on"] = _(
            "The announcement cannot come before the jury's last day to score."
        )
    return errors


DATE_FIELDS = ("nominations_open_on", "nominations_close_on", "scoring_close_on", "announce_on")
# Once the jury scores, the field of nominees and the rubric they score against must stay as
# they are; the dates are the levers that would otherwise reopen nominations or end scoring.
SCORING_STARTED = (Phase.SCORING, Phase.DELIBERATION, Phase.ANNOUNCED)


def frozen_dates(edition, today):
    """{date field: why it no longer changes}: a date that has passed (nominations' first day
    once it has come), and the nomination dates once the jury scores. Moving them would end
    scoring early, announce early, or reopen nominations behind the jury's back."""
    frozen = {}
    if edition.phase(today) in SCORING_STARTED:
        for field in ("nominations_open_on", "nominations_close_on"):
            frozen[field] = _("The jury is scoring: the nomination dates no longer change.")
    if edition.nominations_open_on <= today:
        frozen.setdefault(
            "nominations_open_on", _("Nominations have opened: this date no longer changes.")
        )
    if edition.nominations_close_on < today:
        frozen.setdefault(
            "nominations_close_on", _("Nominations are closed: this date no longer changes.")
        )
    if edition.scoring_close_on < today:
        frozen["scoring_close_on"] = _("Scoring is closed: this date no longer changes.")
    if edition.announce_on < today:
        frozen["announce_on"] = _("This day has passed: the date no longer changes.")
    return frozen


def date_change_errors(edition, fields, today):
    """{field: message} for the dates of `fields` that `edition` may not take today."""
    frozen = frozen_dates(edition, today)
    errors = {}
    for field in DATE_FIELDS:
        old, new = getattr(edition, field), fields.get(field)
        if new is None or new == old:
            continue
        if field in frozen:
            errors[field] = frozen[field]
        elif new < today:
            errors[field] = _("Choose today or a later day: a date cannot move into the past.")
        elif field == "scoring_close_on" and new < old and edition.phase(today) == Phase.SCORING:
            errors[field] = _(
                "The jury is scoring: their last day can only move later, so that no juror "
                "loses the days they counted on."
            )
    return errors


def _check_fields(organisation, fields, *, keep_option=None):
    errors = timeline_errors(
        fields.get("nominations_open_on"),
        fields.get("nominations_close_on"),
        fields.get("scoring_close_on"),
        fields.get("announce_on"),
    )
    year = fields.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    for field in ("name_fr", "name_en"):
        if not (fields.get(field) or "").strip():
            errors[field] = _("Give the edition a name in both languages.")
        elif len(fields[field].strip()) > 200:
            errors[field] = _("At most 200 characters.")
    for field in ("introduction_fr", "introduction_en"):
        if len(fields.get(field) or "") > 3000:
            errors[field] = _("At most 3000 characters.")
    min_hours = fields.get("min_hours")
    if min_hours is not None and (min_hours < 0 or min_hours >= 100_000):
        errors["min_hours"] = _("Give a number of hours between 0 and 99,999.")
    tenure = fields.get("min_tenure_months")
    if tenure is not None and not 0 <= tenure <= 600:
        errors["min_tenure_months"] = _("Give a number of months between 0 and 600.")
    waiting = fields.get("past_winners_excluded_years") or 0
    if not 0 <= waiting <= 50:
        errors["past_winners_excluded_years"] = _("Give a number of years between 0 and 50.")
    option = fields.get("option")
    if option is not None and (
        option.organisation_id != organisation.pk or not (option.active or option.pk == keep_option)
    ):
        errors["option"] = _("Choose a recognition offered in your organisation's catalog.")
    if errors:
        raise ValidationError(errors)


def duplicate_errors(organisation, program, fields, *, exclude=None):
    """{field: message} when another edition of the same scope (the program, or the whole
    organisation) has the same year, or the same name in either language (whatever the case):
    two would confuse nominators. Two programs may each have their "Mentor of the year 2026"."""
    program_id = program.pk if program is not None else None
    others = Edition.objects.filter(organisation=organisation).exclude(pk=exclude)
    errors = {}
    year = fields.get("year")
    if year is not None and others.filter(program_id=program_id, year=year).exists():
        errors["year"] = (
            _("This program already has an edition for %(year)s.")
            if program_id
            else _("The whole organisation already has an edition for %(year)s.")
        ) % {"year": year}
    # Compared in Python: SQLite folds the case of ASCII letters only, names have accents.
    taken = set()
    for names in others.filter(program_id=program_id).values_list("name_fr", "name_en"):
        taken.update(name.strip().casefold() for name in names)
    for field in ("name_fr", "name_en"):
        name = (fields.get(field) or "").strip()
        if name and name.casefold() in taken:
            errors[field] = _("Another edition already has this name: choose another one.")
    return errors


def _cleaned(fields):
    fields = {key: value for key, value in fields.items() if key in EDITION_FIELDS}
    for key in ("name_fr", "name_en", "introduction_fr", "introduction_en"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    fields["past_winners_excluded_years"] = fields.get("past_winners_excluded_years") or 0
    return fields


def created_with(organisation, form_token):
    if not form_token:
        return None
    return Edition.objects.filter(organisation=organisation, request_key=form_token).first()


def create_edition(membership, *, program=None, form_token="", **fields):
    """(edition, created): a new edition of `program` (None: the whole organisation, for an
    admin), with a first category and the rubric of the contest proposed, ready to edit.

    A second submit of the same form (`form_token`) returns the first edition."""
    organisation = membership.organisation
    if earlier := created_with(organisation, form_token):
        return earlier, False
    if program is not None and program.organisation_id != organisation.pk:
        raise ValidationError({"program": _("Choose one of the programs you manage.")})
    _check_scope(membership, program)
    fields = _cleaned(fields)
    _check_fields(organisation, fields)
    actor = membership.user
    try:
        with transaction.atomic():
            if errors := duplicate_errors(organisation, program, fields):
                raise ValidationError(errors)
            edition = Edition.objects.create(
                organisation=organisation,
                program=program,
                created_by=acting_user(actor),
                request_key=form_token or "",
                **fields,
            )
            record_change(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=edition,
            )
            category = Category.objects.create(edition=edition, position=1, **DEFAULT_CATEGORY)
            record_change(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=category,
            )
            for position, line in enumerate(DEFAULT_RUBRIC, start=1):
                criterion = Criterion.objects.create(edition=edition, position=position, **line)
                record_change(
                    organisation=organisation,
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    instance=criterion,
                )
    except IntegrityError:
        if earlier := created_with(organisation, form_token):
            return earlier, False
        raise
    return edition, True


ANNOUNCED = _lazy("This edition was announced: it no longer changes.")


def check_open(edition):
    """Refuse any change to an announced edition: its result is frozen."""
    if edition.announced_at is not None:
        raise ValidationError(ANNOUNCED)


def has_nominations(edition):
    return Nominee.objects.filter(category__edition=edition).exists()


def edit_edition(edition, membership, *, program=None, today=None, **fields):
    """Save the edition's settings; returns the names of the rules changed (dates, eligibility)
    while nominations exist, for the page to warn about.

    The scope (program or organisation) changes only while nobody was nominated: nominees are
    people of that scope. The dates follow `date_change_errors`: none moves into the past, a
    passed one stays, and scoring can only be lengthened once it has begun."""
    check_open(edition)
    organisation = edition.organisation
    today = today or organisation_today(organisation)
    fields = _cleaned(fields)
    _check_fields(organisation, fields, keep_option=edition.option_id)
    actor = membership.user
    with transaction.atomic():
        edition = (
            Edition.objects.select_for_update().select_related("organisation").get(pk=edition.pk)
        )
        check_open(edition)
        if errors := date_change_errors(edition, fields, today):
            raise ValidationError(errors)
        nominated = has_nominations(edition)
        if (program.pk if program else None) != edition.program_id:
            if nominated:
                raise ValidationError(
                    {
                        "program": _(
                            "People were already nominated: the edition's scope no longer changes."
                        )
                    }
                )
            if program is not None and program.organisation_id != organisation.pk:
                raise ValidationError({"program": _("Choose one of the programs you manage.")})
            _check_scope(membership, program)
            edition.program = program
        if errors := duplicate_errors(organisation, edition.program, fields, exclude=edition.pk):
            raise ValidationError(errors)
        before = snapshot(edition)
        changed = [name for name in RULE_FIELDS if getattr(edition, name) != fields.get(name)]
        for name, value in fields.items():
            setattr(edition, name, value)
        edition.save()
        record_change(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=edition,
            before=before,
        )
    return changed if nominated else []


def renew_nomination_link(edition, *, actor):
    """A new public nomination address: the old one stops working at once."""
    check_open(edition)
    with transaction.atomic():
        edition.nomination_token = new_link_token()
        edition.save(update_fields=["nomination_token"])
        # The token is a secret: the audit says the link changed, never what it is.
        record_event(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=edition,
            changes={"nomination_token": ["…", _("new link")]},
        )
    return edition


# --- Categories -----------------------------------------------------------------------------


def _check_names(model, edition, fields, instance=None, message=None):
    errors = {}
    for field in ("name_fr", "name_en"):
        name = (fields.get(field) or "").strip()
        if not name:
            errors[field] = _("Give a name in both languages.")
            continue
        if len(name) > 200:
            errors[field] = _("At most 200 characters.")
            continue
        same = model.objects.annotate(lower=Lower(field)).filter(
            edition=edition, lower=name.lower()
        )
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors[field] = message
    return errors


def _check_category(edition, fields, category=None):
    errors = _check_names(
        Category, edition, fields, category, _("Another category of this edition has this name.")
    )
    winners = fields.get("winners")
    if not isinstance(winners, int) or not 1 <= winners <= MAX_WINNERS_PER_CATEGORY:
        errors["winners"] = _("Give between 1 and %(max)s winners.") % {
            "max": MAX_WINNERS_PER_CATEGORY
        }
    badge = fields.get("badge_class")
    if badge is not None and not (
        badge.organisation_id == edition.organisation_id
        and badge.rule == BadgeRule.CONTEST
        and (badge.active or (category is not None and badge.pk == category.badge_class_id))
    ):
        errors["badge_class"] = _(
            "Choose an active badge of your organisation awarded for winning a contest category."
        )
    for field in ("description_fr", "description_en"):
        if len(fields.get(field) or "") > 2000:
            errors[field] = _("At most 2000 characters.")
    if errors:
        raise ValidationError(errors)


def _free_badge_name(organisation, field, wanted):
    """`wanted`, or `wanted (2)`, `(3)`...: badge names are unique in an organisation."""
    taken = {
        name.lower()
        for name in BadgeClass.objects.filter(organisation=organisation)
        .annotate(lower=Lower(field))
        .filter(lower__startswith=wanted[:100].lower())
        .values_list(field, flat=True)
    }
    name, number = wanted[:110], 1
    while name.lower() in taken:
        number += 1
        name = f"{wanted[:110]} ({number})"
    return name


def _new_badge(edition, fields, actor):
    """A badge for the category's winners: rule "won a contest category", a gold rosette with a
    trophy, its texts from the category and the edition."""
    organisation = edition.organisation
    texts = {}
    for suffix in ("fr", "en"):
        category_name = fields[f"name_{suffix}"].strip()
        edition_name = getattr(edition, f"name_{suffix}")
        texts[f"name_{suffix}"] = _free_badge_name(
            organisation, f"name_{suffix}", f"{category_name} {edition.year}"
        )
        with translation.override("fr-ca" if suffix == "fr" else "en"):
            texts[f"description_{suffix}"] = (fields.get(f"description_{suffix}") or "").strip()[
                :1000
            ] or _("Awarded to the winners of %(category)s, %(edition)s.") % {
                "category": category_name,
                "edition": edition_name,
            }
            texts[f"criteria_{suffix}"] = _(
                "Chosen by the jury of %(edition)s, in the category %(category)s, among the "
                "mentors nominated by their mentees, peers and managers."
            ) % {"edition": edition_name, "category": category_name}
    badge, _created = create_badge_class(
        organisation,
        actor=actor,
        shape=Shape.ROSETTE,
        palette=Palette.GOLD,
        emblem=Emblem.TROPHY,
        label=str(edition.year),
        rule=BadgeRule.CONTEST,
        threshold=None,
        event_kind="",
        active=True,
        **texts,
    )
    return badge


CATEGORY_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "winners",
    "badge_class",
)


def create_category(edition, *, actor, create_badge=False, **fields):
    """A new category at the end of the list; `create_badge` makes it its own badge."""
    check_open(edition)
    fields = {key: value for key, value in fields.items() if key in CATEGORY_FIELDS}
    if create_badge:
        fields["badge_class"] = None
    _check_category(edition, fields)
    for key in ("name_fr", "name_en"):
        fields[key] = fields[key].strip()
    with transaction.atomic():
        if create_badge:
            fields["badge_class"] = _new_badge(edition, fields, actor)
        return _append(
            Category, edition, fields, actor, _("Another category of this edition has this name.")
        )


def winners_refusal(edition, today):
    """Why a category's number of winners no longer changes, or "": once scoring closes the
    managers see the ranking, and one more winner would be chosen by name."""
    if edition.phase(today) == Phase.DELIBERATION:
        return _(
            "Scoring is closed: the number of winners no longer changes, so that it was set "
            "before anyone saw the ranking."
        )
    return ""


def edit_category(category, *, actor, create_badge=False, **fields):
    edition = category.edition
    check_open(edition)
    fields = {key: value for key, value in fields.items() if key in CATEGORY_FIELDS}
    if create_badge:
        fields["badge_class"] = None
    _check_category(edition, fields, category)
    if fields.get("winners") != category.winners and (
        refusal := winners_refusal(edition, organisation_today(edition.organisation))
    ):
        raise ValidationError({"winners": refusal})
    for key in ("name_fr", "name_en"):
        fields[key] = fields[key].strip()
    with transaction.atomic():
        if create_badge:
            fields["badge_class"] = _new_badge(edition, fields, actor)
        before = snapshot(category)
        for key, value in fields.items():
            setattr(category, key, value)
        category.save()
        record_change(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=category,
            before=before,
        )
    return category


CATEGORY_IN_USE = _lazy("People were nominated in this category: it can no longer be deleted.")


def delete_category(category, *, actor):
    """Delete a category nobody was nominated in; its badge stays (it may serve elsewhere)."""
    edition = category.edition
    check_open(edition)
    with transaction.atomic():
        if Nominee.objects.filter(category=category).exists():
            raise ValidationError(CATEGORY_IN_USE)
        record_change(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=category,
        )
        category.delete()


# --- The rubric -----------------------------------------------------------------------------


CRITERION_FIELDS = ("name_fr", "name_en", "guidance_fr", "guidance_en", "weight")
RUBRIC_LOCKED = _lazy(
    "The jury started scoring: the rubric no longer changes, so that every nominee is scored on "
    "the same criteria and weights."
)


def rubric_locked(edition):
    return Score.objects.filter(criterion__edition=edition).exists()


def _check_rubric_open(edition):
    check_open(edition)
    if rubric_locked(edition):
        raise ValidationError(RUBRIC_LOCKED)


def _check_criterion(edition, fields, criterion=None):
    errors = _check_names(
        Criterion,
        edition,
        fields,
        criterion,
        _("Another criterion of this rubric has this name."),
    )
    weight = fields.get("weight")
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        errors["weight"] = _("Give a weight between 1 and 100.")
    for field in ("guidance_fr", "guidance_en"):
        if len(fields.get(field) or "") > 2000:
            errors[field] = _("At most 2000 characters.")
    if errors:
        raise ValidationError(errors)


def create_criterion(edition, *, actor, **fields):
    fields = {key: value for key, value in fields.items() if key in CRITERION_FIELDS}
    _check_rubric_open(edition)
    _check_criterion(edition, fields)
    for key in ("name_fr", "name_en"):
        fields[key] = fields[key].strip()
    with transaction.atomic():
        return _append(
            Criterion, edition, fields, actor, _("Another criterion of this rubric has this name.")
        )


def _append(model, edition, fields, actor, name_taken):
    """A new category or criterion at the end of the edition's list, audited."""
    last = model.objects.filter(edition=edition).aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            row = model.objects.create(edition=edition, position=last + 1, **fields)
    except IntegrityError:
        # The same form sent twice at once: the first one has the names.
        raise ValidationError({"name_fr": name_taken}) from None
    record_change(
        organisation=edition.organisation,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=row,
    )
    return row


def edit_criterion(criterion, *, actor, **fields):
    edition = criterion.edition
    fields = {key: value for key, value in fields.items() if key in CRITERION_FIELDS}
    _check_rubric_open(edition)
    _check_criterion(edition, fields, criterion)
    for key in ("name_fr", "name_en"):
        fields[key] = fields[key].strip()
    with transaction.atomic():
        before = snapshot(criterion)
        for key, value in fields.items():
            setattr(criterion, key, value)
        criterion.save()
        record_change(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=criterion,
            before=before,
        )
    return criterion


def delete_criterion(criterion, *, actor):
    edition = criterion.edition
    _check_rubric_open(edition)
    with transaction.atomic():
        record_change(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=criterion,
        )
        criterion.delete()


# --- The jury -------------------------------------------------------------------------------


def add_juror(edition, *, actor, kind, person=None, name="", email="", language=""):
    """A juror chosen among the organisation's people, or typed (name, e-mail, language): a
    typed e-mail that is someone's of the organisation links them, so that their pairings
    reveal conflicts of interest."""
    check_open(edition)
    organisation = edition.organisation
    errors = {}
    chosen = person is not None
    if kind not in Juror.Kind.values:
        errors["kind"] = _("Choose the juror's role.")
    if person is not None:
        if person.organisation_id != organisation.pk:
            raise ValidationError({"person": _("Choose someone of your organisation.")})
        name, email, language = person.full_name, person.email, person.language
    else:
        name, email = (name or "").strip(), (email or "").strip()
        if not name:
            errors["name"] = _("Give the juror's name.")
        if not email or "@" not in email:
            errors["email"] = _("Give the juror's e-mail address.")
        if language not in dict(Juror._meta.get_field("language").choices):
            errors["language"] = _("Choose the language of their e-mails.")
        if email:
            person = Person.objects.filter(organisation=organisation, email__iexact=email).first()
    if not errors and Juror.objects.filter(edition=edition, email__iexact=email).exists():
        errors["person" if chosen else "email"] = _("This person is already on the jury.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            juror = Juror.objects.create(
                edition=edition,
                person=person,
                name=name[:200],
                email=email,
                language=language or "fr-ca",
                kind=kind,
            )
            record_change(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=juror,
            )
    except IntegrityError:
        # The same form sent twice at once: the first one added them.
        raise ValidationError(_("This person is already on the jury.")) from None
    return juror


def juror_link(juror):
    return absolute_url("contests:juror_home", juror.token)


def invitation_email(juror):
    """(subject, text, HTML) of a juror's invitation, in their language."""
    edition = juror.edition
    organisation = edition.organisation
    with translation.override(juror.language), timezone.override(organisation.time_zone):
        context = {
            "juror": juror,
            "edition": edition,
            "edition_name": edition.name,
            "organisation": organisation,
            "link": juror_link(juror),
            "language": juror.language,
            "categories": [category.name for category in edition.categories.all()],
        }
        subject = _("%(organisation)s: you are on the jury of %(edition)s") % {
            "organisation": organisation.name,
            "edition": edition.name,
        }
        text = render_to_string("contests/email/juror_invitation.txt", context)
        html = render_to_string("contests/email/juror_invitation.html", context)
    return subject, text, html


def invite_juror(juror, *, actor, now=None):
    """E-mail the juror their personal link; inviting again sends it again. Returns whether an
    e-mail was queued (a second click at once sends nothing more)."""
    now = now or timezone.now()
    with transaction.atomic():
        juror = (
            Juror.objects.select_for_update()
            .select_related("edition__organisation")
            .get(pk=juror.pk)
        )
        edition = juror.edition
        check_open(edition)
        if juror.invited_at and now - juror.invited_at < REINVITE_AFTER:
            return False
        subject, text, html = invitation_email(juror)
        queue_email(
            organisation=edition.organisation,
            to=juror.email,
            subject=subject,
            text=text,
            html=html,
            reason=f"contest-juror-invitation:{juror.pk}:{now.isoformat()}",
            topic=f"contest-jury:{edition.pk}",
        )
        before = snapshot(juror)
        juror.invited_at = now
        juror.save(update_fields=["invited_at"])
        record_change(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=juror,
            before=before,
        )
    return True


def remove_juror(juror, *, actor):
    """Take someone off the jury before they score. Once they scored, their scores are part of
    the result every other juror's normalisation sits beside: removing them would change the
    ranking silently, so it is refused (a conflict of interest, recorded per nominee, sets aside
    the scores that should not count, and says why)."""
    edition = juror.edition
    check_open(edition)
    with transaction.atomic():
        if Score.objects.filter(juror=juror).exists():
            raise ValidationError(
                _(
                    "This juror has already scored: their scores are part of the result, so they "
                    "stay on the jury. If they should not score a nominee, record a conflict of "
                    "interest for that nominee: it sets those scores aside."
                )
            )
        record_change(
            organisation=edition.organisation,
            actor=actor,
            action=AuditEvent.Action.DELETE,
            instance=juror,
        )
        juror.delete()


# --- Nominees -------------------------------------------------------------------------------


def field_refusal(edition, today):
    """Why who is in the running (withdrawals, conflicts of interest) can no longer change, or
    "". Once scoring closes the managers see the ranking: changing the field then would let
    them choose the result rather than the jury."""
    if edition.announced_at is not None:
        return ANNOUNCED
    if edition.phase(today) == Phase.DELIBERATION:
        return _(
            "Scoring is closed: who is in the running and which scores count no longer change, "
            "so that the result stays the one the jury gave."
        )
    return ""


def _check_field_open(edition, today):
    if refusal := field_refusal(edition, today or organisation_today(edition.organisation)):
        raise ValidationError(refusal)


def set_nominee_status(nominee, status, reason, *, actor, organisation):
    """Record a nominee's new status (withdrawn, declined, back in the running) and audit it."""
    before = snapshot(nominee)
    nominee.status = status
    nominee.status_reason = reason
    nominee.status_changed_at = timezone.now()
    nominee.save(update_fields=["status", "status_reason", "status_changed_at"])
    record_change(
        organisation=organisation,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=nominee,
        before=before,
    )


def withdraw_nominee(nominee, *, actor, reason, today=None):
    """Take a nominee out of the running (the jury no longer sees them), saying why; only
    until scoring closes (see `field_refusal`)."""
    edition = nominee.category.edition
    _check_field_open(edition, today)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the jury and the other managers read it.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most 300 characters.")})
    with transaction.atomic():
        nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
        if nominee.status != Nominee.Status.NOMINATED:
            raise ValidationError(_("This nominee is no longer in the running."))
        set_nominee_status(
            nominee,
            Nominee.Status.WITHDRAWN,
            reason,
            actor=actor,
            organisation=edition.organisation,
        )
    return nominee


def may_restore(nominee, today):
    return nominee.status == Nominee.Status.WITHDRAWN and not field_refusal(
        nominee.category.edition, today
    )


def restore_nominee(nominee, *, actor, today=None):
    """Put a withdrawn nominee back in the running, while the jury can still score them. A
    nominee who declined chose so themselves: only they can change it."""
    edition = nominee.category.edition
    _check_field_open(edition, today)
    with transaction.atomic():
        nominee = Nominee.objects.select_for_update().get(pk=nominee.pk)
        if nominee.status == Nominee.Status.NOMINATED:
            return nominee
        if nominee.status == Nominee.Status.DECLINED:
            raise ValidationError(
                _("This nominee declined the nomination: only they can change their mind.")
            )
        set_nominee_status(
            nominee, Nominee.Status.NOMINATED, "", actor=actor, organisation=edition.organisation
        )
    return nominee
