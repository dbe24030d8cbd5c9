from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from laurier.organisations.models import Membership


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
    """Send a person with one organisation straight there; let others choose."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("organisation"))
    if len(memberships) == 1:
        return redirect("organisations:home", memberships[0].organisation.slug)
    return render(request, "accounts/home.html", {"memberships": memberships})
