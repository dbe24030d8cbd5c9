"""The contest's arithmetic, without the database: from the jury's scores to a ranking per
category, keeping every step so the result page can show how it was reached.

The rules, in the order they apply (the result page states them in plain words):

1. Scores of a juror in conflict with a nominee are set aside, and listed as such.
2. Each juror's scores are normalised per criterion and per category: over the nominees that
   juror scored on that criterion, mean μ and population standard deviation σ, z = (x − μ) / σ.
   σ = 0 (all judged equal): every z is 0 and counts. A juror who scored a single nominee on a
   criterion cannot be compared: that score is left out.
3. A nominee's criterion score is the mean of the z's that count; none at all gives 0 and the
   nominee is flagged incomplete.
4. The weighted score is Σ weight × criterion score / Σ weight over all the criteria.
5. Higher first; ties broken by (a) the weighted score, (b) the criterion score on the heaviest
   criterion (the first by position among equal weights), (c) the number of nominations; still
   equal: ex aequo, same rank.
6. A nominee whom no counted score reaches (no juror counted) ranks after every scored
   nominee, all such nominees ex aequo: a 0 there would mean "average", which nobody judged.

The raw means (the scores as given, over the counted scores only) are shown, never compared:
averaged over different jurors (conflicts, left-out scores), they would bring back the
severity bias that normalisation removes.

Nominees no longer in the running (declined, withdrawn) are listed with their status, not
ranked, so that the announced result keeps them.

Decimals with a local context of 28 digits; values are compared quantised to 12 decimal
places, so rounding noise never decides a rank.
"""

import decimal
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

PRECISION = 28
# Two values equal to 12 decimal places are equal: beyond, it is rounding noise.
COMPARED_PLACES = Decimal("1e-12")
SHOWN_PLACES = Decimal("0.001")
ZERO = Decimal(0)


class Step:
    """What separated a nominee from the next one in the ranking."""

    SCORE = "score"
    HEAVIEST = "heaviest"
    # Results announced before version 2 may say a tie was broken by the raw means.
    RAW = "raw"
    NOMINATIONS = "nominations"
    SCORED = "scored"
    EX_AEQUO = "ex_aequo"


STEP_LABELS = {
    Step.SCORE: _("the weighted score"),
    Step.HEAVIEST: _("the score on the heaviest criterion"),
    Step.RAW: _("the weighted mean of the raw scores"),
    Step.NOMINATIONS: _("the number of nominations"),
    Step.SCORED: _("being scored: the next one was not"),
    Step.EX_AEQUO: _("nothing: ex aequo"),
}


class Cell:
    """What a juror did about a nominee, for the "who scored what" table."""

    SCORED = "scored"
    PARTIAL = "partial"
    CONFLICT = "conflict"
    NOT_YET = "not_yet"


def _context():
    return decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_EVEN)


def compared(value):
    """`value` as ranks compare it."""
    return value.quantize(COMPARED_PLACES, context=_context())


def shown(value):
    """`value` as pages show it: three decimals."""
    return value.quantize(SHOWN_PLACES, context=_context())


# --- Input -------------------------------------------------------------------------------------
# Names are opaque to the arithmetic (a string, or {"fr": ..., "en": ...}): never used to order.


@dataclass(frozen=True)
class CriterionInput:
    id: int
    name: object
    weight: int
    position: int = 0


@dataclass(frozen=True)
class CategoryInput:
    id: int
    name: object
    winners: int = 1
    position: int = 0


# A nominee's status, as Nominee.Status spells it: only those in the running are ranked.
IN_THE_RUNNING = "nominated"


@dataclass(frozen=True)
class NomineeInput:
    id: int
    name: str
    category_id: int
    nominations: int = 0
    status: str = IN_THE_RUNNING
    # When a nominee left the running (ISO date), "" when unknown or still in it.
    status_changed_on: str = ""


@dataclass(frozen=True)
class JurorInput:
    id: int
    name: str


@dataclass(frozen=True)
class ScoreInput:
    juror_id: int
    nominee_id: int
    criterion_id: int
    value: int


# --- Output ------------------------------------------------------------------------------------


@dataclass
class Ranked:
    nominee_id: int
    name: str
    rank: int
    ex_aequo: bool
    weighted: Decimal
    criterion_scores: dict  # {criterion id: Decimal}
    raw_means: dict  # {criterion id: Decimal}
    raw_weighted: Decimal
    jurors_counted: int
    nominations: int
    incomplete: bool
    # What separated this nominee from the next one; "" for the last.
    decided_by: str = ""

    @property
    def unscored(self):
        """No counted score reaches this nominee: ranked last, never proposed as a winner."""
        return self.jurors_counted == 0


@dataclass
class Listed:
    """A nominee no longer in the running (declined, withdrawn): listed, never ranked."""

    nominee_id: int
    name: str
    status: str
    nominations: int
    status_changed_on: str = ""


@dataclass
class Normalisation:
    """One juror's scores on one criterion in one category, and their z's."""

    juror_id: int
    criterion_id: int
    n: int
    mean: Decimal
    sd: Decimal
    raw: dict  # {nominee id: int}
    z: dict  # {nominee id: Decimal}; empty when left out
    left_out: bool


@dataclass
class SetAside:
    juror_id: int
    nominee_id: int
    criterion_id: int
    value: int
    reasons: list


@dataclass
class Coverage:
    """How far a juror got in a category: nominees scored on every criterion, on some, out of
    those they could score."""

    juror_id: int
    scored: int
    partial: int
    could: int


@dataclass
class CategoryResult:
    category_id: int
    name: object
    winners: int
    ranking: list
    steps: list
    set_aside: list
    coverage: list
    # [(juror id, nominee id, Cell, [conflict reasons])], jurors then nominees by id.
    cells: list
    # [Listed] by id: declined and withdrawn nominees (results announced before version 2 lack it).
    listed: list = field(default_factory=list)


@dataclass
class Result:
    criteria: list
    jurors: list
    categories: list
    # 2: tie-break on the raw means dropped, unscored nominees ranked last, `listed` kept.
    version: int = 2

    def category(self, category_id):
        return next((c for c in self.categories if c.category_id == category_id), None)

    def as_dict(self):
        """The result as JSON-safe data (Decimals as strings), for Edition.result."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data):
        """The Result that as_dict() wrote, identical to the one computed."""
        return cls(
            criteria=[CriterionInput(**c) for c in data["criteria"]],
            jurors=[JurorInput(**j) for j in data["jurors"]],
            categories=[_category_from_dict(c) for c in data["categories"]],
            version=data.get("version", 1),
        )


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _decimals(mapping):
    return {int(key): Decimal(value) for key, value in mapping.items()}


def _category_from_dict(data):
    return CategoryResult(
        category_id=data["category_id"],
        name=data["name"],
        winners=data["winners"],
        ranking=[
            Ranked(
                **{
                    **ranked,
                    "weighted": Decimal(ranked["weighted"]),
                    "raw_weighted": Decimal(ranked["raw_weighted"]),
                    "criterion_scores": _decimals(ranked["criterion_scores"]),
                    "raw_means": _decimals(ranked["raw_means"]),
                }
            )
            for ranked in data["ranking"]
        ],
        steps=[
            Normalisation(
                **{
                    **step,
                    "mean": Decimal(step["mean"]),
                    "sd": Decimal(step["sd"]),
                    "raw": {int(k): v for k, v in step["raw"].items()},
                    "z": _decimals(step["z"]),
                }
            )
            for step in data["steps"]
        ],
        set_aside=[SetAside(**item) for item in data["set_aside"]],
        coverage=[Coverage(**item) for item in data["coverage"]],
        cells=[tuple(cell[:3]) + (list(cell[3]),) for cell in data["cells"]],
        listed=[Listed(**item) for item in data.get("listed", [])],
    )


# --- The computation ---------------------------------------------------------------------------


def compute(*, categories, criteria, nominees, jurors, scores, conflicts=()):
    """The Result of the contest. `nominees` in the running are ranked, the others listed;
    `conflicts` is a set of (juror id, nominee id), or a mapping of them to their reasons.
    Input order never matters."""
    reasons = _conflict_reasons(conflicts)
    criteria = sorted(criteria, key=lambda c: (c.position, c.id))
    jurors = sorted(jurors, key=lambda j: j.id)
    values = {}
    for score in scores:
        key = (score.juror_id, score.nominee_id, score.criterion_id)
        if key in values:
            raise ValueError(f"Two scores for juror, nominee and criterion {key}.")
        values[key] = score.value
    nominees = sorted(nominees, key=lambda n: n.id)
    running = [n for n in nominees if n.status == IN_THE_RUNNING]
    with decimal.localcontext(_context()):
        results = [
            _category(
                category,
                criteria,
                [n for n in running if n.category_id == category.id],
                jurors,
                values,
                reasons,
            )
            for category in sorted(categories, key=lambda c: (c.position, c.id))
        ]
    for result in results:
        result.listed = [
            Listed(n.id, n.name, n.status, n.nominations, n.status_changed_on)
            for n in nominees
            if n.category_id == result.category_id and n.status != IN_THE_RUNNING
        ]
    return Result(criteria=criteria, jurors=jurors, categories=results)


def _conflict_reasons(conflicts):
    if isinstance(conflicts, dict):
        return {pair: sorted({str(r) for r in found}) for pair, found in conflicts.items()}
    return {pair: [] for pair in conflicts}


def _mean(numbers):
    return sum(numbers, ZERO) / len(numbers)


def _category(category, criteria, nominees, jurors, values, reasons):
    nominee_ids = [n.id for n in nominees]
    criterion_ids = [c.id for c in criteria]
    set_aside = []
    counted = {}  # (juror, nominee, criterion) -> value
    for juror in jurors:
        for nominee_id in nominee_ids:
            for criterion_id in criterion_ids:
                value = values.get((juror.id, nominee_id, criterion_id))
                if value is None:
                    continue
                if (juror.id, nominee_id) in reasons:
                    found = reasons[(juror.id, nominee_id)]
                    set_aside.append(SetAside(juror.id, nominee_id, criterion_id, value, found))
                else:
                    counted[(juror.id, nominee_id, criterion_id)] = value

    steps = []
    zs = defaultdict(list)  # (nominee, criterion) -> [z]
    raws = defaultdict(list)  # (nominee, criterion) -> [value]
    jurors_counted = defaultdict(set)
    for juror in jurors:
        for criterion_id in criterion_ids:
            raw = {
                nominee_id: counted[(juror.id, nominee_id, criterion_id)]
                for nominee_id in nominee_ids
                if (juror.id, nominee_id, criterion_id) in counted
            }
            if not raw:
                continue
            n = len(raw)
            mean = _mean([Decimal(v) for v in raw.values()])
            sd = _mean([(Decimal(v) - mean) ** 2 for v in raw.values()]).sqrt()
            z = {}
            if n > 1:
                for nominee_id, value in raw.items():
                    z[nominee_id] = ZERO if sd == 0 else (Decimal(value) - mean) / sd
                    zs[(nominee_id, criterion_id)].append(z[nominee_id])
                    # Only the scores that count: a left-out one is not shown as counted.
                    raws[(nominee_id, criterion_id)].append(Decimal(value))
                    jurors_counted[nominee_id].add(juror.id)
            steps.append(Normalisation(juror.id, criterion_id, n, mean, sd, raw, z, n == 1))

    total_weight = sum(c.weight for c in criteria)
    heaviest = max(criteria, key=lambda c: (c.weight, -c.position, -c.id), default=None)
    ranking = []
    for nominee in nominees:
        criterion_scores, raw_means = {}, {}
        incomplete = not criteria
        for criterion_id in criterion_ids:
            found = zs.get((nominee.id, criterion_id))
            if not found:
                incomplete = True
            criterion_scores[criterion_id] = _mean(found) if found else ZERO
            given = raws.get((nominee.id, criterion_id))
            raw_means[criterion_id] = _mean(given) if given else ZERO

        def weighted(by_criterion):
            if not total_weight:
                return ZERO
            return sum((c.weight * by_criterion[c.id] for c in criteria), ZERO) / total_weight

        ranking.append(
            Ranked(
                nominee_id=nominee.id,
                name=nominee.name,
                rank=0,
                ex_aequo=False,
                weighted=weighted(criterion_scores),
                criterion_scores=criterion_scores,
                raw_means=raw_means,
                raw_weighted=weighted(raw_means),
                jurors_counted=len(jurors_counted[nominee.id]),
                nominations=nominee.nominations,
                incomplete=incomplete,
            )
        )
    _rank(ranking, heaviest)
    return CategoryResult(
        category_id=category.id,
        name=category.name,
        winners=category.winners,
        ranking=ranking,
        steps=steps,
        set_aside=set_aside,
        coverage=_coverage(jurors, nominee_ids, criterion_ids, counted, reasons),
        cells=_cells(jurors, nominee_ids, criterion_ids, counted, reasons),
    )


def _keys(ranked, heaviest):
    """The tie-break steps in order, each as (step, value compared). Unscored nominees have
    nothing to compare but being unscored: they tie among themselves, after the others."""
    if ranked.unscored:
        return ((Step.SCORED, 0), (Step.SCORE, ZERO), (Step.HEAVIEST, ZERO), (Step.NOMINATIONS, 0))
    return (
        (Step.SCORED, 1),
        (Step.SCORE, compared(ranked.weighted)),
        (
            Step.HEAVIEST,
            compared(ranked.criterion_scores[heaviest.id]) if heaviest else ZERO,
        ),
        (Step.NOMINATIONS, ranked.nominations),
    )


def _rank(ranking, heaviest):
    keys = {ranked.nominee_id: _keys(ranked, heaviest) for ranked in ranking}
    # Higher first on every step; among ex aequo, by id so that the order never depends on input.
    ranking.sort(key=lambda r: (tuple(-value for _step, value in keys[r.nominee_id]), r.nominee_id))
    for index, ranked in enumerate(ranking):
        if index + 1 < len(ranking):
            following = keys[ranking[index + 1].nominee_id]
            ranked.decided_by = next(
                (
                    step
                    for (step, value), (_s, other) in zip(
                        keys[ranked.nominee_id], following, strict=True
                    )
                    if value != other
                ),
                Step.EX_AEQUO,
            )
        previous = ranking[index - 1] if index else None
        if previous is not None and previous.decided_by == Step.EX_AEQUO:
            ranked.rank = previous.rank
            ranked.ex_aequo = previous.ex_aequo = True
        else:
            ranked.rank = index + 1


def _coverage(jurors, nominee_ids, criterion_ids, counted, reasons):
    coverage = []
    for juror in jurors:
        could = [n for n in nominee_ids if (juror.id, n) not in reasons]
        given = [sum((juror.id, n, c) in counted for c in criterion_ids) for n in could]
        coverage.append(
            Coverage(
                juror_id=juror.id,
                scored=sum(1 for count in given if criterion_ids and count == len(criterion_ids)),
                partial=sum(1 for count in given if 0 < count < len(criterion_ids)),
                could=len(could),
            )
        )
    return coverage


def _cells(jurors, nominee_ids, criterion_ids, counted, reasons):
    cells = []
    for juror in jurors:
        for nominee_id in nominee_ids:
            if (juror.id, nominee_id) in reasons:
                cells.append((juror.id, nominee_id, Cell.CONFLICT, reasons[(juror.id, nominee_id)]))
                continue
            count = sum((juror.id, nominee_id, c) in counted for c in criterion_ids)
            if criterion_ids and count == len(criterion_ids):
                state = Cell.SCORED
            elif count:
                state = Cell.PARTIAL
            else:
                state = Cell.NOT_YET
            cells.append((juror.id, nominee_id, state, []))
    return cells
