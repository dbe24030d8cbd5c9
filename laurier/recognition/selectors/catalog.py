"""Reads of the recognition catalog: the filtered, sorted list and one option.

The culture fit of the list is computed by the database with the same rule as
`recognition.culture.culture_fit`, so filtering and sorting by it cost no extra query.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils import translation

from laurier.core.search import matches_every_word

from ..categories import RecognitionCategory
from ..culture import AXES, STRONG, leanings
from ..models import RecognitionOption
from .culture import culture_profile_of  # noqa: F401  (the catalog pages read it here)


def options_of(organisation):
    """Every option of the organisation's catalog, offered or retired."""
    return RecognitionOption.objects.filter(organisation=organisation)


def fit_agreement(profile):
    """An expression: how much an option agrees with the culture (see `culture.culture_fit`)."""
    terms = [
        Case(
            When(**{axis.character: axis.first}, then=Value(lean)),
            default=Value(-lean),
            output_field=IntegerField(),
        )
        for axis in AXES
        if (lean := leanings(profile)[axis.leaning])
    ]
    if not terms:
        return Value(0, output_field=IntegerField())
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _against_condition(profile, strengths):
    """A Q matching the options at the pole opposite a leaning of one of `strengths`, or None."""
    condition = None
    for axis in AXES:
        lean = leanings(profile)[axis.leaning]
        if abs(lean) not in strengths:
            continue
        opposite = axis.second if lean > 0 else axis.first
        term = Q(**{axis.character: opposite})
        condition = term if condition is None else condition | term
    return condition


def clash_condition(profile):
    """A Q matching the options that clash with the culture, or None when none can."""
    return _against_condition(profile, {STRONG})


def mismatch_condition(profile):
    """A Q matching the options at odds with a mild leaning (clashing or not), or None."""
    return _against_condition(profile, set(range(1, STRONG)))


def fit_rank(profile):
    """An expression: the verdict's `CultureFit.rank` (0 clashes, 1 partly at odds, 2 fits)."""
    whens = [
        When(condition, then=Value(rank))
        for rank, condition in ((0, clash_condition(profile)), (1, mismatch_condition(profile)))
        if condition is not None
    ]
    if not whens:
        return Value(2, output_field=IntegerField())
    return Case(*whens, default=Value(2), output_field=IntegerField())


class FitFilter:
    """The culture-fit filter's values: the three verdicts of the badges."""

    ALL = ""
    FITS = "fits"
    PARTLY = "partly"
    CLASHES = "clashes"


FIT_FILTER_RANKS = {FitFilter.CLASHES: 0, FitFilter.PARTLY: 1, FitFilter.FITS: 2}


def options_for_list(
    organisation,
    profile,
    *,
    search="",
    category="",
    max_cost=None,
    visibility="",
    fit="",
    status="",
):
    """The catalog page's options, filtered, each annotated with `fit_agreement` and `fit_rank`.

    The search ignores case and accents ("evenement" finds "Événement"), in either language.
    """
    options = options_of(organisation).annotate(
        fit_agreement=fit_agreement(profile), fit_rank=fit_rank(profile)
    )
    if status == "retired":
        options = options.filter(active=False)
    elif status != "all":
        options = options.filter(active=True)
    if search:
        options = options.filter(matches_every_word(search, ("name_fr", "name_en")))
    if category:
        options = options.filter(category=category)
    if max_cost is not None:
        options = options.filter(cost_money__lte=max_cost)
    if visibility:
        options = options.filter(visibility=visibility)
    if fit in FIT_FILTER_RANKS:
        options = options.filter(fit_rank=FIT_FILTER_RANKS[fit])
    return options


def category_order():
    """Categories in the order the article presents its families, not alphabetically by code."""
    return Case(
        *(
            When(category=value, then=Value(position))
            for position, value in enumerate(RecognitionCategory.values)
        ),
        default=Value(len(RecognitionCategory.values)),
        output_field=IntegerField(),
    )


def option_sorts():
    """The catalog's sortable columns; names sort in the reader's language."""
    french = (translation.get_language() or "fr").startswith("fr")
    name = Lower("name_fr" if french else "name_en")
    return {
        "name": name,
        "category": (category_order(), name),
        "cost": ("cost_money", name),
        "hours": ("staff_hours", name),
        "capacity": ("capacity", name),
        "visibility": ("visibility", name),
        # The verdict first, as the badges say it; the score orders each verdict's options.
        "fit": ("fit_rank", "fit_agreement", name),
    }
