"""Answering surveys: the personal link without an account, a person's own surveys, the preview."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.core.ratelimit import count_attempt, has_reached_limit, is_rate_limited
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from ..forms.answer import AnswerForm
from ..models import Survey
from ..selectors import answering as selectors
from ..services.answers import submit_response

# Per 10 minutes. A client that guessed wrong 30 times (a handful of typos is fewer) is stopped:
# tokens cannot be tried. Submissions count per link, so one office behind one address never
# locks its people out of each other's surveys; the ceiling per client only stops floods.
LINK_PERIOD_SECONDS = 600
LINK_FAILURE_LIMIT = 30
LINK_SUBMIT_LIMIT = 20
LINK_REQUEST_CEILING = 600


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
    """Before looking the token up: too many failed lookups or requests from this client."""
    if has_reached_limit(request, "survey_link_failure", limit=LINK_FAILURE_LIMIT):
        return True
    return is_rate_limited(
        request, "survey_link", limit=LINK_REQUEST_CEILING, period_seconds=LINK_PERIOD_SECONDS
    )


def _link_submissions_are_rate_limited(request, recipient):
    return request.method == "POST" and is_rate_limited(
        request,
        "survey_link_submit",
        limit=LINK_SUBMIT_LIMIT,
        period_seconds=LINK_PERIOD_SECONDS,
        key=recipient.token,
    )


def _rate_limited_page(request):
    response = render(request, "surveys/answering/rate_limited.html", status=429)
    response["Retry-After"] = str(LINK_PERIOD_SECONDS)
    return _private(response)


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


def _read_only_page(request, recipient):
    """A closed campaign in the person's own space: their answers, read-only."""
    campaign = recipient.campaign
    survey = campaign.survey
    saved = _saved_response(recipient)
    context = {
        "recipient": recipient,
        "campaign": campaign,
        "survey": survey,
        "organisation": campaign.organisation,
        "saved": saved,
        "form": AnswerForm(survey, initial_response=saved, read_only=True),
        "closed": True,
    }
    return render(request, "surveys/answering/answer.html", context)


def _answer_page(request, recipient, *, closed_page):
    """The survey's form for one recipient, saved on POST while open; `closed_page` renders
    the page of a closed campaign (the link's and the person's space's differ)."""
    campaign = recipient.campaign
    if not campaign.is_open:
        return closed_page(request, recipient)
    survey = campaign.survey
    saved = _saved_response(recipient)
    context = {
        "recipient": recipient,
        "campaign": campaign,
        "survey": survey,
        "organisation": campaign.organisation,
        "saved": saved,
    }
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


def _closed_link_page(request, recipient):
    """A closed campaign's link says when it closed, and nothing of the answers: a link found
    in an old mailbox must not show them (a profile holds diet and accessibility needs). Who
    has an account is offered to see them in their space, after signing in."""
    campaign = recipient.campaign
    person = recipient.person
    answers_url = None
    if person.user_id is not None and recipient.responded_at is not None:
        answers_url = reverse("surveys:my_answer", args=[campaign.organisation.slug, recipient.pk])
        if request.user.pk != person.user_id:
            answers_url = (
                f"{reverse(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: answers_url})}"
            )
    context = {
        "recipient": recipient,
        "campaign": campaign,
        "survey": campaign.survey,
        "organisation": campaign.organisation,
        "answered": recipient.responded_at is not None,
        "answers_url": answers_url,
    }
    return render(request, "surveys/answering/closed_link.html", context, status=410)


def answer_by_link(request, token):
    if _link_is_rate_limited(request):
        return _rate_limited_page(request)
    recipient = selectors.recipient_by_token(token)
    if recipient is None:
        count_attempt(request, "survey_link_failure", period_seconds=LINK_PERIOD_SECONDS)
        # The same page whatever the reason: never tell whether a token exists.
        return _private(render(request, "surveys/answering/invalid_link.html", status=404))
    if _link_submissions_are_rate_limited(request, recipient):
        return _rate_limited_page(request)
    language = _link_language(request, recipient.person)
    organisation = recipient.campaign.organisation
    with translation.override(language), timezone.override(organisation.time_zone):
        response = _answer_page(request, recipient, closed_page=_closed_link_page)
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
    return _answer_page(request, recipient, closed_page=_read_only_page)


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
