"""Reads of budgets: what is allocated, committed, spent and left, computed by the database.

Committed = commitments - releases; spent = spendings; remaining = allocated - committed - spent.
Every figure of a page comes from a fixed number of aggregate queries, whatever the ledger's size.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, month_start
from laurier.core.figures import format_percent, percent, plural_count
from laurier.core.money import format_money, to_cents
from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by

from ..categories import RecognitionCategory
from ..models import (
    Budget,
    CapacityPeriod,
    CompensationDecision,
    LedgerEntry,
    RecognitionOption,
    Resource,
)

Kind = LedgerEntry.Kind
RESOURCES = (Resource.MONEY.value, Resource.STAFF_HOURS.value, Resource.MATERIAL_ITEMS.value)
ALERT_THRESHOLDS = (80, 100)
ZERO = Decimal("0.00")
SUM_FIELD = {
    "money": DecimalField(max_digits=16, decimal_places=2),
    "staff_hours": DecimalField(max_digits=12, decimal_places=2),
    "material_items": IntegerField(),
}


def format_amount(resource, value, currency):
    """An amount of a resource as a reader reads it: '1 234,50 $', '12,5 hours', '3 items'."""
    if resource == Resource.MONEY:
        return format_money(value, currency)
    if resource == Resource.STAFF_HOURS:
        value = Decimal(value).normalize()
        hours = formats.number_format(value, use_l10n=True)
        return ngettext("%(hours)s hour", "%(hours)s hours", plural_count(value)) % {"hours": hours}
    count = int(value)
    return ngettext("%(count)s item", "%(count)s items", count) % {"count": count}


def page_locale():
    """The BCP 47 locale a page's script formats numbers with: Canadian usage, as
    core.money writes amounts ('1 000,00 $', '$1,000.00', never 'CA$')."""
    language = translation.get_language() or "fr-ca"
    return "fr-CA" if language.startswith("fr") else "en-CA"


@dataclass(frozen=True)
class Amounts:
    """Money (Decimal cents), staff hours (Decimal) and material items (int)."""

    money: Decimal
    staff_hours: Decimal
    material_items: int

    @classmethod
    def zero(cls):
        return cls(ZERO, ZERO, 0)

    @classmethod
    def of(cls, entry):
        return cls(entry.money, entry.staff_hours, entry.material_items)

    def is_zero(self):
        return not (self.money or self.staff_hours or self.material_items)


def _sum(resource, condition, prefix=""):
    return Coalesce(
        Sum(prefix + resource, filter=condition),
        Value(0),
        output_field=SUM_FIELD[resource],
    )


def usage_sums(prefix=""):
    """The nine sums (three kinds × three resources) a Usage is made of."""
    kind = prefix + "kind"
    return {
        f"{name}_{resource}": _sum(resource, Q(**{kind: value}), prefix)
        for name, value in (
            ("commitments", Kind.COMMITMENT),
            ("releases", Kind.RELEASE),
            ("spending", Kind.SPENDING),
        )
        for resource in RESOURCES
    }


@dataclass(frozen=True)
class Usage:
    """What a budget's ledger holds, per kind of line and resource."""

    commitments: dict = field(default_factory=dict)
    releases: dict = field(default_factory=dict)
    spending: dict = field(default_factory=dict)

    @classmethod
    def from_sums(cls, sums):
        def part(name):
            return {
                resource: _typed(resource, sums.get(f"{name}_{resource}")) for resource in RESOURCES
            }

        return cls(part("commitments"), part("releases"), part("spending"))

    def committed(self, resource):
        return self.commitments[resource] - self.releases[resource]

    def spent(self, resource):
        return self.spending[resource]

    def used(self, resource):
        return self.committed(resource) + self.spent(resource)

    def plus(self, kind, amounts):
        """The usage after adding a line of `kind` with `amounts` (nothing is written)."""
        parts = {
            "commitments": dict(self.commitments),
            "releases": dict(self.releases),
            "spending": dict(self.spending),
        }
        target = {Kind.COMMITMENT: "commitments", Kind.RELEASE: "releases"}.get(kind, "spending")
        for resource in RESOURCES:
            parts[target][resource] += getattr(amounts, resource)
        return Usage(**parts)


def _typed(resource, value):
    if resource == Resource.MATERIAL_ITEMS:
        return int(value or 0)
    return to_cents(value or 0)


def budget_usage(budget):
    """The budget's usage from its ledger: one aggregate query."""
    return Usage.from_sums(LedgerEntry.objects.filter(budget=budget).aggregate(**usage_sums()))


# Stipends and honoraria paid: spending on options of the stipend category.
STIPEND_SPENDING = Q(kind=Kind.SPENDING, option__category=RecognitionCategory.STIPEND)


def usage_and_stipends(budget):
    """The budget's usage and the stipends spent on it, in one aggregate query."""
    sums = LedgerEntry.objects.filter(budget=budget).aggregate(
        **usage_sums(), stipends=_sum("money", STIPEND_SPENDING)
    )
    return Usage.from_sums(sums), to_cents(sums["stipends"])


@dataclass(frozen=True)
class ResourceFigures:
    """One resource of a budget: allocated, committed, spent, remaining and the share used."""

    resource: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal
    currency: str

    @property
    def label(self):
        return Resource(self.resource).label

    @property
    def used(self):
        return self.committed + self.spent

    @property
    def remaining(self):
        return self.allocated - self.used

    @property
    def share_used(self):
        """Used ÷ allocated (None without an allocation), for display and the state."""
        if not self.allocated:
            return None
        return Decimal(self.used) / Decimal(self.allocated)

    @property
    def percent_used(self):
        share = self.share_used
        return None if share is None else percent(self.used, self.allocated)

    @property
    def state(self):
        """'full' at 100 % or more, 'warning' from 80 %, '' otherwise."""
        share = self.share_used
        if share is None:
            return ""
        if share >= 1:
            return "full"
        if share >= Decimal("0.8"):
            return "warning"
        return ""

    @property
    def state_label(self):
        if self.state == "full":
            return gettext("Used up")
        if self.state == "warning":
            return gettext("%(share)s or more used") % {"share": format_percent(80)}
        return ""

    def shown(self, value):
        return format_amount(self.resource, value, self.currency)

    @property
    def allocated_shown(self):
        return self.shown(self.allocated)

    @property
    def committed_shown(self):
        return self.shown(self.committed)

    @property
    def spent_shown(self):
        return self.shown(self.spent)

    @property
    def remaining_shown(self):
        return self.shown(self.remaining)


def resource_figures(budget, usage):
    """The three ResourceFigures of a budget, in the order money, staff hours, material items."""
    return [
        ResourceFigures(
            resource=resource,
            allocated=_typed(resource, getattr(budget, resource)),
            committed=usage.committed(resource),
            spent=usage.spent(resource),
            currency=budget.currency,
        )
        for resource in RESOURCES
    ]


def budget_state(figures):
    """The worst state among a budget's resources: 'full', 'warning' or ''."""
    states = {figure.state for figure in figures}
    return "full" if "full" in states else "warning" if "warning" in states else ""


# --- Fiscal years --------------------------------------------------------------------------


def fiscal_year_months(organisation, fiscal_year):
    """The first day of each of the fiscal year's twelve months."""
    first, _last = fiscal_year_bounds(organisation, fiscal_year)
    return [month_start(first, offset) for offset in range(12)]


def fiscal_year_choices(organisation, today, budgets_years=()):
    """Years a budget list may show: those with budgets, and the current year ± 1."""
    current = fiscal_year_of(organisation, today)
    years = set(budgets_years) | {current - 1, current, current + 1}
    return [(year, fiscal_year_label(organisation, year)) for year in sorted(years, reverse=True)]


def date_outside_fiscal_year(budget, day):
    """Why `day` cannot date a line of `budget`'s ledger, or None when it falls in its year.

    Every line of a budget is dated in the budget's fiscal year: per-period capacities and the
    burn chart count lines by their date.
    """
    first, last = fiscal_year_bounds(budget.organisation, budget.fiscal_year)
    if first <= day <= last:
        return None
    return _("Choose a date in the budget's fiscal year %(year)s, from %(first)s to %(last)s.") % {
        "year": fiscal_year_label(budget.organisation, budget.fiscal_year),
        "first": long_date(first),
        "last": long_date(last),
    }


def long_date(day):
    """A date as a sentence writes it: "1er avril 2027", "April 1, 2027" (tables keep ISO)."""
    return formats.date_format(day, "DATE_FORMAT")


def default_entry_date(budget, today):
    """The date a new line of `budget` gets unless told: today, brought into its fiscal year
    (the first day for next year's budget, the last for a past year's)."""
    first, last = fiscal_year_bounds(budget.organisation, budget.fiscal_year)
    return min(max(today, first), last)


# --- Scoping -------------------------------------------------------------------------------


def visible_budgets(membership):
    """The budgets a membership reads: all for an admin; for a manager, their programs' and
    the organisation-wide one (which only admins change, see `may_change`)."""
    budgets = Budget.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return budgets
    return budgets.filter(Q(program__in=programs_managed_by(membership)) | Q(program__isnull=True))


def budget_for(membership, pk):
    """A budget of `visible_budgets`, or 404 (another program's or organisation's)."""
    budget = (
        visible_budgets(membership).select_related("organisation", "program").filter(pk=pk).first()
    )
    if budget is None:
        raise Http404
    return budget


def may_change(membership, budget):
    """Admins change every budget; managers only their programs' (checked by `budget_for`)."""
    return membership.role == Role.ADMIN or budget.program_id is not None


# --- The list ------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    budget: Budget
    figures: list

    @property
    def state(self):
        return budget_state(self.figures)


def budget_rows(membership, fiscal_year):
    """The year's budgets with their figures: two queries, the budgets and the ledger's sums.

    The ledger is summed per budget on its own and attached here: grouping it together with
    the wide budget, program and organisation rows made the database sort the whole year's
    ledger on disk (20,000 lines in one budget).
    """
    budgets = list(
        visible_budgets(membership)
        .filter(fiscal_year=fiscal_year)
        .select_related("organisation", "program")
        .order_by(Coalesce("program__name", Value("")), "pk")
    )
    sums = {
        row["budget_id"]: row
        for row in LedgerEntry.objects.filter(budget__in=[budget.pk for budget in budgets])
        .values("budget_id")
        .annotate(**usage_sums())
        .order_by()
    }
    return [
        BudgetRow(budget, resource_figures(budget, Usage.from_sums(sums.get(budget.pk, {}))))
        for budget in budgets
    ]


def programs_without_budget(membership, fiscal_year):
    """The programs (not closed) the membership manages that have no budget for the year."""
    from laurier.programs.models import Program

    return (
        programs_managed_by(membership)
        .exclude(status=Program.Status.CLOSED)
        .exclude(budgets__fiscal_year=fiscal_year)
        .order_by("name")
    )


def years_with_budgets(membership):
    return set(visible_budgets(membership).values_list("fiscal_year", flat=True).distinct())


# --- The budget page -----------------------------------------------------------------------


def burn_chart(budget, figures, today=None):
    """Cumulative committed and spent per month of the fiscal year, for each resource.

    One query grouping the ledger by month and kind. Lines dated before the fiscal year count
    in its first month, after it in its last, so the cumulative totals end at today's figures.
    Months after `today`'s are left empty (None) unless something is already dated in them:
    the lines stop where the year has got to, and the allocation line shows what is left.
    """
    months = fiscal_year_months(budget.organisation, budget.fiscal_year)
    grouped = (
        LedgerEntry.objects.filter(budget=budget)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "kind")
        .annotate(**{resource: Sum(resource) for resource in RESOURCES})
        .order_by()
    )
    per_month = {resource: {"committed": [0] * 12, "spent": [0] * 12} for resource in RESOURCES}
    for row in grouped:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        index = 0
        for position, first_day in enumerate(months):
            if month >= first_day:
                index = position
        for resource in RESOURCES:
            value = _typed(resource, row[resource])
            if row["kind"] == Kind.COMMITMENT:
                per_month[resource]["committed"][index] += value
            elif row["kind"] == Kind.RELEASE:
                per_month[resource]["committed"][index] -= value
            else:
                per_month[resource]["spent"][index] += value
    labels = [formats.date_format(month, "YEAR_MONTH_FORMAT") for month in months]
    series = {}
    for resource in RESOURCES:
        committed, spent, running_c, running_s = [], [], 0, 0
        for index in range(12):
            running_c += per_month[resource]["committed"][index]
            running_s += per_month[resource]["spent"][index]
            committed.append(running_c)
            spent.append(running_s)
        series[resource] = {"committed": committed, "spent": spent}
    chosen = next((f for f in figures if f.allocated), figures[0])
    last = 11
    if today is not None:
        last = max(
            [index for index, first_day in enumerate(months) if first_day <= today]
            + [index for index in range(12) if _dated_in(per_month, index)]
            + [0]
        )

    def shown(values):
        return [float(value) if index <= last else None for index, value in enumerate(values)]

    rows = [
        {
            "label": labels[index],
            "future": index > last,
            "values": [
                (
                    figure.shown(series[figure.resource]["committed"][index]),
                    figure.shown(series[figure.resource]["spent"][index]),
                )
                for figure in figures
            ],
        }
        for index in range(12)
    ]
    chart = {
        "labels": labels,
        "resource": str(chosen.label),
        "committed": shown(series[chosen.resource]["committed"]),
        "spent": shown(series[chosen.resource]["spent"]),
        "allocated": [float(chosen.allocated)] * 12,
        "committed_label": gettext("Committed (cumulative)"),
        "spent_label": gettext("Spent (cumulative)"),
        "allocated_label": gettext("Allocated"),
        # The script writes the axis and the tooltips in the page's language, money with
        # its currency, whatever the browser's own locale.
        "language": page_locale(),
        "currency": budget.currency if chosen.resource == Resource.MONEY else "",
        # Translators: a point of the burn chart; keep {series} and {value}.
        "tooltip": gettext("{series}: {value}"),
    }
    return {"rows": rows, "chart": chart, "resource": chosen}


def _dated_in(per_month, index):
    return any(
        per_month[resource][part][index]
        for resource in RESOURCES
        for part in ("committed", "spent")
    )


def open_commitments(budget):
    """The budget's commitments not yet spent nor released, oldest first."""
    settled = LedgerEntry.objects.filter(settles=OuterRef("pk"), kind=Kind.RELEASE)
    return (
        LedgerEntry.objects.filter(budget=budget, kind=Kind.COMMITMENT)
        .exclude(Exists(settled))
        .select_related("option", "created_by", "person")
        .order_by("occurred_on", "pk")
    )


def ledger(budget, kind=""):
    """The budget's ledger lines, newest first, optionally of one kind.

    The settled commitments are prefetched for the lines shown: joined, they made the database
    join the whole ledger to itself before keeping one page.
    """
    entries = (
        LedgerEntry.objects.filter(budget=budget)
        .select_related("option", "created_by", "person")
        .prefetch_related("settles__option", "settles__person")
    )
    if kind in Kind.values:
        entries = entries.filter(kind=kind)
    return entries


def ledger_export(budget, entries):
    """Headers and rows of the ledger's export, amounts as numbers."""
    headers = [
        _("date"),
        _("kind"),
        _("description"),
        _("recognition option"),
        _("quantity"),
        gettext("money (%(currency)s)") % {"currency": budget.currency},
        _("staff hours"),
        _("material items"),
        _("commitment settled"),
        _("by"),
    ]
    rows = (
        [
            entry.occurred_on,
            entry.get_kind_display(),
            entry_label(entry),
            in_reader_language(entry.option, "name") if entry.option_id else "",
            entry.quantity,
            entry.money,
            entry.staff_hours,
            entry.material_items,
            entry_label(entry.settles, entry.option if entry.option_id else None)
            if entry.settles_id
            else "",
            (entry.created_by.get_full_name() or entry.created_by.email)
            if entry.created_by_id
            else "",
        ]
        for entry in entries.iterator(chunk_size=500)
    )
    return headers, rows


def default_description(option, quantity):
    """What a line of `option` × `quantity` is called in the reader's language."""
    name = in_reader_language(option, "name")
    if quantity > 1:
        # Translators: a ledger line made of a catalog option, e.g. "Thank-you card × 3".
        return gettext("%(option)s × %(quantity)s") % {"option": name, "quantity": quantity}
    return name


def is_default_description(description, option, quantity):
    """Whether `description` only repeats the option's name (× quantity) in either language.

    Such a description is not stored (see services.budgets): the line is named at display time
    in the reader's language. Lines written before that still read as their option's name.
    """
    description = (description or "").strip()
    if not description:
        return True
    if option is None:
        return False
    names = {name for name in (option.name_fr, option.name_en) if name}
    candidates = set(names) | {f"{name} × {quantity}" for name in names}
    return description in candidates


def entry_label(entry, option=None):
    """What a ledger line is called for the reader: the description its author typed, or its
    option's name × quantity in the reader's language, and whom it is for when it says.
    `option` defaults to the line's own (a release or spending has the option of the
    commitment it settles)."""
    option = option if option is not None else (entry.option if entry.option_id else None)
    if option is not None and is_default_description(entry.description, option, entry.quantity):
        label = default_description(option, entry.quantity)
        if entry.person_id is not None:
            return f"{label} — {entry.person.full_name}"
        return label
    return entry.description


def labelled(entries):
    """The lines as a list, each with `label` (see entry_label) and, for a line that settles a
    commitment, `settles_label`, and `quantity_shown`: the quantity to show beside a typed
    description (a default one already says it)."""
    entries = list(entries)
    for entry in entries:
        option = entry.option if entry.option_id else None
        entry.label = entry_label(entry, option)
        entry.quantity_shown = (
            entry.quantity
            if option is not None
            and entry.quantity > 1
            and not is_default_description(entry.description, option, entry.quantity)
            else None
        )
        entry.settles_label = (
            entry_label(entry.settles, option) if entry.settles_id is not None else ""
        )
    return entries


def active_alerts(budget):
    """The budget's recorded alerts, highest threshold first."""
    return list(budget.alerts.order_by("-threshold", "resource"))


def stipends_spent(budget, today):
    """When the program paid its mentors in the budget's fiscal year: the decision that did,
    and the stipends and honoraria spent on this budget (spending whose option is in the
    stipend category). None for a year the program did not pay (or the organisation-wide
    budget). Two queries.

    The decision looked at is the one in force on the last day of the fiscal year, or today
    while that day is still ahead (the current year and next year's): a past year's budget
    tells what was decided then, not today's decision.
    """
    if not budget.program_id:
        return None
    _first, last = fiscal_year_bounds(budget.organisation, budget.fiscal_year)
    decision = (
        CompensationDecision.objects.filter(
            program_id=budget.program_id, decided_on__lte=min(today, last)
        )
        .order_by("-decided_on", "-pk")
        .first()
    )
    if decision is None or not decision.pays_mentors:
        return None
    spent = LedgerEntry.objects.filter(budget=budget).aggregate(
        total=_sum("money", STIPEND_SPENDING)
    )["total"]
    return {"decision": decision, "spent": to_cents(spent or 0)}


def capacity_period_bounds(organisation, option, day):
    """First and last day of the option's capacity period around `day`.

    Months are calendar months; quarters and years follow the organisation's fiscal year.
    """
    if option.capacity_period == CapacityPeriod.MONTH:
        length = 1
        first = month_start(day)
    else:
        length = 3 if option.capacity_period == CapacityPeriod.QUARTER else 12
        year_start, _last = fiscal_year_bounds(organisation, fiscal_year_of(organisation, day))
        months_in = (day.year - year_start.year) * 12 + day.month - year_start.month
        first = month_start(year_start, months_in - months_in % length)
    return first, month_start(first, length) - datetime.timedelta(days=1)


def capacity_used(option, first, last):
    """How many of the option are planned or given between two days, in every budget.

    Commitments count unless released without being spent; spending counts when it settles no
    commitment (a settled commitment is already counted). One query.
    """
    total = (
        _counted_for_capacity(LedgerEntry.objects.filter(option=option))
        .filter(occurred_on__range=(first, last))
        .aggregate(total=Sum("quantity"))["total"]
    )
    return total or 0


def _counted_for_capacity(entries):
    """The ledger lines that use an option's capacity (see capacity_used)."""
    released = LedgerEntry.objects.filter(settles=OuterRef("pk"), kind=Kind.RELEASE)
    spent = LedgerEntry.objects.filter(settles=OuterRef("pk"), kind=Kind.SPENDING)
    return entries.filter(
        Q(kind=Kind.COMMITMENT) & (~Exists(released) | Exists(spent))
        | Q(kind=Kind.SPENDING, settles__isnull=True)
    )


def capacity_periods_left(organisation, options, start, end):
    """{option pk: [(first day, last day, how many more fit)]} for each capacity period
    (month, quarter or fiscal year) of each option with a capacity that meets `start`..`end`:
    its capacity less what the ledger uses of it in that period, never below zero. One query.
    """
    options = [option for option in options if option.capacity]
    if not options:
        return {}
    spans = {option.pk: _capacity_periods(organisation, option, start, end) for option in options}
    first = min(period[0] for periods in spans.values() for period in periods)
    last = max(period[1] for periods in spans.values() for period in periods)
    used = {}
    rows = (
        _counted_for_capacity(LedgerEntry.objects.filter(option__in=[o.pk for o in options]))
        .filter(occurred_on__range=(first, last))
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values("option", "month")
        .annotate(total=Sum("quantity"))
    )
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        used[row["option"], month] = row["total"]
    return {
        option.pk: [
            (first, last, max(option.capacity - _used_between(used, option.pk, first, last), 0))
            for first, last in spans[option.pk]
        ]
        for option in options
    }


def _used_between(used, option_pk, first, last):
    return sum(
        quantity
        for (used_pk, month), quantity in used.items()
        if used_pk == option_pk and first <= month <= last
    )


def _capacity_periods(organisation, option, start, end):
    """The option's capacity periods (first, last day) that meet `start`..`end`."""
    periods = []
    day = start
    while day <= end:
        period = capacity_period_bounds(organisation, option, day)
        periods.append(period)
        day = period[1] + datetime.timedelta(days=1)
    return periods


def committable_options(organisation):
    """The catalog options a commitment can be made from: those still offered."""
    return RecognitionOption.objects.filter(organisation=organisation, active=True).order_by(
        "category", "name_fr", "pk"
    )


__all__ = [
    "ALERT_THRESHOLDS",
    "RESOURCES",
    "Amounts",
    "ResourceFigures",
    "Usage",
    "budget_for",
    "budget_rows",
    "budget_usage",
    "burn_chart",
    "date_outside_fiscal_year",
    "default_entry_date",
    "fiscal_year_label",
    "fiscal_year_of",
    "format_amount",
    "ledger",
    "open_commitments",
    "resource_figures",
    "stipends_spent",
]
