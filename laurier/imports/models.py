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


class ImportSource(models.TextChoices):
    PAGE = "page", _("Page")
    HR_SYNC = "hr_sync", _("HR sync")
    API = "api", _("API")


class ImportJob(models.Model):
    """One uploaded file: checked row by row, then written all at once or not at all."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        # A full HR file that would mark too many people as left waits for an admin.
        HELD = "held", _("Waiting for confirmation")
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
    source = models.CharField(
        _("source"), max_length=10, choices=ImportSource.choices, default=ImportSource.PAGE
    )
    full_list = models.BooleanField(
        _("the whole staff list"),
        default=False,
        help_text=_("People absent from the file are marked as having left the organisation."),
    )
    # The date of the staff list: people absent from it left on that day.
    file_date = models.DateField(_("date of the file"), null=True, blank=True)
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
    def applies_itself(self):
        """HR sync and API files are written as soon as they are checked, without a press."""
        return self.source != ImportSource.PAGE

    @property
    def can_be_committed(self):
        return self.status == self.Status.READY and not self.errors
