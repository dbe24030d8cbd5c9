"""Recognition plans: generate, view by mentor / moment / option, edit, lock, approve, export."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from laurier.core.dates import (
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    organisation_today,
)
from laurier.core.figures import format_percent
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.organisations.tenancy import program_view

from ..forms.plans import (
    LineForm,
    MentorFilterForm,
    MonthFilterForm,
    NewPlanForm,
    PlanRulesForm,
    new_form_token,
)
from ..models import Plan
from ..planner.reasons import shortfall_message
from ..selectors import plans as selectors
from ..selectors.planning import plannable_options
from ..services import plans as services

PLANS_PER_PAGE = 20
PLAN_SORTS = {
    "created": "created_at",
    "period": ("starts_on", "ends_on"),
    "status": "status",
    "lines": "line_count",
    "covered": "covered",
    "cost": "money",
    "approved": "approved_at",
}
MENTORS_PER_PAGE = 25
LINES_PER_PAGE = 50
VIEWS = ("mentor", "moment", "option")
# Less than this left of the fiscal year: a new plan is for the next one.
TOO_LATE_IN_THE_YEAR = datetime.timedelta(days=31)


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


def _plan(request, pk):
    return selectors.plan_for(_program(request), pk)


def _detail_url(request, plan):
    return reverse(
        "recognition:plan_detail", args=[request.organisation.slug, request.program.slug, plan.pk]
    )


def _back(request, plan):
    """Where an action returns: the view, page and line the manager came from (`next`), when
    it is this plan's page; the plan's page otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    detail = _detail_url(request, plan)
    if (
        target.startswith(detail)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and target[len(detail) : len(detail) + 1] in ("", "?", "#")
    ):
        return target
    return detail


# More refusals than this are summed up: a page of red boxes says less than one sentence.
MOST_REFUSALS_SHOWN = 3


def _errors(request, error):
    refusals = error.messages
    if len(refusals) > MOST_REFUSALS_SHOWN:
        messages.error(
            request,
            ngettext(
                "%(count)s thing stops this: compute the plan again, or change the "
                "recognitions concerned.",
                "%(count)s things stop this: compute the plan again, or change the "
                "recognitions concerned.",
                len(refusals),
            )
            % {"count": len(refusals)},
        )
    for message in refusals[:MOST_REFUSALS_SHOWN]:
        messages.error(request, message)
    if len(refusals) > MOST_REFUSALS_SHOWN:
        hidden = len(refusals) - MOST_REFUSALS_SHOWN
        messages.error(
            request,
            ngettext("… and %(count)s more.", "… and %(count)s more.", hidden) % {"count": hidden},
        )


def _refuse_if_frozen(request, plan):
    """A redirect to the plan with why it cannot change, or None when it can."""
    if plan.is_editable:
        return None
    if plan.status == Plan.Status.APPROVED:
        messages.error(request, _("An approved plan no longer changes."))
    else:
        messages.error(request, _("Wait until the plan is computed."))
    return redirect(_detail_url(request, plan))


# --- The list and a new plan -------------------------------------------------------------------


@program_view
@require_safe
def plan_list(request):
    program = _program(request)
    plans, sort = sort_queryset(request, selectors.plans_of(program), PLAN_SORTS, "-created")
    page = paginate(request, plans, PLANS_PER_PAGE)
    for plan in page.object_list:
        plan.program = program
    return render(
        request,
        "recognition/plans/plan_list.html",
        {
            "program": program,
            "page": page,
            "sort": sort,
            "currency": request.organisation.currency,
        },
    )


def default_period(organisation, today):
    """From today to the end of the fiscal year, or the whole next fiscal year when less than a
    month of this one is left."""
    year = fiscal_year_of(organisation, today)
    _first, last = fiscal_year_bounds(organisation, year)
    if last - today < TOO_LATE_IN_THE_YEAR:
        return fiscal_year_bounds(organisation, year + 1)
    return today, last


RULE_DEFAULTS = {name: Plan._meta.get_field(name).default for name in services.RULE_FIELDS}


@program_view
def plan_create(request):
    program = _program(request)
    organisation = request.organisation
    if request.method == "POST":
        form = NewPlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.create_plan(
                    program,
                    actor=request.user,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    form_token=data["form_token"],
                    **form.rules(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_detail_url(request, plan))
    else:
        starts_on, ends_on = default_period(organisation, organisation_today(organisation))
        form = NewPlanForm(
            initial={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "form_token": new_form_token(),
                **RULE_DEFAULTS,
            }
        )
    year = fiscal_year_of(organisation, organisation_today(organisation))
    return render(
        request,
        "recognition/plans/plan_create.html",
        {
            "program": program,
            "form": form,
            "has_mentors": selectors.active_mentors(program).exists(),
            "has_options": plannable_options(program).exists(),
            "year_label": fiscal_year_label(organisation, year),
            "year_bounds": fiscal_year_bounds(organisation, year),
        },
    )


# --- The plan's page ---------------------------------------------------------------------------


def _filename(plan):
    from ..selectors.plan_exports import plan_filename

    return plan_filename(plan)


SOLVER_STATUS = {
    "optimal": lambda: _("the best plan the rules allow"),
    "feasible": lambda: _("a good plan, close to the best one possible"),
    "infeasible": lambda: _("no plan: the locked lines break a rule"),
}


def _computation(plan):
    """What the planner reported, worded for a curious manager."""
    if not plan.computed_at:
        return None
    status = SOLVER_STATUS.get(plan.solver_status)
    return {
        "status": status() if status else plan.solver_status,
        "objective": plan.objective,
        "upper_bound": plan.upper_bound,
        "gap": format_percent(None if plan.gap is None else plan.gap * 100, 1),
        # Within a thousandth of the bound: nothing better can be told apart.
        "best": plan.gap is not None and plan.gap < 0.001,
        "seconds": plan.solve_seconds,
    }


def _shortfall(plan, currency, uncovered):
    """The planner's sentence on who it left out and what more would cover them. With a
    minimum of one, the count is today's (lines may have been added since), else the
    computation's."""
    if not plan.uncovered_count:
        return ""
    return shortfall_message(
        uncovered if plan.min_per_mentor <= 1 else plan.uncovered_count,
        plan.shortfall_money,
        plan.shortfall_staff_hours,
        plan.without_option_count,
        min_per_mentor=max(plan.min_per_mentor, 1),
        currency=currency,
        material_items=plan.shortfall_material_items,
    )


def _progress_context(plan):
    return {
        "plan": plan,
        "stale": services.is_stale(plan),
        "step": selectors.progress_step_label(plan),
        "percent": round((plan.progress or 0) * 100),
    }


@program_view
@require_safe
def plan_detail(request, pk):
    plan = _plan(request, pk)
    if export_format := requested_export(request):
        from ..selectors.plan_exports import plan_export

        headers, rows = plan_export(plan)
        return export_response(_filename(plan), headers, rows, export_format)
    currency = request.organisation.currency
    view = request.GET.get("view")
    view = view if view in VIEWS else "mentor"
    context = {
        "plan": plan,
        "program": plan.program,
        "rules": selectors.rules_in_words(plan),
        "view": view,
        "currency": currency,
        "fiscal_year_label": fiscal_year_label(
            request.organisation, fiscal_year_of(request.organisation, plan.starts_on)
        ),
        "here": request.get_full_path(),
    }
    if plan.status == Plan.Status.COMPUTING:
        context.update(_progress_context(plan))
        return render(request, "recognition/plans/plan_detail.html", context)
    totals = selectors.plan_totals(plan)
    moments = services.plan_moments(plan)
    context.update(
        totals=totals,
        budget=selectors.plan_budget_figures(plan, totals),
        shortfall=_shortfall(plan, currency, totals.uncovered) if totals.uncovered else "",
        computation=_computation(plan),
        overtaken=selectors.approved_since(plan),
    )
    context.update(VIEW_CONTEXT[view](request, plan, moments))
    return render(request, "recognition/plans/plan_detail.html", context)


def _by_mentor(request, plan, moments):
    filters = MentorFilterForm(request.GET or None)
    search = show = ""
    if filters.is_valid():
        search, show = filters.cleaned_data["q"].strip(), filters.cleaned_data["show"]
    page = paginate(
        request, selectors.mentor_rows(plan, search=search, show=show), MENTORS_PER_PAGE
    )
    lines = selectors.lines_of_mentors(plan, page.object_list, moments)
    rows = [(mentor, lines.get(mentor.pk, [])) for mentor in page.object_list]
    return {"filters": filters, "page": page, "rows": rows, "searching": bool(search or show)}


def _by_moment(request, plan, moments):
    months = selectors.plan_months(plan)
    filters = MonthFilterForm(request.GET or None, months=months)
    month = filters.cleaned_data["month"] if filters.is_valid() else None
    page = paginate(request, selectors.lines_by_moment(plan, month), LINES_PER_PAGE)
    return {
        "page": page,
        "months": selectors.group_by_month(plan, page.object_list, moments),
        "month_filters": filters,
        "month": month,
    }


def _by_option(request, plan, moments):
    options = selectors.option_rows(plan)
    chosen = None
    option_pk = request.GET.get("option", "")
    if option_pk.isascii() and option_pk.isdigit():
        chosen = next((option for option in options if option.pk == int(option_pk)), None)
    page = None
    if chosen is not None:
        page = paginate(request, selectors.lines_of_option(plan, chosen.pk), LINES_PER_PAGE)
        page.object_list = selectors.label_lines(page.object_list, moments)
    return {"options": options, "chosen": chosen, "page": page}


VIEW_CONTEXT = {"mentor": _by_mentor, "moment": _by_moment, "option": _by_option}


@program_view
@require_safe
def plan_progress(request, pk):
    plan = _plan(request, pk)
    if plan.status != Plan.Status.COMPUTING:
        if request.htmx:
            # Done: reload the whole page to show the plan.
            return HttpResponseClientRefresh()
        return redirect(_detail_url(request, plan))
    return render(request, "recognition/plans/progress.html", _progress_context(plan))


@program_view
@require_safe
def plan_ics(request, pk):
    from ..selectors.plan_exports import plan_ics as calendar_of

    plan = _plan(request, pk)
    response = HttpResponse(calendar_of(plan), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan)}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Rules, computing again, approving, deleting -----------------------------------------------


@program_view
def plan_rules(request, pk):
    plan = _plan(request, pk)
    if refused := _refuse_if_frozen(request, plan):
        return refused
    if request.method == "POST":
        form = PlanRulesForm(request.POST)
        if form.is_valid():
            try:
                services.change_rules(plan, actor=request.user, **form.rules())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The rules are changed; the plan is computed again with them.")
                )
                return redirect(_detail_url(request, plan))
    else:
        form = PlanRulesForm(initial={name: getattr(plan, name) for name in RULE_DEFAULTS})
    return render(
        request,
        "recognition/plans/plan_rules.html",
        {"plan": plan, "program": plan.program, "form": form},
    )


@program_view
@require_POST
def plan_recompute(request, pk):
    plan = _plan(request, pk)
    try:
        services.compute_again(plan, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect(_detail_url(request, plan))


@program_view
def plan_approve(request, pk):
    plan = _plan(request, pk)
    if plan.status == Plan.Status.APPROVED:
        messages.info(request, _("This plan is already approved."))
        return redirect(_detail_url(request, plan))
    if request.method == "POST":
        try:
            approved = services.approve_plan(plan, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect(
                "recognition:plan_approve", request.organisation.slug, plan.program.slug, plan.pk
            )
        if approved.approved_by_id == request.user.pk:
            messages.success(
                request, _("The plan is approved: its recognitions are committed to the budget.")
            )
        else:
            # Someone else approved it a moment before: nothing more was committed.
            messages.info(request, _("This plan is already approved."))
        return redirect(_detail_url(request, plan))
    if refused := _refuse_if_frozen(request, plan):
        return refused
    totals = selectors.plan_totals(plan)
    budget = selectors.plan_budget_figures(plan, totals)
    over_capacity = [
        option
        for option in selectors.option_rows(plan)
        if option.capacity_use and option.capacity_use.over
    ]
    return render(
        request,
        "recognition/plans/plan_approve.html",
        {
            "plan": plan,
            "program": plan.program,
            "totals": totals,
            "budget": budget,
            "over_capacity": over_capacity,
            # The service decides (it also counts what the ledger already holds); the button
            # is left out only when the refusal is certain.
            "can_approve": bool(
                totals.lines
                and budget.budget
                and not budget.currency_mismatch
                and not budget.over
                and not over_capacity
            ),
            "fiscal_year_label": fiscal_year_label(
                request.organisation, fiscal_year_of(request.organisation, plan.starts_on)
            ),
        },
    )


@program_view
def plan_delete(request, pk):
    try:
        plan = _plan(request, pk)
    except Http404:
        if request.method == "POST" and selectors.was_deleted(request.organisation, pk):
            # Deleted already, by a first click: the list, not an error.
            return redirect("recognition:plans", request.organisation.slug, request.program.slug)
        raise
    if request.method == "POST":
        try:
            services.delete_plan(plan, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect(_detail_url(request, plan))
        messages.success(request, _("The plan is deleted."))
        return redirect("recognition:plans", request.organisation.slug, plan.program.slug)
    if plan.status == Plan.Status.APPROVED:
        messages.error(request, _("An approved plan cannot be deleted."))
        return redirect(_detail_url(request, plan))
    return render(
        request,
        "recognition/plans/plan_delete.html",
        {"plan": plan, "program": plan.program, "totals": selectors.plan_totals(plan)},
    )


# --- Lines -------------------------------------------------------------------------------------


def _line_form(request, plan, moments, *, line=None, initial=None):
    mentor = line.mentor_id if line is not None else (initial or {}).get("mentor")
    choices = selectors.moment_choices(moments, mentor=mentor)
    if line is not None and line.moment_key not in moments:
        # The calendar lost this moment: the line keeps it until the manager picks another.
        label = selectors.moment_label(line, moments)
        day = date_format(line.moment_date, "DATE_FORMAT")
        choices.insert(0, (line.moment_key, f"{day} — {label}"))
    options = plannable_options(plan.program, keep=line.option_id if line is not None else None)
    return LineForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        mentors=None if line is not None else selectors.active_mentors(plan.program),
        options=options,
        moments=choices,
        currency=request.organisation.currency,
    )


def _usual_givers(form):
    return {str(option.pk): option.usual_givers or [] for option in form.fields["option"].queryset}


def _moment_rules(form, moments):
    """What the line form's script needs to offer only the moments that fit: whose anniversary
    each moment is, its kind, and the kinds of moments each option is given at (none: any)."""
    return {
        "owners": {key: moment.mentor.pk for key, moment in moments.items() if moment.mentor},
        "kinds": {key: str(moment.kind) for key, moment in moments.items()},
        "offered": {
            str(option.pk): option.moments or [] for option in form.fields["option"].queryset
        },
    }


def _render_line_form(request, plan, form, moments, line=None):
    return render(
        request,
        "recognition/plans/line_form.html",
        {
            "plan": plan,
            "program": plan.program,
            "form": form,
            "line": line,
            "usual_givers": _usual_givers(form),
            "moment_rules": _moment_rules(form, moments),
            "next": _back(request, plan),
        },
    )


@program_view
def line_add(request, pk):
    plan = _plan(request, pk)
    if refused := _refuse_if_frozen(request, plan):
        return refused
    moments = services.plan_moments(plan)
    initial = {}
    if request.method != "POST":
        mentor = request.GET.get("mentor", "")
        if mentor.isascii() and mentor.isdigit():
            initial["mentor"] = int(mentor)
    form = _line_form(request, plan, moments, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if selectors.has_line(plan, data["mentor"], data["option"], data["moment"]):
            # The same form sent twice (a double click): the first one added it.
            messages.info(request, _("This recognition is already in the plan."))
            return redirect(_back(request, plan))
        try:
            line = services.add_line(
                plan,
                actor=request.user,
                mentor=data["mentor"],
                option=data["option"],
                moment_key=data["moment"],
                givers=data["givers"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Added and locked: %(option)s for %(mentor)s.")
                % {"option": line.option.name, "mentor": line.mentor.full_name},
            )
            return redirect(_back(request, plan))
    return _render_line_form(request, plan, form, moments)


@program_view
def line_edit(request, pk, line_pk):
    plan = _plan(request, pk)
    line = selectors.line_for(plan, line_pk)
    if refused := _refuse_if_frozen(request, plan):
        return refused
    moments = services.plan_moments(plan)
    form = _line_form(
        request,
        plan,
        moments,
        line=line,
        initial={"option": line.option_id, "moment": line.moment_key, "givers": line.givers},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_line(
                line,
                actor=request.user,
                option=data["option"],
                moment_key=data["moment"],
                givers=data["givers"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved and locked: %(mentor)s's recognition.")
                % {"mentor": line.mentor.full_name},
            )
            return redirect(_back(request, plan))
    return _render_line_form(request, plan, form, moments, line)


@program_view
def line_delete(request, pk, line_pk):
    plan = _plan(request, pk)
    try:
        line = selectors.line_for(plan, line_pk)
    except Http404:
        if request.method == "POST":
            # Removed already (a second click).
            return redirect(_back(request, plan))
        raise
    if refused := _refuse_if_frozen(request, plan):
        return refused
    if request.method == "POST":
        try:
            services.remove_line(line, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("Removed: %(option)s for %(mentor)s.")
                % {"option": line.option.name, "mentor": line.mentor.full_name},
            )
        return redirect(_back(request, plan))
    line.moment_label = selectors.moment_label(line, services.plan_moments(plan))
    return render(
        request,
        "recognition/plans/line_delete.html",
        {"plan": plan, "program": plan.program, "line": line, "next": _back(request, plan)},
    )


@program_view
@require_POST
def line_lock(request, pk, line_pk):
    plan = _plan(request, pk)
    line = selectors.line_for(plan, line_pk)
    if refused := _refuse_if_frozen(request, plan):
        return refused
    locked = request.POST.get("locked") == "1"
    try:
        services.set_locked(line, actor=request.user, locked=locked)
    except ValidationError as error:
        _errors(request, error)
    return redirect(_back(request, plan))
