"""Reads of the recognition catalog: the filtered, sorted list and one option.

The culture fit of the list is computed by the database with the same rule as
`recognition.culture.culture_fit`, so filtering and sorting by it cost no extra query.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils import translation

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


def clash_condition(profile):
    """A Q matching the options that clash with the culture, or None when none can."""
    condition = None
    for axis in AXES:
        lean = leanings(profile)[axis.leaning]
        if abs(lean) < STRONG:
            continue
        opposite = axis.second if lean > 0 else axis.first
        term = Q(**{axis.character: opposite})
        condition = term if condition is None else condition | term
    return condition


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
    """The catalog page's options, filtered, each annotated with its `fit_agreement`."""
    options = options_of(organisation).annotate(fit_agreement=fit_agreement(profile))
    if status == "retired":
        options = options.filter(active=False)
    elif status != "all":
        options = options.filter(active=True)
    if search:
        options = options.filter(Q(name_fr__icontains=search) | Q(name_en__icontains=search))
    if category:
        options = options.filter(category=category)
    if max_cost is not None:
        options = options.filter(cost_money__lte=max_cost)
    if visibility:
        options = options.filter(visibility=visibility)
    clashes = clash_condition(profile)
    if fit == "clashes":
        options = options.filter(clashes) if clashes is not None else options.none()
    elif fit == "fits" and clashes is not None:
        options = options.exclude(clashes)
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
        "fit": ("fit_agreement", name),
    }
