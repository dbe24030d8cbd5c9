"""Reads of awards for the managers' pages: the list and its summary, one award's page, the
plan's and the mentor's pages.

Figures come from the database (counts and sums), and each page reads a fixed number of
queries whatever the number of awards.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import translation

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of
from laurier.core.money import to_cents
from laurier.core.search import matches_every_word
from laurier.organisations.models import AuditEvent
from laurier.programs.models import EnrolmentStatus, Person

from ..models import Award
from .budgets import RESOURCES, budget_usage

ZERO = Decimal("0.00")
MONEY_SUM = DecimalField(max_digits=16, decimal_places=2)
# How far ahead the list's summary looks for recognitions coming up.
SOON_DAYS = 30

# The list's tabs: which statuses each shows.
STATUS_FILTERS = {
    "open": Award.OPEN_STATUSES,
    "given": (Award.Status.GIVEN,),
    "cancelled": (Award.Status.CANCELLED,),
    "all": None,
}


def option_name(prefix="option__"):
    """The option's name in the reader's language (the other one when it is empty), as the
    database reads it."""
    french = (translation.get_language() or "fr").startswith("fr")
    first, second = ("name_fr", "name_en") if french else ("name_en", "name_fr")
    return Coalesce(NullIf(F(prefix + first), Value("")), F(prefix + second))


def _cost():
    """What an award costs in money: what it spent once given, what it committed once
    approved, the option's price while only planned; nothing once cancelled."""
    return Case(
        When(status=Award.Status.CANCELLED, then=Value(None)),
        When(status=Award.Status.GIVEN, then=Coalesce(F("spending__money"), Value(ZERO))),
        default=Coalesce(F("commitment__money"), F("option__cost_money")),
        output_field=MONEY_SUM,
    )


def awards_of(program, *, status="open", search="", option=None):
    """The program's awards for the list, filtered by tab (`STATUS_FILTERS`), by the mentor's
    name and by option; each with its `day` (given on, or planned for) and its `cost`."""
    awards = (
        Award.objects.filter(program=program)
        .select_related("mentor", "option")
        .only(
            "pk",
            "status",
            "planned_on",
            "given_on",
            "givers",
            "giver_names",
            "moment_fr",
            "moment_en",
            "mentor__id",
            "mentor__first_name",
            "mentor__last_name",
            "mentor__email",
            "option__id",
            "option__name_fr",
            "option__name_en",
        )
        .annotate(day=Coalesce("given_on", "planned_on"), cost=_cost(), option_name=option_name())
    )
    statuses = STATUS_FILTERS.get(status)
    if statuses:
        awards = awards.filter(status__in=statuses)
    if search:
        awards = awards.filter(
            matches_every_word(search, ["mentor__first_name", "mentor__last_name"])
        )
    if option is not None:
        awards = awards.filter(option=option)
    return awards


@dataclass(frozen=True)
class Summary:
    """What the top of the list tells a manager at a glance."""

    overdue: int
    soon: int
    given_this_year: int
    spent_this_year: Decimal
    fiscal_year: int


def summary(program, today):
    """Overdue, coming up in the next `SOON_DAYS`, given and spent this fiscal year: one
    aggregate query."""
    organisation = program.organisation
    year = fiscal_year_of(organisation, today)
    first, last = fiscal_year_bounds(organisation, year)
    open_ = Q(status__in=Award.OPEN_STATUSES)
    given = Q(status=Award.Status.GIVEN, given_on__range=(first, last))
    sums = Award.objects.filter(program=program).aggregate(
        overdue=Count("pk", filter=open_ & Q(planned_on__lt=today)),
        soon=Count(
            "pk",
            filter=open_ & Q(planned_on__range=(today, today + datetime.timedelta(days=SOON_DAYS))),
        ),
        given_this_year=Count("pk", filter=given),
        spent=Coalesce(Sum("spending__money", filter=given), Value(ZERO), output_field=MONEY_SUM),
    )
    return Summary(
        overdue=sums["overdue"],
        soon=sums["soon"],
        given_this_year=sums["given_this_year"],
        spent_this_year=to_cents(sums["spent"] or 0),
        fiscal_year=year,
    )


def options_awarded(program):
    """The options the program's awards use, for the list's filter: one query."""
    from ..models import RecognitionOption

    return (
        RecognitionOption.objects.filter(awards__program=program)
        .distinct()
        .order_by("name_fr", "pk")
    )


# --- One award ---------------------------------------------------------------------------------


def award_for(program, pk):
    """The program's award `pk` with everything its page shows, or 404 (another program's or
    organisation's award)."""
    award = get_object_or_404(
        Award.objects.select_related(
            "mentor__mentor_profile",
            "option",
            "plan_line__plan__approved_by",
            "commitment__budget",
            "spending__budget",
            "given_by",
            "created_by",
            "feedback_request__response",
        ),
        program=program,
        pk=pk,
    )
    # The request's rows: spare a query on every page.
    award.program = program
    award.organisation = program.organisation
    return award


@dataclass(frozen=True)
class Step:
    """One step of an award's life, for its timeline."""

    kind: str
    at: object  # a datetime, or a date
    actor: object = None
    text: str = ""


def timeline(award):
    """Added, approved, given, cancelled: from the award's fields and its audit trail (one
    query), oldest first."""
    events = list(
        AuditEvent.objects.filter(
            organisation_id=award.organisation_id,
            object_type=Award._meta.label_lower,
            object_id=str(award.pk),
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    steps = []
    created = next((e for e in events if e.action == AuditEvent.Action.CREATE), None)
    steps.append(Step("added", award.created_at, created.actor if created else award.created_by))
    plan = award.plan_line.plan if award.plan_line_id else None
    if plan is not None and plan.approved_at:
        steps.append(Step("approved", plan.approved_at, getattr(plan, "approved_by", None)))
    for event in events:
        status = event.changes.get("status") if isinstance(event.changes, dict) else None
        # Status changes are written as a plain value; field edits as [before, after].
        if status == Award.Status.APPROVED:
            steps.append(Step("approved", event.at, event.actor))
        elif status == Award.Status.GIVEN:
            steps.append(Step("given", award.given_on or event.at, event.actor))
        elif status == Award.Status.CANCELLED:
            steps.append(Step("cancelled", event.at, event.actor, event.changes.get("reason", "")))
    if award.status == Award.Status.GIVEN and not any(s.kind == "given" for s in steps):
        steps.append(Step("given", award.given_on, award.given_by))
    return steps


@dataclass(frozen=True)
class Feedback:
    """The mentor's answers about an award."""

    satisfaction: int | None
    relevance: int | None
    expectations: str
    comment: str
    submitted_at: object


def feedback(award):
    """The mentor's answers once given (one query), else None."""
    from laurier.core.bilingual import in_reader_language
    from laurier.surveys.models import Answer

    request = award.feedback_request if award.feedback_request_id else None
    response = getattr(request, "response", None) if request is not None else None
    if response is None:
        return None
    answers = {}
    for answer in Answer.objects.filter(response=response).select_related("question", "choice"):
        key = answer.question.key
        if answer.choice_id:
            answers[key] = in_reader_language(answer.choice, "text")
        elif answer.number is not None:
            answers[key] = answer.number
        else:
            answers[key] = answer.text
    return Feedback(
        satisfaction=answers.get("satisfaction"),
        relevance=answers.get("relevance"),
        expectations=answers.get("expectations", ""),
        comment=answers.get("comment", ""),
        submitted_at=response.submitted_at,
    )


@dataclass(frozen=True)
class Room:
    """One resource of the budget an award draws on: what is left, and what this award holds."""

    resource: str
    left: Decimal
    held: Decimal


def budget_room(budget, award):
    """What is left of `budget` per resource, and what the award's commitment already holds
    there (it can be spent again): one query. [] without a budget."""
    if budget is None:
        return []
    usage = budget_usage(budget)
    commitment = award.commitment if award.commitment_id else None
    return [
        Room(
            resource,
            getattr(budget, resource) - usage.used(resource),
            getattr(commitment, resource) if commitment else 0,
        )
        for resource in RESOURCES
    ]


# --- The mentor's page and the add form ----------------------------------------------------------


def awards_of_mentor(program, person):
    """The mentor's awards in `program`, latest first: one query."""
    return (
        Award.objects.filter(program=program, mentor=person)
        .select_related("option")
        .annotate(day=Coalesce("given_on", "planned_on"), option_name=option_name())
        .order_by("-day", "-pk")
    )


def mentor_for(program, pk):
    """An active mentor of `program`, or None."""
    return (
        active_mentors(program).filter(pk=pk).select_related("mentor_profile").first()
        if pk
        else None
    )


def active_mentors(program):
    """The program's active mentors, by name."""
    return (
        Person.objects.filter(
            mentor_enrolments__program=program,
            mentor_enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def find_mentors(program, search, limit):
    """Up to `limit` active mentors of the program whose name or e-mail matches `search`, and
    whether there are more: one query."""
    people = active_mentors(program).only("pk", "first_name", "last_name", "email")
    if search:
        people = people.filter(matches_every_word(search, ["first_name", "last_name", "email"]))
    found = list(people[: limit + 1])
    return found[:limit], len(found) > limit
