"""The admins' page of how the organisation signs its credentials: what the issuer says about
itself, its public address, its keys, and rotating the signing key."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.forms import add_service_errors
from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view

from .. import selectors
from ..forms import IssuerForm, RotateKeyForm
from ..services.issuance import issuer_for, rotate_signing_key
from ..services.issuers import update_issuer


def _render(request, issuer, form, rotate_form):
    return render(
        request,
        "credentials/issuer/settings.html",
        {
            "issuer": issuer,
            "form": form,
            "rotate_form": rotate_form,
            "keys": selectors.issuer_keys(issuer),
        },
    )


@organisation_view(roles=ADMIN_ROLES)
def issuer_settings(request):
    organisation = request.organisation
    issuer = issuer_for(organisation)
    issuer.organisation = organisation
    form = IssuerForm(request.POST if request.method == "POST" else None, instance=issuer)
    if request.method == "POST":
        if form.is_valid():
            try:
                update_issuer(organisation, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Saved. The credentials issued from now on carry these details.")
                )
                return redirect("credentials:issuer_settings", organisation.slug)
        issuer = issuer_for(organisation)
        issuer.organisation = organisation
        return _render(request, issuer, form, RotateKeyForm())
    return _render(request, issuer, form, RotateKeyForm())


@organisation_view(roles=ADMIN_ROLES)
@require_POST
def rotate_key(request):
    organisation = request.organisation
    form = RotateKeyForm(request.POST)
    if not form.is_valid():
        issuer = issuer_for(organisation)
        issuer.organisation = organisation
        return _render(request, issuer, IssuerForm(instance=issuer), form)
    key = rotate_signing_key(organisation, actor=request.user)
    messages.success(
        request,
        _("New key %(name)s: it signs from now on. The credentials signed before stay valid.")
        % {"name": key.name},
    )
    return redirect("credentials:issuer_settings", organisation.slug)
