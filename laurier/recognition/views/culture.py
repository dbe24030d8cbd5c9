"""The organisation's culture profile: admins describe it, managers read it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laurier.core.forms import add_service_errors
from laurier.organisations.tenancy import ADMIN_ROLES, MANAGER_ROLES, organisation_view

from ..culture import AXES, describe_leaning, has_leanings, leanings, plain_steps
from ..forms.culture import CultureProfileForm
from ..selectors.culture import culture_profile_of
from ..services.culture import save_culture_profile


@organisation_view(roles=MANAGER_ROLES)
def culture_profile(request):
    profile = culture_profile_of(request.organisation)
    leans = leanings(profile)
    axes = [
        {
            "axis": axis,
            "words": describe_leaning(profile, axis),
            "lean": leans[axis.leaning],
            # The five steps from the pole the title names first, the culture's marked.
            "steps": [
                {"words": words, "current": lean == leans[axis.leaning]}
                for lean, words in plain_steps(axis)
            ],
        }
        for axis in AXES
    ]
    return render(
        request,
        "recognition/culture/profile.html",
        {
            "profile": profile,
            "axes": axes,
            "has_leanings": has_leanings(profile),
            "can_edit": request.membership.role in ADMIN_ROLES,
        },
    )


@organisation_view(roles=ADMIN_ROLES)
def culture_edit(request):
    profile = culture_profile_of(request.organisation)
    form = CultureProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            save_culture_profile(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Culture profile saved."))
            return redirect("recognition:culture", request.organisation.slug)
    return render(
        request, "recognition/culture/profile_form.html", {"form": form, "profile": profile}
    )
