"""The result page of an edition, for its managers only: the ranking per category, how it was
computed step by step, who scored what; and every score as a spreadsheet.

Before the announcement the result is computed afresh at each visit (provisional while the
jury may still score); once announced, the frozen result is shown, never recomputed.

A manager who sits on the jury sees, while the jury may still score, only how far each juror
got: reading the others' scores or the ranking could sway their own. The export then answers
404, as for anything they may not reach: the page never links to it, so only a typed address
gets there, and a 404 tells nothing about what is behind it."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from laurier.core.dates import organisation_today
from laurier.core.listing import EXPORT_FORMATS, export_response
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from .. import scoring
from ..models import Phase, Winner
from ..results import frozen_or_current, jury_progress, label, page_view, reason_label
from ..selectors import edition_for, juror_seat

# While the jury may still score: the result is provisional.
PROVISIONAL_PHASES = (Phase.UPCOMING, Phase.NOMINATIONS, Phase.SCORING)


def _hidden_from(request, edition, phase):
    """True when this manager sits on the jury and the jury may still score."""
    return phase in PROVISIONAL_PHASES and juror_seat(edition, request.user) is not None


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def result_page(request, pk):
    edition = edition_for(request.membership, pk)
    phase = edition.phase(organisation_today(request.organisation))
    result, frozen = frozen_or_current(edition)
    if _hidden_from(request, edition, phase):
        return render(
            request,
            "contests/results/jury_progress.html",
            {"edition": edition, "phase": phase, "progress": jury_progress(result)},
        )
    return render(
        request,
        "contests/results/result_page.html",
        {
            "edition": edition,
            "phase": phase,
            "Phase": Phase,
            "frozen": frozen,
            "provisional": phase in PROVISIONAL_PHASES,
            "criteria": [(label(c.name), c.weight) for c in result.criteria],
            "total_weight": sum(c.weight for c in result.criteria),
            "categories": page_view(result),
            "jurors": result.jurors,
            # The rules as they stood when this result was computed (an announced one stays).
            "result_version": result.version,
            "step_labels": scoring.STEP_LABELS,
            "winner_ids": set(
                Winner.objects.filter(category__edition=edition).values_list(
                    "nominee_id", flat=True
                )
            )
            if frozen
            else set(),
        },
    )


@organisation_view(roles=MANAGER_ROLES)
@require_safe
def scores_export(request, pk, export_format):
    if export_format not in EXPORT_FORMATS:
        raise Http404
    edition = edition_for(request.membership, pk)
    if _hidden_from(request, edition, edition.phase(organisation_today(request.organisation))):
        raise Http404
    result, _frozen = frozen_or_current(edition)
    headers = [
        _("category"),
        _("juror"),
        _("nominee"),
        _("criterion"),
        _("weight"),
        _("score"),
        _("juror's mean"),
        _("juror's standard deviation"),
        _("z"),
        _("counted"),
    ]
    return export_response(
        f"{_('scores')}-{edition.year}-{edition.pk}", headers, _rows(result), export_format
    )


def _rows(result):
    criteria = {c.id: c for c in result.criteria}
    jurors = {j.id: j.name for j in result.jurors}
    for category in result.categories:
        name = label(category.name)
        names = {ranked.nominee_id: ranked.name for ranked in category.ranking}
        for step in category.steps:
            criterion = criteria.get(step.criterion_id)
            for nominee_id, raw in sorted(step.raw.items()):
                z = step.z.get(nominee_id)
                yield [
                    name,
                    jurors.get(step.juror_id, ""),
                    names.get(nominee_id, ""),
                    label(criterion.name) if criterion else "",
                    criterion.weight if criterion else "",
                    raw,
                    scoring.shown(step.mean),
                    scoring.shown(step.sd),
                    scoring.shown(z) if z is not None else "",
                    _("yes")
                    if z is not None
                    else _("no: the only nominee this juror scored on this criterion"),
                ]
        for item in category.set_aside:
            criterion = criteria.get(item.criterion_id)
            reasons = ", ".join(str(reason_label(reason)) for reason in item.reasons)
            yield [
                name,
                jurors.get(item.juror_id, ""),
                names.get(item.nominee_id, ""),
                label(criterion.name) if criterion else "",
                criterion.weight if criterion else "",
                item.value,
                "",
                "",
                "",
                _("no: set aside, conflict of interest (%(reasons)s)") % {"reasons": reasons}
                if reasons
                else _("no: set aside, conflict of interest"),
            ]
