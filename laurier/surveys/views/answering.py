"""Answering surveys: the personal link without an account, a person's own surveys, the preview."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.core.ratelimit import is_rate_limited
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from ..forms.answer import AnswerForm
from ..models import Survey
from ..selectors import answering as selectors
from ..services.answers import submit_response

# Per client and per 10 minutes: enough to answer and correct a survey a few times, far too
# few to try tokens.
LINK_PERIOD_SECONDS = 600
LINK_REQUEST_LIMIT = 60
LINK_SUBMIT_LIMIT = 20


def _private(response):
    """A personal link's page stays out of search engines, caches and other sites' logs.

    "same-origin" rather than "no-referrer": other sites never receive the link, and the
    browser still tells this site where its own forms come from; under "no-referrer" Chromium
    sends `Origin: null` with the form, and the CSRF check refuses every answer.
    """
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _link_is_rate_limited(request):
    over = is_rate_limited(
        request, "survey_link", limit=LINK_REQUEST_LIMIT, period_seconds=LINK_PERIOD_SECONDS
    )
    if request.method == "POST":
        over = (
            is_rate_limited(
                request,
                "survey_link_submit",
                limit=LINK_SUBMIT_LIMIT,
                period_seconds=LINK_PERIOD_SECONDS,
            )
            or over
        )
    return over


def _link_language(request, person):
    """The person's language, unless this browser chose one with the language switcher (or
    belongs to someone logged in, whose own language the middleware already speaks)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if request.user.is_authenticated or (chosen and translation.check_for_language(chosen)):
        return translation.get_language()
    return person.language


def _saved_response(recipient):
    try:
        return recipient.response
    except ObjectDoesNotExist:
        return None


def _answer_page(request, recipient, *, closed_status):
    """The survey's form for one recipient: saves on POST while open, read-only once closed."""
    campaign = recipient.campaign
    survey = campaign.survey
    saved = _saved_response(recipient)
    context = {
        "recipient": recipient,
        "campaign": campaign,
        "survey": survey,
        "organisation": campaign.organisation,
        "saved": saved,
    }
    if not campaign.is_open:
        form = AnswerForm(survey, initial_response=saved, read_only=True)
        context.update(form=form, closed=True, closed_on=campaign.closed_at or campaign.closes_at)
        return render(request, "surveys/answering/answer.html", context, status=closed_status)
    form = AnswerForm(
        survey,
        data=request.POST if request.method == "POST" else None,
        initial_response=saved,
    )
    if request.method == "POST" and form.is_valid():
        try:
            submit_response(recipient=recipient, answers=form.answers, questions=form.questions)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your answers are saved."))
            return redirect(request.path)
    context.update(form=form, closed=False)
    return render(request, "surveys/answering/answer.html", context)


def answer_by_link(request, token):
    if _link_is_rate_limited(request):
        response = render(request, "surveys/answering/rate_limited.html", status=429)
        response["Retry-After"] = str(LINK_PERIOD_SECONDS)
        return _private(response)
    recipient = selectors.recipient_by_token(token)
    if recipient is None:
        # The same page whatever the reason: never tell whether a token exists.
        return _private(render(request, "surveys/answering/invalid_link.html", status=404))
    language = _link_language(request, recipient.person)
    organisation = recipient.campaign.organisation
    with translation.override(language), timezone.override(organisation.time_zone):
        response = _answer_page(request, recipient, closed_status=410)
    response["Content-Language"] = language
    return _private(response)


@organisation_view()
def my_surveys(request):
    person = person_of_user(request.organisation, request.user)
    page = paginate(request, selectors.requests_of_person(person)) if person else None
    return render(request, "surveys/answering/my_surveys.html", {"person": person, "page": page})


@organisation_view()
def my_survey_answer(request, pk):
    person = person_of_user(request.organisation, request.user)
    recipient = selectors.request_of_person(person, pk) if person is not None else None
    if recipient is None:
        raise Http404
    return _answer_page(request, recipient, closed_status=200)


@organisation_view(roles=MANAGER_ROLES)
def survey_preview(request, pk):
    survey = get_object_or_404(Survey.objects.filter(organisation=request.organisation), pk=pk)
    form = AnswerForm(survey, data=request.POST if request.method == "POST" else None)
    accepted = request.method == "POST" and form.is_valid()
    return render(
        request,
        "surveys/answering/preview.html",
        {
            "survey": survey,
            "form": form,
            "accepted": accepted,
            "organisation": request.organisation,
            "back_url": None
            if survey.frozen
            else reverse("surveys:detail", args=[request.organisation.slug, survey.pk]),
        },
    )
