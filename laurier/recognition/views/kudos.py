"""Kudos in a person's space: thank a mentor in a click, and see the kudos received."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from laurier.core.listing import paginate, search_text
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import organisation_view
from laurier.programs.models import Program

from ..models import KUDOS_MESSAGE_MAX_LENGTH, Behaviour
from ..selectors import kudos as selectors
from ..services.kudos import give_kudos

KUDOS_PER_PAGE = 20


@organisation_view()
@require_safe
def my_kudos(request):
    person = person_of_user(request.organisation, request.user)
    context = {"person": person}
    if person is not None:
        search = search_text(request)
        received = paginate(request, selectors.kudos_received(person), KUDOS_PER_PAGE)
        context |= {
            "behaviours": Behaviour.choices,
            "mentors": selectors.mentors_of_mentee(person),
            "is_mentor": selectors.is_mentor(person),
            "search": search,
            "peers": selectors.fellow_mentors(person, search),
            "counts": selectors.kudos_counts(person),
            "received": received,
            "limit": KUDOS_MESSAGE_MAX_LENGTH,
        }
    return render(request, "recognition/kudos/my_kudos.html", context)


@organisation_view()
@require_POST
def kudos_give(request):
    back = redirect("recognition:my_kudos", request.organisation.slug)
    person = person_of_user(request.organisation, request.user)
    mentor = selectors.find_mentor(request.organisation, _number(request.POST.get("mentor")))
    program = Program.objects.filter(
        organisation=request.organisation, pk=_number(request.POST.get("program"))
    ).first()
    if person is None or mentor is None or program is None:
        messages.error(request, _("Choose a mentor to thank."))
        return back
    try:
        kudos, created = give_kudos(
            giver=person,
            mentor=mentor,
            program=program,
            behaviour=request.POST.get("behaviour", ""),
            message=request.POST.get("message", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back
    values = {"mentor": mentor.first_name, "behaviour": kudos.get_behaviour_display().lower()}
    if created:
        messages.success(
            request, _("Kudos sent: %(mentor)s will know you value their %(behaviour)s.") % values
        )
    else:
        messages.info(
            request, _("You already thanked %(mentor)s for their %(behaviour)s today.") % values
        )
    return back


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
