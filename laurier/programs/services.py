"""Writes for programs, cycles, people, enrolments and pairings.

Each service runs in one transaction, checks its invariants again (a crafted
request must not get round a form), and records what the person did in the
audit trail. Rule violations raise `ValidationError` with a translated message.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from laurier.api import webhooks
from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent

from .figures_cache import figures_changed
from .models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)
from .selectors import possible_managers

PROGRAM_FIELDS = (
    "name",
    "slug",
    "objectives",
    "expectations",
    "expected_hours_per_month",
    "commitment_months",
    "status",
)
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "language",
    "department",
    "job_title",
    "hire_date",
)


def _audit(organisation, actor, action, instance, before=None):
    record_change(
        organisation=organisation, actor=actor, action=action, instance=instance, before=before
    )


# Programs


def unique_program_slug(organisation, name, exclude_pk=None):
    """A slug from `name` that no other program of the organisation uses."""
    base = slugify(name)[:50] or "program"
    taken = set(
        Program.objects.filter(organisation=organisation, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _check_managers(organisation, managers):
    allowed = set(possible_managers(organisation).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in managers):
        raise ValidationError(
            _("Only managers and admins of the organisation can manage a program.")
        )


SLUG_TAKEN = _("Another program of the organisation already uses this short name.")


def _check_program_slug(organisation, slug, exclude_pk=None):
    if Program.objects.filter(organisation=organisation, slug=slug).exclude(pk=exclude_pk).exists():
        raise ValidationError(SLUG_TAKEN)


def _save_program(program, exclude_pk=None):
    """Save in a savepoint: a concurrent submit that passed the same checks meets the constraint.

    The name is checked again first, since a double submit repeats the name, which
    says more to the person than the slug it was turned into.
    """
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError as error:
        _check_program_name(program.organisation, program.name, exclude_pk=exclude_pk)
        raise ValidationError(SLUG_TAKEN) from error


def _check_program_name(organisation, name, exclude_pk=None):
    # Names are what people pick programs by; a repeated one is most often a double submit.
    if (
        Program.objects.filter(organisation=organisation, name__iexact=name.strip())
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationError({"name": _("Another program of the organisation has this name.")})


@transaction.atomic
def create_program(*, organisation, actor, managers=(), **fields):
    """Create a program; the slug comes from the name when none is given."""
    managers = list(managers)
    _check_managers(organisation, managers)
    _check_program_name(organisation, fields["name"])
    if fields.get("slug"):
        _check_program_slug(organisation, fields["slug"])
    else:
        fields["slug"] = unique_program_slug(organisation, fields["name"])
    program = Program(organisation=organisation, **fields)
    program.full_clean(exclude=["organisation"])
    _save_program(program)
    program.managers.set(managers)
    _audit(organisation, actor, AuditEvent.Action.CREATE, program)
    return program


@transaction.atomic
def update_program(program, *, actor, managers=None, **fields):
    """Change a program's settings (and its managers when `managers` is given)."""
    before = snapshot(program)
    if "name" in fields:
        _check_program_name(program.organisation, fields["name"], exclude_pk=program.pk)
    if "slug" in fields and not fields["slug"]:
        fields["slug"] = unique_program_slug(
            program.organisation, fields.get("name", program.name), program.pk
        )
    if "slug" in fields:
        _check_program_slug(program.organisation, fields["slug"], exclude_pk=program.pk)
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean(exclude=["organisation"])
    _save_program(program, exclude_pk=program.pk)
    if managers is not None:
        managers = list(managers)
        _check_managers(program.organisation, managers)
        program.managers.set(managers)
    _audit(program.organisation, actor, AuditEvent.Action.UPDATE, program, before)
    return program


# Cycles


def _check_cycle_dates(starts_on, ends_on):
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("A cycle must end after it starts.")})


CYCLE_NAME_TAKEN = _("The program already has a cycle with this name.")


def _check_cycle_name(program, name, exclude_pk=None):
    if (
        Cycle.objects.filter(program=program, name__iexact=name.strip())
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationError({"name": CYCLE_NAME_TAKEN})


def _save_cycle(cycle):
    """Save in a savepoint: a concurrent submit that passed the name check meets the constraint."""
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as error:
        raise ValidationError({"name": CYCLE_NAME_TAKEN}) from error


@transaction.atomic
def create_cycle(*, program, actor, name, starts_on, ends_on):
    """Add a cycle (a cohort with dates) to a program; names are unique in it, whatever the case."""
    name = name.strip()
    _check_cycle_dates(starts_on, ends_on)
    _check_cycle_name(program, name)
    cycle = Cycle(program=program, name=name, starts_on=starts_on, ends_on=ends_on)
    _save_cycle(cycle)
    _audit(program.organisation, actor, AuditEvent.Action.CREATE, cycle)
    return cycle


@transaction.atomic
def update_cycle(cycle, *, actor, name, starts_on, ends_on):
    """Rename a cycle or move its dates."""
    name = name.strip()
    _check_cycle_dates(starts_on, ends_on)
    _check_cycle_name(cycle.program, name, exclude_pk=cycle.pk)
    before = snapshot(cycle)
    cycle.name, cycle.starts_on, cycle.ends_on = name, starts_on, ends_on
    _save_cycle(cycle)
    _audit(cycle.program.organisation, actor, AuditEvent.Action.UPDATE, cycle, before)
    return cycle


# People


def _check_person_email(organisation, email, exclude_pk=None):
    if (
        Person.objects.filter(organisation=organisation, email__iexact=email)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationError(
            {
                "email": _(
                    "Someone in the organisation already has this e-mail address "
                    "(addresses are compared without case)."
                )
            }
        )


@transaction.atomic
def create_person(*, organisation, actor, **fields):
    """Add a person to the organisation; their e-mail must be unique in it, whatever the case."""
    fields["email"] = fields["email"].strip()
    _check_person_email(organisation, fields["email"])
    person = Person(organisation=organisation, **fields)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Two requests raced past the check above: the database constraint decides.
        _check_person_email(organisation, fields["email"])
        raise
    _audit(organisation, actor, AuditEvent.Action.CREATE, person)
    return person


@transaction.atomic
def update_person(person, *, actor, **fields):
    """Change a person's details."""
    if "email" in fields:
        fields["email"] = fields["email"].strip()
        _check_person_email(person.organisation_id, fields["email"], exclude_pk=person.pk)
    before = snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    _audit(person.organisation, actor, AuditEvent.Action.UPDATE, person, before)
    figures_changed(person.organisation_id)
    return person


# Enrolments


def _check_has_not_left(person, field=None):
    """Someone marked as having left the organisation (HR file) is enrolled or paired no more:
    the pages, the API and the importer all go through this rule."""
    if person.left_on is not None:
        message = _("%(person)s has left the organisation.") % {"person": person.full_name}
        raise ValidationError({field: message} if field else message)


def _enrol(model, *, program, person, since, actor, already_message):
    if person.organisation_id != program.organisation_id:
        raise ValidationError(_("This person is not part of the program's organisation."))
    _check_has_not_left(person, "person")
    if model.objects.filter(program=program, person=person).exists():
        raise ValidationError(already_message % {"person": person.full_name})
    try:
        with transaction.atomic():
            enrolment = model.objects.create(program=program, person=person, since=since)
    except IntegrityError as error:
        raise ValidationError(already_message % {"person": person.full_name}) from error
    _audit(program.organisation, actor, AuditEvent.Action.CREATE, enrolment)
    figures_changed(program.organisation_id)
    return enrolment


@transaction.atomic
def enrol_mentor(*, program, person, since, actor):
    """Make a person of the organisation a mentor of the program, active from `since`."""
    enrolment = _enrol(
        MentorEnrolment,
        program=program,
        person=person,
        since=since,
        actor=actor,
        already_message=_("%(person)s is already a mentor of this program."),
    )
    webhooks.mentor_joined(program.organisation_id, [enrolment])
    return enrolment


@transaction.atomic
def enrol_mentee(*, program, person, since, actor):
    """Make a person of the organisation a mentee of the program, active from `since`."""
    return _enrol(
        MenteeEnrolment,
        program=program,
        person=person,
        since=since,
        actor=actor,
        already_message=_("%(person)s is already a mentee of this program."),
    )


@transaction.atomic
def enrol_new_person(*, program, role, since, actor, first_name, last_name, email):
    """Add a new person to the organisation and enrol them as mentor or mentee, all or nothing."""
    person = create_person(
        organisation=program.organisation,
        actor=actor,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=program.organisation.language,
    )
    enrol = enrol_mentor if role == "mentor" else enrol_mentee
    return enrol(program=program, person=person, since=since, actor=actor)


@transaction.atomic
def change_enrolment_status(
    enrolment, *, status, reason, changed_on, actor, figures_changed_by_caller=False
):
    """Set a mentor's or mentee's status (active, paused, left) with a reason and a date.

    Leaving ends the person's running pairings in the program early, on the same date.
    Someone who left the organisation (HR file) cannot be made active or paused again.
    A caller that changes many enrolments in one transaction (the HR file's leavers) moves
    the figures version itself, once and last (`figures_changed_by_caller`): taken early, its
    lock would be held while the caller writes rows a manager may be changing.
    """
    if status not in EnrolmentStatus.values:
        raise ValidationError(_("Choose a valid status."))
    if changed_on and changed_on < enrolment.since:
        raise ValidationError(
            {"changed_on": _("The change cannot happen before the person joined the program.")}
        )
    if status != EnrolmentStatus.LEFT and enrolment.status != status:
        _check_has_not_left(enrolment.person, "status")
    before = snapshot(enrolment)
    enrolment.status = status
    enrolment.status_reason = reason
    enrolment.status_changed_on = changed_on
    enrolment.save(update_fields=["status", "status_reason", "status_changed_on"])
    organisation = enrolment.program.organisation
    _audit(organisation, actor, AuditEvent.Action.UPDATE, enrolment, before)
    if status == EnrolmentStatus.LEFT:
        _end_pairings_of_someone_who_left(enrolment, changed_on, actor)
    webhooks.enrolment_status_changed(organisation, enrolment, previous=before["status"])
    if not figures_changed_by_caller:
        figures_changed(organisation.pk)
    return enrolment


def _end_pairings_of_someone_who_left(enrolment, changed_on, actor):
    """Someone who left the program can no longer be in a running pairing."""
    role = "mentor" if isinstance(enrolment, MentorEnrolment) else "mentee"
    running = Pairing.objects.filter(
        program=enrolment.program, status=Pairing.Status.ACTIVE, **{role: enrolment.person}
    )
    for pairing in running:
        before = snapshot(pairing)
        pairing.status = Pairing.Status.ENDED_EARLY
        pairing.ends_on = max(changed_on or pairing.starts_on, pairing.starts_on)
        pairing.save(update_fields=["status", "ends_on"])
        _audit(enrolment.program.organisation, actor, AuditEvent.Action.UPDATE, pairing, before)


# Pairings


def active_enrolment_keys(model, program_ids, person_ids):
    """{(program id, person id)} of these people actively enrolled (as `model`) in these programs.

    One query whatever the number of people, so that the importer checks a batch of
    pairings at once by the same rule as create_pairing.
    """
    return set(
        model.objects.filter(
            program_id__in=program_ids, person_id__in=person_ids, status=EnrolmentStatus.ACTIVE
        ).values_list("program_id", "person_id")
    )


def active_pairing_keys(program_ids, mentor_ids, mentee_ids):
    """{(program id, mentor id, mentee id)} of the active pairings among these people and programs.

    A mentor and a mentee have at most one active pairing in a program. One query
    whatever the number of people, so that the importer checks a batch of pairings
    at once by the same rule as create_pairing.
    """
    return set(
        Pairing.objects.filter(
            program_id__in=program_ids,
            mentor_id__in=mentor_ids,
            mentee_id__in=mentee_ids,
            status=Pairing.Status.ACTIVE,
        ).values_list("program_id", "mentor_id", "mentee_id")
    )


def pairing_people_problems(*, mentor_id, mentee_id, mentor_active, mentee_active):
    """The rules a new pairing's two people break, as codes, most basic first.

    "same_person", "mentor_not_active", "mentee_not_active" (not actively enrolled
    in the program in that role).
    """
    problems = []
    if mentor_id == mentee_id:
        problems.append("same_person")
    if not mentor_active:
        problems.append("mentor_not_active")
    if not mentee_active:
        problems.append("mentee_not_active")
    return problems


def pairing_end_problem(*, starts_on, ends_on, status):
    """The rule a pairing's end and status break, or None: "ends_before_start" or "needs_end_date".

    A finished pairing (any status but active) needs the date it ended.
    """
    if ends_on and ends_on < starts_on:
        return "ends_before_start"
    if status != Pairing.Status.ACTIVE and not ends_on:
        return "needs_end_date"
    return None


@transaction.atomic
def create_pairing(*, program, mentor, mentee, cycle, starts_on, actor):
    """Pair an active mentor with an active mentee of the program.

    Refuses someone paired with themselves, people not (or no longer) enrolled in
    the right role, a cycle of another program and a pairing that already runs.
    """
    problems = pairing_people_problems(
        mentor_id=mentor.pk,
        mentee_id=mentee.pk,
        mentor_active=bool(active_enrolment_keys(MentorEnrolment, [program.pk], [mentor.pk])),
        mentee_active=bool(active_enrolment_keys(MenteeEnrolment, [program.pk], [mentee.pk])),
    )
    if "same_person" in problems:
        raise ValidationError(_("A person cannot mentor themselves."))
    _check_has_not_left(mentor, "mentor")
    _check_has_not_left(mentee, "mentee")
    if "mentor_not_active" in problems:
        raise ValidationError(
            {
                "mentor": _("%(person)s is not an active mentor of this program.")
                % {"person": mentor.full_name}
            }
        )
    if "mentee_not_active" in problems:
        raise ValidationError(
            {
                "mentee": _("%(person)s is not an active mentee of this program.")
                % {"person": mentee.full_name}
            }
        )
    if cycle is not None and cycle.program_id != program.pk:
        raise ValidationError({"cycle": _("This cycle belongs to another program.")})
    duplicate = _("%(mentor)s and %(mentee)s are already paired in this program.") % {
        "mentor": mentor.full_name,
        "mentee": mentee.full_name,
    }
    if (program.pk, mentor.pk, mentee.pk) in active_pairing_keys(
        [program.pk], [mentor.pk], [mentee.pk]
    ):
        raise ValidationError(duplicate)
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(
                program=program, mentor=mentor, mentee=mentee, cycle=cycle, starts_on=starts_on
            )
    except IntegrityError as error:
        raise ValidationError(duplicate) from error
    _audit(program.organisation, actor, AuditEvent.Action.CREATE, pairing)
    figures_changed(program.organisation_id)
    return pairing


@transaction.atomic
def update_pairing(pairing, *, ends_on, status, actor):
    """End a pairing (or change its status); a finished pairing needs an end date."""
    if status not in Pairing.Status.values:
        raise ValidationError(_("Choose a valid status."))
    problem = pairing_end_problem(starts_on=pairing.starts_on, ends_on=ends_on, status=status)
    if problem == "ends_before_start":
        raise ValidationError({"ends_on": _("A pairing cannot end before it starts.")})
    if problem == "needs_end_date":
        raise ValidationError({"ends_on": _("Give the date the pairing ended.")})
    reactivated = status == Pairing.Status.ACTIVE and pairing.status != Pairing.Status.ACTIVE
    if reactivated:
        _check_has_not_left(pairing.mentor, "status")
        _check_has_not_left(pairing.mentee, "status")
    key = (pairing.program_id, pairing.mentor_id, pairing.mentee_id)
    if reactivated and key in active_pairing_keys(*([part] for part in key)):
        raise ValidationError(
            {
                "status": _("%(mentor)s and %(mentee)s are already paired in this program.")
                % {"mentor": pairing.mentor.full_name, "mentee": pairing.mentee.full_name}
            }
        )
    before = snapshot(pairing)
    pairing.ends_on = ends_on
    pairing.status = status
    pairing.save(update_fields=["ends_on", "status"])
    _audit(pairing.program.organisation, actor, AuditEvent.Action.UPDATE, pairing, before)
    figures_changed(pairing.program.organisation_id)
    return pairing
