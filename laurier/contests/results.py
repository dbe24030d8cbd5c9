"""From the database to the contest's arithmetic (`scoring`), and back to what the result
page shows: in a constant number of queries, whatever the size of the jury and of the field."""

import datetime
import zoneinfo
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count
from django.utils import timezone

from laurier.core.bilingual import in_reader_language
from laurier.recognition.categories import PublicConsent

from . import scoring
from .models import Category, ConflictReason, Criterion, Juror, Nominee, Score
from .selectors import conflicts


def bilingual(instance, field="name"):
    """{"fr": ..., "en": ...}: how the result keeps names organisations write in both languages."""
    return {"fr": getattr(instance, f"{field}_fr"), "en": getattr(instance, f"{field}_en")}


def label(name):
    """A name kept by the result, in the reader's language (the other one when it is empty)."""
    if not isinstance(name, dict):
        return name
    return in_reader_language(
        SimpleNamespace(name_fr=name.get("fr", ""), name_en=name.get("en", "")), "name"
    )


def edition_result(edition):
    """The Result of `edition` as its scores stand now (scoring.compute on the database)."""
    criteria = [
        scoring.CriterionInput(c.pk, bilingual(c), c.weight, c.position)
        for c in Criterion.objects.filter(edition=edition)
    ]
    categories = [
        scoring.CategoryInput(c.pk, bilingual(c), c.winners, c.position)
        for c in Category.objects.filter(edition=edition)
    ]
    zone = zoneinfo.ZoneInfo(edition.organisation.time_zone)
    # Every nominee: those out of the running are listed with their status, so that the
    # announced result keeps who declined or was withdrawn.
    nominees = [
        scoring.NomineeInput(
            n.pk,
            n.person.full_name,
            n.category_id,
            n.nomination_count,
            n.status,
            timezone.localdate(n.status_changed_at, zone).isoformat()
            if n.status_changed_at and n.status != Nominee.Status.NOMINATED
            else "",
        )
        for n in Nominee.objects.filter(category__edition=edition)
        .select_related("person")
        .annotate(nomination_count=Count("nominations"))
    ]
    jurors = [scoring.JurorInput(j.pk, j.name) for j in Juror.objects.filter(edition=edition)]
    running = {nominee.id for nominee in nominees if nominee.status == scoring.IN_THE_RUNNING}
    scores = [
        scoring.ScoreInput(*row)
        for row in Score.objects.filter(
            juror__edition=edition, nominee__category__edition=edition
        ).values_list("juror_id", "nominee_id", "criterion_id", "value")
        if row[1] in running
    ]
    found = {
        pair: [conflict.reason for conflict in found_here]
        for pair, found_here in conflicts(edition).items()
        if pair[1] in running
    }
    return scoring.compute(
        categories=categories,
        criteria=criteria,
        nominees=nominees,
        jurors=jurors,
        scores=scores,
        conflicts=found,
    )


def frozen_or_current(edition):
    """(Result, frozen): what was announced, never recomputed; otherwise the current one."""
    if edition.announced_at is not None and edition.result:
        return scoring.Result.from_dict(edition.result), True
    return edition_result(edition), False


def thanks_audience(edition):
    """{nominee id in the running: (told of the nomination, thanked if not chosen)}, as
    services.announcement.is_thanked decides, in one query: for the announcement's preview."""
    return {
        pk: (told_at is not None, told_at is not None and answer != PublicConsent.NO)
        for pk, told_at, answer in Nominee.objects.filter(
            category__edition=edition, status=Nominee.Status.NOMINATED
        ).values_list("pk", "told_at", "person__mentor_profile__public_consent")
    }


# --- What the page shows ---------------------------------------------------------------------


def reason_label(reason):
    try:
        return ConflictReason(reason).label
    except ValueError:
        return reason


def status_label(status):
    try:
        return Nominee.Status(status).label
    except ValueError:
        return status


@dataclass
class CategoryView:
    """One category of a Result, arranged for the result page."""

    category: scoring.CategoryResult
    name: str
    rows: list  # [(Ranked, [criterion score shown, ...])]
    steps_by_juror: list  # [(juror name, [(criterion name, Normalisation, [(name, raw, z)])])]
    set_aside: list  # [(juror name, nominee name, criterion name, value, reasons)]
    matrix_nominees: list  # [name]
    matrix: list  # [(juror name, Coverage, [(Cell, reasons)])]
    listed: list  # [(Listed, status label, date or None)]: out of the running


def page_view(result):
    """[CategoryView] of `result`, names in the reader's language."""
    criteria = {c.id: label(c.name) for c in result.criteria}
    jurors = {j.id: j.name for j in result.jurors}
    views = []
    for category in result.categories:
        names = {ranked.nominee_id: ranked.name for ranked in category.ranking}
        # Nominees in the matrix and the steps by id, as computed: the ranking is the table above.
        by_id = sorted(names)
        rows = [
            (ranked, [scoring.shown(ranked.criterion_scores[c.id]) for c in result.criteria])
            for ranked in category.ranking
        ]
        steps = {}
        for step in category.steps:
            steps.setdefault(step.juror_id, []).append(
                (
                    criteria.get(step.criterion_id, ""),
                    step,
                    [
                        (names.get(nominee_id, ""), raw, step.z.get(nominee_id))
                        for nominee_id, raw in sorted(step.raw.items())
                    ],
                )
            )
        cells = {
            (juror, nominee): (state, reasons) for juror, nominee, state, reasons in category.cells
        }
        coverage = {c.juror_id: c for c in category.coverage}
        views.append(
            CategoryView(
                category=category,
                name=label(category.name),
                rows=rows,
                steps_by_juror=[
                    (jurors.get(juror_id, ""), found) for juror_id, found in steps.items()
                ],
                set_aside=[
                    (
                        jurors.get(item.juror_id, ""),
                        names.get(item.nominee_id, ""),
                        criteria.get(item.criterion_id, ""),
                        item.value,
                        [reason_label(reason) for reason in item.reasons],
                    )
                    for item in category.set_aside
                ],
                matrix_nominees=[names[n] for n in by_id],
                matrix=[
                    (
                        juror.name,
                        coverage.get(juror.id),
                        [
                            (
                                cells.get((juror.id, n), (scoring.Cell.NOT_YET, []))[0],
                                [reason_label(r) for r in cells.get((juror.id, n), (None, []))[1]],
                            )
                            for n in by_id
                        ],
                    )
                    for juror in result.jurors
                ],
                listed=[
                    (
                        item,
                        status_label(item.status),
                        datetime.date.fromisoformat(item.status_changed_on)
                        if item.status_changed_on
                        else None,
                    )
                    for item in category.listed
                ],
            )
        )
    return views


def jury_progress(result):
    """[(juror name, [(category name, Coverage)])]: how far each juror got, and nothing of
    what they gave, for a manager who sits on the jury while it may still score."""
    return [
        (
            juror.name,
            [
                (label(category.name), coverage)
                for category in result.categories
                for coverage in category.coverage
                if coverage.juror_id == juror.id
            ],
        )
        for juror in result.jurors
    ]
