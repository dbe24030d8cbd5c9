import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation

# A job in progress that has shown no sign of life for this long was stopped (its worker was
# killed or restarted): every batch of rows, a few seconds' work, refreshes its progress_at.
STALE_AFTER = datetime.timedelta(minutes=10)


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People")
    MENTORS = "mentors", _("Mentor enrolments")
    MENTEES = "mentees", _("Mentee enrolments")
    PAIRINGS = "pairings", _("Pairings")
    SESSIONS = "sessions", _("Mentoring sessions")


class ImportJob(models.Model):
    """One uploaded file: checked row by row, then written all at once or not at all."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_jobs"
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("what the file holds"), max_length=10, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life of a job in progress: set when it is queued or claimed, and with
    # every progress report.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="import_org_recent")]

    def __str__(self):
        return self.original_name

    @property
    def is_in_progress(self):
        return self.status in {self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING}

    @property
    def can_be_committed(self):
        return self.status == self.Status.READY and not self.errors
