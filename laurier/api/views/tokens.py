"""Placeholder: the lead replaces this whole file."""

from django.http import Http404

from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view


@organisation_view(roles=ADMIN_ROLES)
def _not_yet(request, *args, **kwargs):
    raise Http404


token_list = token_revoke = _not_yet
