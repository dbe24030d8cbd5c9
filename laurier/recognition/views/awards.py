"""The managers' award pages: the list of recognitions to give, adding one, its page, and
approving, giving, editing or cancelling it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import fiscal_year_label, fiscal_year_of, organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.ordering import natural
from laurier.organisations.tenancy import program_view

from ..forms.awards import (
    AwardFilterForm,
    AwardForm,
    CancelForm,
    GiveForm,
    MentorSearchForm,
    new_form_token,
)
from ..models import Award
from ..selectors import awards as selectors
from ..selectors.budgets import format_amount
from ..selectors.planning import plannable_options
from ..services import awards as services

AWARDS_PER_PAGE = 25
# Mentors a search shows at once: enough to spot the right one, few enough to read.
MENTORS_FOUND = 20


def _sorts():
    return {
        "date": "day",
        "mentor": (natural("mentor__last_name"), natural("mentor__first_name")),
        "recognition": natural("option_name"),
        "status": "status",
    }


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


def _award(request, pk):
    return selectors.award_for(_program(request), pk)


def _detail(award):
    return redirect(
        "recognition:award_detail", award.organisation.slug, award.program.slug, award.pk
    )


def _refuse_closed(request, award):
    """A redirect to the award's page saying why it no longer changes, or None."""
    if award.is_open:
        return None
    if award.status == Award.Status.GIVEN:
        messages.info(request, _("This recognition was given: it no longer changes."))
    else:
        messages.info(request, _("This recognition was cancelled: it no longer changes."))
    return _detail(award)


# --- The list ----------------------------------------------------------------------------------


@program_view
@require_safe
def award_list(request):
    program = _program(request)
    organisation = request.organisation
    filters = AwardFilterForm(request.GET or None, options=selectors.options_awarded(program))
    status = filters.value("status", "open")
    search = (filters.value("q", "") or "").strip()
    option = filters.value("option")
    awards = selectors.awards_of(program, status=status, search=search, option=option)
    awards, sort = sort_queryset(request, awards, _sorts(), "date" if status == "open" else "-date")
    if export_format := requested_export(request):
        return _export(program, awards, export_format)
    today = organisation_today(organisation)
    page = paginate(request, awards, AWARDS_PER_PAGE)
    summary = selectors.summary(program, today)
    return render(
        request,
        "recognition/awards/award_list.html",
        {
            "program": program,
            "filters": filters,
            "status": status,
            "searching": bool(search or option),
            "page": page,
            "sort": sort,
            "today": today,
            "summary": summary,
            "fiscal_year_label": fiscal_year_label(organisation, summary.fiscal_year),
            "currency": organisation.currency,
            "has_awards": bool(page.object_list) or program.awards.exists(),
        },
    )


def _export(program, awards, export_format):
    headers = [
        _("date"),
        _("mentor"),
        _("e-mail address"),
        _("recognition"),
        _("moment"),
        _("given by"),
        _("names of the givers"),
        _("status"),
        _("cost"),
        _("currency"),
    ]
    currency = program.organisation.currency
    rows = (
        [
            award.day,
            award.mentor.full_name,
            award.mentor.email,
            award.option_name,
            award.moment,
            ", ".join(str(label) for label in award.giver_labels),
            award.giver_names,
            award.get_status_display(),
            award.cost,
            currency if award.cost is not None else "",
        ]
        for award in awards.iterator(chunk_size=1000)
    )
    return export_response(f"{program.slug}-{_('awards')}", headers, rows, export_format)


# --- Adding and editing --------------------------------------------------------------------------


def _pk(value):
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() else None


def _moment_choices(program, mentor, today, keep=None):
    """The mentor's moments of this fiscal year and the next, grouped by year, and
    {key: ISO date} for the form's script; `keep` (an award) keeps its own moment."""
    organisation = program.organisation
    year = fiscal_year_of(organisation, today)
    groups, dates = [], {}
    for fiscal_year in (year, year + 1):
        moments = services.moments_for(program, mentor, fiscal_year)
        choices = []
        for key, moment in moments.items():
            choices.append((key, f"{date_format(moment.date, 'DATE_FORMAT')} — {moment.label}"))
            dates[key] = moment.date.isoformat()
        if choices:
            label = _("Fiscal year %(year)s") % {
                "year": fiscal_year_label(organisation, fiscal_year)
            }
            groups.append((label, choices))
    if keep is not None and keep.moment_key and keep.moment_key not in dates:
        groups.insert(0, (_("Chosen earlier"), [(keep.moment_key, keep.moment)]))
    return groups, dates


def _mentor_search(request, program):
    """The mentor search of the add (and edit) page: its form, what it found, whether more."""
    search = MentorSearchForm(request.GET or None)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    found, more = selectors.find_mentors(program, words, MENTORS_FOUND)
    return {"search": search, "found": found, "more": more, "searched": words}


def _render_form(request, program, form, mentor, moment_dates, award=None):
    options = form.fields["option"].queryset if "option" in form.fields else []
    context = {
        "program": program,
        "form": form,
        "mentor": mentor,
        "award": award,
        "option_name": in_reader_language(award.option, "name") if award else "",
        "moment_dates": moment_dates,
        "usual_givers": {str(option.pk): option.usual_givers or [] for option in options},
    }
    if mentor is None or request.GET.get("find") is not None:
        context.update(_mentor_search(request, program))
    return render(request, "recognition/awards/award_form.html", context)


@program_view
def award_create(request):
    program = _program(request)
    organisation = request.organisation
    today = organisation_today(organisation)
    mentor_pk = _pk(request.POST.get("mentor") if request.method == "POST" else None) or _pk(
        request.GET.get("mentor")
    )
    mentor = selectors.mentor_for(program, mentor_pk)
    moments, moment_dates = _moment_choices(program, mentor, today) if mentor else ([], {})
    form = AwardForm(
        request.POST if request.method == "POST" else None,
        initial={
            "mentor": mentor.pk if mentor else None,
            "planned_on": today,
            "form_token": new_form_token(),
        },
        mentors=selectors.active_mentors(program),
        options=plannable_options(program),
        moments=moments,
        currency=organisation.currency,
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            award, created = services.add_award(
                program=program,
                actor=request.user,
                form_token=form.cleaned_data["form_token"],
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("Added: %(option)s for %(mentor)s. Approve it to commit its cost.")
                    % {
                        "option": in_reader_language(award.option, "name"),
                        "mentor": award.mentor.full_name,
                    },
                )
            else:
                messages.info(request, _("This recognition was already added."))
            return _detail(award)
    return _render_form(request, program, form, mentor, moment_dates)


@program_view
def award_edit(request, pk):
    award = _award(request, pk)
    if refused := _refuse_closed(request, award):
        return refused
    program = award.program
    organisation = request.organisation
    planned = award.status == Award.Status.PLANNED
    mentor = award.mentor
    if planned:
        asked = _pk(request.POST.get("mentor") if request.method == "POST" else None) or _pk(
            request.GET.get("mentor")
        )
        if asked and asked != mentor.pk:
            mentor = selectors.mentor_for(program, asked) or mentor
    moments, moment_dates = _moment_choices(
        program, mentor, organisation_today(organisation), keep=award
    )
    form = AwardForm(
        request.POST if request.method == "POST" else None,
        initial={
            "mentor": mentor.pk,
            "option": award.option_id,
            "planned_on": award.planned_on,
            "moment_key": award.moment_key,
            "givers": award.givers,
            "giver_names": award.giver_names,
            "message": award.message,
        },
        mentors=selectors.active_mentors(program) if planned else None,
        options=plannable_options(program, keep=award.option_id) if planned else None,
        moments=moments,
        currency=organisation.currency,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_award(award, actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The recognition is saved."))
            return _detail(award)
    return _render_form(request, program, form, mentor, moment_dates, award=award)


# --- The award's page ----------------------------------------------------------------------------


def _amounts(entry, currency):
    """A ledger line's amounts in words: "$10.00 · 0.5 hours · 1 item", leaving out zeros
    (but never the money)."""
    parts = [format_amount("money", entry.money, currency)]
    if entry.staff_hours:
        parts.append(format_amount("staff_hours", entry.staff_hours, currency))
    if entry.material_items:
        parts.append(format_amount("material_items", entry.material_items, currency))
    return " · ".join(parts)


@program_view
@require_safe
def award_detail(request, pk):
    award = _award(request, pk)
    currency = request.organisation.currency
    budget = award.commitment.budget if award.commitment_id else None
    if budget is None and award.spending_id:
        budget = award.spending.budget
    if budget is None and award.is_open and services.needs_budget(award.option):
        budget = services.award_budget(award)
    return render(
        request,
        "recognition/awards/award_detail.html",
        {
            "award": award,
            "program": award.program,
            "profile": getattr(award.mentor, "mentor_profile", None),
            "option_name": in_reader_language(award.option, "name"),
            "option_description": in_reader_language(award.option, "description"),
            "timeline": selectors.timeline(award),
            "feedback": selectors.feedback(award),
            "budget": budget,
            "committed": _amounts(award.commitment, currency) if award.commitment_id else "",
            "spent": _amounts(award.spending, currency) if award.spending_id else "",
            "needs_budget": services.needs_budget(award.option),
            "currency": currency,
            "today": organisation_today(request.organisation),
            "certificate": _certificate(award),
        },
    )


def _certificate(award):
    """The signed certificate of a given recognition, or None before it is issued: one query."""
    if award.status != Award.Status.GIVEN:
        return None
    return (
        award.credentials.only("pk", "public_id", "issued_at", "revoked_at")
        .order_by("-issued_at", "-pk")
        .first()
    )


# --- Approving, giving, cancelling ----------------------------------------------------------------


@program_view
@require_POST
def award_approve(request, pk):
    award = _award(request, pk)
    if award.status == Award.Status.APPROVED:
        messages.info(request, _("This recognition is already approved."))
        return _detail(award)
    if refused := _refuse_closed(request, award):
        return refused
    try:
        services.approve_award(award, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Approved: its cost is committed to the budget until it is given.")
        )
    return _detail(award)


def _costs(award):
    """What giving it is expected to cost: its commitment, or the option's price."""
    source = award.commitment if award.commitment_id else award.option
    return {
        "money": source.money if award.commitment_id else source.cost_money,
        "staff_hours": source.staff_hours,
        "material_items": source.material_items,
    }


def _rooms(award, budget, currency):
    return [
        {
            "resource": room.resource,
            "left": format_amount(room.resource, max(room.left, 0), currency),
            "held": format_amount(room.resource, room.held, currency) if room.held else "",
        }
        for room in selectors.budget_room(budget, award)
    ]


@program_view
def award_give(request, pk):
    award = _award(request, pk)
    if award.status == Award.Status.GIVEN:
        # A second click, or someone else a moment before: given once.
        messages.info(request, _("This recognition is already given."))
        return _detail(award)
    if refused := _refuse_closed(request, award):
        return refused
    organisation = request.organisation
    today = organisation_today(organisation)
    form = GiveForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial={
            "given_on": today,
            **_costs(award),
            "giver_names": award.giver_names,
            "message": award.message,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.give_award(
                award,
                actor=request.user,
                given_on=data["given_on"],
                money=data["money"],
                staff_hours=data["staff_hours"],
                material_items=data["material_items"],
                message=data["message"],
                giver_names=data["giver_names"],
            )
        except ValidationError as error:
            add_service_errors(form, _renamed(error, occurred_on="given_on"))
        else:
            messages.success(
                request,
                _("Given: %(mentor)s is told by e-mail and will be asked about it later.")
                % {"mentor": award.mentor.full_name},
            )
            return _detail(award)
    budget = award.commitment.budget if award.commitment_id else services.award_budget(award)
    return render(
        request,
        "recognition/awards/award_give.html",
        {
            "award": award,
            "program": award.program,
            "form": form,
            "option_name": in_reader_language(award.option, "name"),
            "budget": budget,
            "rooms": _rooms(award, budget, organisation.currency),
            "currency": organisation.currency,
            "feedback_delay_days": organisation.feedback_delay_days,
        },
    )


def _renamed(error, **names):
    """The service's error with its field names changed to the form's."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): errors for field, errors in error.error_dict.items()}
    )


@program_view
def award_cancel(request, pk):
    award = _award(request, pk)
    if award.status == Award.Status.CANCELLED:
        messages.info(request, _("This recognition is already cancelled."))
        return _detail(award)
    if refused := _refuse_closed(request, award):
        return refused
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_award(award, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if award.commitment_id:
                messages.success(request, _("Cancelled: its committed cost is back in the budget."))
            else:
                messages.success(request, _("Cancelled."))
            return _detail(award)
    return render(
        request,
        "recognition/awards/award_cancel.html",
        {
            "award": award,
            "program": award.program,
            "form": form,
            "option_name": in_reader_language(award.option, "name"),
            "currency": request.organisation.currency,
        },
    )
