"""The one way a view reaches tenant data: through the organisation in its URL.

The decorators resolve the organisation (and program) from the URL against the
user's membership, so a view cannot forget the scoping: anything outside the
user's organisation is a 404, and a role that may not see a page gets a 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from laurier.accounts.sso import session_may_enter

from .models import Membership, Role

MANAGER_ROLES = (Role.ADMIN, Role.MANAGER)
ADMIN_ROLES = (Role.ADMIN,)
EVERY_ROLE = tuple(Role.values)


def organisation_view(roles=EVERY_ROLE):
    """Resolve `organisation_slug` to request.organisation and request.membership."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, organisation_slug, *args, **kwargs):
            membership = (
                Membership.objects.select_related("organisation__single_sign_on")
                .filter(user=request.user, organisation__slug=organisation_slug)
                .first()
            )
            if membership is None:
                raise Http404
            if not session_may_enter(request, membership.organisation):
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


def programs_managed_by(membership):
    """The programs a membership may manage: all of them for an admin, assigned ones otherwise."""
    from laurier.programs.models import Program

    programs = Program.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return programs
    if membership.role == Role.MANAGER:
        return programs.filter(managers=membership.user_id)
    return programs.none()


def program_view(view):
    """For managers: resolve `program_slug` to request.program among the programs they manage."""

    @organisation_view(roles=MANAGER_ROLES)
    @wraps(view)
    def wrapped(request, program_slug, *args, **kwargs):
        program = programs_managed_by(request.membership).filter(slug=program_slug).first()
        if program is None:
            raise Http404
        request.program = program
        return view(request, *args, **kwargs)

    return wrapped
