"""A recognition plan in a real Chromium: generate, edit, lock, compute again, approve."""

import datetime
from decimal import Decimal

import pytest

from laurier.core.dates import fiscal_year_of, organisation_today
from laurier.recognition.categories import Giver, RecognitionCategory
from laurier.recognition.models import LedgerEntry, Plan, PlanLine
from laurier.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def program_to_plan(organisation, program):
    """Three mentors, two options given at any moment, and this fiscal year's budget."""
    for first_name in ("Marie", "Luc", "Awa"):
        person = factories.PersonFactory(
            organisation=organisation, first_name=first_name, last_name="Tremblay"
        )
        factories.MentorEnrolmentFactory(
            program=program, person=person, since=datetime.date(2024, 1, 10)
        )
    for name, category, cost in (
        ("Lunch with an executive", RecognitionCategory.NETWORKS_AND_EVENTS, "50.00"),
        ("Handwritten card", RecognitionCategory.THANK_YOU_CARD, "20.00"),
    ):
        factories.RecognitionOptionFactory(
            organisation=organisation,
            name_en=name,
            name_fr=name,
            category=category,
            cost_money=cost,
            staff_hours="0.50",
            material_items=0,
            moments=[],
            usual_givers=[Giver.MANAGER],
        )
    year = fiscal_year_of(organisation, organisation_today(organisation))
    return factories.BudgetFactory(
        program=program, fiscal_year=year, money="1000.00", staff_hours="100.00", material_items=0
    )


def remaining_money(page):
    cell = page.locator("table.budget-figures tr[data-resource=money] td.remaining")
    return " ".join(cell.inner_text().split())


def click(page, locator):
    locator.click()
    page.wait_for_load_state()


def test_a_manager_generates_edits_locks_recomputes_and_approves_a_plan(
    page, log_in_as, organisation, program, manager_user, program_to_plan
):
    budget = program_to_plan
    log_in_as(manager_user)
    page.goto(f"/o/{organisation.slug}/p/{program.slug}/plans/")
    click(page, page.get_by_role("button", name="New plan"))
    click(page, page.get_by_role("button", name="Compute the plan"))

    plan = Plan.objects.get(program=program)
    assert plan.status == Plan.Status.DRAFT
    lines = list(plan.lines.order_by("pk"))
    assert {line.mentor.first_name for line in lines} == {"Marie", "Luc", "Awa"}
    main = page.locator("main")
    for name in ("Marie Tremblay", "Luc Tremblay", "Awa Tremblay"):
        assert name in main.inner_text()

    # Edit one line: an executive gives it too; an edited line is locked.
    edited = lines[0]
    click(page, main.locator(f"a[href*='/lines/{edited.pk}/edit/']"))
    page.get_by_label("An executive").check()
    click(page, page.get_by_role("button", name="Save and lock"))
    edited.refresh_from_db()
    assert edited.locked and Giver.EXECUTIVE in edited.givers

    # Lock another.
    kept = lines[1]
    click(page, main.locator(f"form[action*='/lines/{kept.pk}/lock/'] button"))
    kept.refresh_from_db()
    assert kept.locked

    # Compute again: the locked lines stay as they are.
    click(page, page.get_by_role("button", name="Compute again").first)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.solver_status != "infeasible"
    for line in (edited, kept):
        again = PlanLine.objects.get(pk=line.pk)
        assert (again.option_id, again.moment_key, again.givers) == (
            line.option_id,
            line.moment_key,
            line.givers,
        )
    total = sum(line.option.cost_money for line in plan.lines.select_related("option"))

    # Approve: every line is committed and the budget's remaining money goes down.
    click(page, page.get_by_role("button", name="Approve", exact=True))
    assert "1,000.00" in page.locator("main").inner_text()
    click(page, page.get_by_role("button", name="Approve and commit to the budget"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert LedgerEntry.objects.filter(budget=budget).count() == plan.lines.count()
    page.goto(f"/o/{organisation.slug}/budgets/{budget.pk}/")
    left = Decimal("1000.00") - total
    assert remaining_money(page) == f"${left:,.2f}"
    assert "Marie Tremblay" in page.locator("main").inner_text()


def test_a_french_manager_sees_why_a_recognition_is_refused_and_nothing_changes(
    page, log_in_as, organisation, program, manager_user, program_to_plan
):
    manager_user.language = "fr-ca"
    manager_user.save()
    log_in_as(manager_user)
    page.goto(f"/o/{organisation.slug}/p/{program.slug}/plans/new/")
    click(page, page.get_by_role("button", name="Calculer le plan"))
    plan = Plan.objects.get(program=program)
    line = plan.lines.select_related("mentor").order_by("pk").first()
    other = plan.lines.exclude(option=line.option).first().option
    before = plan.lines.count()

    # A second recognition for the same mentor at the same moment breaks "one per moment".
    page.goto(
        f"/o/{organisation.slug}/p/{program.slug}/plans/{plan.pk}/lines/new/"
        f"?mentor={line.mentor_id}"
    )
    page.select_option("select[name=option]", str(other.pk))
    page.select_option("select[name=moment]", line.moment_key)
    click(page, page.get_by_role("button", name="Ajouter et verrouiller"))
    text = page.locator("main").inner_text()
    assert "Cette reconnaissance enfreint une règle du plan" in text
    assert f"{line.mentor.full_name} aurait deux reconnaissances au moment" in text
    assert plan.lines.count() == before


def test_the_add_form_offers_only_the_chosen_mentors_anniversary(
    page, log_in_as, organisation, program, manager_user, program_to_plan
):
    log_in_as(manager_user)
    page.goto(f"/o/{organisation.slug}/p/{program.slug}/plans/new/")
    click(page, page.get_by_role("button", name="Compute the plan"))
    plan = Plan.objects.get(program=program)
    page.goto(f"/o/{organisation.slug}/p/{program.slug}/plans/{plan.pk}/lines/new/")
    marie = program.mentor_enrolments.get(person__first_name="Marie").person
    page.select_option("select[name=mentor]", str(marie.pk))
    offered = page.locator("select[name=moment] option:not([disabled])").all_inner_texts()
    anniversaries = [text for text in offered if "year" in text and "mentoring" in text]
    assert anniversaries and all("Marie Tremblay" in text for text in anniversaries)
