"""Who gives each recognition: the option's usual givers, spread across the plan."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from laurier.recognition.categories import Giver
from laurier.recognition.services import plans
from laurier.testing import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_usual_givers_share_the_plans_recognitions(
    program, manager_user, django_capture_on_commit_callbacks
):
    organisation = program.organisation
    organisation.fiscal_year_start_month = 1
    organisation.save()
    for _number in range(4):
        factories.MentorEnrolmentFactory(program=program, since=D(2025, 5, 2))
    factories.RecognitionOptionFactory(
        organisation=organisation,
        cost_money=Decimal("0.00"),
        staff_hours=Decimal("0.00"),
        material_items=0,
        moments=[],
        usual_givers=[Giver.MANAGER, Giver.MENTEE],
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = plans.create_plan(
            program,
            actor=manager_user,
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 12, 31),
            min_per_mentor=1,
            max_per_mentor=1,
            one_per_moment=True,
            no_repeat_months=12,
        )
    givers = Counter(line.givers[0] for line in plan.lines.all())
    assert givers == {Giver.MANAGER: 2, Giver.MENTEE: 2}
