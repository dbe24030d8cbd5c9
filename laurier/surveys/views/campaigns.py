"""Survey campaigns of a program: list, launch, live response rate, reminders, results, export."""

import datetime
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.link_renewal import fingerprint, renew_link_from_form
from laurier.core.listing import export_response, paginate, requested_export, sort_queryset
from laurier.core.ordering import natural
from laurier.organisations.tenancy import program_view
from laurier.outbox.selectors import delivery_report

from ..forms.campaign import AudienceSearchForm, CampaignForm, RecipientSearchForm
from ..models import Campaign, Recipient, Survey
from ..selectors import campaigns as selectors
from ..selectors import results as results_selectors
from ..selectors.editor import editable_surveys
from ..services import campaigns as services
from ..standard import install_standard_surveys

CAMPAIGN_SORTS = {
    "purpose": "survey__purpose",
    "cycle": "cycle__starts_on",
    "sent_on": "created_at",
    "closes_on": "closes_at",
    "status": "closed",
    "rate": "rate",
}


def _campaign_sorts():
    """The list's sorts; a campaign without a name sorts by its title in the reader's language."""
    survey_title = "survey__title_fr" if get_language().startswith("fr") else "survey__title_en"
    title = Coalesce(NullIf("name", Value("")), survey_title)
    return {"name": natural(title), **CAMPAIGN_SORTS}


# People listed at once when picking recipients; a larger program narrows the search.
PEOPLE_SHOWN = 50
# Above this many chosen people the page keeps them as hidden fields instead of checkboxes.
CHOSEN_LISTED = 200
# Each displayed launch form carries a one-time token, stored on the campaign it launches
# (`Campaign.launch_key`, unique per program): the same form sent again, a double click as
# much as a reload days later, opens the campaign it launched.
DEFAULT_OPEN_DAYS = 14
RECIPIENTS_PER_PAGE = 50
HTMX_STOP_POLLING = 286


def _to_campaign(request, campaign):
    return redirect(
        "surveys:campaign_detail", request.organisation.slug, request.program.slug, campaign.pk
    )


@program_view
def campaign_list(request):
    campaigns, sort = sort_queryset(
        request, selectors.campaigns_of_program(request.program), _campaign_sorts(), "-sent_on"
    )
    return render(
        request,
        "surveys/campaigns/campaign_list.html",
        {"page": paginate(request, campaigns), "sort": sort},
    )


def _initial(request, surveys, today):
    cycle = selectors.current_cycle(request.program, today)
    survey = surveys.filter(purpose=Survey.Purpose.PULSE).first() or surveys.first()
    return {
        "form_token": secrets.token_urlsafe(16),
        "survey": survey,
        "cycle": cycle,
        # No name: left empty, it follows whichever survey and cycle are finally chosen.
        "audience": Campaign.Audience.MENTORS,
        "closes_on": today + datetime.timedelta(days=DEFAULT_OPEN_DAYS),
    }


@program_view
def campaign_create(request):
    program = request.program
    # The ready-made surveys are offered from the first visit.
    install_standard_surveys(request.organisation)
    surveys = editable_surveys(request.organisation).order_by("-standard", "purpose", "title_fr")
    today = organisation_today(request.organisation)
    if request.method != "POST":
        form = CampaignForm(
            program=program, surveys=surveys, initial=_initial(request, surveys, today)
        )
        search = AudienceSearchForm(prefix="find")
        return _render_create(request, form, search, chosen=set(), picking=False)
    form = CampaignForm(request.POST, program=program, surveys=surveys)
    search = AudienceSearchForm(request.POST, prefix="find")
    chosen = form.chosen_ids()
    action = request.POST.get("action", "launch")
    split_pulse_warning = ""
    if action == "add_all":
        chosen |= set(
            selectors.find_enrolled_people(program, **search.filters()).values_list("pk", flat=True)
        )
    elif action == "clear":
        chosen = set()
    elif action == "launch" and form.is_valid():
        data = form.cleaned_data
        name = data["name"].strip()
        try:
            campaign, created = services.launch_campaign(
                program=program,
                survey=data["survey"],
                name=name,
                cycle=data["cycle"],
                audience=data["audience"],
                people=data["people"],
                closes_at=form.closes_at,
                remind_after_days=data["remind_after_days"],
                actor=request.user,
                launch_key=data["form_token"],
                split_pulse_confirmed=data["launch_anyway"],
            )
        except ValidationError as error:
            if _is_split_pulse_warning(error):
                # A warning, not an error: the manager may confirm and launch anyway.
                split_pulse_warning = error.message_dict[services.SPLIT_PULSE_FIELD][0]
            else:
                add_service_errors(form, error)
        else:
            if created:
                messages.success(request, _("The survey is on its way to its recipients."))
            else:
                messages.info(request, _("This campaign was already launched."))
            return _to_campaign(request, campaign)
    picking = (
        action != "launch" or bool(chosen) or form.data.get("audience") == Campaign.Audience.CHOSEN
    )
    return _render_create(
        request,
        form,
        search,
        chosen,
        picking=picking,
        show_errors=action == "launch",
        split_pulse_warning=split_pulse_warning,
    )


def _is_split_pulse_warning(error):
    return hasattr(error, "error_dict") and set(error.error_dict) == {services.SPLIT_PULSE_FIELD}


def _render_create(
    request, form, search, chosen, *, picking, show_errors=True, split_pulse_warning=""
):
    program = request.program
    filters = search.filters() if search.is_bound else {"search": "", "role": "", "status": ""}
    found = selectors.find_enrolled_people(program, **filters).exclude(pk__in=list(chosen))
    shown = list(found[: PEOPLE_SHOWN + 1])
    chosen_people = (
        list(selectors.people_by_ids(program, chosen)) if len(chosen) <= CHOSEN_LISTED else []
    )
    return render(
        request,
        "surveys/campaigns/campaign_form.html",
        {
            "form": form,
            "search": search,
            "found": shown[:PEOPLE_SHOWN],
            "found_more": len(shown) > PEOPLE_SHOWN,
            "found_count": found.count() if len(shown) > PEOPLE_SHOWN else len(shown),
            "chosen": sorted(chosen),
            "chosen_people": chosen_people,
            "chosen_listed": len(chosen) <= CHOSEN_LISTED,
            "show_errors": show_errors,
            "picking": picking,
            "split_pulse_warning": split_pulse_warning,
        },
    )


@program_view
def campaign_detail(request, pk):
    campaign = selectors.campaign_of_program(request.program, pk)
    results = results_selectors.campaign_results(campaign)
    if export_format := requested_export(request):
        if not results.shown:
            if results.waiting_for_close:
                messages.error(request, results_selectors.ANONYMOUS_WAIT_NOTE)
            else:
                messages.error(
                    request,
                    _("Not enough responses to export them without identifying anyone."),
                )
            return _to_campaign(request, campaign)
        headers, rows = results_selectors.campaign_export(campaign)
        filename = f"{request.program.slug}-{slugify(campaign.title) or campaign.pk}"
        return export_response(filename, headers, rows, export_format)
    delivery = delivery_report(campaign.organisation, services.campaign_topic(campaign.pk))
    who = None
    if not campaign.survey.results_are_anonymous:
        who = paginate(request, selectors.who_answered(campaign))
    return render(
        request,
        "surveys/campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "results": results,
            "who": who,
            "delivery": delivery,
            "anonymous_wait_note": results_selectors.ANONYMOUS_WAIT_NOTE,
        },
    )


@program_view
def campaign_rate(request, pk):
    campaign = selectors.campaign_of_program(request.program, pk)
    # The content of the live region only; 286 tells htmx to stop polling a closed campaign.
    return render(
        request,
        "surveys/campaigns/includes/rate_content.html",
        {"campaign": campaign},
        status=200 if campaign.is_open else HTMX_STOP_POLLING,
    )


@program_view
@require_POST
def campaign_remind(request, pk):
    campaign = get_object_or_404(Campaign, program=request.program, pk=pk)
    try:
        reminded = services.remind_non_respondents(campaign, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if reminded:
            messages.success(
                request,
                ngettext(
                    "A reminder is on its way to %(count)d person.",
                    "A reminder is on its way to %(count)d people.",
                    reminded,
                )
                % {"count": reminded},
            )
        else:
            messages.info(
                request,
                _(
                    "Nobody to remind: everyone who has not answered was reminded in the last "
                    "24 hours."
                ),
            )
    return _to_campaign(request, campaign)


@program_view
@require_POST
def campaign_resend(request, pk):
    campaign = get_object_or_404(Campaign, program=request.program, pk=pk)
    try:
        count = services.send_failed_emails_again(campaign, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d e-mail is being sent again.",
                    "%(count)d e-mails are being sent again.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No e-mail of this campaign is waiting to be sent again."))
    return _to_campaign(request, campaign)


@program_view
@require_POST
def campaign_close(request, pk):
    campaign = get_object_or_404(Campaign, program=request.program, pk=pk)
    if campaign.closed_at is None:
        services.close_campaign(campaign, actor=request.user)
        messages.success(request, _("The campaign is closed: answers can no longer change."))
    return _to_campaign(request, campaign)


# --- One recipient's personal link ---------------------------------------------------------------


@program_view
def campaign_recipients(request, pk):
    """The campaign's recipients, found by name or e-mail, each with a "New link" button while
    the campaign is open. Whether each answered shows only where the results name people."""
    campaign = selectors.campaign_of_program(request.program, pk)
    search = RecipientSearchForm(request.GET or None)
    words = search.cleaned_data["find"].strip() if search.is_valid() else ""
    page = paginate(request, selectors.recipients_of(campaign, words), RECIPIENTS_PER_PAGE)
    return render(
        request,
        "surveys/campaigns/campaign_recipients.html",
        {
            "campaign": campaign,
            "search": search,
            "searched": words,
            "page": page,
            "rows": [(recipient, fingerprint(recipient.token)) for recipient in page.object_list],
        },
    )


@program_view
@require_POST
def recipient_new_link(request, pk, recipient_pk):
    campaign = get_object_or_404(Campaign, program=request.program, pk=pk)
    recipient = get_object_or_404(Recipient, campaign=campaign, pk=recipient_pk)
    renew_link_from_form(
        request,
        recipient,
        services.send_new_link,
        holder=lambda row: (row.person.full_name, row.person.email),
    )
    return redirect(
        "surveys:campaign_recipients", request.organisation.slug, request.program.slug, campaign.pk
    )
