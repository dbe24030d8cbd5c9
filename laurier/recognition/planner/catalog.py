"""Scenario options from the catalog's `RecognitionOption`s, without a query.

The catalog names the kinds of moments an option is given at (`RecognitionMoment` values, none
meaning any), the scenario names dated moments; an option is offered at the scenario's
moments of its kinds. Its culture fit comes from `culture.culture_fit` when the organisation
has a culture profile.
"""

from decimal import Decimal

from ..categories import RecognitionCategory
from ..culture import culture_fit
from .scenario import Option

MONTHS_PER_YEAR = Decimal(12)


def option_from_catalog(option, moments, *, culture_profile=None):
    """The planner's Option for a catalog `option`, offered at the matching `moments`."""
    kinds = set(option.moments or ())
    offered = None if not kinds else tuple(moment.key for moment in moments if moment.kind in kinds)
    return Option(
        key=str(option.pk),
        name=option.name,
        # A row read from the database holds a plain string; reasons read the member's label.
        category=RecognitionCategory(option.category),
        visibility=option.visibility,
        formality=option.formality,
        scope=option.scope,
        nature=option.nature,
        cost=Decimal(option.cost_money or 0),
        staff_hours=Decimal(option.staff_hours or 0),
        material_items=int(option.material_items or 0),
        capacity=option.capacity,
        moments=offered,
        min_hours=Decimal(option.min_hours_mentored or 0),
        min_tenure_years=Decimal(option.min_tenure_months or 0) / MONTHS_PER_YEAR,
        contest_winners_only=option.contest_winners_only,
        culture_fit=culture_fit(culture_profile, option).score if culture_profile else None,
    )
