"""Annual reports: asked for on the reports page, made by the task worker.

`request_report` records the request (once per form, whatever the number of clicks) and has the
worker build it after the transaction commits; `build_report` gathers the sections, renders the
PDF and the spreadsheet and keeps both, or marks the report failed with nothing half-saved. The
page follows `progress` and says when a report has stopped, to ask for it again.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laurier.core.dates import (
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    organisation_today,
)
from laurier.organisations.models import Role
from laurier.organisations.tenancy import programs_managed_by

from . import reports
from .models import AnnualReport
from .scope import scope_for_report

logger = logging.getLogger(__name__)

# A report with no sign of life for this long has stopped (its worker was killed): the page then
# says so and offers to ask for it again.
STALE_AFTER = datetime.timedelta(minutes=10)
# How many past fiscal years may be reported on.
YEARS_BACK = 10
# Shares of the progress bar: the sections are most of the work, then the two files.
SECTIONS_SHARE = 0.7
PDF_DONE = 0.9
IN_PROGRESS = (AnnualReport.Status.QUEUED, AnnualReport.Status.RUNNING)


def reportable_years(organisation, today=None):
    """The fiscal years a report may cover, the current one first: it and the past ones."""
    current = fiscal_year_of(organisation, today or organisation_today(organisation))
    return list(range(current, current - YEARS_BACK, -1))


def visible_reports(membership):
    """The reports a member may see: every one of the organisation for an admin; a manager's,
    those of the programs they manage (an organisation-wide report is for admins only)."""
    reports_ = AnnualReport.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return reports_
    return reports_.filter(
        program__in=programs_managed_by(membership).values("pk"), program__isnull=False
    )


def check_request(membership, *, program, fiscal_year, language, today=None):
    """Refuse what the form refuses: a program out of reach, a whole-organisation report asked
    by a manager, a fiscal year still to come or too old, an unknown language."""
    organisation = membership.organisation
    if program is None:
        if membership.role != Role.ADMIN:
            raise PermissionDenied
    elif not programs_managed_by(membership).filter(pk=program.pk).exists():
        raise PermissionDenied
    errors = {}
    if fiscal_year not in reportable_years(organisation, today):
        errors["fiscal_year"] = _(
            "Choose the current fiscal year or one of the %(count)s before it."
        ) % {"count": YEARS_BACK - 1}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)


def request_report(
    membership, *, actor, program, fiscal_year, language, request_key="", today=None
):
    """Ask for the annual report of `program` (None: the whole organisation) for a fiscal year,
    in a language; the worker builds it. Sent twice with the same `request_key`, it asks once
    and returns the same report both times."""
    organisation = membership.organisation
    check_request(
        membership, program=program, fiscal_year=fiscal_year, language=language, today=today
    )
    if request_key:
        earlier = AnnualReport.objects.filter(
            organisation=organisation, request_key=request_key
        ).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                organisation=organisation,
                program=program,
                fiscal_year=fiscal_year,
                language=language,
                requested_by=actor,
                request_key=request_key,
                status=AnnualReport.Status.QUEUED,
                progress_at=timezone.now(),
            )
            _schedule(report)
    except IntegrityError:
        # The same form sent twice at once: the other request made the report.
        if not request_key:
            raise
        return AnnualReport.objects.get(organisation=organisation, request_key=request_key)
    return report


def is_stale(report, *, now=None):
    """Whether a report in progress stopped: no sign of life for STALE_AFTER."""
    if report.status not in IN_PROGRESS:
        return False
    latest = report.progress_at or report.requested_at
    return latest < (now or timezone.now()) - STALE_AFTER


def ask_again(report, *, now=None):
    """Start a failed or stopped report again; returns whether it was started (a report still
    making progress, or already started again by another click, is left alone)."""
    now = now or timezone.now()
    stopped = Q(status__in=IN_PROGRESS) & (
        Q(progress_at__lt=now - STALE_AFTER)
        | Q(progress_at__isnull=True, requested_at__lt=now - STALE_AFTER)
    )
    with transaction.atomic():
        restarted = AnnualReport.objects.filter(
            Q(status=AnnualReport.Status.FAILED) | stopped, pk=report.pk
        ).update(
            status=AnnualReport.Status.QUEUED,
            progress=0,
            progress_step="",
            progress_at=now,
            error="",
            finished_at=None,
        )
        if restarted:
            _schedule(report)
    return bool(restarted)


def _schedule(report):
    from .tasks import build_report_task

    transaction.on_commit(partial(build_report_task.enqueue, report.pk))


class Step:
    """What the report is doing, stored in `progress_step` and told on the page."""

    SECTIONS = "sections"
    PDF = "pdf"
    SPREADSHEET = "spreadsheet"


def _report_progress(report_pk, share, step):
    AnnualReport.objects.filter(pk=report_pk, status=AnnualReport.Status.RUNNING).update(
        progress=share, progress_step=step, progress_at=timezone.now()
    )


def _start(report_pk):
    """Mark a queued report running; None when it is not queued (done, or taken by a worker)."""
    started = AnnualReport.objects.filter(pk=report_pk, status=AnnualReport.Status.QUEUED).update(
        status=AnnualReport.Status.RUNNING,
        progress=0,
        progress_step=Step.SECTIONS,
        progress_at=timezone.now(),
    )
    if not started:
        return None
    return AnnualReport.objects.select_related("organisation", "program").get(pk=report_pk)


def build_report(report_pk, *, today=None):
    """Build a queued report: its sections, PDF and spreadsheet, in its language and its
    organisation's time zone. A failure marks it failed and keeps no file."""
    report = _start(report_pk)
    if report is None:
        return None
    organisation = report.organisation
    try:
        with translation.override(report.language), timezone.override(organisation.time_zone):
            today = today or organisation_today(organisation)
            first, last = fiscal_year_bounds(organisation, report.fiscal_year)
            scope = scope_for_report(organisation, report.program, first, last, today)
            sections = reports.collect_sections(
                scope,
                on_progress=lambda share: _report_progress(
                    report.pk, share * SECTIONS_SHARE, Step.SECTIONS
                ),
            )
            _report_progress(report.pk, SECTIONS_SHARE, Step.PDF)
            pdf = reports.report_pdf(report, sections, today)
            _report_progress(report.pk, PDF_DONE, Step.SPREADSHEET)
            xlsx = reports.report_xlsx(report, sections, today)
        _keep_files(report, pdf, xlsx)
    except Exception as error:  # noqa: BLE001 - any failure must end as a failed report
        logger.exception(
            "Annual report %s (%s, %s) failed",
            report.pk,
            organisation.slug,
            fiscal_year_label(organisation, report.fiscal_year),
        )
        _fail(report, error)
    report.refresh_from_db()
    return report


def _keep_files(report, pdf, xlsx):
    """Save both files and mark the report ready, together: a file saved for a report that
    then cannot be marked ready is deleted again."""
    report.pdf.save(reports.report_filename(report, "pdf"), ContentFile(pdf), save=False)
    report.xlsx.save(reports.report_filename(report, "xlsx"), ContentFile(xlsx), save=False)
    try:
        with transaction.atomic():
            updated = AnnualReport.objects.filter(
                pk=report.pk, status=AnnualReport.Status.RUNNING
            ).update(
                status=AnnualReport.Status.READY,
                progress=1,
                progress_step="",
                progress_at=timezone.now(),
                finished_at=timezone.now(),
                pdf=report.pdf.name,
                xlsx=report.xlsx.name,
            )
            if not updated:
                raise RuntimeError("The report was no longer running when its files were ready.")
    except Exception:
        report.pdf.delete(save=False)
        report.xlsx.delete(save=False)
        raise


def _fail(report, error):
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.FAILED,
        # For whoever reads the logs or the admin; the page shows a translated message.
        error=f"{type(error).__name__}: {error}"[:2000],
        progress_at=timezone.now(),
        finished_at=timezone.now(),
        pdf="",
        xlsx="",
    )
