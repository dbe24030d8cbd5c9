"""The juror's pages, at their personal link (no account): first the conflicts of interest,
then the scores.

A nominee the juror is in conflict with is never shown, counted nor reachable here: the pages
answer 404 for them exactly as for another edition's nominee, and the service refuses their
scores again. The conflicts Laurier found itself are named to the juror on the conflicts page
(they are one of the two parties, so this tells them nothing they do not know, and it spares
them wondering why someone is missing), except that the juror is themselves nominated: that
stays for the managers to tell.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from laurier.core.dates import organisation_today
from laurier.core.forms import add_service_errors
from laurier.core.personal_links import PersonalLink, serve

from .. import selectors
from ..forms.jury import ConflictForm, ScoreForm
from ..models import Nomination, Nominee, Phase, Score
from ..selectors import conflicted_nominee_ids
from ..services import jury as services
from ..services.nominations import timeline
from .evidence import evidence_response

JUROR_LINK = PersonalLink(
    scope="juror",
    find=selectors.juror_by_token,
    language_of=lambda juror: juror.language,
    organisation_of=lambda juror: juror.edition.organisation,
    invalid_template="contests/jury/invalid_link.html",
    rate_limited_template="contests/jury/rate_limited.html",
)

# Once the winners are announced the jury's work is done: a bearer link kept in a mailbox must
# not read the stories and files forever, so the pages only thank the juror then.
READING_PHASES = (Phase.SCORING, Phase.DELIBERATION)


def _home(juror):
    return redirect("contests:juror_home", juror.token)


def _context(juror, today):
    edition = juror.edition
    phase = edition.phase(today)
    criteria = selectors.criteria_of(edition)
    field = selectors.juror_field(juror, len(criteria))
    nominees = field["nominees"]
    covered = [nominee for nominee in nominees if not nominee.is_new]
    return {
        "juror": juror,
        "edition": edition,
        "organisation": edition.organisation,
        "phase": phase,
        "phases": Phase,
        "today": today,
        "timeline": timeline(edition),
        "criteria": criteria,
        "nominees": nominees,
        "found": field["found"],
        "declared": field["declared"],
        "new_nominees": [nominee for nominee in nominees if nominee.is_new],
        "confirmed": juror.conflicts_confirmed_at is not None,
        "scored_count": sum(1 for nominee in covered if nominee.scored),
        "to_score": len(covered),
        "can_declare": phase in services.DECLARING_PHASES,
        "can_score": phase == Phase.SCORING and juror.conflicts_confirmed_at is not None,
    }


# --- Home ------------------------------------------------------------------------------------


@require_safe
def juror_home(request, token):
    return serve(request, token, JUROR_LINK, _home_page)


def _home_page(request, juror):
    edition = juror.edition
    today = organisation_today(edition.organisation)
    if edition.phase(today) == Phase.ANNOUNCED:
        return render(
            request,
            "contests/jury/announced.html",
            {"juror": juror, "edition": edition, "organisation": edition.organisation},
        )
    context = _context(juror, today)
    covered = [nominee for nominee in context["nominees"] if not nominee.is_new]
    context["next_nominee"] = next((nominee for nominee in covered if not nominee.scored), None)
    context["categories"] = _by_category(covered)
    return render(request, "contests/jury/home.html", context)


def _by_category(nominees):
    groups = []
    for nominee in nominees:
        if not groups or groups[-1][0].pk != nominee.category_id:
            groups.append((nominee.category, []))
        groups[-1][1].append(nominee)
    return groups


# --- Conflicts of interest -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def juror_conflicts(request, token):
    return serve(request, token, JUROR_LINK, _conflicts_page)


def _conflict_form(juror_nominee_ids, nominee_pk, data=None):
    return ConflictForm(
        data,
        nominee_ids=juror_nominee_ids,
        initial={"nominee": nominee_pk},
        auto_id=f"id_conflict_{nominee_pk}_%s",
    )


def _conflicts_page(request, juror):
    today = organisation_today(juror.edition.organisation)
    if juror.edition.phase(today) == Phase.ANNOUNCED:
        return _home(juror)
    context = _context(juror, today)
    nominee_ids = [nominee.pk for nominee in context["nominees"]]
    failed = None
    if request.method == "POST":
        if not context["can_declare"]:
            messages.info(request, services.CONFLICTS_CLOSED)
            return _home(juror)
        if request.POST.get("action") == "confirm":
            return _confirm(request, juror, today)
        failed = _declare(request, juror, nominee_ids, today)
        if failed is None:
            return redirect(reverse("contests:juror_declare", args=[juror.token]))
    for nominee in context["nominees"]:
        nominee.conflict_form = (
            failed
            if failed is not None and failed.data.get("nominee") == str(nominee.pk)
            else _conflict_form(nominee_ids, nominee.pk)
        )
    context["failed"] = failed
    context["categories"] = _by_category(context["nominees"])
    return render(
        request,
        "contests/jury/conflicts.html",
        context,
        status=400 if failed is not None else 200,
    )


def _declare(request, juror, nominee_ids, today):
    """Record the conflict posted; the form with its errors when it could not be."""
    form = _conflict_form(nominee_ids, request.POST.get("nominee"), request.POST)
    if not form.is_valid():
        if form.has_error("nominee"):
            # A nominee not offered (conflicted already, of another edition, gone): nothing
            # to show beside it.
            raise Http404
        return form
    nominee = Nominee.objects.select_related("category", "person").get(
        pk=form.cleaned_data["nominee"]
    )
    try:
        conflict, created = services.declare_conflict(
            juror,
            nominee,
            form.cleaned_data["reason"],
            form.cleaned_data["note"],
            today=today,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return form
    if created:
        messages.success(
            request,
            _(
                "Thank you. Your conflict of interest with %(name)s is recorded: you will not "
                "see or score this nominee."
            )
            % {"name": nominee.person.full_name},
        )
    else:
        messages.info(request, _("This conflict of interest was already recorded."))
    return None


def _confirm(request, juror, today):
    try:
        changed = services.confirm_conflicts(juror, today=today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _home(juror)
    if changed:
        if juror.edition.phase(today) == Phase.SCORING:
            messages.success(request, _("Thank you. You can now score the nominees."))
        else:
            messages.success(
                request,
                _("Thank you. You will be able to score the nominees once scoring opens."),
            )
    else:
        messages.info(request, _("You had already confirmed your conflicts of interest."))
    return _home(juror)


# --- Scoring one nominee ---------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def juror_score(request, token, nominee_pk):
    return serve(
        request, token, JUROR_LINK, lambda request, juror: _score_page(request, juror, nominee_pk)
    )


def _visible_nominee(juror, nominee_pk):
    """The nominee if the juror may see them; 404 for any other, whatever the reason."""
    nominee = selectors.nominees_in_the_running(juror.edition).filter(pk=nominee_pk).first()
    if nominee is None or nominee.pk in conflicted_nominee_ids(juror):
        raise Http404
    return nominee


def _score_page(request, juror, nominee_pk):
    edition = juror.edition
    today = organisation_today(edition.organisation)
    phase = edition.phase(today)
    if phase == Phase.ANNOUNCED:
        return _home(juror)
    nominee = _visible_nominee(juror, nominee_pk)
    if phase not in READING_PHASES:
        messages.info(
            request,
            _("Scoring opens once nominations close on %(date)s: they are not all in yet.")
            % {"date": date_format(edition.nominations_close_on, "DATE_FORMAT")},
        )
        return _home(juror)
    if juror.conflicts_confirmed_at is None or selectors.is_new_to(juror, nominee):
        if phase != Phase.SCORING:
            messages.info(request, services.SCORING_CLOSED)
            return _home(juror)
        messages.info(
            request,
            _("Before reading the nominations, tell us whether you have a conflict of interest."),
        )
        return redirect("contests:juror_declare", juror.token)
    criteria = selectors.criteria_of(edition)
    scores = {
        score.criterion_id: score.value
        for score in Score.objects.filter(juror=juror, nominee=nominee)
    }
    can_score = phase == Phase.SCORING and bool(criteria)
    form = None
    if can_score:
        form = ScoreForm(
            request.POST if request.method == "POST" else None,
            criteria=criteria,
            initial={ScoreForm.field_name(c): scores.get(c.pk) for c in criteria},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_scores(juror, nominee, form.values(), today=today)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your scores for %(name)s are saved. You can change them until %(date)s.")
                    % {
                        "name": nominee.person.full_name,
                        "date": date_format(edition.scoring_close_on, "DATE_FORMAT"),
                    },
                )
                return _home(juror)
    elif request.method == "POST":
        if phase == Phase.SCORING:
            messages.error(
                request, _("The rubric has no criterion yet: ask the contest's managers.")
            )
        else:
            messages.info(request, services.SCORING_CLOSED)
        return _home(juror)
    nominations = list(Nomination.objects.filter(nominee=nominee).order_by("submitted_at", "pk"))
    for nomination in nominations:
        nomination.first_name = (nomination.nominator_name.split() or [""])[0]
        nomination.evidence_size = _size(nomination)
    return render(
        request,
        "contests/jury/score.html",
        {
            "juror": juror,
            "edition": edition,
            "organisation": edition.organisation,
            "nominee": nominee,
            "nominations": nominations,
            "criteria": criteria,
            "scores": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
            "form": form,
            "can_score": can_score,
            "is_open": phase == Phase.SCORING,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _size(nomination):
    if not nomination.evidence:
        return None
    try:
        return nomination.evidence.size
    except OSError:
        return None


# --- Evidence --------------------------------------------------------------------------------


@require_safe
def juror_evidence(request, token, nomination_pk):
    return serve(
        request,
        token,
        JUROR_LINK,
        lambda request, juror: _evidence(request, juror, nomination_pk),
    )


def _evidence(request, juror, nomination_pk):
    nomination = (
        Nomination.objects.select_related("nominee")
        .filter(pk=nomination_pk, nominee__category__edition=juror.edition)
        .exclude(evidence="")
        .first()
    )
    if nomination is None:
        raise Http404
    nominee = _visible_nominee(juror, nomination.nominee_id)
    phase = juror.edition.phase(organisation_today(juror.edition.organisation))
    if (
        phase not in READING_PHASES
        or juror.conflicts_confirmed_at is None
        or selectors.is_new_to(juror, nominee)
    ):
        raise Http404
    return evidence_response(nomination)
