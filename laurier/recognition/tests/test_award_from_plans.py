"""Approving a plan makes one approved award per line, holding the line's commitment.

The plan runs over fiscal year 2026 (April 1, 2026 to March 31, 2027), whose end-of-year moment
is December 15 and International Mentoring Day January 17.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import Giver
from laurier.recognition.models import Award, LedgerEntry, Plan
from laurier.recognition.services import awards, plans
from laurier.testing import factories

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_END, MENTORING_DAY = "year-end-2026", "mentoring-day-2027"


def enrol(program, first_name):
    person = factories.PersonFactory(
        organisation=program.organisation, first_name=first_name, last_name="Tremblay"
    )
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=D(2025, 1, 10), status=EnrolmentStatus.ACTIVE
    )
    return person


@pytest.fixture
def card(organisation):
    return factories.RecognitionOptionFactory(
        organisation=organisation,
        name_fr="Carte manuscrite",
        name_en="Handwritten card",
        cost_money="5.00",
        staff_hours="0.25",
        material_items=0,
        moments=[],
        usual_givers=[Giver.MANAGER, Giver.EXECUTIVE],
    )


@pytest.fixture
def budget(program):
    return factories.BudgetFactory(
        program=program, fiscal_year=2026, money="100.00", staff_hours="10.00", material_items=0
    )


@pytest.fixture
def plan(program, manager_user, card):
    """A draft with two lines: Léa's card at the end of the year, Marc's on Mentoring Day."""
    plan = Plan.objects.create(
        organisation=program.organisation,
        program=program,
        status=Plan.Status.DRAFT,
        starts_on=D(2026, 4, 1),
        ends_on=D(2027, 3, 31),
        min_per_mentor=1,
        max_per_mentor=3,
        one_per_moment=True,
        no_repeat_months=12,
    )
    for name, moment, givers in (
        ("Léa", YEAR_END, [Giver.EXECUTIVE]),
        ("Marc", MENTORING_DAY, [Giver.MANAGER]),
    ):
        plans.add_line(
            plan,
            actor=manager_user,
            mentor=enrol(program, name),
            option=card,
            moment_key=moment,
            givers=givers,
        )
    return plan


def awards_of(plan):
    return list(
        Award.objects.filter(plan_line__plan=plan)
        .select_related("plan_line", "commitment")
        .order_by("planned_on")
    )


def test_each_line_of_an_approved_plan_becomes_an_approved_award(plan, budget, manager_user):
    plans.approve_plan(plan, actor=manager_user)

    made = awards_of(plan)
    assert [(award.status, award.mentor.first_name) for award in made] == [
        (Award.Status.APPROVED, "Léa"),
        (Award.Status.APPROVED, "Marc"),
    ]
    for award in made:
        line = award.plan_line
        assert (award.option_id, award.mentor_id) == (line.option_id, line.mentor_id)
        assert (award.planned_on, award.moment_key) == (line.moment_date, line.moment_key)
        assert award.givers == line.givers
        assert (award.organisation, award.program, award.created_by) == (
            plan.organisation,
            plan.program,
            manager_user,
        )


def test_each_award_holds_its_lines_commitment(plan, budget, manager_user):
    plans.approve_plan(plan, actor=manager_user)

    made = awards_of(plan)
    assert [award.commitment_id for award in made] == [
        award.plan_line.commitment_id for award in made
    ]
    assert len({award.commitment_id for award in made}) == 2
    for award in made:
        assert award.commitment.person_id == award.mentor_id
    # The awards hold the plan's commitments; approving made no others.
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMMITMENT).count() == 2


def test_each_award_names_its_moment_in_both_languages(plan, budget, manager_user):
    plans.approve_plan(plan, actor=manager_user)

    assert [(award.moment_fr, award.moment_en) for award in awards_of(plan)] == [
        ("Fin de l'année", "End of the year"),
        ("Journée internationale du mentorat", "International Mentoring Day"),
    ]


def test_approving_the_plan_twice_makes_the_awards_once(plan, budget, manager_user):
    plans.approve_plan(plan, actor=manager_user)
    plans.approve_plan(plan, actor=manager_user)

    assert Award.objects.count() == 2


def test_a_refused_plan_makes_no_award(plan, program, manager_user):
    factories.BudgetFactory(program=program, fiscal_year=2026, money="9.00", material_items=0)

    with pytest.raises(ValidationError):
        plans.approve_plan(plan, actor=manager_user)

    assert not Award.objects.exists()


def test_an_award_of_the_plan_is_given_from_its_commitment(plan, budget, manager_user, monkeypatch):
    monkeypatch.setattr(awards, "organisation_today", lambda organisation: D(2026, 12, 15))
    plans.approve_plan(plan, actor=manager_user)
    lea_card = awards_of(plan)[0]

    given = awards.give_award(lea_card, actor=manager_user, given_on=D(2026, 12, 15))

    assert given.spending.settles_id == lea_card.commitment_id
    assert given.spending.money == Decimal("5.00")


def test_cancelling_an_award_of_the_plan_releases_its_lines_commitment(plan, budget, manager_user):
    plans.approve_plan(plan, actor=manager_user)
    lea_card = awards_of(plan)[0]

    with translation.override("en"):
        awards.cancel_award(lea_card, actor=manager_user, reason="Léa left the company")

    release = LedgerEntry.objects.get(kind=LedgerEntry.Kind.RELEASE)
    assert release.settles_id == lea_card.plan_line.commitment_id
