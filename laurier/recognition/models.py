"""Culture, catalog, budgets and compensation: what an organisation can offer its mentors.

Money is a Decimal in the organisation's currency (two decimals); staff time is in hours.
"""

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import fiscal_year_label, organisation_today
from laurier.organisations.models import Organisation
from laurier.programs.models import Program

from .categories import (
    Formality,
    Giver,
    Nature,
    Personalisation,
    RecognitionCategory,
    Scope,
    Visibility,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
HOURS = {"max_digits": 8, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(0)]

# How strongly a culture leans towards one pole of an axis: -2 and 2 are the poles, 0 is neutral.
LEANS = range(-2, 3)
LEAN_VALIDATORS = [MinValueValidator(-2), MaxValueValidator(2)]


class CultureProfile(models.Model):
    """How an organisation likes to recognise people: its values, norms and four leanings.

    Each leaning runs from -2 to 2; a positive value leans towards the first pole named by the
    field (public, formal, individual, symbolic) and a negative one towards the other.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="culture_profile"
    )
    values_fr = models.TextField(_("values (French)"), blank=True, help_text=_("One per line."))
    values_en = models.TextField(_("values (English)"), blank=True, help_text=_("One per line."))
    norms_fr = models.TextField(_("norms (French)"), blank=True)
    norms_en = models.TextField(_("norms (English)"), blank=True)
    public_or_private = models.SmallIntegerField(
        _("public or private"), default=0, validators=LEAN_VALIDATORS
    )
    formal_or_informal = models.SmallIntegerField(
        _("formal or informal"), default=0, validators=LEAN_VALIDATORS
    )
    individual_or_collective = models.SmallIntegerField(
        _("individual or collective"), default=0, validators=LEAN_VALIDATORS
    )
    symbolic_or_material = models.SmallIntegerField(
        _("symbolic or material"), default=0, validators=LEAN_VALIDATORS
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("culture profile")
        verbose_name_plural = _("culture profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(public_or_private__gte=-2, public_or_private__lte=2)
                & Q(formal_or_informal__gte=-2, formal_or_informal__lte=2)
                & Q(individual_or_collective__gte=-2, individual_or_collective__lte=2)
                & Q(symbolic_or_material__gte=-2, symbolic_or_material__lte=2),
                name="culture_leans_in_range",
            )
        ]

    def __str__(self):
        return str(self.organisation)

    @property
    def values(self):
        """The organisation's values in the reader's language, one item per non-empty line."""
        text = in_reader_language(self, "values")
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def norms(self):
        return in_reader_language(self, "norms")


class CapacityPeriod(models.TextChoices):
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    YEAR = "year", _("per fiscal year")


class RecognitionOption(models.Model):
    """One thing an organisation can give a mentor: what it is, what it costs, who may get it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recognition_options"
    )
    # Set on the options Laurier seeds, so installing again never duplicates them.
    standard_key = models.CharField(max_length=60, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=30, choices=RecognitionCategory.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    cost_money = models.DecimalField(
        _("cost per recognition"), default=0, validators=NOT_NEGATIVE, **MONEY
    )
    staff_hours = models.DecimalField(
        _("staff hours per recognition"), default=0, validators=NOT_NEGATIVE, **HOURS
    )
    material_items = models.PositiveIntegerField(_("material items per recognition"), default=0)
    material_needs = models.CharField(_("material needs"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many can be given per period, e.g. 40 gala seats. Empty: no limit."),
    )
    capacity_period = models.CharField(
        _("capacity period"),
        max_length=10,
        choices=CapacityPeriod.choices,
        default=CapacityPeriod.YEAR,
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    formality = models.CharField(_("formality"), max_length=10, choices=Formality.choices)
    scope = models.CharField(
        _("individual or collective"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.INDIVIDUAL,
    )
    nature = models.CharField(_("symbolic or material"), max_length=10, choices=Nature.choices)
    min_hours_mentored = models.DecimalField(
        _("minimum hours mentored"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        max_digits=7,
        decimal_places=2,
    )
    min_tenure_months = models.PositiveSmallIntegerField(
        _("minimum months as a mentor"), null=True, blank=True
    )
    active_mentors_only = models.BooleanField(_("active mentors only"), default=True)
    contest_winners_only = models.BooleanField(_("contest winners only"), default=False)
    # RecognitionMoment values the option can be given at; Giver values who usually give it.
    moments = models.JSONField(_("moments it can be given at"), default=list)
    usual_givers = models.JSONField(_("who usually gives it"), default=list, blank=True)
    personalisation = models.CharField(
        _("personalisation"),
        max_length=10,
        choices=Personalisation.choices,
        default=Personalisation.SOME,
    )
    active = models.BooleanField(_("offered"), default=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recognition option")
        verbose_name_plural = _("recognition options")
        ordering = ["category", "name_fr", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "standard_key"],
                condition=~Q(standard_key=""),
                name="standard_option_once",
            ),
            models.CheckConstraint(
                condition=Q(cost_money__gte=0) & Q(staff_hours__gte=0),
                name="option_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="option_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "active", "category"])]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def description(self):
        return in_reader_language(self, "description")


class Resource(models.TextChoices):
    """The three kinds of resources a budget holds."""

    MONEY = "money", _("Money")
    STAFF_HOURS = "staff_hours", _("Staff hours")
    MATERIAL_ITEMS = "material_items", _("Material items")


class Budget(models.Model):
    """What a program (or, without a program, the whole organisation) may spend in a fiscal year.

    `fiscal_year` is the calendar year in which the fiscal year starts. The ledger holds every
    commitment and spending against it; committing locks this row so nothing can overspend.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="budgets")
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budgets",
        verbose_name=_("program"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    currency = models.CharField(_("currency"), max_length=3)
    money = models.DecimalField(_("money"), default=0, validators=NOT_NEGATIVE, **MONEY)
    staff_hours = models.DecimalField(_("staff hours"), default=0, validators=NOT_NEGATIVE, **HOURS)
    material_items = models.PositiveIntegerField(_("material items"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-fiscal_year", "program__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"],
                condition=Q(program__isnull=False),
                name="one_budget_per_program_and_year",
            ),
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"],
                condition=Q(program__isnull=True),
                name="one_organisation_budget_per_year",
            ),
            models.CheckConstraint(
                condition=Q(money__gte=0) & Q(staff_hours__gte=0),
                name="budget_not_negative",
            ),
        ]

    def __str__(self):
        owner = self.program.name if self.program_id else _("Whole organisation")
        return f"{owner} — {self.fiscal_year_label}"

    @property
    def fiscal_year_label(self):
        """'2026' when the fiscal year is the calendar year, '2026–2027' otherwise."""
        return fiscal_year_label(self.organisation, self.fiscal_year)


class LedgerEntry(models.Model):
    """One line of a budget's ledger. Lines are never changed or deleted, only added.

    A commitment reserves resources; a release gives a commitment back (the recognition was
    cancelled, or its spending was recorded); a spending is what was actually used.
    Committed = commitments - releases; remaining = budget - committed - spent.
    """

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        RELEASE = "release", _("Release")
        SPENDING = "spending", _("Spending")

    # Only deleting the whole organisation (or program) deletes a ledger: there is no page for it.
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    money = models.DecimalField(_("money"), default=0, validators=NOT_NEGATIVE, **MONEY)
    staff_hours = models.DecimalField(_("staff hours"), default=0, validators=NOT_NEGATIVE, **HOURS)
    material_items = models.PositiveIntegerField(_("material items"), default=0)
    # RESTRICT, not PROTECT: an option used by the ledger cannot be deleted on its own (retire
    # it), yet deleting the whole organisation deletes both.
    option = models.ForeignKey(
        RecognitionOption,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("recognition option"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    # Whom it is for, when it is one person's recognition (a plan's line): named beside the
    # option in each reader's language. Kept when the person is deleted, without the name.
    person = models.ForeignKey(
        "programs.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for"),
    )
    description = models.CharField(_("description"), max_length=300)
    # The commitment a release or a spending settles.
    settles = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="settled_by",
        verbose_name=_("commitment settled"),
    )
    occurred_on = models.DateField(_("date"))
    # The one-time key of the form (or API call) that wrote the line: sent twice, it writes once.
    request_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(money__gte=0) & Q(staff_hours__gte=0),
                name="ledger_amounts_not_negative",
            ),
            # A commitment is released at most once (cancelled, or settled by its spending).
            models.UniqueConstraint(
                fields=["settles"],
                condition=Q(kind="release"),
                name="commitment_released_once",
            ),
            models.UniqueConstraint(
                fields=["budget", "request_key"],
                condition=~Q(request_key=""),
                name="ledger_request_once",
            ),
        ]
        indexes = [
            models.Index(fields=["budget", "kind", "occurred_on"]),
            # The budget page's ledger, newest first, without sorting the whole ledger.
            models.Index(fields=["budget", "occurred_on", "id"], name="ledger_by_date"),
        ]

    def __str__(self):
        return self.description


class BudgetAlert(models.Model):
    """A budget resource reached 80% or 100% of its allocation; kept so each alert is sent once.

    The row is removed when use falls back under the threshold, so reaching it again alerts again.
    """

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts")
    resource = models.CharField(max_length=20, choices=Resource.choices)
    threshold = models.PositiveSmallIntegerField()
    reached_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "resource", "threshold"], name="budget_alert_once"
            )
        ]

    def __str__(self):
        return f"{self.budget} — {self.get_resource_display()} {self.threshold}%"


class CompensationDecision(models.Model):
    """A program's recorded decision on whether and how it pays its mentors.

    Decisions are kept as a history: the latest one is in force; earlier ones explain the past.
    """

    class Decision(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer mentors (not paid)")
        STIPEND = "stipend", _("A stipend")
        HONORARIUM = "honorarium", _("An honorarium")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="compensation_decisions"
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    context = models.TextField(_("context"))
    goals = models.TextField(_("goals"))
    stakeholders = models.TextField(_("stakeholders consulted"))
    benefits = models.TextField(_("expected benefits"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    amount_per_mentor = models.DecimalField(
        _("amount per mentor per fiscal year"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        **MONEY,
    )
    decided_on = models.DateField(_("decided on"))
    review_on = models.DateField(_("review on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compensation decision")
        verbose_name_plural = _("compensation decisions")
        ordering = ["-decided_on", "-pk"]
        get_latest_by = ["decided_on", "pk"]

    def __str__(self):
        return self.get_decision_display()

    @property
    def pays_mentors(self):
        return self.decision != self.Decision.VOLUNTEER


class ImportantDate(models.Model):
    """A date that matters to the organisation (a founding day, a recognition week).

    Yearly dates come back every year; a date of February 29 falls on February 28 in other years.
    Without a program, the date is everyone's.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="important_dates"
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="important_dates",
        verbose_name=_("program"),
        help_text=_("Leave empty for a date of the whole organisation."),
    )
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    yearly = models.BooleanField(
        _("every year"), default=False, help_text=_("For example, the organisation's founding day.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("important date")
        verbose_name_plural = _("important dates")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_fr="") | ~Q(name_en=""), name="important_date_has_a_name"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")


# A feed names mentors: an address copied somewhere and forgotten stops within a year (the
# program's year of recognition moments), whether or not anyone noticed it leaked.
CALENDAR_FEED_VALID_DAYS = 365


class CalendarFeed(models.Model):
    """A program's secret calendar address: whoever holds the token reads the calendar.

    A new token replaces the old one, so the subscriptions made with the old one stop; a token
    also stops CALENDAR_FEED_VALID_DAYS after it was made.
    """

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self):
        return str(self.program)

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=CALENDAR_FEED_VALID_DAYS)

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at


class Plan(models.Model):
    """A program's recognition plan for a period: who receives what, when, from whom.

    The planner computes its lines (as a task when the program is large); the manager edits,
    adds, removes and locks lines, plans again (locked lines are kept) and approves it, which
    commits its cost to the program's budget for the period's fiscal year. An approved plan
    no longer changes.
    """

    class Status(models.TextChoices):
        COMPUTING = "computing", _("Being computed")
        DRAFT = "draft", _("Draft")
        FAILED = "failed", _("Could not be computed")
        APPROVED = "approved", _("Approved")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plans")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="plans", verbose_name=_("program")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    min_per_mentor = models.PositiveSmallIntegerField(
        _("minimum per mentor"),
        default=1,
        validators=[MaxValueValidator(12)],
        help_text=_("Each mentor receives at least this many recognitions when the budget allows."),
    )
    max_per_mentor = models.PositiveSmallIntegerField(
        _("maximum per mentor"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    one_per_moment = models.BooleanField(
        _("one recognition per mentor per moment"),
        default=True,
        help_text=_("Spread a mentor's recognitions over several moments of the year."),
    )
    no_repeat_months = models.PositiveSmallIntegerField(
        _("no repeat within (months)"),
        default=12,
        validators=[MaxValueValidator(60)],
        help_text=_("A mentor does not receive an option they received within this many months."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPUTING
    )
    # How far the computation has gone (0 to 1) and its step, for the progress bar.
    progress = models.FloatField(default=0)
    progress_step = models.CharField(max_length=20, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    # What the planner reported on its last run.
    solver_status = models.CharField(max_length=10, blank=True)
    objective = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    mentor_count = models.PositiveIntegerField(default=0)
    uncovered_count = models.PositiveIntegerField(default=0)
    without_option_count = models.PositiveIntegerField(default=0)
    shortfall_money = models.DecimalField(default=0, **MONEY)
    shortfall_staff_hours = models.DecimalField(default=0, **HOURS)
    shortfall_material_items = models.PositiveIntegerField(default=0)
    # The planner's refusals (locked lines that break a hard rule), in both languages.
    problems_fr = models.JSONField(default=list, blank=True)
    problems_en = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The one-time key of the form that created it: sent twice, it creates one plan.
    request_key = models.CharField(max_length=64, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    budget = models.ForeignKey(
        Budget,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("budget"),
    )

    class Meta:
        verbose_name = _("recognition plan")
        verbose_name_plural = _("recognition plans")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(max_per_mentor__gte=models.F("min_per_mentor")),
                name="plan_minimum_within_maximum",
            ),
            models.UniqueConstraint(
                fields=["program", "request_key"],
                condition=~Q(request_key=""),
                name="one_plan_per_request",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return _("%(program)s: plan from %(start)s to %(end)s") % {
            "program": self.program.name,
            "start": date_format(self.starts_on, "DATE_FORMAT"),
            "end": date_format(self.ends_on, "DATE_FORMAT"),
        }

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT

    @property
    def problems(self):
        french_first = (translation.get_language() or "fr").startswith("fr")
        return self.problems_fr if french_first else self.problems_en


class PlanLine(models.Model):
    """One recognition of a plan: a mentor, an option, a moment and who gives it.

    The moment is the recognition calendar's (`selectors.calendar`), kept by its stable key,
    its date and its kind, so the line stays readable if the calendar changes. A locked line
    is kept as it is when the plan is computed again; a line the manager adds or edits is
    locked.
    """

    class Source(models.TextChoices):
        PLANNER = "planner", _("Proposed by the planner")
        MANAGER = "manager", _("Added by a manager")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    mentor = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    # RESTRICT: an option planned cannot be deleted on its own (retire it).
    option = models.ForeignKey(
        RecognitionOption,
        on_delete=models.RESTRICT,
        related_name="plan_lines",
        verbose_name=_("recognition option"),
    )
    moment_key = models.CharField(max_length=80)
    moment_date = models.DateField(_("date"))
    moment_kind = models.CharField(_("kind of moment"), max_length=30)
    givers = models.JSONField(_("given by"), default=list, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PLANNER)
    reason_fr = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)
    fit = models.FloatField(default=0)
    # The budget commitment written when the plan was approved.
    commitment = models.OneToOneField(
        LedgerEntry, on_delete=models.RESTRICT, null=True, blank=True, related_name="plan_line"
    )

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["moment_date", "pk"]
        indexes = [models.Index(fields=["plan", "mentor"], name="plan_line_by_mentor")]

    def __str__(self):
        return f"{self.mentor} — {self.option} — {self.moment_date}"

    @property
    def reason(self):
        return in_reader_language(self, "reason")

    @property
    def giver_labels(self):
        labels = dict(Giver.choices)
        return [labels[giver] for giver in self.givers if giver in labels]


# Long enough for a warm paragraph, short enough to read on a card or in an e-mail.
AWARD_MESSAGE_MAX_LENGTH = 2000


class Award(models.Model):
    """A recognition given to one mentor: from an approved plan's line or added directly.

    planned → approved → given, or cancelled. Approving commits the option's costs to the
    program's budget; giving spends what it actually cost; cancelling gives the commitment
    back. An option that costs nothing and has no capacity needs no budget and writes nothing
    to the ledger. The mentor sees an award once it is given, never before: it may be a
    surprise.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("status of a recognition", "Planned")
        APPROVED = "approved", pgettext_lazy("status of a recognition", "Approved")
        GIVEN = "given", pgettext_lazy("status of a recognition", "Given")
        CANCELLED = "cancelled", pgettext_lazy("status of a recognition", "Cancelled")

    OPEN_STATUSES = (Status.PLANNED, Status.APPROVED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="awards")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="awards", verbose_name=_("program")
    )
    mentor = models.ForeignKey(
        "programs.Person",
        on_delete=models.CASCADE,
        related_name="awards",
        verbose_name=_("mentor"),
    )
    # RESTRICT: an option given or planned cannot be deleted on its own (retire it).
    option = models.ForeignKey(
        RecognitionOption,
        on_delete=models.RESTRICT,
        related_name="awards",
        verbose_name=_("recognition"),
    )
    plan_line = models.OneToOneField(
        PlanLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="award"
    )
    # The recognition calendar's moment, as on a plan line, and its name in each language,
    # kept as they were when chosen; empty for "no particular moment".
    moment_key = models.CharField(max_length=80, blank=True, default="")
    moment_fr = models.CharField(max_length=200, blank=True, default="")
    moment_en = models.CharField(max_length=200, blank=True, default="")
    planned_on = models.DateField(_("planned for"))
    givers = models.JSONField(_("given by"), default=list, blank=True)
    giver_names = models.CharField(
        _("names of the givers"),
        max_length=200,
        blank=True,
        help_text=_("Who hands it over, as the mentor will read it: “Sophie Gagnon, CEO”."),
    )
    message = models.TextField(
        _("personal message"), max_length=AWARD_MESSAGE_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # The budget commitment made at approval, and the spending written when it was given.
    commitment = models.OneToOneField(
        LedgerEntry, on_delete=models.RESTRICT, null=True, blank=True, related_name="award"
    )
    spending = models.OneToOneField(
        LedgerEntry, on_delete=models.RESTRICT, null=True, blank=True, related_name="award_spent"
    )
    given_on = models.DateField(_("given on"), null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=300, blank=True)
    # When the mentor is asked for their feedback, and the request itself once sent; the
    # answers are the request's response.
    feedback_due_on = models.DateField(null=True, blank=True)
    feedback_request = models.OneToOneField(
        "surveys.Recipient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="award",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The creating form's one-time token: a second submit finds the award the first one made.
    request_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "request_key"],
                condition=~Q(request_key=""),
                name="one_award_per_request_key",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status", "planned_on"], name="award_by_status"),
            # Insights read what was given, when: recognitions given in a period.
            models.Index(fields=["program", "status", "given_on"], name="award_given_by_day"),
            models.Index(fields=["mentor", "status"], name="award_by_mentor"),
            models.Index(
                fields=["feedback_due_on"],
                condition=Q(status="given", feedback_request__isnull=True),
                name="award_feedback_due",
            ),
        ]

    def __str__(self):
        return f"{self.option} — {self.mentor}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def moment(self):
        return in_reader_language(self, "moment")

    @property
    def giver_labels(self):
        labels = dict(Giver.choices)
        return [labels[giver] for giver in self.givers if giver in labels]


# About what fits on a card beside other notes: a warm paragraph or two.
NOTE_MAX_LENGTH = 1200


def new_note_token():
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


class NoteCampaign(models.Model):
    """An invitation to write thank-you notes to one mentor, or to every active mentor of a
    program, through personal links that need no account. The manager reads each note before
    the mentor does; approved notes show on the mentor's page and make their card."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="note_campaigns"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="note_campaigns", verbose_name=_("program")
    )
    # Empty: every active mentor of the program.
    mentor = models.ForeignKey(
        "programs.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    message = models.TextField(
        _("message to the writers"),
        max_length=2000,
        blank=True,
        help_text=_("A few words of your own, at the top of the invitation."),
    )
    closes_on = models.DateField(_("last day to write"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The creating form's one-time token: a second submit finds the campaign the first made.
    request_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("thank-you note campaign")
        verbose_name_plural = _("thank-you note campaigns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "request_key"],
                condition=~Q(request_key=""),
                name="one_note_campaign_per_request_key",
            ),
        ]

    def __str__(self):
        return f"{self.program} — {self.mentor or _('every mentor')}"

    @property
    def is_open(self):
        """Writers may write until the end of `closes_on`, unless the manager closed it."""
        return self.closed_at is None and organisation_today(self.organisation) <= self.closes_on


class NoteWriter(models.Model):
    """Someone invited to write, with their personal link. `person` is set for the program's
    mentees and mentors; executives and the mentees' managers may be known by e-mail only."""

    campaign = models.ForeignKey(NoteCampaign, on_delete=models.CASCADE, related_name="writers")
    person = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="fr-ca"
    )
    relation = models.CharField(_("relation to the mentor"), max_length=20, choices=Giver.choices)
    token = models.CharField(max_length=64, unique=True, default=new_note_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("note writer")
        verbose_name_plural = _("note writers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="one_writer_per_email")
        ]

    def __str__(self):
        return self.name


class ThankYouNote(models.Model):
    """One writer's note to one mentor; changed by its writer until it is read by the manager."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be read")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Set aside")

    campaign = models.ForeignKey(NoteCampaign, on_delete=models.CASCADE, related_name="notes")
    writer = models.ForeignKey(NoteWriter, on_delete=models.CASCADE, related_name="notes")
    mentor = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, related_name="thank_you_notes"
    )
    text = models.TextField(_("your note"), max_length=NOTE_MAX_LENGTH)
    signature = models.CharField(_("signed"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thank-you note")
        verbose_name_plural = _("thank-you notes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["writer", "mentor"], name="one_note_per_writer_mentor")
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="note_by_mentor"),
            models.Index(fields=["campaign", "status"], name="note_by_campaign"),
        ]

    def __str__(self):
        return f"{self.signature} → {self.mentor}"


class Behaviour(models.TextChoices):
    """What a kudos thanks a mentor for."""

    TRUST = "trust", _("Trust")
    NETWORKING = "networking", _("Networking")
    EXPERTISE = "expertise", _("Expertise")
    COMMITMENT = "commitment", _("Commitment")
    CREATIVITY = "creativity", _("Creativity")


# A kudos is a quick word, like a message in a chat.
KUDOS_MESSAGE_MAX_LENGTH = 280


class Kudos(models.Model):
    """A one-click thanks from a mentee or a fellow mentor, for one behaviour. A person gives a
    mentor at most one kudos per behaviour and day, so a double click counts once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="kudos")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="kudos", verbose_name=_("program")
    )
    giver = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, related_name="kudos_given"
    )
    mentor = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, related_name="kudos_received"
    )
    # The giver's relation to the mentor: their mentee, or a fellow mentor.
    relation = models.CharField(max_length=20, choices=Giver.choices)
    behaviour = models.CharField(_("for"), max_length=20, choices=Behaviour.choices)
    message = models.CharField(
        _("message (optional)"), max_length=KUDOS_MESSAGE_MAX_LENGTH, blank=True
    )
    given_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["giver", "mentor", "behaviour", "given_on"], name="one_kudos_a_day"
            )
        ]
        indexes = [models.Index(fields=["mentor", "program"], name="kudos_by_mentor")]

    def __str__(self):
        return f"{self.giver} → {self.mentor}: {self.behaviour}"


class EventKind(models.TextChoices):
    GALA = "gala", _("Gala")
    DINNER = "dinner", _("Dinner")
    NETWORKING = "networking", _("Network event")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    SEMINAR = "seminar", _("Seminar")
    COMMUNITY = "community", _("Community-of-practice meetup")


# Attending these develops a mentor's skills: it counts as training hours.
PROFESSIONAL_DEVELOPMENT_KINDS = (
    EventKind.WORKSHOP,
    EventKind.CONFERENCE,
    EventKind.SEMINAR,
    EventKind.COMMUNITY,
)


class Event(models.Model):
    """A gathering a program invites people to: a gala, a dinner, a network event, or
    professional development (workshops, conferences, seminars, community-of-practice meetups),
    with personal RSVP links, a capacity and its waiting list, reminders and attendance."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="events", verbose_name=_("program")
    )
    kind = models.CharField(_("kind of event"), max_length=20, choices=EventKind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Leave empty when there is room for everyone invited."),
    )
    mentors_only = models.BooleanField(
        _("reserved for mentors"),
        default=False,
        help_text=_("Only the program's mentors can be invited."),
    )
    training_hours = models.DecimalField(
        _("training hours for attending"),
        **HOURS,
        default=0,
        validators=NOT_NEGATIVE,
        help_text=_("Counted for each person who attends a professional-development event."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind those who come (days before)"),
        null=True,
        blank=True,
        default=2,
        validators=[MaxValueValidator(30)],
    )
    option = models.ForeignKey(
        RecognitionOption,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("recognition of the catalog"),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised at each change told to the people invited: calendars keep the .ics with the
    # highest sequence of an event's UID.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The creating form's one-time token: a second submit finds the event the first made.
    request_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "request_key"],
                condition=~Q(request_key=""),
                name="one_event_per_request_key",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def description(self):
        return in_reader_language(self, "description")

    @property
    def is_professional_development(self):
        return self.kind in PROFESSIONAL_DEVELOPMENT_KINDS


class EventInvitation(models.Model):
    """One person invited to an event, with their personal RSVP link and, afterwards, whether
    they came. A "yes" when the event is full puts them on the waiting list, in order."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        GOING = "going", _("Coming")
        WAITING = "waiting", _("On the waiting list")
        DECLINED = "declined", _("Not coming")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, related_name="event_invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_note_token, editable=False)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    # When they joined the waiting list: the first in is the first to get a freed place.
    waiting_since = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Taken by the manager after the event; None until then.
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("event invitation")
        verbose_name_plural = _("event invitations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_invitation_per_person")
        ]
        indexes = [
            models.Index(fields=["event", "answer"], name="invitation_by_answer"),
            models.Index(fields=["person", "attended"], name="invitation_attended"),
        ]

    def __str__(self):
        return f"{self.person} · {self.event}"


class Spotlight(models.Model):
    """A portrait of a mentor for the newsletter or the intranet, drafted from their record and
    their mentees' notes, then edited by the manager. Only for a mentor who agreed to public
    recognition: "yes" in their profile, or "ask me each time" and the manager asked."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="spotlights"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="spotlights", verbose_name=_("program")
    )
    mentor = models.ForeignKey(
        "programs.Person", on_delete=models.CASCADE, related_name="spotlights"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    # Markdown, exported as it is and as HTML.
    body_fr = models.TextField(_("text (French)"), max_length=10000)
    body_en = models.TextField(_("text (English)"), max_length=10000)
    # For a mentor whose profile says "ask me each time": the day they said yes to this one.
    consent_given_on = models.DateField(_("agreed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("spotlight")
        verbose_name_plural = _("spotlights")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_reader_language(self, "title")

    @property
    def body(self):
        return in_reader_language(self, "body")
