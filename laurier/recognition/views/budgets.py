"""Budgets and their ledger: the year's list, a budget's page, committing and spending."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.dates import fiscal_year_label, fiscal_year_of, organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.organisations.models import Role
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view, programs_managed_by

from ..forms.budgets import (
    BudgetForm,
    CommitForm,
    CommitmentSpendForm,
    LedgerFilterForm,
    ReleaseForm,
    SpendForm,
    YearFilterForm,
    new_form_token,
)
from ..models import LedgerEntry
from ..selectors import budgets as selectors
from ..services import budgets as services

LEDGER_SORTS = {
    "date": "occurred_on",
    "kind": "kind",
    "description": "description",
    "money": "money",
    "staff_hours": "staff_hours",
    "material_items": "material_items",
}
OPEN_COMMITMENTS_PER_PAGE = 20
LEDGER_PER_PAGE = 25

budgets_view = organisation_view(roles=MANAGER_ROLES)


def _to_budget(request, budget):
    return redirect("recognition:budget_detail", request.organisation.slug, budget.pk)


def _changeable_budget(request, pk):
    """A budget the person may change: 404 outside their reach, 403 for a manager on the
    organisation-wide budget."""
    budget = selectors.budget_for(request.membership, pk)
    if not selectors.may_change(request.membership, budget):
        raise PermissionDenied
    return budget


@budgets_view
def budget_list(request):
    organisation = request.organisation
    today = organisation_today(organisation)
    current = fiscal_year_of(organisation, today)
    years = selectors.fiscal_year_choices(
        organisation, today, selectors.years_with_budgets(request.membership)
    )
    filters = YearFilterForm(request.GET or None, years=years, initial={"year": current})
    year = current
    if filters.is_valid() and filters.cleaned_data.get("year"):
        year = filters.cleaned_data["year"]
    rows = selectors.budget_rows(request.membership, year)
    if export_format := requested_export(request):
        return _export_list(request, rows, year, export_format)
    return render(
        request,
        "recognition/budgets/budget_list.html",
        {
            "rows": rows,
            "without_budget": list(selectors.programs_without_budget(request.membership, year)),
            # Managers read the organisation-wide budget; only admins change it.
            "organisation_budget_read_only": request.membership.role != Role.ADMIN,
            "organisation_budget_missing": request.membership.role == Role.ADMIN
            and not any(row.budget.program_id is None for row in rows),
            "filters": filters,
            "year": year,
            "year_label": fiscal_year_label(organisation, year),
            "is_current": year == current,
        },
    )


def _export_list(request, rows, year, export_format):
    headers = [_("Budget"), _("Fiscal year"), _("Resource")] + [
        _("Allocated"),
        _("Committed"),
        _("Spent"),
        _("Remaining"),
        _("% used"),
    ]
    lines = []
    for row in rows:
        owner = row.budget.program.name if row.budget.program_id else _("Whole organisation")
        for figure in row.figures:
            lines.append(
                [
                    owner,
                    fiscal_year_label(request.organisation, row.budget.fiscal_year),
                    str(figure.label),
                    figure.allocated,
                    figure.committed,
                    figure.spent,
                    figure.remaining,
                    figure.percent_used,
                ]
            )
    return export_response(
        f"budgets-{request.organisation.slug}-{year}", headers, lines, export_format
    )


def _budget_form_context(request):
    membership = request.membership
    organisation = request.organisation
    today = organisation_today(organisation)
    current = fiscal_year_of(organisation, today)
    years = [
        (year, fiscal_year_label(organisation, year))
        for year in (current - 1, current, current + 1)
    ]
    return {
        "programs": programs_managed_by(membership).order_by("name"),
        "allow_organisation": membership.role == Role.ADMIN,
        "years": years,
        "current": current,
    }


@budgets_view
def budget_create(request):
    context = _budget_form_context(request)
    form_arguments = {
        "programs": context["programs"],
        "allow_organisation": context["allow_organisation"],
        "years": context["years"],
    }
    if request.method != "POST":
        initial = {"fiscal_year": context["current"], "money": 0, "staff_hours": 0}
        initial["material_items"] = 0
        if owner := request.GET.get("owner"):
            initial["owner"] = owner
        if (year := request.GET.get("year", "")).isdigit():
            initial["fiscal_year"] = int(year)
        form = BudgetForm(initial=initial, **form_arguments)
    else:
        form = BudgetForm(request.POST, **form_arguments)
        if form.is_valid():
            data = form.cleaned_data
            try:
                budget = services.create_budget(
                    organisation=request.organisation,
                    program=data["owner"],
                    fiscal_year=data["fiscal_year"],
                    actor=request.user,
                    **_allocation(data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The budget is created."))
                return _to_budget(request, budget)
    return render(
        request,
        "recognition/budgets/budget_form.html",
        {"form": form, "creating": True, "currency": request.organisation.currency},
    )


ALLOCATION_FIELDS = ("money", "staff_hours", "material_items", "notes")


def _allocation(data):
    """What a budget allocates, from its form's cleaned data."""
    return {field: data[field] for field in ALLOCATION_FIELDS}


@budgets_view
def budget_edit(request, pk):
    budget = _changeable_budget(request, pk)
    arguments = {"programs": [], "allow_organisation": False, "years": [], "creating": False}
    if request.method != "POST":
        form = BudgetForm(
            initial={field: getattr(budget, field) for field in ALLOCATION_FIELDS},
            **arguments,
        )
    else:
        form = BudgetForm(request.POST, **arguments)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_budget(
                    budget,
                    actor=request.user,
                    **_allocation(data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The budget is saved."))
                return _to_budget(request, budget)
    return render(
        request,
        "recognition/budgets/budget_form.html",
        {
            "form": form,
            "creating": False,
            "budget": budget,
            "currency": budget.currency,
            "figures": selectors.resource_figures(budget, selectors.budget_usage(budget)),
        },
    )


@budgets_view
def budget_detail(request, pk):
    budget = selectors.budget_for(request.membership, pk)
    filters = LedgerFilterForm(request.GET or None)
    kind = filters.cleaned_data.get("kind", "") if filters.is_valid() else ""
    entries, sort = sort_queryset(request, selectors.ledger(budget, kind), LEDGER_SORTS, "-date")
    if export_format := requested_export(request):
        headers, rows = selectors.ledger_export(budget, entries)
        name = budget.program.slug if budget.program_id else request.organisation.slug
        return export_response(f"ledger-{name}-{budget.fiscal_year}", headers, rows, export_format)
    usage = selectors.budget_usage(budget)
    figures = selectors.resource_figures(budget, usage)
    commitments = paginate(
        request, selectors.open_commitments(budget), OPEN_COMMITMENTS_PER_PAGE, parameter="open"
    )
    commitments.object_list = selectors.labelled(commitments.object_list)
    page = paginate(request, entries, LEDGER_PER_PAGE)
    page.object_list = selectors.labelled(page.object_list)
    return render(
        request,
        "recognition/budgets/budget_detail.html",
        {
            "budget": budget,
            "figures": figures,
            "state": selectors.budget_state(figures),
            "alerts": selectors.active_alerts(budget),
            "burn": selectors.burn_chart(budget, figures, organisation_today(request.organisation)),
            "commitments": commitments,
            "page": page,
            "sort": sort,
            "filters": filters,
            "can_change": selectors.may_change(request.membership, budget),
            "stipends": selectors.stipends_spent(budget, organisation_today(request.organisation)),
        },
    )


def _render_entry_form(request, budget, form, template, **extra):
    usage = selectors.budget_usage(budget)
    return render(
        request,
        template,
        {
            "budget": budget,
            "form": form,
            "figures": selectors.resource_figures(budget, usage),
            **extra,
        },
    )


def _plural_forms(singular, plural):
    """The singular and plural of a phrase, for the page's script to choose with
    Intl.PluralRules ("one" or any other category)."""
    return {"one": ngettext(singular, plural, 1), "other": ngettext(singular, plural, 2)}


def _option_costs(options, currency):
    """What the commitment form's script needs to show an option's costs × the quantity."""
    return {
        "currency": currency,
        "language": selectors.page_locale(),
        # Translators: keep {money}, {hours} and {items}; the page fills them in.
        "template": _("Commitment: {money}, {hours}, {items}."),
        # Translators: keep {count}; the page fills it in.
        "hours": _plural_forms("{count} staff hour", "{count} staff hours"),
        # Translators: keep {count}; the page fills it in.
        "items": _plural_forms("{count} material item", "{count} material items"),
        "options": {
            str(option.pk): {
                "money": str(option.cost_money),
                "staff_hours": str(option.staff_hours),
                "material_items": option.material_items,
            }
            for option in options
        },
    }


def _add_commit_errors(form, error):
    """The service's refusal on the form. Committing an option, the free amounts are hidden:
    what it says of money, hours or items shows above the form instead."""
    if form.cleaned_data.get("source") != CommitForm.FROM_OPTION or not hasattr(
        error, "error_dict"
    ):
        add_service_errors(form, error)
        return
    for field, errors in error.error_dict.items():
        shown_on = field if field in form.fields and field not in selectors.RESOURCES else None
        form.add_error(shown_on, errors)


@budgets_view
def budget_commit(request, pk):
    budget = _changeable_budget(request, pk)
    options = selectors.committable_options(request.organisation)
    today = organisation_today(request.organisation)
    if request.method != "POST":
        initial = {
            "form_token": new_form_token(),
            "occurred_on": selectors.default_entry_date(budget, today),
            "quantity": 1,
        }
        if option_pk := request.GET.get("option"):
            initial["option"] = option_pk
        form = CommitForm(initial=initial, options=options, budget=budget)
    else:
        form = CommitForm(request.POST, options=options, budget=budget)
        if form.is_valid():
            try:
                entry = services.commit(
                    budget,
                    actor=request.user,
                    form_token=form.cleaned_data["form_token"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                _add_commit_errors(form, error)
            else:
                if entry.is_new:
                    messages.success(
                        request,
                        _("Committed: %(description)s.")
                        % {"description": selectors.entry_label(entry)},
                    )
                else:
                    messages.info(request, _("This commitment was already recorded."))
                return _to_budget(request, budget)
    options = list(options)
    return _render_entry_form(
        request,
        budget,
        form,
        "recognition/budgets/commit_form.html",
        option_costs=_option_costs(options, budget.currency),
        has_options=bool(options),
    )


@budgets_view
def budget_spend(request, pk):
    budget = _changeable_budget(request, pk)
    options = selectors.committable_options(request.organisation)
    today = organisation_today(request.organisation)
    if request.method != "POST":
        form = SpendForm(
            initial={
                "form_token": new_form_token(),
                "occurred_on": selectors.default_entry_date(budget, today),
            },
            options=options,
            budget=budget,
        )
    else:
        form = SpendForm(request.POST, options=options, budget=budget)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.record_spending(
                    budget,
                    actor=request.user,
                    form_token=data["form_token"],
                    option=data["option"],
                    description=data["description"],
                    occurred_on=data["occurred_on"],
                    **form.amounts(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if entry.is_new:
                    messages.success(
                        request,
                        _("Spending recorded: %(description)s.")
                        % {"description": selectors.entry_label(entry)},
                    )
                else:
                    messages.info(request, _("This spending was already recorded."))
                return _to_budget(request, budget)
    return _render_entry_form(request, budget, form, "recognition/budgets/spend_form.html")


def _commitment(budget, entry_pk):
    from django.http import Http404

    entry = (
        LedgerEntry.objects.filter(budget=budget, pk=entry_pk, kind=LedgerEntry.Kind.COMMITMENT)
        .select_related("option", "person")
        .first()
    )
    if entry is None:
        raise Http404
    entry.label = selectors.entry_label(entry)
    return entry


def _already_settled(request, budget, commitment):
    if commitment.settled_by.filter(kind=LedgerEntry.Kind.RELEASE).exists():
        messages.info(request, _("This commitment is already settled: it was spent or released."))
        return True
    return False


@budgets_view
def commitment_spend(request, pk, entry_pk):
    budget = _changeable_budget(request, pk)
    commitment = _commitment(budget, entry_pk)
    if request.method != "POST":
        if _already_settled(request, budget, commitment):
            return _to_budget(request, budget)
        form = CommitmentSpendForm(
            initial={
                "money": commitment.money,
                "staff_hours": commitment.staff_hours,
                "material_items": commitment.material_items,
                "occurred_on": selectors.default_entry_date(
                    budget, organisation_today(request.organisation)
                ),
            },
            budget=budget,
        )
    else:
        form = CommitmentSpendForm(request.POST, budget=budget)
        if form.is_valid():
            try:
                services.spend_commitment(
                    commitment,
                    actor=request.user,
                    occurred_on=form.cleaned_data["occurred_on"],
                    **form.amounts(),
                )
            except ValidationError as error:
                if _already_settled(request, budget, commitment):
                    return _to_budget(request, budget)
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Spending recorded: %(description)s.") % {"description": commitment.label},
                )
                return _to_budget(request, budget)
    return _render_entry_form(
        request,
        budget,
        form,
        "recognition/budgets/commitment_spend.html",
        commitment=commitment,
    )


@budgets_view
def commitment_release(request, pk, entry_pk):
    budget = _changeable_budget(request, pk)
    commitment = _commitment(budget, entry_pk)
    if request.method != "POST":
        if _already_settled(request, budget, commitment):
            return _to_budget(request, budget)
        form = ReleaseForm()
    else:
        form = ReleaseForm(request.POST)
        if form.is_valid():
            try:
                services.release_commitment(
                    commitment, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                if _already_settled(request, budget, commitment):
                    return _to_budget(request, budget)
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Released: %(description)s.") % {"description": commitment.label},
                )
                return _to_budget(request, budget)
    return _render_entry_form(
        request,
        budget,
        form,
        "recognition/budgets/commitment_release.html",
        commitment=commitment,
    )


__all__ = [
    "budget_commit",
    "budget_create",
    "budget_detail",
    "budget_edit",
    "budget_list",
    "budget_spend",
    "commitment_release",
    "commitment_spend",
]
