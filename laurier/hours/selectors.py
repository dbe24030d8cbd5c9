"""Reads for sessions and training hours: scoped, annotated querysets, constant queries."""

import datetime
import functools
import operator

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
from django.db.models.functions import Coalesce

from laurier.core.search import matches_every_word
from laurier.programs.models import Pairing, Person

from .models import CONFIRMING_SIDES, MentoringSession

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


def training_hours(organisation, year, programs=None):
    """People of the organisation with their mentoring time in `year`, as training hours.

    Mentoring counts as training for both sides, so each person gets minutes as
    mentor and as mentee, their total, and the number of sessions. Limited to
    `programs` (a queryset or list) when given: only their people and sessions.

    One query: a person's sessions hang on two foreign keys (mentor, mentee); joining
    both would multiply rows, so each side is a grouped, conditional Sum over
    MentoringSession correlated to the person (served by the mentor/mentee + date indexes).
    """
    first_day, last_day = _year_bounds(year)
    sessions = MentoringSession.objects.filter(
        program__organisation=organisation, held_on__gte=first_day, held_on__lte=last_day
    )
    pairings = Pairing.objects.filter(program__organisation=organisation)
    if programs is not None:
        # Plain ids: a nested "programs I manage" subquery in every correlated subquery
        # below makes PostgreSQL give up its indexes.
        program_ids = [program.pk for program in programs]
        sessions = sessions.filter(program_id__in=program_ids)
        pairings = pairings.filter(program_id__in=program_ids)

    def grouped(side, aggregate):
        rows = (
            sessions.filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(value=aggregate)
            .values("value")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return (
        Person.objects.filter(organisation=organisation)
        # Two EXISTS rather than one with OR: each is served by its own foreign-key index.
        .filter(
            Exists(pairings.filter(mentor=OuterRef("pk")))
            | Exists(pairings.filter(mentee=OuterRef("pk")))
        )
        .annotate(
            mentor_minutes=grouped("mentor", Sum("duration_minutes")),
            mentee_minutes=grouped("mentee", Sum("duration_minutes")),
            mentor_sessions=grouped("mentor", Count("pk")),
            mentee_sessions=grouped("mentee", Count("pk")),
        )
        .annotate(
            total_minutes=ExpressionWrapper(
                F("mentor_minutes") + F("mentee_minutes"), output_field=IntegerField()
            ),
            session_count=ExpressionWrapper(
                F("mentor_sessions") + F("mentee_sessions"), output_field=IntegerField()
            ),
        )
    )


def person_of_user(organisation, user):
    """The Person a user is in this organisation, or None."""
    return Person.objects.filter(organisation=organisation, user=user).first()


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
    """A person's minutes as mentor and as mentee for each year, in one aggregate query.

    Returns {year: {"mentor": minutes, "mentee": minutes, "total": minutes}}.
    """
    years = sorted(years)
    first_day, last_day = _year_bounds(years[0])[0], _year_bounds(years[-1])[1]
    aggregates = {}
    for year in years:
        start, end = _year_bounds(year)
        in_year = Q(held_on__gte=start, held_on__lte=end)
        aggregates[f"mentor_{year}"] = Coalesce(
            Sum("duration_minutes", filter=in_year & Q(mentor=person)), 0
        )
        aggregates[f"mentee_{year}"] = Coalesce(
            Sum("duration_minutes", filter=in_year & Q(mentee=person)), 0
        )
    sums = (
        MentoringSession.objects.filter(Q(mentor=person) | Q(mentee=person))
        .filter(held_on__gte=first_day, held_on__lte=last_day)
        .aggregate(**aggregates)
    )
    return {
        year: {
            "mentor": sums[f"mentor_{year}"],
            "mentee": sums[f"mentee_{year}"],
            "total": sums[f"mentor_{year}"] + sums[f"mentee_{year}"],
        }
        for year in years
    }


def search_people(people, terms):
    """People whose first name, last name or e-mail holds every word of `terms`."""
    return people.filter(_name_search(terms, ""))
