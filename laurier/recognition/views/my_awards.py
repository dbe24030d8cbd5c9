"""A mentor's own recognitions, in their space: the ones given to them, and each one in full."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from laurier.core.listing import paginate
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view

from ..selectors import my_awards as selectors

AWARDS_PER_PAGE = 12


@organisation_view()
@require_safe
def my_awards(request):
    person = person_of_user(request.organisation, request.user)
    page = None
    if person is not None:
        page = paginate(request, selectors.given_awards_of_person(person), AWARDS_PER_PAGE)
        page.object_list = selectors.with_givers(page.object_list)
    return render(
        request,
        "recognition/my_awards/my_awards.html",
        {"person": person, "page": page, "Feedback": selectors.Feedback},
    )


@organisation_view()
@require_safe
def my_award(request, pk):
    person = person_of_user(request.organisation, request.user)
    award = selectors.given_award_of_person(person, pk) if person is not None else None
    if award is None:
        raise Http404
    return render(
        request,
        "recognition/my_awards/my_award.html",
        {"person": person, "award": award, "Feedback": selectors.Feedback},
    )
