"""The one way a view reaches tenant data: through the organisation in its URL.

The decorators resolve the organisation (and program) from the URL against the
user's membership, so a view cannot forget the scoping: anything outside the
user's organisation is a 404, and a role that may not see a page gets a 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from laurier.accounts.sso import Entry, organisation_signed_in_through, session_entry

from .models import Membership, Role

MANAGER_ROLES = (Role.ADMIN, Role.MANAGER)
ADMIN_ROLES = (Role.ADMIN,)
EVERY_ROLE = tuple(Role.values)


@dataclass(frozen=True)
class Access:
    """Who a tenancy decorator lets through: the roles, and whether the program in the URL
    must also be one the member manages. Recorded on the view as `laurier_access`, so the
    every-URL walker (core/tests/test_every_url.py) checks each page against its own rule."""

    roles: tuple
    program_scoped: bool = False


def access_rule(view):
    """The `Access` a view was decorated with, or None for a view outside the tenancy
    decorators (following the wrappers other decorators put around it)."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        rule = getattr(view, "laurier_access", None)
        if rule is not None:
            return rule
        view = getattr(view, "__wrapped__", None)
    return None


def organisation_view(roles=EVERY_ROLE):
    """Resolve `organisation_slug` to request.organisation and request.membership."""

    def decorator(view):
        @login_required
        @_records(Access(roles=tuple(roles)))
        @wraps(view)
        def wrapped(request, organisation_slug, *args, **kwargs):
            membership = (
                # The figures version keys the cached figures (programs/figures_cache.py).
                Membership.objects.select_related(
                    "organisation__single_sign_on", "organisation__figures_version"
                )
                .filter(user=request.user, organisation__slug=organisation_slug)
                .first()
            )
            if membership is None:
                raise Http404
            entry = session_entry(request, membership.organisation)
            if entry == Entry.SIGNED_IN_ELSEWHERE:
                return signed_in_elsewhere(request, membership.organisation)
            if entry == Entry.SIGN_IN_THROUGH_PROVIDER:
                return redirect_to_login(
                    request.get_full_path(),
                    reverse("sso_organisation", args=[organisation_slug]),
                )
            if membership.role not in roles:
                raise PermissionDenied
            request.membership = membership
            request.organisation = membership.organisation
            with timezone.override(membership.organisation.time_zone):
                return view(request, *args, **kwargs)

        return wrapped

    return decorator


def signed_in_elsewhere(request, organisation):
    """The page a session opened through another organisation's provider gets here: who it
    signed in as, and a button to sign out and in again, back to the page asked for."""
    from .models import Organisation

    through = organisation_signed_in_through(request)
    sign_in = reverse("account_login")
    if not _single_sign_on_allows_password(organisation):
        sign_in = reverse("sso_organisation", args=[organisation.slug])
    context = {
        "organisation": organisation,
        "signed_in_through": Organisation.objects.filter(pk=through).first(),
        "next_after_logout": sign_in + "?" + urlencode({"next": request.get_full_path()}),
    }
    return render(request, "accounts/signed_in_elsewhere.html", context, status=403)


def _single_sign_on_allows_password(organisation):
    single_sign_on = getattr(organisation, "single_sign_on", None)
    return single_sign_on is None or not single_sign_on.is_sso_only


def programs_managed_by(membership):
    """The programs a membership may manage: all of them for an admin, assigned ones otherwise."""
    from laurier.programs.models import Program

    programs = Program.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return programs
    if membership.role == Role.MANAGER:
        return programs.filter(managers=membership.user_id)
    return programs.none()


def _records(access):
    """Mark the wrapped view with `access`; functools.wraps carries the mark outwards through
    every decorator put around it (login_required, require_POST…)."""

    def mark(view):
        view.laurier_access = access
        return view

    return mark


def program_view(view):
    """For managers: resolve `program_slug` to request.program among the programs they manage."""

    @_records(Access(roles=MANAGER_ROLES, program_scoped=True))
    @organisation_view(roles=MANAGER_ROLES)
    @wraps(view)
    def wrapped(request, program_slug, *args, **kwargs):
        program = programs_managed_by(request.membership).filter(slug=program_slug).first()
        if program is None:
            raise Http404
        request.program = program
        return view(request, *args, **kwargs)

    return wrapped
