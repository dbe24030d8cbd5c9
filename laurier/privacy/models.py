"""What privacy law asks Laurier to keep: each consent with its wording, the erasures done,
and each organisation's retention of inactive people."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation


class ConsentKind(models.TextChoices):
    PUBLIC_RECOGNITION = "public_recognition", _("Public recognition")
    PUBLIC_BADGE_PAGE = "public_badge_page", _("Public page of badges")


class Consent(models.Model):
    """One answer a person gave to a consent Laurier asked for, with the exact words shown.

    A later answer of the same kind ends this one (`ended_at`): the rows are the history, the
    one without an end is in force. Withdrawing a "yes" is a new answer "no".
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("programs.Person", on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent"), max_length=30, choices=ConsentKind.choices)
    answer = models.CharField(_("answer"), max_length=20)
    answer_label = models.CharField(_("answer as shown"), max_length=300, blank=True)
    wording = models.TextField(_("wording shown"))
    language = models.CharField(_("language shown"), max_length=10)
    given_at = models.DateTimeField(_("when"))
    ended_at = models.DateTimeField(_("replaced or withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["kind", "-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(ended_at__isnull=True),
                name="one_consent_in_force_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.answer_label or self.answer}"


class Erasure(models.Model):
    """The mark left by erasing a person: when, by whom (None for the retention rule), why.

    The person's row stays, anonymised, so that what they took part in still counts."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Erased by an admin")
        RETENTION = "retention", _("Inactive longer than the retention period")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(
        "programs.Person", on_delete=models.CASCADE, related_name="erasure"
    )
    erased_at = models.DateTimeField(_("erased on"))
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"#{self.person_id}"


class RetentionPolicy(models.Model):
    """An organisation's rule for people inactive for long: off until an admin sets months."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_policy"
    )
    erase_inactive_after_months = models.PositiveSmallIntegerField(
        _("erase people inactive for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(6), MaxValueValidator(240)],
        help_text=_(
            "Leave empty to keep everyone. Otherwise, every day Laurier erases the people who "
            "left the organisation, or have no active enrolment, and did nothing in Laurier "
            "for this many months."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self):
        return str(self.organisation)


class ErasedEmail(models.Model):
    """The keyed hash of an e-mail address of an erased person (HMAC-SHA256 with the site's
    SECRET_KEY, see privacy/erased_emails.py): enough to recognise the address in a later
    import and refuse to bring the person back unasked, never enough to read it back."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    erased_on = models.DateField(_("erased on"))

    class Meta:
        verbose_name = _("erased e-mail address")
        verbose_name_plural = _("erased e-mail addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "digest"], name="one_erased_email_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.digest[:12]}…"
