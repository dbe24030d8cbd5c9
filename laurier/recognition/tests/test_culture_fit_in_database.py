"""The catalog's database filter and sort agree with `culture_fit`, option by option: the
three verdicts (fits, partly at odds, clashes) and the score out of 100 that follows them."""

import itertools

import pytest

from laurier.recognition.categories import Formality, Nature, Scope, Visibility
from laurier.recognition.culture import culture_fit
from laurier.recognition.selectors.catalog import options_for_list
from laurier.testing import factories

pytestmark = pytest.mark.django_db

EVERY_CHARACTER = list(
    itertools.product(Visibility.values, Formality.values, Scope.values, Nature.values)
)


@pytest.mark.parametrize(
    "leanings",
    [
        {"public_or_private": -2, "formal_or_informal": 1},
        {"individual_or_collective": 2, "symbolic_or_material": -2, "public_or_private": 1},
        {"formal_or_informal": -1},
    ],
)
def test_clashes_and_fit_order_match_culture_fit(organisation, leanings):
    profile = factories.CultureProfileFactory(organisation=organisation, **leanings)
    for visibility, formality, scope, nature in EVERY_CHARACTER:
        factories.RecognitionOptionFactory(
            organisation=organisation,
            visibility=visibility,
            formality=formality,
            scope=scope,
            nature=nature,
        )

    every = list(options_for_list(organisation, profile))
    listed = {
        verdict: {o.pk for o in options_for_list(organisation, profile, fit=verdict)}
        for verdict in ("clashes", "partly", "fits")
    }

    for option in every:
        fit = culture_fit(profile, option)
        assert (option.pk in listed["clashes"]) == bool(fit.clashes)
        assert (option.pk in listed["partly"]) == bool(fit.mismatches and not fit.clashes)
        assert (option.pk in listed["fits"]) == (not fit.clashes and not fit.mismatches)
        assert option.fit_rank == fit.rank
    by_verdict = sorted(every, key=lambda o: (o.fit_rank, o.fit_agreement))
    percents = [culture_fit(profile, o).percent for o in by_verdict]
    assert percents == sorted(percents)
