"""Reading the recognition family: the catalogue, budgets with their use, plans with their
lines, and awards with their filters; every list in a fixed number of queries."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime
from decimal import Decimal

import pytest

from laurier.recognition.categories import RecognitionCategory, Visibility
from laurier.recognition.models import Award, LedgerEntry, Plan
from laurier.testing import factories

from .test_recognition_support import (  # noqa: F401
    add_line,
    budget_for,
    card,
    enrol,
    lea,
    make_plan,
    option_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = LedgerEntry.Kind


def results(response):
    assert response.status_code == 200, response.json()
    return response.json()["results"]


# --- Catalogue -----------------------------------------------------------------------------------


def test_the_catalogue_lists_the_organisations_options_with_costs_and_consent(
    api, organisation, other_organisation
):
    option_of(organisation, visibility=Visibility.PUBLIC, cost_money="25.50")
    option_of(other_organisation, name_en="Elsewhere")

    (option,) = results(api.get("/api/v1/recognition-options/"))

    assert option["name"] == "Handwritten card"
    assert option["cost_money"] == "25.50"
    assert option["currency"] == organisation.currency
    assert option["needs_consent"] is True
    assert option["for_mentors"] is True
    assert option["active"] is True


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": RecognitionCategory.CERTIFICATE}, ["Certificate"]),
        ({"active": "false"}, ["Retired gift"]),
        ({"active": "true"}, ["Card", "Certificate"]),
    ],
)
def test_the_catalogue_filters_by_category_and_by_offered(api, organisation, query, expected):
    option_of(organisation, name_en="Card", category=RecognitionCategory.THANK_YOU_CARD)
    option_of(organisation, name_en="Certificate", category=RecognitionCategory.CERTIFICATE)
    option_of(
        organisation,
        name_en="Retired gift",
        category=RecognitionCategory.SYMBOLIC_GIFT,
        active=False,
    )

    names = [row["name"] for row in results(api.get("/api/v1/recognition-options/", query))]

    assert sorted(names) == expected


# --- Budgets -------------------------------------------------------------------------------------


def test_a_budget_tells_what_is_committed_spent_and_remaining(api, program):
    budget = budget_for(program)
    day = D(budget.fiscal_year, 6, 1)
    commitment = factories.LedgerEntryFactory(
        budget=budget, kind=Kind.COMMITMENT, money="100.00", staff_hours="2.00", occurred_on=day
    )
    factories.LedgerEntryFactory(
        budget=budget, kind=Kind.RELEASE, money="30.00", settles=commitment, occurred_on=day
    )
    factories.LedgerEntryFactory(
        budget=budget, kind=Kind.SPENDING, money="50.25", material_items=3, occurred_on=day
    )

    (row,) = results(api.get("/api/v1/budgets/"))

    assert row["program"] == program.pk
    assert row["currency"] == budget.currency
    assert row["allocated"] == {"money": "1000.00", "staff_hours": "20.00", "material_items": 50}
    assert row["committed"] == {"money": "70.00", "staff_hours": "2.00", "material_items": 0}
    assert row["spent"] == {"money": "50.25", "staff_hours": "0.00", "material_items": 3}
    assert row["remaining"] == {"money": "879.75", "staff_hours": "18.00", "material_items": 47}


def test_one_budget_reads_with_its_figures_and_its_fiscal_year(api, program):
    budget = budget_for(program, money=Decimal("100.00"))
    factories.LedgerEntryFactory(
        budget=budget, kind=Kind.SPENDING, money="85.00", occurred_on=D(budget.fiscal_year, 6, 1)
    )

    row = api.get(f"/api/v1/budgets/{budget.pk}/").json()

    assert row["remaining"]["money"] == "15.00"
    assert row["state"] == "warning"
    assert row["fiscal_year"] == budget.fiscal_year
    assert row["starts_on"] <= f"{budget.fiscal_year}-12-31" <= row["ends_on"]


def test_budgets_filter_by_year_and_the_whole_organisations(api, organisation, program):
    budget_for(program, fiscal_year=2025)
    budget_for(program, fiscal_year=2026)
    whole = factories.BudgetFactory(program=None, organisation=organisation, fiscal_year=2026)

    in_2026 = results(api.get("/api/v1/budgets/", {"fiscal_year": 2026}))
    wide = results(api.get("/api/v1/budgets/", {"whole_organisation": "true"}))

    assert [row["fiscal_year"] for row in in_2026] == [2026, 2026]
    assert [row["id"] for row in wide] == [whole.pk]
    assert wide[0]["program"] is None


# --- Plans ---------------------------------------------------------------------------------------


def test_a_plan_reads_with_its_lines_in_date_order(api, program, lea, card):
    plan = make_plan(program, mentor_count=1)
    later = add_line(plan, lea, card, D(2027, 1, 17), reason_en="Loves cards", reason_fr="x")
    sooner = add_line(plan, lea, card, D(2026, 12, 15), locked=True)

    (row,) = results(api.get("/api/v1/plans/"))

    assert row["status"] == Plan.Status.DRAFT
    assert row["mentor_count"] == 1
    assert [line["id"] for line in row["lines"]] == [sooner.pk, later.pk]
    assert row["lines"][1]["reason"] == "Loves cards"
    assert row["lines"][0]["locked"] is True
    assert row["lines"][0]["mentor"] == lea.pk
    assert row["lines"][0]["mentor_name"] == "Léa Tremblay"
    assert row["lines"][0]["option_name"] == "Handwritten card"


def test_plans_filter_by_program_and_status(api, organisation, program):
    other_program = factories.ProgramFactory(organisation=organisation)
    make_plan(program)
    approved = make_plan(other_program, status=Plan.Status.APPROVED)

    by_program = results(api.get("/api/v1/plans/", {"program": other_program.pk}))
    by_status = results(api.get("/api/v1/plans/", {"status": "approved"}))

    assert [row["id"] for row in by_program] == [approved.pk]
    assert [row["id"] for row in by_status] == [approved.pk]


# --- Awards --------------------------------------------------------------------------------------


def test_an_award_reads_with_its_mentor_option_and_cost(api, program, lea, card):
    budget = budget_for(program)
    spending = factories.LedgerEntryFactory(
        budget=budget, kind=Kind.SPENDING, money="12.00", occurred_on=D(budget.fiscal_year, 6, 1)
    )
    award = factories.AwardFactory(
        program=program, mentor=lea, option=card, spending=spending, message="Merci!"
    )

    row = api.get(f"/api/v1/awards/{award.pk}/").json()

    assert row["mentor"] == lea.pk
    assert row["mentor_name"] == "Léa Tremblay"
    assert row["option_name"] == "Handwritten card"
    assert row["status"] == Award.Status.GIVEN
    assert row["spent"] == {"money": "12.00", "staff_hours": "0.00", "material_items": 0}
    assert row["committed"] is None
    assert row["message"] == "Merci!"


def test_an_award_never_carries_the_mentors_feedback_answers(api, program, lea, card):
    award = factories.AwardFactory(program=program, mentor=lea, option=card)

    row = api.get(f"/api/v1/awards/{award.pk}/").json()

    assert row["feedback_requested"] is False
    assert not {"feedback", "satisfaction", "comment", "answers"} & set(row)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "planned"}, ["planned"]),
        ({"given_from": "2026-03-01", "given_to": "2026-03-31"}, ["march"]),
        ({"given_from": "2026-04-01"}, ["may"]),
        ({"planned_to": "2026-02-28"}, ["february"]),
    ],
)
def test_awards_filter_by_status_and_days_given(api, program, lea, card, query, expected):
    def award(name, day, status=Award.Status.GIVEN):
        return factories.AwardFactory(
            program=program, mentor=lea, option=card, planned_on=day, status=status, message=name
        )

    award("february", D(2026, 2, 10))
    award("march", D(2026, 3, 10))
    award("may", D(2026, 5, 10))
    award("planned", D(2026, 6, 10), status=Award.Status.PLANNED)

    messages = [row["message"] for row in results(api.get("/api/v1/awards/", query))]

    assert messages == expected


def test_awards_filter_by_program_and_mentor(api, organisation, program, lea, card):
    other_program = factories.ProgramFactory(organisation=organisation)
    zoe = enrol(other_program, "Zoé")
    factories.AwardFactory(program=program, mentor=lea, option=card)
    zoes = factories.AwardFactory(program=other_program, mentor=zoe, option=card)

    by_program = results(api.get("/api/v1/awards/", {"program": other_program.pk}))
    by_mentor = results(api.get("/api/v1/awards/", {"mentor": zoe.pk}))

    assert [row["id"] for row in by_program] == [zoes.pk]
    assert [row["id"] for row in by_mentor] == [zoes.pk]


def test_another_organisations_rows_answer_404(api, other_organisation):
    from .objects.recognition import MAKERS

    paths = {
        "recognition-option": "recognition-options",
        "budget": "budgets",
        "plan": "plans",
        "award": "awards",
    }
    for basename, make in MAKERS.items():
        row = make(other_organisation)
        response = api.get(f"/api/v1/{paths[basename]}/{row.pk}/")
        assert response.status_code == 404, basename
        assert response.json()["error"]["code"] == "not_found"


# --- Queries -------------------------------------------------------------------------------------


def _fill(kind, program, size):
    organisation = program.organisation
    card = option_of(organisation)
    for index in range(size):
        if kind == "recognition-options":
            option_of(organisation, visibility=Visibility.PUBLIC)
        elif kind == "budgets":
            budget = budget_for(program, fiscal_year=2000 + index)
            factories.LedgerEntryFactory(budget=budget, occurred_on=D(2000 + index, 6, 1))
        elif kind == "plans":
            plan = make_plan(program)
            mentor = enrol(program, f"Mentor {index}")
            add_line(plan, mentor, card, D(2026, 12, 15))
            add_line(plan, mentor, card, D(2027, 1, 17))
        else:
            mentor = enrol(program, f"Mentor {index}")
            budget = budget_for(program, fiscal_year=2000 + index)
            entry = factories.LedgerEntryFactory(budget=budget, occurred_on=D(2000 + index, 6, 1))
            factories.AwardFactory(program=program, mentor=mentor, option=card, spending=entry)


# The token and its creator's membership, the page's count and its rows; budgets add the
# ledger's sums for the page, plans the lines of the page's plans.
LIST_QUERIES = {"recognition-options": 4, "budgets": 5, "plans": 5, "awards": 4}


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("kind", ["recognition-options", "budgets", "plans", "awards"])
def test_each_list_reads_in_a_fixed_number_of_queries(
    api, program, django_assert_max_num_queries, kind, size
):
    _fill(kind, program, size)
    api.get(f"/api/v1/{kind}/")  # the token's last use is noted on the first call only

    with django_assert_max_num_queries(LIST_QUERIES[kind]):
        rows = results(api.get(f"/api/v1/{kind}/"))

    assert len(rows) >= size
