"""The recognition calendar: a program's moments, its .ics feed and the organisation's dates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from laurier.core.dates import fiscal_year_bounds, fiscal_year_label
from laurier.core.forms import add_service_errors
from laurier.core.listing import export_response, paginate, requested_export
from laurier.core.personal_links import limited_public_page
from laurier.organisations.tenancy import (
    MANAGER_ROLES,
    organisation_view,
    program_view,
    programs_managed_by,
)

from ..forms.calendar import CalendarFilterForm, ImportantDateForm
from ..selectors import calendar as selectors
from ..services import calendar as services


def _program(request):
    # The program's organisation is the request's: saves a query on every page.
    program = request.program
    program.organisation = request.organisation
    return program


@program_view
def calendar(request):
    program = _program(request)
    organisation = request.organisation
    current = selectors.current_fiscal_year(organisation)
    years = [
        (year, fiscal_year_label(organisation, year)) for year in range(current - 1, current + 3)
    ]
    form = CalendarFilterForm(request.GET or None, years=years, initial={"year": current})
    year, kind = current, ""
    if form.is_valid():
        year = form.cleaned_data["year"] or current
        kind = form.cleaned_data["kind"]
    start, end = fiscal_year_bounds(organisation, year)
    moments = selectors.program_moments(program, start, end)
    if kind:
        moments = [moment for moment in moments if moment.kind == kind]
    if export_format := requested_export(request):
        headers = [_("Date"), _("Kind of moment"), _("Moment"), _("Mentor")]
        rows = [
            (m.date, m.kind_label, m.label, m.mentor.full_name if m.mentor else "") for m in moments
        ]
        filename = f"{slugify(_('Recognition calendar'))}-{program.slug}-{year}"
        return export_response(filename, headers, rows, export_format)
    feed = selectors.feed_of(program)
    feed_url = None
    if feed is not None:
        feed_url = request.build_absolute_uri(
            reverse("recognition_public:calendar_feed", args=[feed.token])
        )
    return render(
        request,
        "recognition/calendar/calendar.html",
        {
            "program": program,
            "form": form,
            "months": selectors.by_month(moments),
            "moment_count": len(moments),
            "year_label": fiscal_year_label(organisation, year),
            "start": start,
            "end": end,
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
        },
    )


@program_view
@require_POST
def calendar_feed_reset(request):
    program = _program(request)
    had_feed = selectors.feed_of(program) is not None
    services.regenerate_feed(program, actor=request.user)
    if had_feed:
        messages.success(
            request,
            _(
                "The calendar has a new address. Subscriptions made with the old one"
                " no longer update."
            ),
        )
    else:
        messages.success(request, _("The calendar's subscription address is ready."))
    return redirect("recognition:calendar", request.organisation.slug, program.slug)


@limited_public_page("calendar_feed")
@require_safe
def calendar_feed(request, token):
    """The .ics feed: public, the secret token in its address is the only key."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    if feed.is_expired:
        # 410 Gone: calendar applications stop asking; the manager makes a new address.
        return HttpResponse(
            _("This calendar address has expired: ask the program's managers for the new one."),
            content_type="text/plain; charset=utf-8",
            status=410,
        )
    response = HttpResponse(selectors.feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed.program.slug}.ics"'
    # A secret address must not end up in shared caches.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- The organisation's own dates ---------------------------------------------------------------


def _visible_dates(request):
    return selectors.important_dates_for(
        request.membership, programs_managed_by(request.membership)
    )


@organisation_view(roles=MANAGER_ROLES)
def important_dates(request):
    page = paginate(request, _visible_dates(request))
    managed = set(programs_managed_by(request.membership).values_list("pk", flat=True))
    is_admin = request.membership.role == "admin"
    rows = [
        (date, is_admin or (date.program_id is not None and date.program_id in managed))
        for date in page.object_list
    ]
    return render(
        request,
        "recognition/calendar/important_dates.html",
        {"rows": rows, "page": page, "is_admin": is_admin},
    )


def _form(request, instance=None):
    programs = programs_managed_by(request.membership)
    initial = {}
    if instance is None and request.GET.get("program", "").isdigit():
        # From a program's calendar, the new date is that program's by default.
        initial["program"] = int(request.GET["program"])
    return ImportantDateForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        membership=request.membership,
        programs=programs,
    )


@organisation_view(roles=MANAGER_ROLES)
def important_date_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_important_date(
                membership=request.membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The date is added to the calendar."))
            return redirect("recognition:important_dates", request.organisation.slug)
    return render(
        request, "recognition/calendar/important_date_form.html", {"form": form, "creating": True}
    )


def _editable(request, pk):
    important = get_object_or_404(_visible_dates(request), pk=pk)
    if not services.may_edit(request.membership, important):
        raise PermissionDenied
    return important


@organisation_view(roles=MANAGER_ROLES)
def important_date_edit(request, pk):
    important = _editable(request, pk)
    form = _form(request, instance=important)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_important_date(
                important, membership=request.membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The date is saved."))
            return redirect("recognition:important_dates", request.organisation.slug)
    return render(
        request,
        "recognition/calendar/important_date_form.html",
        {"form": form, "important": important, "creating": False},
    )


@organisation_view(roles=MANAGER_ROLES)
def important_date_delete(request, pk):
    try:
        important = _editable(request, pk)
    except Http404:
        if request.method == "POST":
            # Already deleted (a second click): nothing left to do.
            return redirect("recognition:important_dates", request.organisation.slug)
        raise
    if request.method == "POST":
        services.delete_important_date(important, membership=request.membership, actor=request.user)
        messages.success(request, _("The date is removed from the calendar."))
        return redirect("recognition:important_dates", request.organisation.slug)
    return render(
        request, "recognition/calendar/important_date_delete.html", {"important": important}
    )
