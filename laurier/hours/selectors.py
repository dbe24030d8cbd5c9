"""Reads for sessions and training hours: scoped, annotated querysets, constant queries."""

import dataclasses
import datetime
import functools
import operator
import zoneinfo

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from laurier.core.search import matches_every_word
from laurier.programs.models import Pairing, Person, Program
from laurier.recognition.models import PROFESSIONAL_DEVELOPMENT_KINDS, EventInvitation

from .models import CONFIRMING_SIDES, LoggedBy, MentoringSession

NAME_FIELDS = ("first_name", "last_name", "email")


def _name_search(terms, *prefixes):
    """Every word must match a first name, last name or e-mail under one of `prefixes`."""
    fields = [f"{prefix}{name}" for prefix in prefixes for name in NAME_FIELDS]
    return matches_every_word(terms, fields)


def sessions_of_program(program):
    """A program's sessions with the two people, ready for a list."""
    return MentoringSession.objects.filter(program=program).select_related(
        "mentor", "mentee", "confirmed_by"
    )


def filter_sessions(
    sessions,
    *,
    organisation,
    search="",
    held_from=None,
    held_until=None,
    format="",
    setting="",
    confirmed=None,
    pairing=None,
):
    """Narrow sessions by mentor or mentee name, dates, format, setting, confirmation, pairing."""
    for word in search.split():
        # Match the word among the organisation's people first, then take their sessions:
        # comparing names row by row over a large program's sessions is ten times slower.
        people = Person.objects.filter(organisation=organisation).filter(_name_search(word, ""))
        named = list(people.values_list("pk", flat=True))
        sessions = sessions.filter(Q(mentor__in=named) | Q(mentee__in=named))
    if held_from:
        sessions = sessions.filter(held_on__gte=held_from)
    if held_until:
        sessions = sessions.filter(held_on__lte=held_until)
    if format:
        sessions = sessions.filter(format=format)
    if setting:
        sessions = sessions.filter(setting=setting)
    if confirmed is not None:
        sessions = sessions.filter(confirmed_at__isnull=not confirmed)
    if pairing is not None:
        sessions = sessions.filter(pairing=pairing)
    return sessions


def find_active_pairings(program, search, limit):
    """Up to `limit` active pairings of a program whose mentor or mentee matches `search`."""
    return (
        pairings_of_program(program)
        .filter(status=Pairing.Status.ACTIVE)
        .filter(_name_search(search, "mentor__", "mentee__"))[:limit]
    )


def pairings_of_program(program):
    """A program's pairings with both people, for choosing one in a form."""
    return (
        Pairing.objects.filter(program=program)
        .select_related("mentor", "mentee")
        .order_by("mentor__last_name", "mentor__first_name", "mentee__last_name", "-starts_on")
    )


def _year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _year_moments(organisation, year):
    """The first moment of `year` and of the next one where the organisation is."""
    zone = zoneinfo.ZoneInfo(organisation.time_zone)
    first_moment = datetime.datetime(year, 1, 1, tzinfo=zone)
    return first_moment, first_moment.replace(year=year + 1)


def _event_minutes(prefix=""):
    """An event's training hours as whole minutes, the unit every hours figure adds up in.

    Rounded per event, so that the events a certificate lists add up to its total.
    """
    return Cast(Round(F(f"{prefix}training_hours") * Value(60)), IntegerField())


def attended_training(organisation, first_year, last_year=None):
    """Attendances that count as training hours from `first_year` to `last_year` (the same
    year when None; calendar years, as on the hours pages): people who came to a
    professional-development event of the organisation that was not cancelled and began in
    those years in the organisation's time zone."""
    first_moment = _year_moments(organisation, first_year)[0]
    next_year = _year_moments(organisation, last_year or first_year)[1]
    return EventInvitation.objects.filter(
        attended=True,
        event__organisation=organisation,
        event__kind__in=PROFESSIONAL_DEVELOPMENT_KINDS,
        event__cancelled_at__isnull=True,
        event__starts_at__gte=first_moment,
        event__starts_at__lt=next_year,
    )


def training_hours(organisation, year, programs=None):
    """People of the organisation with their training time in `year`.

    Mentoring counts as training for both sides, so each person gets minutes as
    mentor and as mentee and the number of sessions; attending a professional-development
    event counts too (`training_minutes`, `training_events`). `mentoring_minutes` adds the
    two sides, `total_minutes` adds the training attended to it. Limited to `programs`
    (a queryset or list) when given: only their people, sessions and events.

    One query: a person's sessions hang on two foreign keys (mentor, mentee); joining
    both would multiply rows, so each side is a grouped, conditional Sum over
    MentoringSession correlated to the person (served by the mentor/mentee + date indexes);
    the events attended are one more correlated Sum.
    """
    first_day, last_day = _year_bounds(year)
    sessions = MentoringSession.objects.filter(
        program__organisation=organisation, held_on__gte=first_day, held_on__lte=last_day
    )
    pairings = Pairing.objects.filter(program__organisation=organisation)
    attendances = attended_training(organisation, year)
    if programs is not None:
        # Plain ids: a nested "programs I manage" subquery in every correlated subquery
        # below makes PostgreSQL give up its indexes.
        program_ids = [program.pk for program in programs]
        sessions = sessions.filter(program_id__in=program_ids)
        pairings = pairings.filter(program_id__in=program_ids)
        attendances = attendances.filter(event__program_id__in=program_ids)

    def grouped(rows, side, aggregate):
        rows = (
            rows.filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(value=aggregate)
            .values("value")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return (
        Person.objects.filter(organisation=organisation)
        # EXISTS joined by OR rather than one over a union: each is served by its own index.
        # Someone who attended training but has no pairing yet still has hours to count.
        .filter(
            Exists(pairings.filter(mentor=OuterRef("pk")))
            | Exists(pairings.filter(mentee=OuterRef("pk")))
            | Exists(attendances.filter(person=OuterRef("pk")))
        )
        .annotate(
            mentor_minutes=grouped(sessions, "mentor", Sum("duration_minutes")),
            mentee_minutes=grouped(sessions, "mentee", Sum("duration_minutes")),
            mentor_sessions=grouped(sessions, "mentor", Count("pk")),
            mentee_sessions=grouped(sessions, "mentee", Count("pk")),
            training_minutes=grouped(attendances, "person", Sum(_event_minutes("event__"))),
            training_events=grouped(attendances, "person", Count("pk")),
        )
        .annotate(
            mentoring_minutes=ExpressionWrapper(
                F("mentor_minutes") + F("mentee_minutes"), output_field=IntegerField()
            ),
            session_count=ExpressionWrapper(
                F("mentor_sessions") + F("mentee_sessions"), output_field=IntegerField()
            ),
        )
        .annotate(
            total_minutes=ExpressionWrapper(
                F("mentoring_minutes") + F("training_minutes"), output_field=IntegerField()
            ),
        )
    )


def training_hours_person(organisation, year, programs, pk):
    """The person `pk` if they are listed on the training-hours page of `programs` (every
    program when None) for `year`, else None: whom a manager may issue a certificate to."""
    return (
        training_hours(organisation, year, programs)
        .filter(pk=pk)
        .select_related("organisation")
        .first()
    )


def person_of_user(organisation, user):
    """The Person a user is in this organisation, or None."""
    # With its organisation: the hours of a person are counted in the organisation's time zone.
    return (
        Person.objects.filter(organisation=organisation, user=user)
        .select_related("organisation")
        .first()
    )


def pairings_of_person(person):
    """A person's pairings, as mentor or as mentee, with the program and both people."""
    return (
        Pairing.objects.filter(program__organisation_id=person.organisation_id)
        .filter(Q(mentor=person) | Q(mentee=person))
        .select_related("program", "mentor", "mentee")
        .order_by("-starts_on", "-pk")
    )


def active_pairings_of_person(person):
    """The pairings on which a person may log a session today."""
    return pairings_of_person(person).filter(status=Pairing.Status.ACTIVE)


def sessions_of_person(person):
    """A person's sessions on either side, each marked when it awaits this person's confirmation."""
    awaiting = functools.reduce(
        operator.or_,
        (
            Q(logged_by=logged_by, **{side: person})
            for logged_by, sides in CONFIRMING_SIDES.items()
            for side in sides
        ),
    )
    return (
        MentoringSession.objects.filter(program__organisation_id=person.organisation_id)
        .filter(Q(mentor=person) | Q(mentee=person))
        .select_related("program", "mentor", "mentee")
        .annotate(
            awaiting_my_confirmation=ExpressionWrapper(
                Q(confirmed_at__isnull=True) & awaiting, output_field=BooleanField()
            ),
            my_role=Case(
                When(mentor=person, then=Value("mentor")),
                default=Value("mentee"),
            ),
        )
    )


def hours_of_person(person, years):
    """A person's minutes as mentor, as mentee and of training attended for each year, in one
    query (one correlated sum per year and kind, each served by its own index).

    Returns {year: {"mentor": minutes, "mentee": minutes, "training": minutes, "total": minutes}}.
    """

    def minutes(rows, side, total):
        rows = (
            rows.filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(value=total)
            .values("value")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    figures = {}
    for year in years:
        first_day, last_day = _year_bounds(year)
        sessions = MentoringSession.objects.filter(held_on__gte=first_day, held_on__lte=last_day)
        figures[f"mentor_{year}"] = minutes(sessions, "mentor", Sum("duration_minutes"))
        figures[f"mentee_{year}"] = minutes(sessions, "mentee", Sum("duration_minutes"))
        figures[f"training_{year}"] = minutes(
            attended_training(person.organisation, year),
            "person",
            Sum(_event_minutes("event__")),
        )
    sums = Person.objects.filter(pk=person.pk).annotate(**figures).values(*figures).get()
    return {
        year: {
            "mentor": sums[f"mentor_{year}"],
            "mentee": sums[f"mentee_{year}"],
            "training": sums[f"training_{year}"],
            "total": sums[f"mentor_{year}"] + sums[f"mentee_{year}"] + sums[f"training_{year}"],
        }
        for year in sorted(years)
    }


def attended_training_of_person(person, first_year, last_year=None):
    """A person's attendances that count as training hours, from `first_year` to `last_year`
    (the same year when None), with their events and minutes, in the order they took place."""
    return (
        attended_training(person.organisation, first_year, last_year)
        .filter(person=person)
        .select_related("event")
        .annotate(minutes=_event_minutes("event__"))
        .order_by("event__starts_at", "event__pk")
    )


@dataclasses.dataclass(frozen=True)
class TrainingCertificate:
    """What a training-hours certificate attests: a person's training time in one calendar
    year, every program of the organisation together."""

    person: Person
    year: int
    mentor_minutes: int
    mentor_sessions: int
    mentee_minutes: int
    mentee_sessions: int
    attendances: list
    programs: list
    # Sessions a mentor or a mentee logged that the other has not confirmed: left out.
    awaiting_minutes: int = 0
    awaiting_sessions: int = 0

    @property
    def organisation(self):
        return self.person.organisation

    @property
    def training_minutes(self):
        return sum(attendance.minutes for attendance in self.attendances)

    @property
    def mentoring_minutes(self):
        return self.mentor_minutes + self.mentee_minutes

    @property
    def total_minutes(self):
        return self.mentoring_minutes + self.training_minutes

    @property
    def has_hours(self):
        return bool(self.total_minutes)


def training_certificate(person, year, programs=None):
    """The figures of `person`'s training-hours certificate for `year`: the sessions a manager
    logged or the other side confirmed, and professional-development events attended, in
    three queries whatever the number of sessions or events. With `programs` (a program
    manager's), only what happened in those programs: nothing of another program shows."""
    first_day, last_day = _year_bounds(year)
    sessions = MentoringSession.objects.filter(
        program__organisation_id=person.organisation_id,
        held_on__gte=first_day,
        held_on__lte=last_day,
    ).filter(Q(mentor=person) | Q(mentee=person))
    attended = attended_training_of_person(person, year)
    if programs is not None:
        sessions = sessions.filter(program__in=programs)
        attended = attended.filter(event__program__in=programs)
    # HR relies on it: a session one side logged for themselves counts once the other side
    # confirmed it; one the program manager logged (or imported) counts as it is.
    vouched = Q(confirmed_at__isnull=False) | Q(logged_by=LoggedBy.MANAGER)
    as_mentor, as_mentee = vouched & Q(mentor=person), vouched & Q(mentee=person)
    sums = sessions.aggregate(
        mentor_minutes=Coalesce(Sum("duration_minutes", filter=as_mentor), 0),
        mentor_sessions=Count("pk", filter=as_mentor),
        mentee_minutes=Coalesce(Sum("duration_minutes", filter=as_mentee), 0),
        mentee_sessions=Count("pk", filter=as_mentee),
        awaiting_minutes=Coalesce(Sum("duration_minutes", filter=~vouched), 0),
        awaiting_sessions=Count("pk", filter=~vouched),
    )
    sessions = sessions.filter(vouched)
    attendances = list(attended)
    # The programs the year's sessions and events belong to, named on the certificate.
    programs = list(
        Program.objects.filter(organisation_id=person.organisation_id)
        .filter(
            Exists(sessions.filter(program=OuterRef("pk")))
            | Q(pk__in={attendance.event.program_id for attendance in attendances})
        )
        .order_by("name")
    )
    return TrainingCertificate(
        person=person, year=year, attendances=attendances, programs=programs, **sums
    )


def search_people(people, terms):
    """People whose first name, last name or e-mail holds every word of `terms`."""
    return people.filter(_name_search(terms, ""))
