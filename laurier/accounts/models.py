from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who can log in; identified by e-mail, speaks one of Laurier's languages."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email


class SingleSignOn(models.Model):
    """An organisation's OpenID Connect sign-in: the allauth application that talks to its
    identity provider, and Laurier's rules about who may come in through it."""

    class Mode(models.TextChoices):
        SSO_OR_PASSWORD = "sso_or_password", _("Organisation account or Laurier password")
        SSO_ONLY = "sso_only", _("Organisation account only")

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="single_sign_on"
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.PROTECT, related_name="single_sign_on"
    )
    allowed_domains = models.JSONField(
        _("allowed e-mail domains"),
        default=list,
        blank=True,
        help_text=_("Only addresses at these domains may sign in. Empty: any domain."),
    )
    mode = models.CharField(
        _("how members sign in"), max_length=20, choices=Mode.choices, default=Mode.SSO_OR_PASSWORD
    )
    recovery_admin = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("admin who keeps a password"),
        help_text=_(
            "When members may only use the organisation account, this admin can still log in "
            "with a Laurier password, to repair the settings if the identity provider fails."
        ),
    )
    last_sign_in_at = models.DateTimeField(_("last sign-in through it"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on settings")

    def __str__(self):
        return str(self.organisation)

    @property
    def is_sso_only(self):
        return self.mode == self.Mode.SSO_ONLY

    def allows_domain(self, email):
        """Whether the address is at one of the allowed domains (any, when none is listed)."""
        domain = email.rsplit("@", 1)[-1].lower()
        return not self.allowed_domains or domain in self.allowed_domains
