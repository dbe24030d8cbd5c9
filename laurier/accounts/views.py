import logging
from functools import wraps

import requests
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from laurier.organisations.models import Membership
from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view

from . import sso
from .forms import SignOnEmailForm, SingleSignOnForm

logger = logging.getLogger(__name__)


@require_POST
def set_language(request):
    """Switch language and remember the choice on the person's account, for every device."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(user._meta.get_field("language").choices):
        user.language = language
        user.save(update_fields=["language"])
    return response


@login_required
def home(request):
    """Send a person with one organisation straight there; let others choose. A session opened
    through an organisation's provider reaches that organisation only, so only it is offered."""
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    if sso.signed_in_through_provider(request):
        through = sso.organisation_signed_in_through(request)
        memberships = memberships.filter(organisation_id=through)
    memberships = list(memberships)
    if len(memberships) == 1:
        return redirect("organisations:home", memberships[0].organisation.slug)
    return render(request, "accounts/home.html", {"memberships": memberships})


def not_for_provider_sessions(view):
    """Refuse an account page (password, e-mail addresses) to a session signed in through an
    organisation's provider: the provider's word must not become a password or an address of
    the session's choosing, which would open the account without the provider."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if sso.signed_in_through_provider(request):
            return render(request, "accounts/managed_by_provider.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


# --- Single sign-on ----------------------------------------------------------------------------


def _next_url(request):
    """Where to go after signing in, if it is an address of this site."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return None


def _send_to_provider(request, single_sign_on):
    """Hand over to allauth, which sends the browser to the provider with state and PKCE."""
    try:
        # Settings saved before the address rules were what they are are checked again here,
        # before Laurier fetches anything from them.
        sso.validate_server_url(single_sign_on.app.settings.get("server_url", ""))
    except ValidationError:
        logger.warning("Identity provider of %s refused", single_sign_on.organisation.slug)
        return _provider_unreachable(request, single_sign_on)
    provider = single_sign_on.app.get_provider(request)
    try:
        redirect_to_provider = provider.redirect(
            request, AuthProcess.LOGIN, next_url=_next_url(request)
        )
    except requests.RequestException:
        logger.warning("Identity provider of %s unreachable", single_sign_on.organisation.slug)
        return _provider_unreachable(request, single_sign_on)
    return _continue_to_provider(request, single_sign_on, redirect_to_provider.url)


def _continue_to_provider(request, single_sign_on, provider_url):
    """A page that moves on to the provider by itself, where a redirect would be refused.

    The Content-Security-Policy's `form-action 'self'` also covers the redirects that answer a
    form, so the browser would stop the form's redirect to the provider; a page's own refresh
    is not a form's, and the provider's address need not be named in the policy (where every
    visitor would read which provider each organisation uses)."""
    response = render(
        request,
        "accounts/sso_continue.html",
        {"single_sign_on": single_sign_on, "provider_url": provider_url},
    )
    # The address carries the sign-in's state: never kept by a cache.
    response["Cache-Control"] = "no-store"
    return response


def _provider_unreachable(request, single_sign_on):
    return render(
        request,
        "accounts/sso_error.html",
        {"single_sign_on": single_sign_on, "unreachable": True},
        status=503,
    )


@require_http_methods(["GET", "POST"])
def sso_start(request):
    """“Sign in with your organisation's account”: the e-mail's domain finds the organisation."""
    form = SignOnEmailForm(request.POST or None)
    choices = []
    if request.method == "POST" and form.is_valid():
        choices = sso.single_sign_ons_for_email(form.cleaned_data["email"])
        if len(choices) == 1:
            return _send_to_provider(request, choices[0])
        if not choices:
            form.add_error(
                "email",
                _(
                    "Laurier does not know which organisation signs you in with this address. "
                    "Log in with your password, or ask your organisation for its sign-in link."
                ),
            )
    return render(
        request,
        "accounts/sso_start.html",
        {"form": form, "choices": choices, "next": _next_url(request) or ""},
    )


@require_http_methods(["GET", "POST"])
def sso_organisation(request, organisation_slug):
    """An organisation's own sign-in link: a button that leads to its identity provider."""
    single_sign_on = sso.single_sign_on_for_slug(organisation_slug)
    if single_sign_on is None:
        raise Http404
    if request.method == "POST":
        return _send_to_provider(request, single_sign_on)
    return render(
        request,
        "accounts/sso_organisation.html",
        {"single_sign_on": single_sign_on, "next": _next_url(request) or ""},
    )


@organisation_view(roles=ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def sso_settings(request):
    """The organisation admin's single sign-on settings."""
    organisation = request.organisation
    single_sign_on = sso.single_sign_on_of(organisation)
    form = SingleSignOnForm(
        request.POST or None, organisation=organisation, single_sign_on=single_sign_on
    )
    if request.method == "POST" and form.is_valid():
        try:
            sso.configure_single_sign_on(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The single sign-on settings are saved."))
            return redirect("sso_settings", organisation.slug)
    return render(
        request,
        "accounts/sso_settings.html",
        {
            "form": form,
            "single_sign_on": single_sign_on,
            "callback_url": sso.callback_url(single_sign_on, organisation=organisation),
            "sign_in_link": request.build_absolute_uri(
                reverse("sso_organisation", args=[organisation.slug])
            ),
        },
    )


@organisation_view(roles=ADMIN_ROLES)
@require_POST
def sso_remove(request):
    """Turn single sign-on off for the organisation."""
    sso.remove_single_sign_on(organisation=request.organisation, actor=request.user)
    messages.success(
        request, _("Single sign-on is off: members log in with their Laurier password.")
    )
    return redirect("sso_settings", request.organisation.slug)
