"""The organisation's API tokens: made, listed and revoked by its admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.organisations.tenancy import ADMIN_ROLES, organisation_view

from .. import tokens
from ..forms import TokenForm
from ..models import ApiToken
from ..scopes import FAMILIES

# The new key waits in the session for the page the creation redirects to, which shows it once.
NEW_KEY_SESSION_KEY = "api_new_token_key"


@organisation_view(roles=ADMIN_ROLES)
def token_list(request):
    organisation = request.organisation
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = tokens.create_token(
                organisation=organisation,
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.scopes(),
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[NEW_KEY_SESSION_KEY] = {"token": token.pk, "key": key}
            return redirect("integrations:tokens", organisation.slug)
    new_key = request.session.pop(NEW_KEY_SESSION_KEY, None)
    page = paginate(
        request,
        ApiToken.objects.filter(organisation=organisation)
        .select_related("created_by", "revoked_by")
        .order_by("revoked_at", "-created_at", "-pk"),
    )
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "page": page,
            "new_key": new_key,
            "family_labels": {family: label for family, label, _write in FAMILIES},
        },
        status=400 if form.errors else 200,
    )


@organisation_view(roles=ADMIN_ROLES)
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, organisation=request.organisation)
    tokens.revoke_token(token, actor=request.user)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("integrations:tokens", request.organisation.slug)
