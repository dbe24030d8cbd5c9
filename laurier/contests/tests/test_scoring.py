"""The contest's arithmetic, on cases written by hand: no database."""

import json
import random
from decimal import Decimal

import pytest

from laurier.contests.scoring import (
    CategoryInput,
    Cell,
    CriterionInput,
    JurorInput,
    NomineeInput,
    Result,
    ScoreInput,
    Step,
    compared,
    compute,
)

CATEGORY = CategoryInput(id=1, name="Mentor of the year")
IMPACT = CriterionInput(id=10, name="Impact", weight=2, position=0)
COMMITMENT = CriterionInput(id=11, name="Commitment", weight=1, position=1)
SEVERE = JurorInput(id=100, name="Severe")
LENIENT = JurorInput(id=101, name="Lenient")
A = NomineeInput(id=1000, name="Ada", category_id=1, nominations=1)
B = NomineeInput(id=1001, name="Bo", category_id=1, nominations=1)
C = NomineeInput(id=1002, name="Cy", category_id=1, nominations=1)

NOMINEES = (A, B, C)
# √1.5, to 12 decimal places.
ROOT = Decimal("1.224744871392")


def scores(juror, criterion, by_nominee):
    return [ScoreInput(juror.id, nominee.id, criterion.id, value) for nominee, value in by_nominee]


def run(*, scores, nominees=(A, B, C), criteria=(IMPACT, COMMITMENT), jurors=None, **kwargs):
    jurors = jurors or (SEVERE, LENIENT)
    result = compute(
        categories=[CATEGORY],
        criteria=list(criteria),
        nominees=list(nominees),
        jurors=list(jurors),
        scores=list(scores),
        **kwargs,
    )
    return result.categories[0]


def order(category):
    return [ranked.nominee_id for ranked in category.ranking]


def by_id(category):
    return {ranked.nominee_id: ranked for ranked in category.ranking}


def hand_checked_scores():
    return [
        *scores(SEVERE, IMPACT, [(A, 2), (B, 4), (C, 6)]),
        *scores(LENIENT, IMPACT, [(A, 8), (B, 10), (C, 9)]),
        *scores(SEVERE, COMMITMENT, [(A, 5), (B, 1), (C, 3)]),
        *scores(LENIENT, COMMITMENT, [(A, 10), (B, 8), (C, 9)]),
    ]


def test_hand_checked_example():
    """Two jurors, one severe and one lenient; three nominees; Impact (weight 2) and
    Commitment (weight 1). Let k = √1.5 ≈ 1.224744871392.

    Severe, Impact: A 2, B 4, C 6 → μ = 4, σ = √(8/3); z = −2/√(8/3) = −k, 0, +k.
    Lenient, Impact: A 8, B 10, C 9 → μ = 9, σ = √(2/3); z = −k, +k, 0.
    Severe, Commitment: A 5, B 1, C 3 → μ = 3, σ = √(8/3); z = +k, −k, 0.
    Lenient, Commitment: A 10, B 8, C 9 → μ = 9, σ = √(2/3); z = +k, −k, 0.

    Impact: A (−k − k)/2 = −k; B (0 + k)/2 = k/2; C (k + 0)/2 = k/2.
    Commitment: A k; B −k; C 0.
    Weighted (2 × Impact + Commitment) / 3: A −k/3; B 0; C k/3 (k/3 = 1/√6 ≈ 0.408248290464).
    Ranking: C, B, A, each separated by the weighted score.
    """
    category = run(scores=hand_checked_scores())

    assert order(category) == [C.id, B.id, A.id]
    ranked = by_id(category)
    assert compared(ranked[A.id].criterion_scores[IMPACT.id]) == -ROOT
    assert compared(ranked[B.id].criterion_scores[IMPACT.id]) == Decimal("0.612372435696")
    assert compared(ranked[C.id].criterion_scores[IMPACT.id]) == Decimal("0.612372435696")
    assert compared(ranked[A.id].criterion_scores[COMMITMENT.id]) == ROOT
    assert compared(ranked[B.id].criterion_scores[COMMITMENT.id]) == -ROOT
    assert ranked[C.id].criterion_scores[COMMITMENT.id] == 0
    assert compared(ranked[C.id].weighted) == Decimal("0.408248290464")
    assert compared(ranked[B.id].weighted) == 0
    assert compared(ranked[A.id].weighted) == Decimal("-0.408248290464")
    assert [r.rank for r in category.ranking] == [1, 2, 3]
    assert [r.decided_by for r in category.ranking] == [Step.SCORE, Step.SCORE, ""]
    assert not any(r.ex_aequo or r.incomplete for r in category.ranking)
    assert all(r.jurors_counted == 2 for r in category.ranking)


def test_hand_checked_example_keeps_each_step():
    category = run(scores=hand_checked_scores())

    step = next(
        s for s in category.steps if s.juror_id == SEVERE.id and s.criterion_id == IMPACT.id
    )
    assert (step.n, step.mean, step.left_out) == (3, 4, False)
    assert compared(step.sd) == Decimal("1.632993161855")  # √(8/3)
    assert step.raw == {A.id: 2, B.id: 4, C.id: 6}
    assert [compared(step.z[n.id]) for n in (A, B, C)] == [-ROOT, 0, ROOT]
    assert len(category.steps) == 4


def test_raw_means_are_the_scores_as_given():
    ranked = by_id(run(scores=hand_checked_scores()))

    assert ranked[A.id].raw_means == {IMPACT.id: 5, COMMITMENT.id: Decimal("7.5")}
    # (2 × 5 + 7.5) / 3
    assert compared(ranked[A.id].raw_weighted) == Decimal("5.833333333333")


def test_a_severe_and_a_lenient_juror_with_the_same_order_weigh_the_same():
    """The severe juror's 1-2-3 and the lenient juror's 8-9-10 give the same z's: neither
    decides more than the other."""
    category = run(
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 1), (B, 2), (C, 3)]),
            *scores(LENIENT, IMPACT, [(A, 8), (B, 9), (C, 10)]),
        ],
    )
    severe, lenient = category.steps

    assert severe.z == lenient.z
    assert order(category) == [C.id, B.id, A.id]


def test_a_lenient_juror_does_not_outweigh_a_severe_one_by_scoring_higher():
    """The severe juror prefers A (3 against 2), the lenient one B (10 against 8). On raw
    means B would lead (6 against 5.5); normalised, each preference weighs the same: the
    scores tie, and the raw means never break the tie: ex aequo."""
    category = run(
        nominees=[A, B],
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 3), (B, 2)]),
            *scores(LENIENT, IMPACT, [(A, 8), (B, 10)]),
        ],
    )

    assert all(compared(r.weighted) == 0 for r in category.ranking)
    assert category.ranking[0].decided_by == Step.EX_AEQUO
    assert [r.rank for r in category.ranking] == [1, 1]


def test_a_juror_who_judged_all_equal_gives_zeros_that_count():
    category = run(
        criteria=[IMPACT],
        jurors=[SEVERE],
        scores=scores(SEVERE, IMPACT, [(A, 7), (B, 7), (C, 7)]),
    )

    (step,) = category.steps
    assert step.sd == 0
    assert step.z == {A.id: 0, B.id: 0, C.id: 0}
    assert all(r.jurors_counted == 1 and not r.incomplete for r in category.ranking)


def test_a_juror_who_scored_a_single_nominee_on_a_criterion_is_left_out():
    category = run(
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 9)]),
            *scores(LENIENT, IMPACT, [(A, 4), (B, 6)]),
        ],
    )

    severe = next(s for s in category.steps if s.juror_id == SEVERE.id)
    assert severe.left_out and severe.n == 1 and severe.z == {}
    ranked = by_id(category)
    assert ranked[A.id].jurors_counted == 1
    assert ranked[A.id].criterion_scores[IMPACT.id] == -1
    # The mean of the scores as given is over the counted ones: the lone 9 is left out.
    assert ranked[A.id].raw_means[IMPACT.id] == 4


def test_a_nominee_without_any_z_scores_zero_and_is_flagged_incomplete():
    category = run(
        criteria=[IMPACT, COMMITMENT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 9), (B, 4), (C, 6)]),
            *scores(SEVERE, COMMITMENT, [(A, 9), (B, 4)]),
        ],
    )

    ranked = by_id(category)
    assert ranked[C.id].incomplete
    assert ranked[C.id].criterion_scores[COMMITMENT.id] == 0
    assert not ranked[A.id].incomplete


def test_conflicted_scores_are_set_aside_and_listed():
    category = run(
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 10), (B, 1), (C, 5)]),
            *scores(LENIENT, IMPACT, [(A, 3), (B, 6), (C, 9)]),
        ],
        conflicts={(SEVERE.id, A.id): ["paired"]},
    )

    assert [(s.juror_id, s.nominee_id, s.value, s.reasons) for s in category.set_aside] == [
        (SEVERE.id, A.id, 10, ["paired"])
    ]
    severe = next(s for s in category.steps if s.juror_id == SEVERE.id)
    assert severe.raw == {B.id: 1, C.id: 5}
    assert by_id(category)[A.id].jurors_counted == 1
    assert (SEVERE.id, A.id, Cell.CONFLICT, ["paired"]) in category.cells


def test_conflicts_may_be_a_plain_set_of_pairs():
    category = run(
        criteria=[IMPACT],
        scores=scores(SEVERE, IMPACT, [(A, 10), (B, 1), (C, 5)]),
        jurors=[SEVERE],
        conflicts={(SEVERE.id, A.id)},
    )

    assert [s.nominee_id for s in category.set_aside] == [A.id]


def test_coverage_counts_nominees_scored_out_of_those_the_juror_could_score():
    category = run(
        scores=[
            *scores(SEVERE, IMPACT, [(B, 4), (C, 6)]),
            *scores(SEVERE, COMMITMENT, [(B, 4)]),
        ],
        conflicts={(SEVERE.id, A.id): ["self"]},
    )

    coverage = {c.juror_id: c for c in category.coverage}
    assert (coverage[SEVERE.id].scored, coverage[SEVERE.id].partial) == (1, 1)
    assert coverage[SEVERE.id].could == 2
    assert (coverage[LENIENT.id].scored, coverage[LENIENT.id].could) == (0, 3)
    cells = {(j, n): state for j, n, state, _reasons in category.cells}
    assert cells[(SEVERE.id, B.id)] == Cell.SCORED
    assert cells[(SEVERE.id, C.id)] == Cell.PARTIAL
    assert cells[(LENIENT.id, A.id)] == Cell.NOT_YET


# --- Ties ----------------------------------------------------------------------------------


def test_tie_broken_by_the_weighted_score():
    category = run(
        nominees=[A, B],
        criteria=[IMPACT],
        jurors=[SEVERE],
        scores=scores(SEVERE, IMPACT, [(A, 3), (B, 8)]),
    )

    assert order(category) == [B.id, A.id]
    assert category.ranking[0].decided_by == Step.SCORE


def test_tie_on_the_weighted_score_broken_by_the_heaviest_criterion():
    """Impact (weight 2) and Commitment (weight 1) and Care (weight 1): A wins Impact, B wins
    Commitment and Care; 2 × z = z + z, so the weighted scores tie; Impact decides."""
    care = CriterionInput(id=12, name="Care", weight=1, position=2)
    category = run(
        nominees=[A, B],
        criteria=[IMPACT, COMMITMENT, care],
        jurors=[SEVERE],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 8), (B, 4)]),
            *scores(SEVERE, COMMITMENT, [(A, 4), (B, 8)]),
            *scores(SEVERE, care, [(A, 4), (B, 8)]),
        ],
    )

    assert order(category) == [A.id, B.id]
    assert category.ranking[0].decided_by == Step.HEAVIEST
    assert [r.rank for r in category.ranking] == [1, 2]


def test_among_equal_weights_the_heaviest_criterion_is_the_first_by_position():
    first = CriterionInput(id=21, name="First", weight=1, position=0)
    second = CriterionInput(id=20, name="Second", weight=1, position=1)
    category = run(
        nominees=[A, B],
        criteria=[second, first],
        jurors=[SEVERE],
        scores=[
            *scores(SEVERE, first, [(A, 2), (B, 9)]),
            *scores(SEVERE, second, [(A, 9), (B, 2)]),
        ],
    )

    assert order(category) == [B.id, A.id]
    assert category.ranking[0].decided_by == Step.HEAVIEST


def test_a_left_out_score_never_breaks_a_tie():
    """Both z's are 0 (σ = 0 for the severe juror); the lenient juror's lone 9 for A is left
    out of the normalisation, so it decides nothing either."""
    category = run(
        nominees=[A, B],
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 5), (B, 5)]),
            ScoreInput(LENIENT.id, A.id, IMPACT.id, 9),
        ],
    )

    assert [r.rank for r in category.ranking] == [1, 1]
    assert category.ranking[0].decided_by == Step.EX_AEQUO
    assert by_id(category)[A.id].raw_means[IMPACT.id] == 5


def test_a_conflict_never_breaks_a_tie_through_the_raw_scores():
    """A lenient juror gives A and B 9 each; a severe one 3 each, but is in conflict with A
    (and scored C so that their scores count). Only the lenient 9 reaches A, while B's raw
    mean is 6: on raw means A would win because of the conflict alone. Their z's are 0."""
    category = run(
        criteria=[IMPACT],
        scores=[
            *scores(LENIENT, IMPACT, [(A, 9), (B, 9), (C, 9)]),
            *scores(SEVERE, IMPACT, [(A, 3), (B, 3), (C, 3)]),
        ],
        conflicts={(SEVERE.id, A.id): ["family"]},
    )

    ranked = by_id(category)
    assert (ranked[A.id].raw_weighted, ranked[B.id].raw_weighted) == (9, 6)
    assert [r.rank for r in category.ranking] == [1, 1, 1]
    assert category.ranking[0].decided_by == Step.EX_AEQUO


def test_the_raw_scores_are_not_a_tie_break_step():
    """One juror prefers A by 10 to 0, the other B by 6 to 4: the z's cancel out (+1 −1),
    the raw means do not (A 7, B 3). B, with more nominations, goes first."""
    many = NomineeInput(id=B.id, name=B.name, category_id=1, nominations=2)
    category = run(
        nominees=[A, many],
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 10), (many, 0)]),
            *scores(LENIENT, IMPACT, [(A, 4), (many, 6)]),
        ],
    )

    ranked = by_id(category)
    assert (ranked[A.id].raw_weighted, ranked[B.id].raw_weighted) == (7, 3)
    assert order(category) == [B.id, A.id]
    assert category.ranking[0].decided_by == Step.NOMINATIONS


def test_tie_broken_by_the_number_of_nominations():
    many = NomineeInput(id=B.id, name=B.name, category_id=1, nominations=3)
    category = run(
        nominees=[A, many],
        criteria=[IMPACT],
        jurors=[SEVERE],
        scores=scores(SEVERE, IMPACT, [(A, 6), (many, 6)]),
    )

    assert order(category) == [B.id, A.id]
    assert category.ranking[0].decided_by == Step.NOMINATIONS
    assert [r.rank for r in category.ranking] == [1, 2]


def test_still_equal_nominees_are_ex_aequo_with_the_same_rank():
    category = run(
        criteria=[IMPACT],
        jurors=[SEVERE],
        scores=scores(SEVERE, IMPACT, [(A, 6), (B, 6), (C, 2)]),
    )

    assert order(category) == [A.id, B.id, C.id]
    assert [r.rank for r in category.ranking] == [1, 1, 3]
    assert [r.ex_aequo for r in category.ranking] == [True, True, False]
    assert [r.decided_by for r in category.ranking] == [Step.EX_AEQUO, Step.SCORE, ""]


def test_rounding_noise_never_decides():
    """1/3 + 1/3 + 1/3 and 1 differ in the 28th digit; compared at 12 places they are equal."""
    assert compared(Decimal(1) / 3 * 3) == compared(Decimal(1))


# --- Nominees nobody could score ------------------------------------------------------------


def test_a_nominee_no_counted_score_reaches_ranks_after_every_scored_one():
    """Both jurors score A 9 and B 8: B is below their mean. Nobody scored C; with a 0 ("the
    mean") C would rank above B."""
    category = run(
        criteria=[IMPACT],
        scores=[
            *scores(SEVERE, IMPACT, [(A, 9), (B, 8)]),
            *scores(LENIENT, IMPACT, [(A, 9), (B, 8)]),
        ],
    )

    assert order(category) == [A.id, B.id, C.id]
    assert [r.rank for r in category.ranking] == [1, 2, 3]
    assert by_id(category)[C.id].unscored and not by_id(category)[B.id].unscored
    assert category.ranking[1].decided_by == Step.SCORED


def test_a_nominee_whose_only_scores_are_set_aside_is_unscored():
    category = run(
        criteria=[IMPACT],
        jurors=[SEVERE],
        scores=scores(SEVERE, IMPACT, [(A, 2), (B, 1), (C, 10)]),
        conflicts={(SEVERE.id, C.id): ["paired"]},
    )

    assert order(category)[-1] == C.id
    assert by_id(category)[C.id].unscored


def test_unscored_nominees_are_ex_aequo_among_themselves_whatever_their_nominations():
    many = NomineeInput(id=C.id, name=C.name, category_id=1, nominations=5)
    category = run(
        nominees=[A, B, many],
        criteria=[IMPACT],
        jurors=[SEVERE],
        scores=scores(SEVERE, IMPACT, [(A, 9)]),
    )

    assert all(r.unscored for r in category.ranking)
    assert [r.rank for r in category.ranking] == [1, 1, 1]
    assert all(r.ex_aequo for r in category.ranking)


# --- Nominees out of the running ---------------------------------------------------------------


def test_declined_and_withdrawn_nominees_are_listed_with_their_status_not_ranked():
    declined = NomineeInput(id=1003, name="Di", category_id=1, nominations=2, status="declined")
    withdrawn = NomineeInput(
        id=1004, name="Ed", category_id=1, status="withdrawn", status_changed_on="2026-04-21"
    )
    category = run(
        nominees=[A, B, C, withdrawn, declined],
        scores=[*hand_checked_scores(), ScoreInput(SEVERE.id, 1004, IMPACT.id, 10)],
    )

    assert order(category) == [C.id, B.id, A.id]
    assert [
        (n.nominee_id, n.status, n.nominations, n.status_changed_on) for n in category.listed
    ] == [
        (1003, "declined", 2, ""),
        (1004, "withdrawn", 0, "2026-04-21"),
    ]
    # Their scores neither count nor move anyone's z.
    assert all(1004 not in step.raw for step in category.steps)


# --- Determinism and the frozen result -------------------------------------------------------


def test_input_order_does_not_change_the_output():
    given = hand_checked_scores()
    expected = compute(
        categories=[CATEGORY],
        criteria=[IMPACT, COMMITMENT],
        nominees=[A, B, C],
        jurors=[SEVERE, LENIENT],
        scores=given,
    )
    shuffler = random.Random(8)
    for _attempt in range(5):
        shuffled = given[:]
        shuffler.shuffle(shuffled)
        again = compute(
            categories=[CATEGORY],
            criteria=[COMMITMENT, IMPACT],
            nominees=[C, A, B],
            jurors=[LENIENT, SEVERE],
            scores=shuffled,
        )
        assert again == expected


def test_two_scores_for_the_same_juror_nominee_and_criterion_are_refused():
    with pytest.raises(ValueError):
        run(scores=[ScoreInput(SEVERE.id, A.id, IMPACT.id, 1)] * 2)


def test_the_result_is_shown_again_identically_from_its_json():
    result = compute(
        categories=[CATEGORY, CategoryInput(id=2, name={"fr": "Relève", "en": "Rising"})],
        criteria=[IMPACT, COMMITMENT],
        nominees=[
            A,
            B,
            C,
            NomineeInput(id=2000, name="Di", category_id=2),
            NomineeInput(id=2001, name="Ed", category_id=2, status="declined"),
        ],
        jurors=[SEVERE, LENIENT],
        scores=[*hand_checked_scores(), ScoreInput(SEVERE.id, 2000, IMPACT.id, 4)],
        conflicts={(LENIENT.id, 2000): ["family"]},
    )

    stored = json.loads(json.dumps(result.as_dict()))

    assert stored["version"] == 2
    assert Result.from_dict(stored) == result
    assert Result.from_dict(stored).as_dict() == stored


def test_a_result_announced_before_version_2_still_reads():
    """Frozen before the raw means were dropped as a tie-break: no `listed`, a "raw" step."""
    stored = json.loads(json.dumps(run_result().as_dict()))
    stored["version"] = 1
    for category in stored["categories"]:
        del category["listed"]
    stored["categories"][0]["ranking"][0]["decided_by"] = "raw"

    old = Result.from_dict(stored)

    assert old.version == 1
    assert old.categories[0].listed == []
    assert old.categories[0].ranking[0].decided_by == Step.RAW


def run_result():
    return compute(
        categories=[CATEGORY],
        criteria=[IMPACT, COMMITMENT],
        nominees=[A, B, C, NomineeInput(id=1003, name="Di", category_id=1, status="withdrawn")],
        jurors=[SEVERE, LENIENT],
        scores=hand_checked_scores(),
    )


def test_categories_are_computed_apart():
    """A juror's scores are normalised within each category, never across them."""
    other = NomineeInput(id=2000, name="Di", category_id=2)
    result = compute(
        categories=[CATEGORY, CategoryInput(id=2, name="Rising", position=1)],
        criteria=[IMPACT],
        nominees=[A, B, other],
        jurors=[SEVERE],
        scores=[*scores(SEVERE, IMPACT, [(A, 2), (B, 4)]), ScoreInput(SEVERE.id, 2000, 10, 10)],
    )

    assert [c.category_id for c in result.categories] == [1, 2]
    assert [s.n for s in result.categories[0].steps] == [2]
    assert result.categories[1].steps[0].left_out


# --- Property ------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
strategies = pytest.importorskip("hypothesis.strategies")


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(
    first=strategies.lists(strategies.integers(0, 5), min_size=3, max_size=3),
    second=strategies.lists(strategies.integers(0, 10), min_size=3, max_size=3),
    shift=strategies.integers(1, 5),
)
def test_adding_a_constant_to_a_jurors_scores_on_a_criterion_changes_nothing(first, second, shift):
    def outcome(offset):
        category = run(
            criteria=[IMPACT],
            scores=[
                *scores(
                    SEVERE, IMPACT, [(n, v + offset) for n, v in zip(NOMINEES, first, strict=True)]
                ),
                *scores(LENIENT, IMPACT, list(zip(NOMINEES, second, strict=True))),
            ],
        )
        # The raw means move with the shift, by design; everything the z's decide does not.
        return {
            r.nominee_id: (compared(r.weighted), compared(r.criterion_scores[IMPACT.id]))
            for r in category.ranking
        }

    assert outcome(shift) == outcome(0)


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(
    first=strategies.lists(strategies.integers(0, 2), min_size=3, max_size=3),
    second=strategies.lists(strategies.integers(0, 10), min_size=3, max_size=3),
    scale=strategies.integers(1, 4),
    shift=strategies.integers(0, 2),
)
def test_an_affine_change_of_a_jurors_scores_changes_nothing(first, second, scale, shift):
    """A juror who uses 0-2 and another who uses the same order stretched over 0-10 judge
    alike: scale × score + shift (staying within 0-10) leaves every z and the ranking."""

    def outcome(factor, offset):
        category = run(
            criteria=[IMPACT],
            scores=[
                *scores(
                    SEVERE,
                    IMPACT,
                    [(n, v * factor + offset) for n, v in zip(NOMINEES, first, strict=True)],
                ),
                *scores(LENIENT, IMPACT, list(zip(NOMINEES, second, strict=True))),
            ],
        )
        return {r.nominee_id: (r.rank, compared(r.weighted), r.unscored) for r in category.ranking}

    assert outcome(scale, shift) == outcome(1, 0)


@hypothesis.settings(max_examples=40, deadline=None)
@hypothesis.given(
    values=strategies.lists(strategies.integers(0, 10), min_size=12, max_size=12),
    conflicted=strategies.booleans(),
    juror_ids=strategies.permutations([100, 101, 102]),
    nominee_ids=strategies.permutations([1000, 1001, 1002]),
)
def test_renumbering_jurors_and_nominees_changes_nothing(
    values, conflicted, juror_ids, nominee_ids
):
    """Ids decide nothing but the order among ex aequo: the same scores under other ids give
    each nominee the same rank and score."""

    def outcome(jurors, nominees):
        given = iter(values)
        criteria = [IMPACT, COMMITMENT]
        category = compute(
            categories=[CATEGORY],
            criteria=criteria,
            nominees=[
                NomineeInput(id=n, name=str(i), category_id=1) for i, n in enumerate(nominees)
            ],
            jurors=[JurorInput(id=j, name=str(i)) for i, j in enumerate(jurors[:2])],
            scores=[
                ScoreInput(j, n, c.id, next(given))
                for j in jurors[:2]
                for n in nominees
                for c in criteria
            ],
            conflicts={(jurors[0], nominees[0])} if conflicted else set(),
        ).categories[0]
        return {r.name: (r.rank, compared(r.weighted)) for r in category.ranking}

    assert outcome(juror_ids, nominee_ids) == outcome([100, 101, 102], [1000, 1001, 1002])
