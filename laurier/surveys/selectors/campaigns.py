"""Reads of survey campaigns: a program's campaigns with their response rates, their audience."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from laurier.core.ordering import natural
from laurier.core.search import matches_every_word
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Person

from ..models import Campaign, Recipient, open_condition

# A person is reminded at most once a day, whoever asks (the manager's button or the task).
REMINDER_INTERVAL = datetime.timedelta(hours=24)

PERSON_SEARCH_FIELDS = ("first_name", "last_name", "email", "department")


def remindable_condition(now, prefix=""):
    """Recipients invited more than a day ago who have not answered and were not reminded in
    the last day (the message to those who cannot be reminded says "in the last 24 hours")."""
    return (
        Q(**{f"{prefix}invited_at__lt": now - REMINDER_INTERVAL})
        & Q(**{f"{prefix}responded_at__isnull": True})
        & (
            Q(**{f"{prefix}reminded_at__isnull": True})
            | Q(**{f"{prefix}reminded_at__lt": now - REMINDER_INTERVAL})
        )
    )


def campaigns_of_program(program, now=None):
    """The program's campaigns with their survey and cycle, and their figures
    (`with_figures`)."""
    return with_figures(
        Campaign.objects.filter(program=program).select_related("survey", "cycle", "organisation"),
        now,
    )


def with_figures(campaigns, now=None):
    """`campaigns` each carrying `recipient_count`, `answered_count`, `invited_count`,
    `remindable_count`, `rate` (0 to 1, None without recipients; for sorting, pages show
    `percent_of`) and `closed` (the model's `open_condition`), all computed by the database in
    the list's one query."""
    now = now or timezone.now()
    return campaigns.annotate(
        recipient_count=Count("recipients"),
        answered_count=Count("recipients", filter=Q(recipients__responded_at__isnull=False)),
        invited_count=Count("recipients", filter=Q(recipients__invited_at__isnull=False)),
        remindable_count=Count("recipients", filter=remindable_condition(now, "recipients__")),
        closed=Case(
            When(open_condition(now), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        ),
    ).annotate(
        rate=Cast(F("answered_count"), FloatField())
        / NullIf(Cast(F("recipient_count"), FloatField()), Value(0.0)),
    )


def campaign_of_program(program, pk):
    """One campaign of the program with the figures of `campaigns_of_program`, or 404."""
    return get_object_or_404(campaigns_of_program(program), pk=pk)


def who_answered(campaign):
    """The recipients who answered a (non-anonymous) campaign, the latest first."""
    return (
        Recipient.objects.filter(campaign=campaign, responded_at__isnull=False)
        .select_related("person")
        .order_by("-responded_at", "pk")
    )


RECIPIENT_SEARCH_FIELDS = tuple(f"person__{name}" for name in ("first_name", "last_name", "email"))


def recipients_of(campaign, search=""):
    """The campaign's recipients matching `search` (name or e-mail), by name, with their
    person: the list where a manager sends one of them a new link."""
    return (
        Recipient.objects.filter(campaign=campaign)
        .filter(matches_every_word(search, RECIPIENT_SEARCH_FIELDS))
        .select_related("person")
        .order_by(natural("person__last_name"), natural("person__first_name"), "pk")
    )


def audience_person_ids(program, audience):
    """The people a mentors' or mentees' campaign goes to: the program's active enrolments."""
    enrolments = MentorEnrolment if audience == Campaign.Audience.MENTORS else MenteeEnrolment
    return list(
        enrolments.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def enrolled_among(program, person_ids, *, mentors_only=False):
    """Which of `person_ids` are enrolled in the program (as mentor, or also as mentee unless
    `mentors_only`), whatever their status; reads only those ids, never the whole program."""
    person_ids = list(person_ids)
    found = set(
        MentorEnrolment.objects.filter(program=program, person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
    if not mentors_only:
        found |= set(
            MenteeEnrolment.objects.filter(program=program, person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
    return found


class PeopleRole:
    MENTORS = "mentors"
    MENTEES = "mentees"


def find_enrolled_people(program, *, search="", role="", status=""):
    """The program's enrolled people matching a search, a role and an enrolment status.

    Used to pick the recipients of a campaign one by one in a program of any size: the page
    shows the first matches, the manager narrows the search or adds every match at once.
    """
    mentor_enrolments = MentorEnrolment.objects.filter(program=program)
    mentee_enrolments = MenteeEnrolment.objects.filter(program=program)
    if status:
        mentor_enrolments = mentor_enrolments.filter(status=status)
        mentee_enrolments = mentee_enrolments.filter(status=status)
    as_mentor = Q(pk__in=mentor_enrolments.values("person_id"))
    as_mentee = Q(pk__in=mentee_enrolments.values("person_id"))
    if role == PeopleRole.MENTORS:
        condition = as_mentor
    elif role == PeopleRole.MENTEES:
        condition = as_mentee
    else:
        condition = as_mentor | as_mentee
    people = Person.objects.filter(condition, organisation_id=program.organisation_id)
    people = people.filter(matches_every_word(search, PERSON_SEARCH_FIELDS))
    return people.annotate(
        is_mentor=Case(
            When(as_mentor, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        is_mentee=Case(
            When(as_mentee, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    ).order_by(natural("last_name"), natural("first_name"), "pk")


def people_by_ids(program, ids):
    """The chosen people, enrolled in the program, in name order."""
    return find_enrolled_people(program).filter(pk__in=list(ids))


def current_cycle(program, today):
    """The program's cycle running today, else its latest one, else None."""
    cycles = program.cycles.order_by("-starts_on")
    return cycles.filter(starts_on__lte=today, ends_on__gte=today).first() or cycles.first()
