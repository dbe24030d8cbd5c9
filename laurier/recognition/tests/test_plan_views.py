"""The plan pages: the list, a new plan, the plan's page and its three views, progress, rules,
computing again, approving and deleting.

Line pages (add, edit, lock, remove) are in test_plan_views_lines.py, access in
test_plan_views_access.py, query counts in test_plan_views_queries.py.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.models import Budget, LedgerEntry, Plan
from laurier.recognition.selectors.budgets import budget_usage
from laurier.recognition.views.plans import default_period
from laurier.testing import factories

from .test_plan_views_support import (
    END,
    RULES,
    START,
    D,
    enrol,
    fund,
    make_plan,
    offer,
    plan_url,
    program_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentors(program):
    return [enrol(program, "Marie", "Gagnon"), enrol(program, "Luc", "Roy")]


@pytest.fixture
def card(organisation):
    return offer(organisation)


@pytest.fixture
def budget(program):
    return fund(program)


@pytest.fixture
def plan(program, admin_user, mentors, card, budget, django_capture_on_commit_callbacks):
    return make_plan(program, admin_user, django_capture_on_commit_callbacks)


def text_of(response):
    return response.content.decode()


def sound_markup(response):
    duplicates, unlabelled, h1_count = check_markup(text_of(response))
    return duplicates == [] and unlabelled == [] and h1_count == 1


def new_plan_data(**changes):
    data = {
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "min_per_mentor": 1,
        "max_per_mentor": 2,
        "one_per_moment": "on",
        "no_repeat_months": 12,
        "form_token": "token-1",
    }
    return {**data, **changes}


# --- The list ----------------------------------------------------------------------------------


def test_the_list_explains_what_a_plan_is_when_there_is_none(login, admin_user, program):
    response = login(admin_user).get(program_url("plans", program))
    assert response.status_code == 200
    assert "What is a recognition plan?" in text_of(response)
    assert "Create the first plan" in text_of(response)
    assert sound_markup(response)


def test_the_list_shows_each_plan_with_its_status_lines_mentors_and_cost(
    login, admin_user, program, plan
):
    response = login(admin_user).get(program_url("plans", program))
    page = text_of(response)
    assert "From April 1, 2026 to March 31, 2027" in page
    assert "Draft" in page
    assert "2 of 2" in page
    assert "$20.00" in page
    assert sound_markup(response)


def test_a_french_reader_reads_the_plans_dates_in_french(login, admin_user, plan):
    admin_user.language = "fr-ca"
    admin_user.save()
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "1er avril 2026" in page
    assert "31 mars 2027" in page
    assert "980,00\xa0$" in page


def test_the_list_writes_amounts_as_a_french_reader_reads_them(login, admin_user, program, plan):
    admin_user.language = "fr-ca"
    admin_user.save()
    page = text_of(login(admin_user).get(program_url("plans", program)))
    assert "20,00\xa0$" in page


def test_the_list_sorts_by_cost(
    login, admin_user, program, mentors, budget, organisation, django_capture_on_commit_callbacks
):
    offer(organisation, cost_money="30.00")
    dear = make_plan(program, admin_user, django_capture_on_commit_callbacks, max_per_mentor=1)
    cheap = make_plan(program, admin_user, django_capture_on_commit_callbacks, max_per_mentor=1)
    cheap.lines.all().delete()
    response = login(admin_user).get(program_url("plans", program), {"sort": "-cost"})
    assert list(response.context["page"].object_list) == [dear, cheap]
    assert 'aria-sort="descending"' in text_of(response)


# --- A new plan --------------------------------------------------------------------------------


def test_a_new_plan_runs_from_today_to_the_end_of_the_fiscal_year(organisation):
    assert default_period(organisation, D(2026, 11, 24)) == (D(2026, 11, 24), D(2027, 3, 31))


def test_a_new_plan_is_for_next_fiscal_year_when_less_than_a_month_is_left(organisation):
    assert default_period(organisation, D(2027, 3, 10)) == (D(2027, 4, 1), D(2028, 3, 31))


def test_the_new_plan_form_proposes_the_period_and_the_usual_rules(login, admin_user, program):
    response = login(admin_user).get(program_url("plan_create", program))
    form = response.context["form"]
    assert form.initial["min_per_mentor"] == 1
    assert form.initial["max_per_mentor"] == 3
    assert form.initial["form_token"]
    assert "Each mentor receives at least this many recognitions" in text_of(response)
    assert sound_markup(response)


def test_the_new_plan_form_warns_when_there_is_nobody_or_nothing_to_plan(
    login, admin_user, program
):
    page = text_of(login(admin_user).get(program_url("plan_create", program)))
    assert "The program has no active mentor yet" in page
    assert "Your catalog offers no recognition option yet" in page


def test_creating_a_plan_computes_it_and_shows_it(
    login, admin_user, program, mentors, card, budget, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(program_url("plan_create", program), new_plan_data())
    plan = Plan.objects.get(program=program)
    assert response.status_code == 302
    assert response["Location"] == plan_url("plan_detail", plan)
    assert plan.status == Plan.Status.DRAFT
    assert plan.lines.count() == 2


def test_sending_the_new_plan_form_twice_creates_one_plan(
    login, admin_user, program, mentors, card, budget, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(program_url("plan_create", program), new_plan_data())
        assert response.status_code == 302
    assert Plan.objects.filter(program=program).count() == 1


def test_a_period_over_two_fiscal_years_is_refused_on_the_form(login, admin_user, program):
    response = login(admin_user).post(
        program_url("plan_create", program), new_plan_data(ends_on="2027-06-30")
    )
    assert response.status_code == 200
    assert "A plan stays within one fiscal year" in text_of(response)
    assert not Plan.objects.exists()


def test_a_minimum_above_the_maximum_is_refused(login, admin_user, program):
    response = login(admin_user).post(
        program_url("plan_create", program), new_plan_data(min_per_mentor=4, max_per_mentor=2)
    )
    assert "The minimum cannot be above the maximum." in text_of(response)
    assert not Plan.objects.exists()


# --- The plan's page ---------------------------------------------------------------------------


def test_the_plan_page_states_the_period_status_rules_and_actions(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_detail", plan))
    page = text_of(response)
    assert "Recognition plan from April 1, 2026 to March 31, 2027" in page
    assert "Each mentor receives at least 1 recognition and at most 2." in page
    assert "At most one recognition per mentor at each moment." in page
    for action in ("Add a recognition", "Change the rules", "Compute again", "Approve", "Delete"):
        assert action in page
    assert sound_markup(response)


def test_the_summary_compares_the_plans_cost_with_what_is_left_of_the_budget(
    login, admin_user, plan
):
    response = login(admin_user).get(plan_url("plan_detail", plan))
    money = response.context["budget"].resources[0]
    assert (money.needed, money.left, money.after) == (
        Decimal("20.00"),
        Decimal("1000.00"),
        Decimal("980.00"),
    )
    assert "approval would be refused" not in text_of(response)
    assert "How the plan was computed" in text_of(response)


def test_a_plan_costing_more_than_what_is_left_is_flagged(login, admin_user, plan, budget):
    Budget.objects.filter(pk=budget.pk).update(money=Decimal("15.00"))
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "The recognitions cost more than what is left of the budget" in page
    assert "approval would be refused" in page


def test_without_a_budget_the_page_offers_to_create_one(
    login, admin_user, program, mentors, card, django_capture_on_commit_callbacks
):
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "has no budget for 2026–2027" in page
    assert f"?owner={program.pk}&amp;year=2026" in page


def test_the_locked_lines_that_break_a_rule_are_listed(login, admin_user, plan):
    Plan.objects.filter(pk=plan.pk).update(
        solver_status="infeasible", problems_en=["Marie Gagnon cannot receive it twice."]
    )
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "some locked recognitions break a rule" in page
    assert "Marie Gagnon cannot receive it twice." in page


def test_the_mentors_not_covered_are_counted_with_the_planners_shortfall(
    login, admin_user, plan, program
):
    enrol(program, "Zoé", "Zed")
    Plan.objects.filter(pk=plan.pk).update(uncovered_count=1, shortfall_money=Decimal("10.00"))
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "1 mentor receives no recognition. About $10.00 more would cover them." in page


def test_the_shortfall_counts_the_mentors_left_out_now_not_when_it_was_computed(
    login, admin_user, plan, program
):
    enrol(program, "Zoé", "Zed")
    Plan.objects.filter(pk=plan.pk).update(uncovered_count=5, shortfall_money=Decimal("10.00"))
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "1 mentor receives no recognition. About $10.00 more would cover them." in page


# --- The three views ---------------------------------------------------------------------------


def test_by_mentor_lists_every_active_mentor_and_flags_those_without_a_recognition(
    login, admin_user, plan, program, mentors
):
    zoe = enrol(program, "Zoé", "Zed")
    response = login(admin_user).get(plan_url("plan_detail", plan))
    rows = dict(response.context["rows"])
    assert set(rows) == {*mentors, zoe}
    assert rows[zoe] == []
    assert "No recognition planned" in text_of(response)
    assert f'href="{plan_url("plan_line_add", plan)}?mentor={zoe.pk}' in text_of(response)
    assert 'aria-current="page">By mentor' in text_of(response)


def test_by_mentor_shows_each_line_with_its_moment_option_givers_and_reason(
    login, admin_user, plan
):
    line = plan.lines.select_related("mentor").first()
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "Thank-you card" in page
    moment = {"year_end": "End of the year", "mentoring_day": "International Mentoring Day"}
    assert moment[line.moment_kind] in page
    assert "Given by:" in page
    assert line.reason_en[:30] in page.replace("&#x27;", "'")


def test_by_mentor_finds_a_mentor_by_name_without_accents(
    login, admin_user, plan, program, mentors
):
    zoe = enrol(program, "Zoé", "Zed")
    response = login(admin_user).get(plan_url("plan_detail", plan), {"q": "zoe"})
    assert [mentor for mentor, _lines in response.context["rows"]] == [zoe]


def test_by_mentor_shows_only_the_mentors_without_a_recognition_on_request(
    login, admin_user, plan, program
):
    zoe = enrol(program, "Zoé", "Zed")
    response = login(admin_user).get(plan_url("plan_detail", plan), {"show": "uncovered"})
    assert [mentor for mentor, _lines in response.context["rows"]] == [zoe]


def test_by_mentor_is_paginated_by_mentor(
    login, admin_user, plan, program, django_capture_on_commit_callbacks
):
    for index in range(30):
        enrol(program, f"Extra{index:02d}", "Zed")
    response = login(admin_user).get(plan_url("plan_detail", plan), {"page": 2})
    assert len(response.context["rows"]) == 32 - 25


def test_by_moment_groups_the_lines_by_month_then_moment_with_counts(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_detail", plan), {"view": "moment"})
    months = response.context["months"]
    groups = [group for _month, month_groups in months for group in month_groups]
    assert sum(len(group.lines) for group in groups) == 2
    assert all(group.count == len(group.lines) for group in groups)
    assert 'aria-current="page">By moment' in text_of(response)
    assert sound_markup(response)


def test_by_moment_shows_one_month_on_request(
    login, admin_user, program, mentors, budget, organisation, django_capture_on_commit_callbacks
):
    offer(organisation)
    offer(organisation, name_en="Certificate", name_fr="Certificat")
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    client = login(admin_user)
    response = client.get(plan_url("plan_detail", plan), {"view": "moment"})
    assert [
        value for value, _label in response.context["month_filters"].fields["month"].choices
    ] == [
        "",
        "2026-12",
        "2027-01",
    ]
    response = client.get(plan_url("plan_detail", plan), {"view": "moment", "month": "2027-01"})
    lines = response.context["page"].object_list
    assert {line.moment_key for line in lines} == {"mentoring-day-2027"}
    assert len(lines) == 2
    assert sound_markup(response)


def test_by_option_counts_each_option_with_its_cost(login, admin_user, plan, card):
    response = login(admin_user).get(plan_url("plan_detail", plan), {"view": "option"})
    [row] = response.context["options"]
    assert (row, row.line_count, row.money_total) == (card, 2, Decimal("20.00"))
    assert "No limit" in text_of(response)
    assert sound_markup(response)


def test_by_option_lists_who_receives_an_option(login, admin_user, plan, card, mentors):
    response = login(admin_user).get(
        plan_url("plan_detail", plan), {"view": "option", "option": card.pk}
    )
    assert {line.mentor for line in response.context["page"].object_list} == set(mentors)
    assert "Who receives “Thank-you card”" in text_of(response)


def test_by_option_shows_the_busiest_period_against_the_capacity(
    login, admin_user, program, mentors, budget, organisation, django_capture_on_commit_callbacks
):
    offer(organisation, capacity=5)
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    response = login(admin_user).get(plan_url("plan_detail", plan), {"view": "option"})
    [row] = response.context["options"]
    assert (row.capacity_use.most, row.capacity_use.capacity) == (2, 5)
    assert "2 of 5 per fiscal year at the busiest" in text_of(response)


# --- Computing ---------------------------------------------------------------------------------


def computing(plan, **fields):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.COMPUTING, **fields)
    plan.refresh_from_db()
    return plan


def test_while_computing_the_page_shows_a_progress_bar_polled_every_second(login, admin_user, plan):
    computing(plan, progress=0.5, progress_step="placing", progress_at=timezone.now())
    response = login(admin_user).get(plan_url("plan_detail", plan))
    page = text_of(response)
    assert '<progress id="plan-progress-bar" value="50" max="100">' in page
    assert "Placing the recognitions on the calendar" in page
    assert f'hx-get="{plan_url("plan_progress", plan)}" hx-trigger="every 1s"' in page
    assert sound_markup(response)


def test_the_progress_partial_follows_the_computation(login, admin_user, plan):
    computing(plan, progress=0.05, progress_step="choosing", progress_at=timezone.now())
    response = login(admin_user).get(plan_url("plan_progress", plan), HTTP_HX_REQUEST="true")
    assert "Choosing the recognition that suits each mentor best" in text_of(response)
    assert "<h1" not in text_of(response)


def test_when_the_computation_is_done_the_page_reloads_itself(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_progress", plan), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_the_progress_address_opened_directly_leads_to_the_plan(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_progress", plan))
    assert response["Location"] == plan_url("plan_detail", plan)


def test_a_computation_that_stopped_offers_to_compute_again(login, admin_user, plan):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    computing(plan, progress_at=long_ago)
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "The computation stopped before it finished" in page
    assert plan_url("plan_recompute", plan) in page
    assert "hx-trigger" not in page


def test_a_failed_plan_says_so_and_offers_to_compute_again(login, admin_user, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.FAILED)
    page = text_of(login(admin_user).get(plan_url("plan_detail", plan)))
    assert "The plan could not be computed" in page
    assert plan_url("plan_recompute", plan) in page


def test_computing_again_replaces_the_lines_not_locked(
    login, admin_user, plan, django_capture_on_commit_callbacks
):
    before = set(plan.lines.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin_user).post(plan_url("plan_recompute", plan))
    assert response["Location"] == plan_url("plan_detail", plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.lines.count() == 2
    assert not before & set(plan.lines.values_list("pk", flat=True))


def test_computing_again_answers_only_a_post(login, admin_user, plan):
    assert login(admin_user).get(plan_url("plan_recompute", plan)).status_code == 405


def test_changing_the_rules_saves_them_and_computes_again(
    login, admin_user, plan, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    response = client.get(plan_url("plan_rules", plan))
    assert response.context["form"].initial["max_per_mentor"] == 2
    assert sound_markup(response)
    data = {**RULES, "max_per_mentor": 1, "no_repeat_months": 6, "one_per_moment": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(plan_url("plan_rules", plan), data)
    assert response["Location"] == plan_url("plan_detail", plan)
    plan.refresh_from_db()
    assert (plan.max_per_mentor, plan.no_repeat_months, plan.one_per_moment) == (1, 6, False)
    assert plan.status == Plan.Status.DRAFT


def test_rules_with_a_minimum_above_the_maximum_change_nothing(login, admin_user, plan):
    data = {**RULES, "min_per_mentor": 3, "max_per_mentor": 2}
    response = login(admin_user).post(plan_url("plan_rules", plan), data)
    assert "The minimum cannot be above the maximum." in text_of(response)
    plan.refresh_from_db()
    assert plan.min_per_mentor == 1


# --- Exports -----------------------------------------------------------------------------------


def test_the_plan_exports_as_csv(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_detail", plan), {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "2026-04-01-2027-03-31.csv" in response["Content-Disposition"]
    assert "Thank-you card" in response.content.decode("utf-8-sig")


def test_the_plan_exports_as_xlsx(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_detail", plan), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_plan_exports_as_an_ics_calendar(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_ics", plan))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.startswith(b"BEGIN:VCALENDAR")
    assert ".ics" in response["Content-Disposition"]


# --- Approving ---------------------------------------------------------------------------------


def test_the_approval_page_says_what_will_be_committed(login, admin_user, plan):
    response = login(admin_user).get(plan_url("plan_approve", plan))
    page = text_of(response)
    assert "commits the plan's 2 recognitions to the program's budget for 2026–2027" in page
    assert "$20.00" in page and "$980.00" in page
    assert sound_markup(response)


def test_the_approval_page_offers_no_button_when_the_budget_cannot_hold_the_plan(
    login, admin_user, plan, budget
):
    Budget.objects.filter(pk=budget.pk).update(money=Decimal("15.00"))
    response = login(admin_user).get(plan_url("plan_approve", plan))
    page = text_of(response)
    assert "approval would be refused" in page
    assert "Money: $20.00 needed, $15.00 left ($5.00 missing)." in page
    assert "Approve and commit to the budget" not in page
    assert "The plan cannot be approved as it is." in page


def test_approving_commits_the_budget_once_even_when_sent_twice(login, admin_user, plan, budget):
    client = login(admin_user)
    first = client.post(plan_url("plan_approve", plan))
    second = client.post(plan_url("plan_approve", plan))
    assert first["Location"] == second["Location"] == plan_url("plan_detail", plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert LedgerEntry.objects.filter(budget=budget).count() == 2
    assert budget_usage(budget).committed("money") == Decimal("20.00")


def test_an_approved_plan_says_who_approved_it_and_links_its_budget(
    login, admin_user, plan, budget
):
    client = login(admin_user)
    client.post(plan_url("plan_approve", plan))
    response = client.get(plan_url("plan_detail", plan))
    page = text_of(response)
    assert "Approved on" in page
    assert f"by {admin_user.get_full_name()}." in page
    assert f'/budgets/{budget.pk}/"' in page
    assert "Committed by this plan" in page
    assert "Add a recognition" not in page
    assert sound_markup(response)


def test_an_approval_the_budget_cannot_hold_changes_nothing(login, admin_user, plan, budget):
    Budget.objects.filter(pk=budget.pk).update(money=Decimal("15.00"))
    client = login(admin_user)
    response = client.post(plan_url("plan_approve", plan), follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not LedgerEntry.objects.exists()
    assert [str(message) for message in response.context["messages"]]
    assert "approval would be refused" in text_of(response)


def test_approving_without_a_budget_is_refused_with_a_message(
    login, admin_user, program, mentors, organisation, django_capture_on_commit_callbacks
):
    offer(organisation, cost_money="0.00", staff_hours="0.00", material_items=0)
    plan = make_plan(program, admin_user, django_capture_on_commit_callbacks)
    response = login(admin_user).post(plan_url("plan_approve", plan), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert any("has no budget for 2026–2027" in message for message in messages)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


# --- Deleting ----------------------------------------------------------------------------------


def test_deleting_a_plan_asks_first_then_deletes_it(login, admin_user, plan, program):
    client = login(admin_user)
    response = client.get(plan_url("plan_delete", plan))
    assert "Delete the plan from April 1, 2026 to March 31, 2027 and its 2 recognitions?" in (
        text_of(response)
    )
    assert sound_markup(response)
    url = plan_url("plan_delete", plan)
    assert client.post(url)["Location"] == program_url("plans", program)
    assert client.post(url)["Location"] == program_url("plans", program)
    assert not Plan.objects.exists()


def test_an_approved_plan_cannot_be_deleted(login, admin_user, plan):
    client = login(admin_user)
    client.post(plan_url("plan_approve", plan))
    client.post(plan_url("plan_delete", plan))
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_a_plan_of_another_organisation_on_the_list_is_not_counted(
    login, admin_user, program, plan, other_organisation
):
    other_program = factories.ProgramFactory(organisation=other_organisation)
    Plan.objects.create(
        organisation=other_organisation,
        program=other_program,
        starts_on=START,
        ends_on=END,
        status=Plan.Status.DRAFT,
    )
    response = login(admin_user).get(program_url("plans", program))
    assert list(response.context["page"].object_list) == [plan]
