"""Placeholder: the webhooks helper replaces this whole file."""

from django.http import Http404

from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view


@organisation_view(roles=ADMIN_ROLES)
def _not_yet(request, *args, **kwargs):
    raise Http404


endpoint_list = endpoint_create = endpoint_detail = endpoint_edit = _not_yet
endpoint_delete = endpoint_test = delivery_retry = _not_yet
