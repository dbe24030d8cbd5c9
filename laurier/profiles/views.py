"""Mentor profiles: the mentor's own page and form, and a mentor's history for their managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laurier.core.forms import add_service_errors
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view, program_view
from laurier.programs.selectors import mentor_enrolment_for_person

from . import selectors, services
from .forms import ProfileForm
from .models import ProfileSource
from .snapshots import profile_snapshot

# The largest primary key the database stores; a longer number in the URL overflows the query.
LARGEST_PK = 2**63 - 1


@organisation_view()
def my_profile(request):
    person = person_of_user(request.organisation, request.user)
    if person is None:
        return render(request, "profiles/my_profile.html", {"person": None})
    if not person.mentor_enrolments.exists():
        return _mentors_only(request)
    return render(
        request,
        "profiles/my_profile.html",
        {
            "person": person,
            "readable": selectors.readable_profile(selectors.current_profile(person)),
            "history": selectors.profile_history(person),
        },
    )


@organisation_view()
def my_profile_edit(request):
    person = person_of_user(request.organisation, request.user)
    if person is None:
        messages.info(request, _("You are not a mentor or mentee in this organisation."))
        return redirect("profiles:mine", request.organisation.slug)
    if not person.mentor_enrolments.exists():
        return _mentors_only(request)
    current = selectors.current_profile(person)
    form = ProfileForm(
        request.POST or None, initial=ProfileForm.initial_from(profile_snapshot(current))
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_profile(
                person=person,
                actor=request.user,
                data=form.profile_data(),
                source=ProfileSource.SELF,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if saved.changed:
                messages.success(request, _("Your profile is saved."))
            else:
                messages.info(request, _("Nothing changed in your profile."))
            return redirect("profiles:mine", request.organisation.slug)
    return render(request, "profiles/my_profile_form.html", {"form": form, "is_new": not current})


@program_view
def profile_history(request, pk):
    if pk > LARGEST_PK:
        raise Http404
    enrolment = mentor_enrolment_for_person(request.program, pk)
    person = enrolment.person
    return render(
        request,
        "profiles/profile_history.html",
        {
            "person": person,
            "readable": selectors.readable_profile(selectors.current_profile(person)),
            "history": selectors.profile_history(person),
        },
    )


def _mentors_only(request):
    messages.info(request, _("Only mentors have a motivation and preference profile."))
    return redirect("hours:my_space", request.organisation.slug)
