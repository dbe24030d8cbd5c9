"""Answering surveys: the personal link without an account, a person's own surveys, the preview."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from laurier.core.forms import add_service_errors
from laurier.core.listing import paginate
from laurier.core.personal_links import PersonalLink, serve
from laurier.hours.selectors import person_of_user
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from ..forms.answer import AnswerForm
from ..models import Survey
from ..selectors import answering as selectors
from ..services.answers import submit_response


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


SURVEY_LINK = PersonalLink(
    scope="survey",
    find=selectors.recipient_by_token,
    language_of=lambda recipient: recipient.person.language,
    organisation_of=lambda recipient: recipient.campaign.organisation,
    invalid_template="surveys/answering/invalid_link.html",
    rate_limited_template="surveys/answering/rate_limited.html",
)


def answer_by_link(request, token):
    return serve(
        request,
        token,
        SURVEY_LINK,
        lambda request, recipient: _answer_page(request, recipient, closed_page=_closed_link_page),
    )


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
