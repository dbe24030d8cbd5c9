"""Annual reports: ask for one, follow its progress, download its PDF and spreadsheet."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRefresh

from laurier.core.dates import fiscal_year_label
from laurier.core.downloads import as_inert_download
from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.recognition.forms.budgets import new_form_token

from .. import reports, services
from ..models import AnnualReport
from .common import insights_view, render_insights

WHOLE_ORGANISATION = "organisation"
REPORTS_PER_PAGE = 25
FILE_FORMATS = {
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("xlsx", reports.XLSX_CONTENT_TYPE),
}
STEP_LABELS = {
    services.Step.SECTIONS: _("Computing the figures"),
    services.Step.PDF: _("Laying out the PDF"),
    services.Step.SPREADSHEET: _("Writing the spreadsheet"),
}


class ReportRequestForm(forms.Form):
    """What a report covers: a program the member manages (or, for an admin, the whole
    organisation), a fiscal year and a language."""

    program = forms.ChoiceField(label=_("Program"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, programs, whole_organisation, years, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(program.slug, program.name) for program in programs]
        if whole_organisation:
            choices.insert(0, (WHOLE_ORGANISATION, _("The whole organisation")))
        self.fields["program"].choices = choices
        self.fields["fiscal_year"].choices = [
            (year, fiscal_year_label(organisation, year)) for year in years
        ]
        self.programs = {program.slug: program for program in programs}

    def chosen_program(self):
        """The program chosen, or None for the whole organisation."""
        return self.programs.get(self.cleaned_data["program"])


def _form(request, scope, data=None):
    membership = request.membership
    organisation = request.organisation
    if scope.program is not None:
        program = scope.program.slug
    elif membership.is_admin:
        program = WHOLE_ORGANISATION
    else:
        program = scope.managed_programs[0].slug if scope.managed_programs else ""
    return ReportRequestForm(
        data,
        programs=scope.managed_programs,
        whole_organisation=membership.is_admin,
        years=services.reportable_years(organisation, scope.today),
        organisation=organisation,
        initial={
            "program": program,
            "fiscal_year": services.reportable_years(organisation, scope.today)[0],
            "language": request.user.language or translation.get_language(),
            "form_token": new_form_token(),
        },
    )


def _list_url(request, scope):
    url = reverse("insights:reports", args=[request.organisation.slug])
    query = scope.query()
    return f"{url}?{query}" if query else url


def _visible_report(request, pk):
    return get_object_or_404(
        services.visible_reports(request.membership).select_related("organisation", "program"),
        pk=pk,
    )


def _ask(request, scope):
    form = _form(request, scope, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.request_report(
                request.membership,
                actor=request.user,
                program=form.chosen_program(),
                fiscal_year=data["fiscal_year"],
                language=data["language"],
                request_key=data["form_token"],
                today=scope.today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your report is being prepared. It appears below; you can leave the page "
                    "meanwhile."
                ),
            )
            return None
    return form


def _ask_again(request):
    pk = request.POST.get("report", "")
    if not (pk.isascii() and pk.isdigit()):
        raise Http404
    report = _visible_report(request, int(pk))
    if report.program_id is None and not request.membership.is_admin:
        raise PermissionDenied
    if services.ask_again(report):
        messages.success(request, _("The report is being prepared again."))


def _progress_context(report):
    return {
        "report": report,
        "stale": services.is_stale(report),
        # Before its first step, a report tells its status ("Waiting to start").
        "step": STEP_LABELS.get(report.progress_step) or report.get_status_display(),
        "percent": round((report.progress or 0) * 100),
    }


@insights_view
def report_list(request, scope):
    form = None
    if request.method == "POST" and not scope.is_empty:
        if "ask_again" in request.POST:
            _ask_again(request)
            return redirect(_list_url(request, scope))
        form = _ask(request, scope)
        if form is None:
            return redirect(_list_url(request, scope))
    if form is None:
        form = _form(request, scope)
    page = paginate(
        request,
        services.visible_reports(request.membership)
        .select_related("program", "requested_by")
        .order_by("-requested_at", "-pk"),
        REPORTS_PER_PAGE,
    )
    rows = [
        {
            **_progress_context(report),
            "year": fiscal_year_label(request.organisation, report.fiscal_year),
        }
        for report in page.object_list
    ]
    return render_insights(
        request,
        scope,
        "insights/reports/list.html",
        {
            "request_form": form,
            "page": page,
            "rows": rows,
            "in_progress": any(row["report"].status in services.IN_PROGRESS for row in rows),
            "Status": AnnualReport.Status,
        },
    )


@insights_view
@require_safe
def report_progress(request, scope, pk):
    report = _visible_report(request, pk)
    if report.status not in services.IN_PROGRESS:
        if request.htmx:
            # Done: reload the page to show the download links (or the failure).
            return HttpResponseClientRefresh()
        return redirect(_list_url(request, scope))
    return render(request, "insights/reports/progress.html", _progress_context(report))


@insights_view
@require_safe
def report_download(request, scope, pk, file_format):
    if file_format not in FILE_FORMATS:
        raise Http404
    report = _visible_report(request, pk)
    extension, content_type = FILE_FORMATS[file_format]
    stored = report.pdf if file_format == "pdf" else report.xlsx
    if report.status != AnnualReport.Status.READY or not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=reports.report_filename(report, extension),
        content_type=content_type,
    )
    return as_inert_download(response)
