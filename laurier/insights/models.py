"""Annual recognition reports: made by a task, kept as a PDF and a spreadsheet to send on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation
from laurier.programs.models import Program


class AnnualReport(models.Model):
    """One fiscal year's recognition report for a program, or for the whole organisation
    (`program` empty), in one language. queued → running → ready, or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="annual_reports"
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annual_reports",
        verbose_name=_("program"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(default=0)
    progress_step = models.CharField(max_length=30, blank=True)
    # The last sign of life of a report in progress: a report silent for too long has stopped.
    progress_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The request form's one-time token: a second submit finds the report the first one made.
    request_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "request_key"],
                condition=~Q(request_key=""),
                name="one_report_per_request_key",
            ),
        ]

    def __str__(self):
        return f"{self.program or self.organisation} — {self.fiscal_year}"
