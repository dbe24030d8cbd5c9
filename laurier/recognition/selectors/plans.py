"""Reads of recognition plans for their pages: the list, the summary and the three views.

Every figure comes from the database (counts and sums), and each page reads a fixed number of
queries whatever the number of mentors or lines: the lines of a page are fetched in one query
and grouped in Python.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.dates import fiscal_year_of
from laurier.core.search import matches_every_word
from laurier.organisations.models import AuditEvent
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Person

from ..categories import RecognitionMoment
from ..models import Plan, PlanLine, RecognitionOption, Resource
from .budgets import RESOURCES, budget_usage, capacity_period_bounds, format_amount
from .calendar import kind_note

ZERO = Decimal("0.00")
MONEY_SUM = DecimalField(max_digits=16, decimal_places=2)
HOURS_SUM = DecimalField(max_digits=12, decimal_places=2)
MOMENT_LABELS = dict(RecognitionMoment.choices)
OPTION_FIELD = {"money": "cost_money"}


def _line_cost(resource, prefix=""):
    """A line's cost of `resource`: what its commitment took once approved, else the option's
    current cost (an approved plan keeps the amounts it committed)."""
    option_field = OPTION_FIELD.get(resource, resource)
    return Coalesce(F(f"{prefix}commitment__{resource}"), F(f"{prefix}option__{option_field}"))


def _cost_sum(resource, prefix=""):
    output = {"money": MONEY_SUM, "staff_hours": HOURS_SUM, "material_items": IntegerField()}
    return Coalesce(Sum(_line_cost(resource, prefix)), Value(0), output_field=output[resource])


# --- The list ----------------------------------------------------------------------------------


def plans_of(program):
    """The program's plans, newest first, with their lines, mentors covered and money."""
    return (
        Plan.objects.filter(program=program)
        .select_related("approved_by")
        .annotate(
            line_count=Count("lines"),
            covered=Count("lines__mentor", distinct=True),
            money=_cost_sum("money", "lines__"),
        )
        .order_by("-created_at", "-pk")
    )


def plan_for(program, pk):
    """The program's plan `pk`, or 404 (another program's or organisation's plan)."""
    plan = get_object_or_404(
        Plan.objects.select_related(
            "approved_by", "created_by", "budget__program", "budget__organisation"
        ),
        program=program,
        pk=pk,
    )
    # Same row as the request's: spares a query on each page.
    plan.program = program
    plan.organisation = program.organisation
    return plan


def has_line(plan, mentor, option, moment_key):
    """Whether the plan already gives `option` to `mentor` at that moment."""
    return plan.lines.filter(mentor=mentor, option=option, moment_key=moment_key).exists()


def line_for(plan, line_pk):
    """The plan's line `line_pk`, or 404 (a line of another plan)."""
    line = get_object_or_404(
        PlanLine.objects.select_related("mentor", "option"), plan=plan, pk=line_pk
    )
    line.plan = plan
    return line


# --- The summary -------------------------------------------------------------------------------


def _mentor_condition(plan):
    """The plan's mentors: the program's active ones, and anyone who has a line in it."""
    active = MentorEnrolment.objects.filter(
        program=plan.program_id, person=OuterRef("pk"), status=EnrolmentStatus.ACTIVE
    )
    lines = PlanLine.objects.filter(plan=plan, mentor=OuterRef("pk"))
    return Exists(active), Exists(lines)


@dataclass
class Totals:
    """What a plan's lines add up to."""

    lines: int
    covered: int
    mentors: int
    locked: int
    money: Decimal
    staff_hours: Decimal
    material_items: int

    @property
    def uncovered(self):
        return max(self.mentors - self.covered, 0)


def plan_totals(plan):
    """Lines, mentors covered (of the plan's mentors), locked lines and costs: two queries."""
    sums = plan.lines.aggregate(
        lines=Count("pk"),
        covered=Count("mentor", distinct=True),
        locked=Count("pk", filter=Q(locked=True)),
        money=_cost_sum("money"),
        staff_hours=_cost_sum("staff_hours"),
        material_items=_cost_sum("material_items"),
    )
    active, has_lines = _mentor_condition(plan)
    mentors = Person.objects.filter(organisation=plan.organisation_id).filter(active | has_lines)
    return Totals(
        lines=sums["lines"],
        covered=sums["covered"],
        mentors=mentors.count(),
        locked=sums["locked"],
        money=sums["money"] or ZERO,
        staff_hours=sums["staff_hours"] or ZERO,
        material_items=sums["material_items"] or 0,
    )


@dataclass
class BudgetLine:
    """One resource: what the plan's lines need and what the budget has left."""

    resource: str
    needed: Decimal
    left: Decimal | None
    currency: str

    @property
    def label(self):
        return Resource(self.resource).label

    @property
    def after(self):
        return None if self.left is None else self.left - self.needed

    @property
    def over(self):
        return self.left is not None and self.needed > self.left

    def shown(self, value):
        return "—" if value is None else format_amount(self.resource, value, self.currency)

    @property
    def needed_shown(self):
        return self.shown(self.needed)

    @property
    def left_shown(self):
        return self.shown(self.left)

    @property
    def after_shown(self):
        return self.shown(self.after)

    @property
    def shortfall_shown(self):
        return self.shown(self.needed - self.left) if self.over else ""


@dataclass
class PlanBudget:
    """The budget an approval commits to and how the plan's lines compare with it."""

    budget: object
    fiscal_year: int
    currency_mismatch: bool
    resources: list = field(default_factory=list)

    @property
    def over(self):
        return [line for line in self.resources if line.over]


def plan_budget_figures(plan, totals):
    """The plan's costs against what is left of the program's budget of the period's fiscal
    year (allocated − committed − spent, as on the budget's page): two queries.

    For an approved plan, what is left already counts what it committed.
    """
    from ..services.plans import plan_budget

    organisation = plan.organisation
    budget = plan.budget if plan.budget_id else plan_budget(plan)
    needed = {
        "money": totals.money,
        "staff_hours": totals.staff_hours,
        "material_items": totals.material_items,
    }
    currency = budget.currency if budget else organisation.currency
    if budget is None:
        left = dict.fromkeys(RESOURCES)
    else:
        usage = budget_usage(budget)
        left = {
            resource: getattr(budget, resource) - usage.used(resource) for resource in RESOURCES
        }
    return PlanBudget(
        budget=budget,
        fiscal_year=fiscal_year_of(organisation, plan.starts_on),
        currency_mismatch=bool(budget and budget.currency != organisation.currency),
        resources=[
            BudgetLine(resource, needed[resource], left[resource], currency)
            for resource in RESOURCES
        ],
    )


def rules_in_words(plan):
    """The plan's rules as a manager reads them, one sentence each."""
    if plan.min_per_mentor and plan.min_per_mentor == plan.max_per_mentor:
        count = ngettext(
            "Each mentor receives exactly %(min)s recognition.",
            "Each mentor receives exactly %(min)s recognitions.",
            plan.min_per_mentor,
        )
    elif plan.min_per_mentor:
        count = ngettext(
            "Each mentor receives at least %(min)s recognition and at most %(max)s.",
            "Each mentor receives at least %(min)s recognitions and at most %(max)s.",
            plan.min_per_mentor,
        )
    else:
        count = ngettext(
            "No minimum per mentor; at most %(max)s recognition each.",
            "No minimum per mentor; at most %(max)s recognitions each.",
            plan.max_per_mentor,
        )
    rules = [count % {"min": plan.min_per_mentor, "max": plan.max_per_mentor}]
    if plan.one_per_moment:
        rules.append(_("At most one recognition per mentor at each moment."))
    else:
        rules.append(_("A mentor may receive several recognitions at the same moment."))
    if plan.no_repeat_months:
        rules.append(
            ngettext(
                "Nobody receives an option they received in the last %(months)s month.",
                "Nobody receives an option they received in the last %(months)s months.",
                plan.no_repeat_months,
            )
            % {"months": plan.no_repeat_months}
        )
    return rules


def progress_step_label(plan):
    """The computation's current step in words."""
    labels = {
        "choosing": _("Choosing the recognition that suits each mentor best…"),
        "placing": _("Placing the recognitions on the calendar…"),
        "explaining": _("Writing down why each mentor receives what they receive…"),
        "done": _("Saving the plan…"),
    }
    return labels.get(plan.progress_step, _("Waiting for the computation to start…"))


# --- Moments -----------------------------------------------------------------------------------


def moment_label(line, moments):
    """The line's moment as the calendar names it, or its kind when the calendar lost it."""
    moment = moments.get(line.moment_key)
    if moment is not None:
        return moment.label
    return str(MOMENT_LABELS.get(line.moment_kind, line.moment_kind))


def label_lines(lines, moments):
    """Give each line its `moment_label`; returns the list."""
    lines = list(lines)
    for line in lines:
        line.moment_label = moment_label(line, moments)
    return lines


# --- By mentor ---------------------------------------------------------------------------------


def mentor_rows(plan, *, search="", show=""):
    """The plan's mentors (active ones and anyone with a line), by name, with their line count
    and whether they are still active mentors of the program."""
    active, has_lines = _mentor_condition(plan)
    count = (
        PlanLine.objects.filter(plan=plan, mentor=OuterRef("pk"))
        .order_by()
        .values("mentor")
        .annotate(total=Count("pk"))
        .values("total")
    )
    # Recognised in the period by another approved plan, which this one builds on.
    elsewhere = (
        PlanLine.objects.filter(
            mentor=OuterRef("pk"),
            plan__organisation_id=plan.organisation_id,
            plan__status=Plan.Status.APPROVED,
            moment_date__range=(plan.starts_on, plan.ends_on),
        )
        .exclude(plan=plan)
        .order_by()
        .values("mentor")
        .annotate(total=Count("pk"))
        .values("total")
    )
    people = (
        Person.objects.filter(organisation=plan.organisation_id)
        .filter(active | has_lines)
        .annotate(
            line_count=Coalesce(Subquery(count), 0, output_field=IntegerField()),
            elsewhere=Coalesce(Subquery(elsewhere), 0, output_field=IntegerField()),
            is_active=active,
        )
        # What personalises a recognition, for whoever gives it (practice 5).
        .select_related("mentor_profile")
        .only(
            "pk",
            "first_name",
            "last_name",
            "mentor_profile__interests",
            "mentor_profile__diet",
            "mentor_profile__accessibility",
        )
    )
    if search:
        people = people.filter(matches_every_word(search, ["first_name", "last_name"]))
    if show == "uncovered":
        people = people.filter(line_count=0)
    elif show == "covered":
        people = people.filter(line_count__gt=0)
    return people.order_by("last_name", "first_name", "pk")


def lines_of_mentors(plan, mentors, moments):
    """{mentor pk: [lines]} for the mentors of a page, in date order: one query."""
    by_pk = {mentor.pk: mentor for mentor in mentors}
    # The award of each line of an approved plan, for its status and link.
    lines = plan.lines.filter(mentor__in=list(by_pk)).select_related("option", "award")
    grouped = {}
    for line in label_lines(lines.order_by("moment_date", "pk"), moments):
        # The mentor is the page's row already.
        line.mentor = by_pk[line.mentor_id]
        grouped.setdefault(line.mentor_id, []).append(line)
    return grouped


# --- By moment ---------------------------------------------------------------------------------


def lines_by_moment(plan, month=None):
    """The plan's lines in calendar order, then by mentor; only `month`'s (its first day) when
    given."""
    lines = plan.lines.select_related("mentor", "option", "award")
    if month is not None:
        lines = lines.filter(moment_date__year=month.year, moment_date__month=month.month)
    return lines.order_by(
        "moment_date", "moment_key", "mentor__last_name", "mentor__first_name", "pk"
    )


def plan_months(plan):
    """The first day of each month the plan has lines in, in order: one query."""
    months = (
        plan.lines.annotate(month=TruncMonth("moment_date"))
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )
    return [month.date() if isinstance(month, datetime.datetime) else month for month in months]


@dataclass
class MomentGroup:
    key: str
    date: datetime.date
    label: str
    kind_label: str
    count: int
    lines: list = field(default_factory=list)


def group_by_month(plan, lines, moments):
    """[(first day of the month, [MomentGroup])] for a page of lines, with each moment's count
    of lines in the whole plan: one query."""
    lines = label_lines(lines, moments)
    keys = {line.moment_key for line in lines}
    counts = dict(
        plan.lines.filter(moment_key__in=keys)
        .order_by()
        .values("moment_key")
        .annotate(total=Count("pk"))
        .values_list("moment_key", "total")
    )
    months = OrderedDict()
    for line in lines:
        groups = months.setdefault(line.moment_date.replace(day=1), OrderedDict())
        group = groups.get(line.moment_key)
        if group is None:
            group = groups[line.moment_key] = MomentGroup(
                key=line.moment_key,
                date=line.moment_date,
                label=line.moment_label,
                kind_label=kind_note(line.moment_kind, line.moment_label),
                count=counts.get(line.moment_key, 0),
            )
        group.lines.append(line)
    return [(month, list(groups.values())) for month, groups in months.items()]


# --- By option ---------------------------------------------------------------------------------


@dataclass
class CapacityUse:
    """An option's busiest capacity period in the plan."""

    capacity: int
    period_label: str
    most: int

    @property
    def over(self):
        return self.most > self.capacity


def option_rows(plan):
    """The options the plan uses, with their count and costs (committed ones once approved)
    and their busiest capacity period: two queries."""
    options = list(
        RecognitionOption.objects.filter(plan_lines__plan=plan)
        .annotate(
            line_count=Count("plan_lines"),
            money_total=_cost_sum("money", "plan_lines__"),
            hours_total=_cost_sum("staff_hours", "plan_lines__"),
        )
        .order_by("-line_count", "name_fr", "pk")
    )
    per_month = (
        plan.lines.annotate(month=TruncMonth("moment_date"))
        .order_by()
        .values("option", "month")
        .annotate(total=Count("pk"))
        .values_list("option", "month", "total")
    )
    months = {}
    for option_pk, month, total in per_month:
        if isinstance(month, datetime.datetime):
            month = month.date()
        months.setdefault(option_pk, []).append((month, total))
    for option in options:
        option.hours_shown = format_amount("staff_hours", option.hours_total, "")
        option.capacity_use = None
        if option.capacity:
            periods = {}
            for month, total in months.get(option.pk, []):
                bounds = capacity_period_bounds(plan.organisation, option, month)
                periods[bounds] = periods.get(bounds, 0) + total
            option.capacity_use = CapacityUse(
                capacity=option.capacity,
                period_label=option.get_capacity_period_display(),
                most=max(periods.values(), default=0),
            )
    return options


def lines_of_option(plan, option_pk):
    """The lines of one option of the plan, by mentor."""
    return (
        plan.lines.filter(option_id=option_pk)
        .select_related("mentor", "option", "award")
        .order_by("mentor__last_name", "mentor__first_name", "moment_date", "pk")
    )


# --- Forms -------------------------------------------------------------------------------------


def active_mentors(program):
    """The program's active mentors, by name, for the line form's list."""
    return (
        Person.objects.filter(
            mentor_enrolments__program=program,
            mentor_enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .only("pk", "first_name", "last_name", "email")
        .order_by("last_name", "first_name", "pk")
    )


def moment_choices(moments, mentor=None):
    """(key, "date — label") for the plan's moments, in date order; with `mentor` (a pk), no
    other mentor's anniversary."""
    return [
        (moment.key, f"{date_format(moment.date, 'DATE_FORMAT')} — {moment.label}")
        for moment in moments.values()
        if mentor is None or moment.mentor is None or moment.mentor.pk == mentor
    ]


def was_deleted(organisation, pk):
    """Whether the organisation's plan `pk` was deleted (its audit trail says so)."""
    return AuditEvent.objects.filter(
        organisation=organisation,
        action=AuditEvent.Action.DELETE,
        object_type=Plan._meta.label_lower,
        object_id=str(pk),
    ).exists()


def approved_since(plan):
    """Whether a plan of the same program over part of the same period was approved after
    this draft was computed: the draft does not take its recognitions into account yet."""
    if plan.status != Plan.Status.DRAFT or plan.computed_at is None:
        return False
    return (
        Plan.objects.filter(
            program_id=plan.program_id,
            status=Plan.Status.APPROVED,
            approved_at__gt=plan.computed_at,
            starts_on__lte=plan.ends_on,
            ends_on__gte=plan.starts_on,
        )
        .exclude(pk=plan.pk)
        .exists()
    )
