import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.organisations.models import Role
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view, programs_managed_by

from . import selectors, services
from .forms import ImportFilterForm, ImportUploadForm
from .importers import sample_rows
from .models import ImportKind

SORTABLE = {
    "created_at": "created_at",
    "name": "original_name",
    "kind": "kind",
    "status": "status",
    "rows": "total_rows",
}


@organisation_view(roles=MANAGER_ROLES)
def import_list(request):
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, membership=request.membership
    )
    if request.method == "POST" and form.is_valid():
        job = services.create_import(
            membership=request.membership,
            user=request.user,
            kind=form.cleaned_data["kind"],
            program=form.cleaned_data["program"],
            uploaded_file=form.cleaned_data["file"],
            full_list=form.cleaned_data.get("full_list", False),
        )
        return redirect("imports:detail", request.organisation.slug, job.pk)

    filters = ImportFilterForm(request.GET, auto_id="filter_%s")
    filters.is_valid()
    jobs = selectors.search_import_jobs(
        selectors.import_jobs_for(request.membership),
        text=filters.cleaned_data.get("q", ""),
        kind=filters.cleaned_data.get("kind", ""),
        status=filters.cleaned_data.get("status", ""),
        source=filters.cleaned_data.get("source", ""),
    )
    jobs, sort = sort_queryset(request, jobs, SORTABLE, "-created_at")
    export = requested_export(request)
    if export:
        return export_response(
            "imports",
            [
                _("File"),
                _("What the file holds"),
                _("Source"),
                _("Program"),
                _("Status"),
                _("Rows"),
                _("Created"),
                _("Updated"),
                _("Unchanged"),
                _("Uploaded by"),
                _("Uploaded at"),
            ],
            (
                [
                    job.original_name,
                    job.get_kind_display(),
                    job.get_source_display(),
                    job.program,
                    job.get_status_display(),
                    job.total_rows,
                    # Counts of a job not imported are only a forecast: leave them out.
                    *(
                        [job.summary.get(key) for key in ("created", "updated", "unchanged")]
                        if job.status == job.Status.DONE
                        else [None, None, None]
                    ),
                    job.created_by,
                    job.created_at,
                ]
                for job in jobs
            ),
            export,
        )
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "filters": filters,
            "page": paginate(request, jobs),
            "sort": sort,
            "kinds": ImportKind.choices,
            "column_guide": selectors.column_guide(),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
def import_detail(request, pk):
    job = get_object_or_404(selectors.import_jobs_for(request.membership), pk=pk)
    problems = selectors.problems_of(job)
    export = requested_export(request)
    if export:
        return export_response(
            f"import-{job.pk}-problems",
            [_("Row"), _("Problem")],
            ([problem["row"], problem["message"]] for problem in problems),
            export,
        )
    processed, percent = selectors.progress_of(job)
    return render(
        request,
        "imports/import_detail.html",
        {
            "job": job,
            "page": paginate(request, problems, per_page=100),
            "problem_count": len(problems),
            "processed": processed,
            "percent": percent,
            "stopped": selectors.stopped(job),
            "leavers": selectors.leavers_of(job),
            "can_confirm": request.membership.role == Role.ADMIN,
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def import_commit(request, pk):
    job = get_object_or_404(selectors.import_jobs_for(request.membership), pk=pk)
    confirming = job.status == job.Status.HELD
    if confirming and request.membership.role != Role.ADMIN:
        messages.error(request, _("Only an admin can confirm who left the organisation."))
        return redirect("imports:detail", request.organisation.slug, job.pk)
    job, started = services.start_import(job, user=request.user, confirmed=confirming)
    if not started:
        if job.errors:
            messages.error(request, _("This file has problems: correct them and upload it again."))
        else:
            messages.warning(request, _("This import has already been started."))
    elif job.status == job.Status.DONE:
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % job.summary,
        )
    elif job.is_in_progress:
        messages.info(request, _("The import has started; you can follow it on this page."))
    elif job.status == job.Status.HELD:
        messages.warning(
            request,
            _(
                "Nothing was imported: this staff list now marks too many people as having left, "
                "so an admin must confirm it."
            ),
        )
    else:
        messages.error(request, _("Nothing was imported."))
    return redirect("imports:detail", request.organisation.slug, job.pk)


@organisation_view(roles=MANAGER_ROLES)
def import_progress(request, pk):
    job = get_object_or_404(selectors.import_jobs_for(request.membership), pk=pk)
    if not job.is_in_progress and request.htmx:
        # The job is over: reload the whole page to show its report.
        return HttpResponseClientRefresh()
    processed, percent = selectors.progress_of(job)
    return render(
        request,
        "imports/includes/progress.html",
        {
            "job": job,
            "processed": processed,
            "percent": percent,
            "stopped": selectors.stopped(job),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_POST
def import_restart(request, pk):
    job = get_object_or_404(selectors.import_jobs_for(request.membership), pk=pk)
    job, restarted = services.restart_stale_import(job)
    if restarted:
        messages.info(request, _("The import has started again; you can follow it on this page."))
    else:
        messages.warning(
            request, _("This import has not stopped: there is nothing to start again.")
        )
    return redirect("imports:detail", request.organisation.slug, job.pk)


@organisation_view(roles=MANAGER_ROLES)
def sample_file(request, kind):
    if kind not in ImportKind.values:
        raise Http404
    program = programs_managed_by(request.membership).order_by("name").first()
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel in French Canada opens without a wizard.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(sample_rows(kind, program.slug if program else "programme"))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laurier-{kind}.csv"'
    return response
