"""Verifiable badges and certificates (Open Badges 3.0).

An organisation is an *issuer*: it signs with its own Ed25519 keys and publishes its profile, its
keys and its revocation lists at stable public addresses under its `public_id`, so that a
credential issued today still verifies once the organisation renames itself.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.core.site_urls import absolute_url
from laurier.organisations.models import Organisation
from laurier.recognition.models import EventKind

from .images import Emblem, Palette, Shape


class Issuer(models.Model):
    """What a credential says about the organisation that issued it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="issuer"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    linkedin_organization_id = models.CharField(
        _("LinkedIn company ID"),
        max_length=20,
        blank=True,
        help_text=_("The number in your LinkedIn company page's admin address, if you have one."),
    )

    class Meta:
        verbose_name = _("issuer")

    def __str__(self):
        return str(self.organisation)

    @property
    def url(self):
        return absolute_url("credentials:issuer", self.public_id)


class SigningKey(models.Model):
    """One Ed25519 key of an issuer. The newest active key signs; every key ever used stays
    published, so that credentials signed before a rotation keep verifying."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(max_length=40)  # the fragment of its id: "key-2026-1"
    public_multikey = models.CharField(max_length=60)
    encrypted_seed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "name"], name="signing_key_name_per_issuer"),
        ]

    def __str__(self):
        return self.verification_method

    @property
    def verification_method(self):
        return f"{self.issuer.url}#{self.name}"


class StatusList(models.Model):
    """A Bitstring Status List of one issuer: bit N set means the credential at index N is
    revoked. `document` is the signed list credential, re-signed at each revocation."""

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="status_lists")
    number = models.PositiveIntegerField()
    document = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="status_list_number_per_issuer"
            ),
        ]

    def __str__(self):
        return self.url

    @property
    def url(self):
        return absolute_url("credentials:status_list", self.issuer.public_id, self.number)


class BadgeRule(models.TextChoices):
    MANUAL = "manual", _("Awarded by hand only")
    HOURS = "hours", _("Hours mentored reach a threshold")
    YEARS = "years", _("Years as a mentor reach a threshold")
    PAIRINGS = "pairings", _("Pairings completed reach a threshold")
    EVENT = "event", _("Attended an event")
    CONTEST = "contest", _("Won a contest category")


class BadgeClass(models.Model):
    """A badge an organisation awards (an Open Badges 3.0 *achievement*), with its design and the
    rule, if any, that awards it by itself."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="badge_classes"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_fr = models.TextField(_("description (French)"), max_length=1000)
    description_en = models.TextField(_("description (English)"), max_length=1000)
    criteria_fr = models.TextField(_("criteria (French)"), max_length=1000)
    criteria_en = models.TextField(_("criteria (English)"), max_length=1000)
    shape = models.CharField(_("shape"), max_length=20, choices=Shape.choices)
    palette = models.CharField(_("colours"), max_length=20, choices=Palette.choices)
    emblem = models.CharField(_("emblem"), max_length=20, choices=Emblem.choices)
    label = models.CharField(_("text on the badge"), max_length=14, blank=True)
    rule = models.CharField(
        _("awarded"), max_length=20, choices=BadgeRule.choices, default=BadgeRule.MANUAL
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
    )
    event_kind = models.CharField(
        _("kind of event"),
        max_length=20,
        choices=EventKind.choices,
        blank=True,
        help_text=_("Leave empty for any event."),
    )
    valid_years = models.PositiveSmallIntegerField(
        _("valid for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Leave empty for a badge that never expires."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The token of the form that created the badge: the same form sent twice finds this badge
    # instead of creating a second one (empty for badges made otherwise).
    request_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["name_fr", "pk"]
        verbose_name = _("badge")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "request_key"],
                condition=~Q(request_key=""),
                name="badge_class_unique_request_key",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def description(self):
        return in_reader_language(self, "description")

    @property
    def criteria(self):
        return in_reader_language(self, "criteria")

    @property
    def achievement_url(self):
        return absolute_url(
            "credentials:achievement", self.organisation.issuer.public_id, self.public_id
        )


class CredentialKind(models.TextChoices):
    BADGE = "badge", _("Badge")
    AWARD = "award", _("Recognition certificate")
    TRAINING = "training", _("Training-hours certificate")


class Credential(models.Model):
    """One signed OpenBadgeCredential held by a person.

    Its links are RESTRICT: a person, badge or key that a credential names cannot be deleted on
    its own, only together with its whole organisation. `document` is exactly what was signed
    (with its Data Integrity proof) and `jwt` the same credential as a signed token; neither is
    ever changed. Revoking sets the credential's bit in its status list."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="credentials"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "programs.Person", on_delete=models.RESTRICT, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CredentialKind.choices)
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.RESTRICT, null=True, blank=True, related_name="credentials"
    )
    award = models.ForeignKey(
        "recognition.Award",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="credentials",
    )
    # Why it was issued, unique per person: a rule that runs twice issues nothing the second time.
    issue_key = models.CharField(max_length=120)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(max_length=10)
    document = models.JSONField()
    jwt = models.TextField()
    signing_key = models.ForeignKey(SigningKey, on_delete=models.RESTRICT, related_name="+")
    status_list = models.ForeignKey(StatusList, on_delete=models.RESTRICT, related_name="+")
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("credential")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "issue_key"], name="credential_once_per_reason"
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_status_index_unique"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="credential_revocation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "-issued_at"])]

    def __str__(self):
        return f"{self.name} — {self.person}"

    @property
    def url(self):
        """The credential's id: its public verification page."""
        return absolute_url("credentials:credential", self.public_id)

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class IssuanceJob(models.Model):
    """Awarding one badge to many people at once, done by the task worker with a progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Under way")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    badge_class = models.ForeignKey(BadgeClass, on_delete=models.CASCADE, related_name="jobs")
    person_ids = models.JSONField(default=list)
    issue_key = models.CharField(max_length=120)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker's sign of life, written with each chunk: a job silent for long was abandoned.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "issue_key"],
                condition=~Q(issue_key=""),
                name="issuance_job_once_per_request",
            ),
        ]

    def __str__(self):
        return f"{self.badge_class} × {self.total}"

    @property
    def percent(self):
        return 100 if not self.total else round(100 * self.done / self.total)


class PublicProfile(models.Model):
    """A person's public page of badges and certificates, published only by the person: nothing
    about a mentor is public without their consent."""

    person = models.OneToOneField(
        "programs.Person", on_delete=models.CASCADE, related_name="public_badge_profile"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return str(self.person)

    @property
    def is_published(self):
        return self.published_at is not None
