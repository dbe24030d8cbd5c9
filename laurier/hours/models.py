from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurier.core.durations import minutes_to_hours
from laurier.programs.models import Pairing, Person, Program


class SessionFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One-to-one")
    GROUP = "group", _("Group")


class SessionSetting(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class LoggedBy(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    MANAGER = "manager", _("Manager")


# Who may confirm a session, by who logged it: the other side of the pairing, or either
# side when a manager logged it, so that no one vouches for their own entry.
CONFIRMING_SIDES = {
    LoggedBy.MENTOR: ("mentee",),
    LoggedBy.MENTEE: ("mentor",),
    LoggedBy.MANAGER: ("mentor", "mentee"),
}

SHORTEST_SESSION_MINUTES = 5
LONGEST_SESSION_MINUTES = 12 * 60


class MentoringSession(models.Model):
    """Time a mentor and a mentee spent together; it counts as training for both."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("pairing")
    )
    # Copied from the pairing so that hours add up without joins over a million rows.
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("program")
    )
    mentor = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="sessions_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="sessions_as_mentee",
        verbose_name=_("mentee"),
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(SHORTEST_SESSION_MINUTES),
            MaxValueValidator(LONGEST_SESSION_MINUTES),
        ],
    )
    format = models.CharField(
        _("format"), max_length=12, choices=SessionFormat.choices, default=SessionFormat.ONE_TO_ONE
    )
    setting = models.CharField(
        _("where"), max_length=12, choices=SessionSetting.choices, default=SessionSetting.IN_PERSON
    )
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.CharField(_("logged by"), max_length=10, choices=LoggedBy.choices)
    logged_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by (account)"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "held_on", "duration_minutes"], name="one_session_per_day_length"
            )
        ]
        indexes = [
            # Covering, like the next: a program's hours by month are read from the index alone.
            models.Index(
                fields=["program", "held_on"],
                include=["duration_minutes"],
                name="session_program_day_hours",
            ),
            # Covering: a mentor's hours over a window (insights' falling hours, one subquery
            # per mentor) are read from the index alone, on PostgreSQL.
            models.Index(
                fields=["mentor", "held_on"],
                include=["program", "duration_minutes"],
                name="session_mentor_day_hours",
            ),
            models.Index(fields=["mentee", "held_on"], name="session_mentee_day"),
        ]

    def __str__(self):
        return f"{self.held_on} {self.pairing}"

    @property
    def hours(self):
        return minutes_to_hours(self.duration_minutes)

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None
