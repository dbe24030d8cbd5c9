"""Announcing an edition's winners: the proposal and what will happen, the managers' choice
where nominees are ex aequo at the cut, then the winners with their award, badge and spotlight."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import organisation_today
from laurier.credentials.models import Credential
from laurier.credentials.services.rules import rule_key
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view
from laurier.recognition.categories import PublicConsent
from laurier.recognition.selectors.spotlights import public_consent_of

from ..models import Category, Phase, Winner
from ..results import edition_result, label, thanks_audience
from ..selectors import edition_for
from ..services import announcement as services


@organisation_view(roles=MANAGER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def announce(request, pk):
    edition = edition_for(request.membership, pk)
    today = organisation_today(request.organisation)
    phase = edition.phase(today)
    if phase == Phase.ANNOUNCED:
        return _announced(request, edition)
    refusal = services.refusal(edition, today)
    errors = []
    if request.method == "POST" and not refusal:
        try:
            chosen = _chosen(request)
            summary = services.announce(edition, actor=request.user, chosen=chosen, today=today)
        except ValidationError as error:
            errors = error.messages
        else:
            _tell(request, summary)
            return redirect("contests:announce", request.organisation.slug, edition.pk)
    context = {"edition": edition, "phase": phase, "refusal": refusal, "errors": errors}
    if not refusal:
        result = edition_result(edition)
        context.update(_preview(edition, result, request))
    return render(request, "contests/announce/announce.html", context)


def _chosen(request):
    """{category id: [nominee id]} from the form; a value that is not a number is refused."""
    chosen = {}
    for key in request.POST:
        if not key.startswith("category-"):
            continue
        values = [key.removeprefix("category-"), *request.POST.getlist(key)]
        if not all(value.isascii() and value.isdigit() for value in values):
            raise ValidationError(_("Choose among the nominees listed."))
        chosen[int(values[0])] = [int(value) for value in values[1:]]
    return chosen


def _preview(edition, result, request):
    proposals = services.proposals(result)
    picked = {
        int(key.removeprefix("category-")): request.POST.getlist(key)
        for key in request.POST
        if key.startswith("category-") and key.removeprefix("category-").isdigit()
    }
    categories = {
        category.pk: category
        for category in Category.objects.filter(edition=edition).select_related("badge_class")
    }
    audience = thanks_audience(edition)
    winners = sum(len(p.sure) + p.places for p in proposals)
    sure = {ranked.nominee_id for p in proposals for ranked in p.sure}
    tied = {ranked.nominee_id for p in proposals for ranked in p.tied}
    # Those thanked if not chosen, less the sure winners, less the places the tied may take.
    told_ids = {pk for pk, (_told, thanked) in audience.items() if thanked}
    thanked = len(told_ids - sure - tied) + max(
        len(told_ids & tied) - sum(p.places for p in proposals), 0
    )
    jurors = {juror.id: juror.name for juror in result.jurors}
    return {
        "unfinished": [
            (jurors.get(coverage.juror_id, ""), label(category.name), coverage)
            for category in result.categories
            for coverage in category.coverage
            if coverage.scored < coverage.could
        ],
        "incomplete": [
            (ranked.name, label(category.name))
            for category in result.categories
            for ranked in category.ranking
            # The unscored are named apart: they are not proposed at all.
            if ranked.incomplete and not ranked.unscored
        ],
        "proposals": [
            (
                proposal,
                categories.get(proposal.category.category_id),
                {str(pk) for pk in picked.get(proposal.category.category_id, [])},
            )
            for proposal in proposals
        ],
        "option_name": in_reader_language(edition.option, "name") if edition.option else "",
        "winner_count": winners,
        "thanked_count": thanked,
        "untold_count": len(set(audience) - told_ids - sure),
        "never_told": [
            (ranked.name, proposal.name)
            for proposal in proposals
            for ranked in (*proposal.sure, *proposal.tied)
            if ranked.nominee_id in audience and not audience[ranked.nominee_id][0]
        ],
        "short": [proposal for proposal in proposals if proposal.shortfall],
        "nobody": not any(p.sure or p.tied for p in proposals),
    }


def _tell(request, summary):
    if not summary.created:
        messages.info(request, _("These winners were already announced: nothing more was done."))
        return
    messages.success(
        request,
        ngettext(
            "The winner is announced and told by e-mail.",
            "The %(count)d winners are announced and told by e-mail.",
            len(summary.winners),
        )
        % {"count": len(summary.winners)}
        + " "
        + ngettext(
            "%(count)d other nominee received a thank-you note.",
            "%(count)d other nominees received a thank-you note.",
            summary.thanked,
        )
        % {"count": summary.thanked},
    )
    for name, reason in summary.award_problems:
        messages.warning(
            request,
            _("No award could be planned for %(name)s: %(reason)s Give them one by hand.")
            % {"name": name, "reason": reason},
        )


def _announced(request, edition):
    winners = list(
        Winner.objects.filter(category__edition=edition).select_related(
            "person__mentor_profile",
            "category__badge_class",
            "nominee__program",
            "award",
            "spotlight",
        )
    )
    keys = {
        rule_key(winner.category.badge_class, f"contest:{winner.pk}"): winner
        for winner in winners
        if winner.category.badge_class_id
    }
    credentials = {
        credential.issue_key: credential
        for credential in Credential.objects.filter(
            organisation_id=edition.organisation_id, issue_key__in=list(keys)
        )
    }
    rows = []
    for winner in winners:
        consent = public_consent_of(winner.person)
        credential = None
        if winner.category.badge_class_id:
            credential = credentials.get(
                rule_key(winner.category.badge_class, f"contest:{winner.pk}")
            )
        rows.append(
            {
                "winner": winner,
                "credential": credential,
                "ask_first": winner.spotlight_id is None and consent != PublicConsent.NO,
                "private": consent == PublicConsent.NO,
            }
        )
    return render(
        request,
        "contests/announce/announced.html",
        {"edition": edition, "rows": rows, "phase": Phase.ANNOUNCED},
    )
