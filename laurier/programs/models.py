from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60)
    objectives = models.TextField(_("objectives"), blank=True)
    expectations = models.TextField(_("what is expected of mentors"), blank=True)
    expected_hours_per_month = models.DecimalField(
        _("expected hours per month"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    commitment_months = models.PositiveSmallIntegerField(
        _("commitment length (months)"), default=12
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_programs",
        verbose_name=_("managers"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="program_slug_per_org"),
            models.UniqueConstraint("organisation", Lower("name"), name="program_name_ci_per_org"),
        ]

    def __str__(self):
        return self.name


class Cycle(models.Model):
    """A cohort of a program, with its dates."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cycle_ends_after_start"
            ),
            models.UniqueConstraint("program", Lower("name"), name="cycle_name_ci_per_program"),
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    """One human in one organisation, whether or not they have an account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="fr-ca"
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    # Set by a full HR file that no longer lists the person; they are kept, never deleted.
    left_on = models.DateField(_("left the organisation on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("email"), name="person_email_ci_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="one_person_per_user_per_org",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class Enrolment(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, verbose_name=_("program"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, verbose_name=_("person"))
    since = models.DateField(_("since"))
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self):
        return f"{self.person} — {self.program}"


class MentorEnrolment(Enrolment):
    class Meta(Enrolment.Meta):
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        default_related_name = "mentor_enrolments"
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_mentor_enrolment")
        ]
        indexes = [models.Index(fields=["program", "status"], name="mentor_program_status")]


class MenteeEnrolment(Enrolment):
    class Meta(Enrolment.Meta):
        verbose_name = _("mentee")
        verbose_name_plural = _("mentees")
        default_related_name = "mentee_enrolments"
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_mentee_enrolment")
        ]
        indexes = [models.Index(fields=["program", "status"], name="mentee_program_status")]


class Pairing(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("program")
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("cycle"),
    )
    mentor = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="pairings_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="pairings_as_mentee",
        verbose_name=_("mentee"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee", "starts_on"], name="one_pairing_per_start"
            ),
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="pairing_two_people"),
        ]
        indexes = [models.Index(fields=["program", "status"], name="pairing_program_status")]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"


class FiguresVersion(models.Model):
    """How many times an organisation's people, enrolments, pairings, sessions or compensation
    decisions changed.

    Figures counted from them are cached under this number (see figures_cache.py): each
    change gives a new number, so every process counts again on its next request.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="figures_version"
    )
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.organisation_id}: {self.number}"
