"""Recognition: the catalogue of options, budgets with their use, plans with their lines (read),
and awards (read; give one, approve, give or cancel one; a mentor's moments to mark).

Writes go through `recognition.services.awards`, so a call is held to the rules of the pages:
an active mentor of the program, an option of the catalogue for mentors and still offered,
the mentor's wish for privacy, the budget's room and the option's capacity, the message's
length. A refusal is a 400 carrying the service's own message, and nothing is written.

Privacy: the mentor's feedback answers about an award are left out. The award's page shows
them to the program's managers and the admins, but they are one person's survey answers; an
integration learns only whether feedback was asked (`feedback_requested`), and aggregate
answers belong to the survey results.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
from laurier.programs.models import Person, Program
from laurier.recognition.catalog import FOR_MENTEES
from laurier.recognition.categories import Giver, RecognitionCategory, Visibility
from laurier.recognition.models import (
    AWARD_MESSAGE_MAX_LENGTH,
    Award,
    Budget,
    LedgerEntry,
    Plan,
    PlanLine,
    RecognitionOption,
)
from laurier.recognition.selectors.budgets import (
    Usage,
    budget_state,
    resource_figures,
    usage_sums,
)
from laurier.recognition.services import awards as award_services

from ..errors import with_api_field_names
from ..fields import OrganisationRelatedField
from ..filters import IdFilter
from ..idempotency import idempotent
from ..viewsets import ReadCreateViewSet, ReadOnlyViewSet

# --- Shared pieces ---------------------------------------------------------------------------


class AmountsSerializer(serializers.Serializer):
    """Money (a decimal string, in the currency given beside it), staff hours and items."""

    money = serializers.DecimalField(max_digits=16, decimal_places=2)
    staff_hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    material_items = serializers.IntegerField()


def _ledger_amounts(entry):
    if entry is None:
        return None
    return {
        "money": entry.money,
        "staff_hours": entry.staff_hours,
        "material_items": entry.material_items,
    }


class ReaderLanguageField(serializers.CharField):
    """A text kept in French and English, read in the caller's language (Accept-Language),
    the other one when the caller's is empty."""

    def __init__(self, name, *, of="*", **kwargs):
        self.bilingual_name = name
        super().__init__(source=of, read_only=True, **kwargs)

    def to_representation(self, instance):
        return in_reader_language(instance, self.bilingual_name)


# --- Catalogue ---------------------------------------------------------------------------------


class RecognitionOptionSerializer(serializers.ModelSerializer):
    name = ReaderLanguageField("name", help_text=gettext_lazy("In the caller's language."))
    description = ReaderLanguageField(
        "description", help_text=gettext_lazy("In the caller's language.")
    )
    currency = serializers.CharField(
        source="organisation.currency",
        read_only=True,
        help_text=gettext_lazy("The currency of `cost_money`: the organisation's."),
    )
    needs_consent = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "A public recognition: it cannot be given to a mentor who asked to keep their "
            "recognition private."
        )
    )
    for_mentors = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Whether it can be given to a mentor as an award (a few options are for mentees)."
        )
    )

    class Meta:
        model = RecognitionOption
        fields = [
            "id",
            "category",
            "name",
            "name_fr",
            "name_en",
            "description",
            "cost_money",
            "currency",
            "staff_hours",
            "material_items",
            "material_needs",
            "capacity",
            "capacity_period",
            "visibility",
            "needs_consent",
            "formality",
            "scope",
            "nature",
            "personalisation",
            "min_hours_mentored",
            "min_tenure_months",
            "active_mentors_only",
            "contest_winners_only",
            "moments",
            "usual_givers",
            "for_mentors",
            "active",
            "retired_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "moments": {"help_text": gettext_lazy("The moments of the year it can be given at.")},
            "usual_givers": {"help_text": gettext_lazy("Who usually gives it.")},
        }

    @extend_schema_field(serializers.BooleanField())
    def get_needs_consent(self, option):
        return option.visibility == Visibility.PUBLIC

    @extend_schema_field(serializers.BooleanField())
    def get_for_mentors(self, option):
        return option.standard_key not in FOR_MENTEES


class RecognitionOptionFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=RecognitionCategory.choices)
    active = django_filters.BooleanFilter()

    class Meta:
        model = RecognitionOption
        fields = ["category", "active"]


class RecognitionOptionViewSet(ReadOnlyViewSet):
    """The organisation's catalogue of recognitions: what each costs, in money, staff time and
    items, who may get it and when. Retired options stay, with `active` false."""

    scope_family = "recognition"
    serializer_class = RecognitionOptionSerializer
    filterset_class = RecognitionOptionFilter

    def scoped_queryset(self, organisation):
        return (
            RecognitionOption.objects.filter(organisation=organisation)
            .select_related("organisation")
            .order_by("category", "name_fr", "pk")
        )


# --- Budgets -----------------------------------------------------------------------------------


def _with_figures(budgets):
    """Attach to each budget its amounts allocated, committed, spent and remaining, read from
    the ledger in one grouped query for them all."""
    budgets = list(budgets)
    sums = {
        row["budget_id"]: row
        for row in LedgerEntry.objects.filter(budget__in=[budget.pk for budget in budgets])
        .values("budget_id")
        .annotate(**usage_sums())
        .order_by()
    }
    for budget in budgets:
        figures = resource_figures(budget, Usage.from_sums(sums.get(budget.pk, {})))
        budget.figures = {
            part: {figure.resource: getattr(figure, part) for figure in figures}
            for part in ("allocated", "committed", "spent", "remaining")
        }
        budget.state = budget_state(figures)
    return budgets


class BudgetSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy("The calendar year in which the fiscal year starts."),
    )
    fiscal_year_label = serializers.CharField(read_only=True)
    starts_on = serializers.SerializerMethodField(
        help_text=gettext_lazy("The first day of the fiscal year.")
    )
    ends_on = serializers.SerializerMethodField(
        help_text=gettext_lazy("The last day of the fiscal year.")
    )
    allocated = AmountsSerializer(source="figures.allocated", read_only=True)
    committed = AmountsSerializer(
        source="figures.committed",
        read_only=True,
        help_text=gettext_lazy("Reserved for recognitions approved and not yet given."),
    )
    spent = AmountsSerializer(source="figures.spent", read_only=True)
    remaining = AmountsSerializer(
        source="figures.remaining",
        read_only=True,
        help_text=gettext_lazy("Allocated less committed and spent; negative when overspent."),
    )
    state = serializers.ChoiceField(
        choices=[("", ""), ("warning", "warning"), ("full", "full")],
        read_only=True,
        help_text=gettext_lazy(
            "“warning” once a resource is 80 % used, “full” at 100 %, empty otherwise."
        ),
    )

    class Meta:
        model = Budget
        fields = [
            "id",
            "program",
            "fiscal_year",
            "fiscal_year_label",
            "starts_on",
            "ends_on",
            "currency",
            "allocated",
            "committed",
            "spent",
            "remaining",
            "state",
            "notes",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "program": {"help_text": gettext_lazy("Empty for the whole organisation's budget.")}
        }

    @extend_schema_field(serializers.DateField())
    def get_starts_on(self, budget):
        return fiscal_year_bounds(budget.organisation, budget.fiscal_year)[0]

    @extend_schema_field(serializers.DateField())
    def get_ends_on(self, budget):
        return fiscal_year_bounds(budget.organisation, budget.fiscal_year)[1]


class BudgetFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    fiscal_year = django_filters.NumberFilter(min_value=0, max_value=32767)
    whole_organisation = django_filters.BooleanFilter(
        field_name="program",
        lookup_expr="isnull",
        label=gettext_lazy("Only the whole organisation's budgets (true), or only programs'"),
    )

    class Meta:
        model = Budget
        fields = ["program", "fiscal_year", "whole_organisation"]


class BudgetViewSet(ReadOnlyViewSet):
    """What each program, or the whole organisation, may spend on recognition in a fiscal
    year, and how much of it is committed, spent and left, by resource (money, staff hours,
    material items). Latest fiscal year first."""

    scope_family = "recognition"
    serializer_class = BudgetSerializer
    filterset_class = BudgetFilter

    def scoped_queryset(self, organisation):
        return (
            Budget.objects.filter(organisation=organisation)
            .select_related("organisation", "program")
            .order_by("-fiscal_year", "program__name", "pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else _with_figures(page)

    def get_object(self):
        return _with_figures([super().get_object()])[0]


# --- Plans ---------------------------------------------------------------------------------------


class PlanLineSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)
    option_name = ReaderLanguageField(
        "name", of="option", help_text=gettext_lazy("The option's name, in the caller's language.")
    )
    reason = ReaderLanguageField(
        "reason", help_text=gettext_lazy("Why the planner chose it, in the caller's language.")
    )

    class Meta:
        model = PlanLine
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "option",
            "option_name",
            "moment_key",
            "moment_kind",
            "moment_date",
            "givers",
            "locked",
            "source",
            "reason",
        ]
        extra_kwargs = {
            "mentor": {"help_text": gettext_lazy("The mentor's person id.")},
            "locked": {"help_text": gettext_lazy("Kept as it is when the plan is computed again.")},
        }


class PlanSerializer(serializers.ModelSerializer):
    problems = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=gettext_lazy(
            "Why the last computation kept some lines out, in the caller's language."
        ),
    )
    lines = PlanLineSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "program",
            "starts_on",
            "ends_on",
            "status",
            "min_per_mentor",
            "max_per_mentor",
            "one_per_moment",
            "no_repeat_months",
            "mentor_count",
            "uncovered_count",
            "without_option_count",
            "shortfall_money",
            "shortfall_staff_hours",
            "shortfall_material_items",
            "problems",
            "budget",
            "computed_at",
            "approved_at",
            "created_at",
            "lines",
        ]
        extra_kwargs = {
            "mentor_count": {"help_text": gettext_lazy("Mentors the plan was computed for.")},
            "uncovered_count": {
                "help_text": gettext_lazy("Mentors left with fewer recognitions than the minimum.")
            },
            "without_option_count": {
                "help_text": gettext_lazy("Mentors for whom no option of the catalogue fits.")
            },
            "shortfall_money": {
                "help_text": gettext_lazy("What the budget lacks to cover every mentor.")
            },
            "budget": {"help_text": gettext_lazy("The budget its approval committed to.")},
        }


class PlanFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices)

    class Meta:
        model = Plan
        fields = ["program", "status"]


class PlanViewSet(ReadOnlyViewSet):
    """The programs' recognition plans, latest period first, each with its lines (who
    receives what, when, from whom) in date order. Approving a plan makes one award per line."""

    scope_family = "recognition"
    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def scoped_queryset(self, organisation):
        lines = PlanLine.objects.select_related("mentor", "option").order_by("moment_date", "pk")
        return (
            Plan.objects.filter(organisation=organisation)
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-starts_on", "-pk")
        )


# --- Awards --------------------------------------------------------------------------------------


class AwardSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.full_name", read_only=True)
    option_name = ReaderLanguageField(
        "name", of="option", help_text=gettext_lazy("The option's name, in the caller's language.")
    )
    moment = ReaderLanguageField(
        "moment",
        help_text=gettext_lazy(
            "The moment of the mentor's year it marks, in the caller's language."
        ),
    )
    plan = serializers.SerializerMethodField(
        help_text=gettext_lazy("The approved plan it comes from, if any.")
    )
    currency = serializers.CharField(source="organisation.currency", read_only=True)
    committed = serializers.SerializerMethodField(
        help_text=gettext_lazy("What approving it committed to the budget, while not given.")
    )
    spent = serializers.SerializerMethodField(
        help_text=gettext_lazy("What giving it actually cost the budget.")
    )
    feedback_requested = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Whether the mentor was asked for their feedback about it (the answers stay in "
            "Laurier)."
        )
    )

    class Meta:
        model = Award
        fields = [
            "id",
            "program",
            "mentor",
            "mentor_name",
            "option",
            "option_name",
            "plan",
            "status",
            "planned_on",
            "moment_key",
            "moment",
            "givers",
            "giver_names",
            "message",
            "given_on",
            "cancel_reason",
            "currency",
            "committed",
            "spent",
            "feedback_due_on",
            "feedback_requested",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"mentor": {"help_text": gettext_lazy("The mentor's person id.")}}

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_plan(self, award):
        return award.plan_line.plan_id if award.plan_line_id else None

    @extend_schema_field(AmountsSerializer(allow_null=True))
    def get_committed(self, award):
        if award.status not in Award.OPEN_STATUSES or not award.commitment_id:
            return None
        return AmountsSerializer(_ledger_amounts(award.commitment)).data

    @extend_schema_field(AmountsSerializer(allow_null=True))
    def get_spent(self, award):
        if not award.spending_id:
            return None
        return AmountsSerializer(_ledger_amounts(award.spending)).data

    @extend_schema_field(serializers.BooleanField())
    def get_feedback_requested(self, award):
        return award.feedback_request_id is not None


# Recognitions are recorded, or planned, within this many years of today: a date further
# away is a mistake (and beyond the calendar's reach for the fiscal years around it).
YEARS_WITHIN_REACH = 10


def check_within_reach(day, organisation):
    today = organisation_today(organisation)
    reach = datetime.timedelta(days=365 * YEARS_WITHIN_REACH)
    if not today - reach <= day <= today + reach:
        raise serializers.ValidationError(
            _("Choose a date within %(years)s years of today.") % {"years": YEARS_WITHIN_REACH}
        )
    return day


MONEY_INPUT = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
HOURS_INPUT = {"max_digits": 8, "decimal_places": 2, "min_value": 0}


class ActualCostsSerializer(serializers.Serializer):
    """What giving a recognition took: the day, and what it actually cost when not what was
    committed (or, for one never approved, the option's price)."""

    given_on = serializers.DateField(
        required=False,
        help_text=gettext_lazy("The day it was given: today or earlier. Default: today."),
    )
    money = serializers.DecimalField(
        **MONEY_INPUT,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "What it actually cost. Default: what was committed, or the option's price."
        ),
    )
    staff_hours = serializers.DecimalField(**HOURS_INPUT, required=False, allow_null=True)
    material_items = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    def validate_given_on(self, day):
        return check_within_reach(day, self.context["organisation"])


def _message_help():
    return _("A personal message to the mentor, up to %(limit)s characters.") % {
        "limit": AWARD_MESSAGE_MAX_LENGTH
    }


# Interpolated when read, so that the schema speaks each reader's language.
MESSAGE_HELP = lazy(_message_help, str)()


class GiveSerializer(ActualCostsSerializer):
    """Giving an award that exists: the day, the actual costs and the words that went with
    it (the award's own when left out)."""

    giver_names = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Who handed it over, as the mentor will read it."),
    )
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=MESSAGE_HELP,
    )


# What a new award may be once created; cancelling is for awards that exist.
CREATED_STATUSES = [
    (Award.Status.GIVEN.value, Award.Status.GIVEN.label),
    (Award.Status.APPROVED.value, Award.Status.APPROVED.label),
    (Award.Status.PLANNED.value, Award.Status.PLANNED.label),
]


class AwardCreateSerializer(GiveSerializer):
    """A recognition for one mentor of a program, given at once unless `status` says
    otherwise; `given_on` and the actual costs go only with "given"."""

    program = OrganisationRelatedField(
        scoped=lambda organisation: Program.objects.filter(organisation=organisation)
    )
    mentor = OrganisationRelatedField(
        scoped=lambda organisation: Person.objects.filter(organisation=organisation),
        help_text=gettext_lazy("The person id of an active mentor of the program."),
    )
    option = OrganisationRelatedField(
        scoped=lambda organisation: RecognitionOption.objects.filter(organisation=organisation),
        help_text=gettext_lazy("An option of the catalogue for mentors, still offered."),
    )
    status = serializers.ChoiceField(
        choices=CREATED_STATUSES,
        default=Award.Status.GIVEN.value,
        help_text=gettext_lazy(
            "“given” (the default): it was handed over, its cost is spent from the budget and "
            "the mentor is told by e-mail. “approved”: to give later, its cost committed to "
            "the budget now. “planned”: to give later, nothing committed yet."
        ),
    )
    planned_on = serializers.DateField(
        required=False,
        help_text=gettext_lazy(
            "The day it is planned for; its fiscal year chooses the budget. Default: the day "
            "it was given, or today."
        ),
    )
    moment_key = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "Optional: the key of a moment of the mentor's recognition calendar in that "
            "fiscal year (as in a plan's lines)."
        ),
    )
    givers = serializers.ListField(
        child=serializers.ChoiceField(choices=Giver.choices),
        required=False,
        help_text=gettext_lazy("Who gives it; recognition from several people counts more."),
    )

    def validate_planned_on(self, day):
        return check_within_reach(day, self.context["organisation"])

    def validate(self, data):
        if data["status"] != Award.Status.GIVEN:
            sent = [name for name in ActualCostsSerializer().fields if name in data]
            if sent:
                raise serializers.ValidationError(
                    {
                        name: [
                            _(
                                "Only an award given now has this: leave it out, or send "
                                "the status “given”."
                            )
                        ]
                        for name in sent
                    }
                )
        return data


class MomentQuerySerializer(serializers.Serializer):
    program = OrganisationRelatedField(
        scoped=lambda organisation: Program.objects.filter(organisation=organisation)
    )
    mentor = OrganisationRelatedField(
        scoped=lambda organisation: Person.objects.filter(organisation=organisation),
        help_text=gettext_lazy("The mentor's person id: their anniversary is among the moments."),
    )
    fiscal_year = serializers.IntegerField(
        required=False,
        help_text=gettext_lazy("The calendar year in which the fiscal year starts. Default: now."),
    )

    def validate_fiscal_year(self, year):
        today = organisation_today(self.context["organisation"])
        if abs(year - today.year) > YEARS_WITHIN_REACH:
            raise serializers.ValidationError(
                _("Choose a year within %(years)s years of this one.")
                % {"years": YEARS_WITHIN_REACH}
            )
        return year


class MomentSerializer(serializers.Serializer):
    """A moment of a mentor's recognition calendar, to tie an award to with `moment_key`."""

    key = serializers.CharField()
    date = serializers.DateField()
    kind = serializers.CharField()
    label = serializers.CharField(help_text=gettext_lazy("In the caller's language."))


class AwardFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    mentor = IdFilter(field_name="mentor_id", label=gettext_lazy("The mentor's person id"))
    option = IdFilter(field_name="option_id")
    status = django_filters.ChoiceFilter(choices=Award.Status.choices)
    given_from = django_filters.DateFilter(
        field_name="given_on", lookup_expr="gte", label=gettext_lazy("Given on or after")
    )
    given_to = django_filters.DateFilter(
        field_name="given_on", lookup_expr="lte", label=gettext_lazy("Given on or before")
    )
    planned_from = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="gte", label=gettext_lazy("Planned on or after")
    )
    planned_to = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="lte", label=gettext_lazy("Planned on or before")
    )

    class Meta:
        model = Award
        fields = ["program", "mentor", "option", "status"]


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300, help_text=gettext_lazy("Why it is cancelled (required).")
    )


# The ledger speaks of the date and quantity of a line; the API of the award's.
COMMIT_NAMES = {"occurred_on": "planned_on", "quantity": "option"}
GIVE_NAMES = {"occurred_on": "given_on", "quantity": "option"}


def _costs(data):
    return {name: data.get(name) for name in ("money", "staff_hours", "material_items")}


def _give(award, actor, data):
    try:
        return award_services.give_award(
            award,
            actor=actor,
            given_on=data.get("given_on") or organisation_today(award.organisation),
            message=data.get("message"),
            giver_names=data.get("giver_names"),
            **_costs(data),
        )
    except ValidationError as error:
        raise with_api_field_names(error, GIVE_NAMES) from error


def _approve(award, actor):
    try:
        return award_services.approve_award(award, actor=actor)
    except ValidationError as error:
        raise with_api_field_names(error, COMMIT_NAMES) from error


@transaction.atomic
def create_award(organisation, actor, data):
    """Add an award and take it to the status asked, in one transaction: a refusal at any
    step (the budget has no room, say) leaves nothing written."""
    today = organisation_today(organisation)
    given_on = data.get("given_on") or today
    planned_on = data.get("planned_on") or (
        given_on if data["status"] == Award.Status.GIVEN else today
    )
    award, _created = award_services.add_award(
        program=data["program"],
        mentor=data["mentor"],
        option=data["option"],
        planned_on=planned_on,
        actor=actor,
        moment_key=data.get("moment_key", ""),
        givers=data.get("givers", ()),
        giver_names=data.get("giver_names", ""),
        message=data.get("message", ""),
    )
    if data["status"] == Award.Status.APPROVED:
        return _approve(award, actor)
    if data["status"] == Award.Status.GIVEN:
        # The words were written by the add: giving keeps them.
        return _give(award, actor, {**data, "given_on": given_on, "message": None})
    return award


AWARD_ANSWER = {200: AwardSerializer}


class AwardViewSet(ReadCreateViewSet):
    """Recognitions given, or to give, to mentors: from an approved plan or added one by
    one. planned → approved (its cost committed to the program's budget) → given (what it
    cost is spent, the mentor is told), or cancelled (the commitment goes back).

    Creating one (POST) gives it at once unless `status` says otherwise, with the rules of
    the pages: an active mentor of the program, an option of the catalogue for mentors still
    offered, a public option only for a mentor who did not ask for privacy, room in the
    budget of the fiscal year and in the option's capacity, a message that fits on a card.
    """

    scope_family = "recognition"
    serializer_class = AwardSerializer
    filterset_class = AwardFilter

    def scoped_queryset(self, organisation):
        return (
            Award.objects.filter(organisation=organisation)
            .select_related(
                "organisation", "mentor", "option", "plan_line", "commitment", "spending"
            )
            .order_by("planned_on", "pk")
        )

    def _answer(self, award, status_code=status.HTTP_200_OK):
        award = self.get_queryset().get(pk=award.pk)
        return Response(self.get_serializer(award).data, status=status_code)

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        request=AwardCreateSerializer,
        responses={201: AwardSerializer},
        summary="Give an award (or plan one)",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        award = create_award(self.organisation, request.user, self._body(AwardCreateSerializer))
        return self._answer(award, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[MomentQuerySerializer],
        responses=MomentSerializer(many=True),
        summary="A mentor's moments of a fiscal year",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def moments(self, request):
        """The moments of the program's recognition calendar an award of this mentor may
        mark in a fiscal year (cycles, the mentor's anniversary, the organisation's dates),
        in date order: the keys `moment_key` takes."""
        query = MomentQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        program, mentor = query.validated_data["program"], query.validated_data["mentor"]
        year = query.validated_data.get("fiscal_year") or fiscal_year_of(
            self.organisation, organisation_today(self.organisation)
        )
        moments = award_services.moments_for(program, mentor, year).values()
        return Response(MomentSerializer(moments, many=True).data)

    @extend_schema(request=None, responses=AWARD_ANSWER, summary="Approve a planned award")
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Commit a planned award's cost to its program's budget for the fiscal year of its
        date. Approving twice approves once."""
        award = _approve(self.get_object(), request.user)
        return self._answer(award)

    @extend_schema(request=GiveSerializer, responses=AWARD_ANSWER, summary="Give an award")
    @action(detail=True, methods=["post"])
    @idempotent
    def give(self, request, pk=None):
        """Record that a planned or approved award was given, what it actually cost, and
        tell the mentor by e-mail. Giving twice gives once."""
        award = self.get_object()
        award = _give(award, request.user, self._body(GiveSerializer))
        return self._answer(award)

    @extend_schema(request=CancelSerializer, responses=AWARD_ANSWER, summary="Cancel an award")
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        """Cancel an award not yet given; its committed cost goes back to the budget."""
        award = self.get_object()
        reason = self._body(CancelSerializer)["reason"]
        award = award_services.cancel_award(award, actor=request.user, reason=reason)
        return self._answer(award)


ROUTES = [
    ("recognition-options", RecognitionOptionViewSet, "recognition-option"),
    ("budgets", BudgetViewSet, "budget"),
    ("plans", PlanViewSet, "plan"),
    ("awards", AwardViewSet, "award"),
]
