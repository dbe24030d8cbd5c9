import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation


class Event(models.TextChoices):
    """What an organisation's systems can be told about, by webhook."""

    AWARD_GIVEN = "award.given", _("An award is given to a mentor")
    BADGE_ISSUED = "badge.issued", _("A badge or certificate is issued")
    SURVEY_COMPLETED = "survey.completed", _("Someone completes a survey")
    MENTOR_JOINED = "mentor.joined", _("A mentor joins a program")
    MENTOR_LEFT = "mentor.left", _("A mentor leaves a program")


class ApiToken(models.Model):
    """A key with which another system calls the API on behalf of one organisation.

    Only a hash of the key is kept: the key is shown once, when it is created. The token acts
    with the rights its scopes give, within its organisation, until it expires or is revoked,
    and only while the admin who created it is still an admin there.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key, shown in lists so a key can be recognised.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("permissions"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="api_token_recent")]

    def __str__(self):
        return self.name

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return self.revoked_at is None and not self.is_expired

    @property
    def permissions(self):
        """What the token may do, in words: (family, access) pairs."""
        from .scopes import described

        return described(self.scopes)


class IdempotencyKey(models.Model):
    """The answer to a creating call made with an `Idempotency-Key` header.

    A client that retries the call with the same key (its connection broke before the answer
    came) gets the first answer again instead of creating the thing twice.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # The method, path and body of the first call: the same key with another request is an error.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_per_token")
        ]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_age")]

    def __str__(self):
        return self.key


def new_webhook_secret():
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """An address of the organisation's own systems that is told when events happen.

    Each post is signed with the endpoint's secret (HMAC-SHA256), so the receiver can tell it
    comes from Laurier and was not changed on the way.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address"), max_length=1000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100, default=new_webhook_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["created_at"]

    def __str__(self):
        return self.description or self.url
