"""Catalog options become scenario options (no database: the options are built in memory)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from laurier.recognition.categories import (
    Formality,
    Nature,
    RecognitionCategory,
    RecognitionMoment,
    Scope,
    Visibility,
)
from laurier.recognition.models import RecognitionOption
from laurier.recognition.planner import Moment
from laurier.recognition.planner.catalog import option_from_catalog

MOMENTS = (
    Moment("day", datetime.date(2027, 1, 17), RecognitionMoment.MENTORING_DAY),
    Moment("end", datetime.date(2027, 6, 30), RecognitionMoment.CYCLE_END),
)


def catalog_option(**changes):
    fields = {
        "pk": 7,
        "category": RecognitionCategory.PUBLIC_EVENT,
        "name_fr": "Gala",
        "name_en": "Gala",
        "cost_money": Decimal("120.00"),
        "staff_hours": Decimal("0.50"),
        "capacity": 40,
        "visibility": Visibility.PUBLIC,
        "formality": Formality.FORMAL,
        "scope": Scope.COLLECTIVE,
        "nature": Nature.SYMBOLIC,
        "min_hours_mentored": Decimal(10),
        "min_tenure_months": 18,
        "moments": [RecognitionMoment.CYCLE_END],
    }
    return RecognitionOption(**{**fields, **changes})


def test_a_catalog_option_keeps_its_costs_capacity_and_eligibility():
    option = option_from_catalog(catalog_option(), MOMENTS)
    assert (option.key, option.cost, option.staff_hours, option.capacity) == (
        "7",
        Decimal("120.00"),
        Decimal("0.50"),
        40,
    )
    assert option.min_hours == 10 and option.min_tenure_years == Decimal("1.5")
    assert option.public


def test_it_is_offered_at_the_moments_of_its_kinds_and_at_any_when_it_names_none():
    assert option_from_catalog(catalog_option(), MOMENTS).moments == ("end",)
    assert option_from_catalog(catalog_option(moments=[]), MOMENTS).moments is None


def test_its_culture_fit_comes_from_the_culture_profile():
    private_culture = SimpleNamespace(
        public_or_private=-2,
        formal_or_informal=0,
        individual_or_collective=0,
        symbolic_or_material=0,
    )
    assert (
        option_from_catalog(catalog_option(), MOMENTS, culture_profile=private_culture).culture_fit
        == 0
    )
    assert option_from_catalog(catalog_option(), MOMENTS).culture_fit is None
