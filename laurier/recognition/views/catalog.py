"""The recognition catalog: what the organisation can give its mentors.

Admins and managers list, create, edit, retire and offer again every option of their
organisation; mentors and mentees get a 403, another organisation's options a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.money import to_cents
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from ..catalog import install_standard_catalog
from ..culture import (
    AXES,
    culture_fit,
    describe_leaning,
    has_leanings,
    wording_suggestions,
)
from ..forms.catalog import CatalogFilterForm, OptionForm
from ..selectors import catalog as selectors
from ..services import catalog as services

manager_view = organisation_view(roles=MANAGER_ROLES)


def _option_or_404(request, pk):
    return get_object_or_404(selectors.options_of(request.organisation), pk=pk)


def _to_option(request, option):
    return redirect("recognition:option_detail", request.organisation.slug, option.pk)


@manager_view
def option_list(request):
    # The ready-made options are always there to start from, even in an organisation made
    # before they existed; a retired or edited one is never made again.
    install_standard_catalog(request.organisation)
    profile = selectors.culture_profile_of(request.organisation)
    filter_form = CatalogFilterForm(request.GET or None)
    filters = filter_form.filters()
    options, sort = sort_queryset(
        request,
        selectors.options_for_list(request.organisation, profile, **filters),
        selectors.option_sorts(),
        "category",
    )
    currency = request.organisation.currency
    if export_format := requested_export(request):
        return export_response(
            # The page's title as a slug, in the page's language.
            slugify(_("Recognition catalog")),
            [
                _("Name"),
                _("Category"),
                _("Cost (%(currency)s)") % {"currency": currency},
                _("Staff hours"),
                _("Material items"),
                _("Capacity"),
                _("Period"),
                _("Visibility"),
                _("Formality"),
                _("Individual or collective"),
                _("Symbolic or material"),
                _("Culture fit"),
                _("Score (out of 100)"),
                _("Why"),
                _("Offered"),
            ],
            (_export_row(option, profile) for option in options),
            export_format,
        )
    page = paginate(request, options)
    rows = [(option, culture_fit(profile, option)) for option in page.object_list]
    return render(
        request,
        "recognition/catalog/option_list.html",
        {
            "page": page,
            "rows": rows,
            "sort": sort,
            "filter_form": filter_form,
            "profile": profile,
            "has_leanings": has_leanings(profile),
            "currency": currency,
            "showing_retired": filters.get("status") in ("retired", "all"),
        },
    )


def _export_row(option, profile):
    fit = culture_fit(profile, option)
    return [
        option.name,
        option.get_category_display(),
        to_cents(option.cost_money),
        option.staff_hours,
        option.material_items,
        option.capacity,
        option.get_capacity_period_display() if option.capacity else "",
        option.get_visibility_display(),
        option.get_formality_display(),
        option.get_scope_display(),
        option.get_nature_display(),
        str(fit.label),
        fit.percent,
        " ; ".join(fit.reasons),
        option.active,
    ]


@manager_view
def option_create(request):
    form = OptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            option, created = services.create_option(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(request, _("Option added to the catalog."))
            else:
                messages.info(request, _("This option was already added: here it is."))
            return _to_option(request, option)
    return render(
        request,
        "recognition/catalog/option_form.html",
        {"form": form, "creating": True, "currency": request.organisation.currency},
    )


@manager_view
def option_detail(request, pk):
    option = _option_or_404(request, pk)
    profile = selectors.culture_profile_of(request.organisation)
    characters = [
        (axis, getattr(option, f"get_{axis.character}_display")(), describe_leaning(profile, axis))
        for axis in AXES
    ]
    return render(
        request,
        "recognition/catalog/option_detail.html",
        {
            "option": option,
            "profile": profile,
            "fit": culture_fit(profile, option),
            "has_leanings": has_leanings(profile),
            "suggestions": wording_suggestions(profile, option),
            "characters": characters,
            "eligibility": eligibility_in_words(option),
            "moments": _labels(option.moments, "moments"),
            "givers": _labels(option.usual_givers, "usual_givers"),
            "currency": request.organisation.currency,
            "ledger_uses": option.ledger_entries.count(),
        },
    )


def _labels(values, field):
    choices = dict(OptionForm.base_fields[field].choices)
    return [choices.get(value, value) for value in values]


def eligibility_in_words(option):
    """The option's eligibility rules as sentences; an empty list when anyone may receive it."""
    rules = []
    if option.active_mentors_only:
        rules.append(_("The mentor is active in a program."))
    if option.min_hours_mentored:
        rules.append(
            _("The mentor has mentored at least %(hours)s hours.")
            % {"hours": _number(option.min_hours_mentored)}
        )
    if option.min_tenure_months:
        rules.append(
            _("The mentor has been mentoring for at least %(months)s months.")
            % {"months": option.min_tenure_months}
        )
    if option.contest_winners_only:
        rules.append(_("The mentor won a contest (such as mentor of the year)."))
    return rules


def _number(value):
    # 20 hours reads "20", not "20,00"; 7.5 hours keeps its decimals.
    return number_format(value.to_integral() if value == value.to_integral() else value)


@manager_view
def option_edit(request, pk):
    option = _option_or_404(request, pk)
    form = OptionForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_option(option, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Option saved."))
            return _to_option(request, option)
    if request.method == "POST":
        # The form wrote the refused values on the option; the page names it as saved.
        option.refresh_from_db()
    return render(
        request,
        "recognition/catalog/option_form.html",
        {"form": form, "option": option, "currency": request.organisation.currency},
    )


@require_POST
@manager_view
def option_retire(request, pk):
    option = _option_or_404(request, pk)
    if services.retire_option(option, actor=request.user):
        messages.success(
            request,
            _("Option retired: it is no longer offered, and its history is kept."),
        )
    else:
        messages.info(request, _("This option was already retired."))
    return _to_option(request, option)


@require_POST
@manager_view
def option_reactivate(request, pk):
    option = _option_or_404(request, pk)
    if services.reactivate_option(option, actor=request.user):
        messages.success(request, _("Option offered again."))
    else:
        messages.info(request, _("This option is already offered."))
    return _to_option(request, option)
