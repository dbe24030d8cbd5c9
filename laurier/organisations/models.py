import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Region/City names only: the database also holds legacy aliases (Canada/Eastern,
# Africa/Timbuktu, EST5EDT...) that would only make the list longer and harder to read.
TIME_ZONE_REGIONS = (
    "America/",
    "Europe/",
    "Africa/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Indian/",
    "Pacific/",
)
LEGACY_TIME_ZONES = {
    "Africa/Asmera",
    "Africa/Timbuktu",
    "America/Buenos_Aires",
    "America/Catamarca",
    "America/Cordoba",
    "America/Fort_Wayne",
    "America/Indianapolis",
    "America/Jujuy",
    "America/Knox_IN",
    "America/Louisville",
    "America/Mendoza",
    "America/Montreal",
    "America/Porto_Acre",
    "America/Rosario",
    "America/Shiprock",
    "America/Virgin",
    "America/Ensenada",
    "America/Santa_Isabel",
    "America/Godthab",
    "America/Atka",
    "Asia/Calcutta",
    "Asia/Saigon",
    "Asia/Katmandu",
    "Asia/Rangoon",
    "Asia/Dacca",
    "Asia/Thimbu",
    "Asia/Ujung_Pandang",
    "Asia/Ulan_Bator",
    "Asia/Macao",
    "Asia/Chungking",
    "Asia/Chongqing",
    "Asia/Harbin",
    "Asia/Kashgar",
    "Asia/Tel_Aviv",
    "Asia/Istanbul",
    "Asia/Ashkhabad",
    "Atlantic/Faeroe",
    "Atlantic/Jan_Mayen",
    "Australia/ACT",
    "Australia/Canberra",
    "Australia/LHI",
    "Australia/NSW",
    "Australia/North",
    "Australia/Queensland",
    "Australia/South",
    "Australia/Tasmania",
    "Australia/Victoria",
    "Australia/West",
    "Australia/Yancowinna",
    "Europe/Belfast",
    "Europe/Kiev",
    "Europe/Nicosia",
    "Europe/Tiraspol",
    "Pacific/Enderbury",
    "Pacific/Johnston",
    "Pacific/Ponape",
    "Pacific/Samoa",
    "Pacific/Truk",
    "Pacific/Yap",
}
TIME_ZONE_CHOICES = [
    (name, name.replace("_", " "))
    for name in sorted(zoneinfo.available_timezones())
    if name.startswith(TIME_ZONE_REGIONS) and name not in LEGACY_TIME_ZONES
]
CURRENCY_CHOICES = [("CAD", "CAD"), ("USD", "USD"), ("EUR", "EUR")]
MONTH_CHOICES = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


def validate_chat_webhook_url(value):
    """A team chat's address carries its secret: it only travels encrypted, except on a
    developer's machine (DEBUG), where a local test server answers in plain HTTP."""
    if value and not value.lower().startswith("https://") and not settings.DEBUG:
        raise ValidationError(
            _("Use the https:// address your team chat gives for its incoming webhook."),
            code="https_only",
        )


class Organisation(models.Model):
    """A tenant: nobody ever sees another organisation's data."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="fr-ca"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="America/Toronto"
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default="CAD"
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"), choices=MONTH_CHOICES, default=4
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("smallest group shown in anonymous results"),
        default=5,
        # Also a database default: rows written by older code (or migrations) stay valid.
        db_default=5,
        validators=[MinValueValidator(3)],
        help_text=_(
            "Results of anonymous surveys appear only for groups with at least this many "
            "responses, so no one can be recognised."
        ),
    )
    feedback_delay_days = models.PositiveSmallIntegerField(
        _("days before asking a mentor about a recognition"),
        default=14,
        db_default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "After a recognition is given, Laurier waits this many days, then asks the mentor "
            "what they thought of it."
        ),
    )
    chat_webhook_url = models.URLField(
        _("team chat address"),
        max_length=1000,
        blank=True,
        default="",
        db_default="",
        validators=[validate_chat_webhook_url],
        help_text=_(
            "Slack or Microsoft Teams incoming webhook. Laurier posts public recognitions there, "
            "for mentors who agreed to be recognised in public. Leave empty for no posts."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    MANAGER = "manager", _("Program manager")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    PARTICIPANT = "participant", _("Participant")


class Membership(models.Model):
    """A user's role in one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_manager(self):
        return self.role in (Role.ADMIN, Role.MANAGER)


def new_invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A single-use, expiring link that brings someone into an organisation with a role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    programs = models.ManyToManyField(
        "programs.Program",
        blank=True,
        verbose_name=_("programs managed"),
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(Lower("email"), name="invitation_email_ci")]
        constraints = [
            # One pending invitation per address: a double submit cannot send two links.
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class AuditEvent(models.Model):
    """Who created, changed or deleted what, and when."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        # A person's data downloaded or viewed as a whole (Law 25, GDPR): who looked, and when.
        EXPORT = "export", _("exported the data of")
        ERASE = "erase", _("erased")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("kind"), max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    @property
    def object_type_display(self):
        """The kind of object, in the reader's language (stored as a model label)."""
        from django.apps import apps

        try:
            return apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            return self.object_type
