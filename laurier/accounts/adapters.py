import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.base.constants import AuthError
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext

from . import sso
from .models import SingleSignOn

logger = logging.getLogger(__name__)


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join Laurier through an organisation's invitation, never by open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def pre_login(self, request, user, **kwargs):
        """Refuse a password login to the members of an organisation that signs in only
        through its own identity provider, pointing them to it."""
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        if "sociallogin" in (kwargs.get("signal_kwargs") or {}):
            return None
        single_sign_on = sso.sso_only_organisation_for(user)
        if single_sign_on is None:
            return None
        messages.error(
            request,
            gettext(
                "%(organisation)s asks its members to sign in with their organisation's "
                "account, not a Laurier password."
            )
            % {"organisation": single_sign_on.organisation.name},
        )
        return redirect("sso_organisation", single_sign_on.organisation.slug)

    def login(self, request, user):
        """Log in, then speak the person's language at once: the welcome message written right
        after must not come in the language of the page they logged in from."""
        super().login(request, user)
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()


class OrganisationSignOnAdapter(DefaultSocialAccountAdapter):
    """Sign-in through an organisation's identity provider (OpenID Connect).

    Nobody signs up through a provider: the answer is matched by verified e-mail to someone
    the provider's own organisation knows (see `sso.admit`), or refused with a page that says
    why. Connecting a provider to an account signed in otherwise is not offered.
    """

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        single_sign_on = (
            SingleSignOn.objects.select_related("organisation", "app")
            .filter(app__provider_id=sociallogin.account.provider)
            .first()
        )
        if single_sign_on is None:
            raise _refused(request, sso.Refusal.UNKNOWN_PROVIDER)
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            raise _refused(request, sso.Refusal.NOT_A_LOGIN, single_sign_on)
        email = _verified_email(sociallogin)
        if email is None:
            raise _refused(request, sso.Refusal.NO_VERIFIED_EMAIL, single_sign_on)
        common = sociallogin.account.get_provider().extract_common_fields(
            sociallogin.account.extra_data
        )
        try:
            user = sso.admit(
                single_sign_on=single_sign_on,
                email=email,
                first_name=common.get("first_name") or "",
                last_name=common.get("last_name") or "",
                linked_user=sociallogin.user if sociallogin.is_existing else None,
            )
        except sso.SignInRefused as refusal:
            raise _refused(request, refusal.reason, single_sign_on, email) from refusal
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
        sso.record_sign_in(single_sign_on)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Say it in Laurier's words and layout: the provider refused, or could not be reached."""
        provider_id = getattr(getattr(provider, "app", None), "provider_id", None)
        single_sign_on = (
            SingleSignOn.objects.select_related("organisation")
            .filter(app__provider_id=provider_id)
            .first()
        )
        # The admin debugging their settings needs the provider's own words: in the log.
        logger.warning("Single sign-on through %s failed: %s %r", provider_id, error, exception)
        response = render(
            request,
            "accounts/sso_error.html",
            {"single_sign_on": single_sign_on, "cancelled": error == AuthError.CANCELLED},
            status=400,
        )
        raise ImmediateHttpResponse(response)


def _verified_email(sociallogin):
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email
    return None


def _refused(request, reason, single_sign_on=None, email=None):
    # The page says less than this when it would reveal an account elsewhere: the precise
    # reason, for the support team, is in the log.
    logger.info(
        "Single sign-on through %s refused: %s",
        single_sign_on.app.provider_id if single_sign_on else "?",
        reason,
    )
    response = render(
        request,
        "accounts/sso_refused.html",
        {"reason": reason, "single_sign_on": single_sign_on, "email": email},
        status=403,
    )
    return ImmediateHttpResponse(response)
