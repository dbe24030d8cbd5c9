"""Budget pages read right in each reader's language, on a phone, and stay fast (QA s14)."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from laurier.accounts.models import User
from laurier.core.dates import fiscal_year_bounds
from laurier.recognition.models import LedgerEntry
from laurier.recognition.selectors import budgets as selectors
from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import budget_of, in_year, option_of, this_year, url

pytestmark = pytest.mark.django_db


def html_of(response):
    return response.content.decode()


ALERT = '<div role="alert" class="message error"><p>{}</p></div>'


def card(organisation, **fields):
    return option_of(
        organisation,
        name_fr="Carte de remerciement",
        name_en="Thank-you card",
        cost_money="5.00",
        staff_hours="0",
        material_items=1,
        **fields,
    )


def day_in(budget):
    return datetime.date.fromisoformat(in_year(budget))


def speaking(user, language):
    User.objects.filter(pk=user.pk).update(language=language)
    user.refresh_from_db()
    return user


def english(user):
    return speaking(user, "en")


def french(user):
    return speaking(user, "fr-ca")


# --- Ledger lines named in the reader's language (QA 2, 12) --------------------------------


def test_a_line_named_after_its_option_is_stored_without_a_description(program, manager_user):
    budget = budget_of(program)
    with translation.override("en"):
        entry = services.commit(
            budget, actor=manager_user, option=card(program.organisation), quantity=3
        )

    assert entry.description == ""


def test_a_line_committed_in_english_reads_in_french_on_a_french_page(login, program, manager_user):
    budget = budget_of(program)
    with translation.override("en"):
        services.commit(budget, actor=manager_user, option=card(program.organisation), quantity=3)

    html = html_of(login(french(manager_user)).get(url("budget_detail", budget)))

    assert "Carte de remerciement × 3" in html
    assert "Thank-you card" not in html


def test_an_old_french_default_description_reads_in_english(login, program, manager_user):
    budget = budget_of(program)
    option = card(program.organisation)
    factories.LedgerEntryFactory(
        budget=budget,
        kind=LedgerEntry.Kind.COMMITMENT,
        option=option,
        quantity=3,
        description="Carte de remerciement × 3",
        occurred_on=day_in(budget),
    )

    html = html_of(login(english(manager_user)).get(url("budget_detail", budget)))

    assert "Thank-you card × 3" in html
    assert "Carte de remerciement" not in html


def test_the_quantity_shows_once_in_the_open_commitments(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, option=card(program.organisation), quantity=3)

    html = html_of(login(english(manager_user)).get(url("budget_detail", budget)))

    assert "× 3 (× 3)" not in html
    assert "(× 3)" not in html


def test_a_typed_description_stays_as_typed_with_its_quantity(login, program, manager_user):
    budget = budget_of(program)
    services.commit(
        budget,
        actor=manager_user,
        option=card(program.organisation),
        quantity=3,
        description="Cartes pour l'équipe du gala",
    )

    html = html_of(login(english(manager_user)).get(url("budget_detail", budget)))

    assert "Cartes pour l&#x27;équipe du gala <small>(× 3)</small>" in html


def test_the_ledger_export_names_lines_in_the_reader_s_language(login, program, manager_user):
    budget = budget_of(program)
    with translation.override("fr-ca"):
        commitment = services.commit(
            budget, actor=manager_user, option=card(program.organisation), quantity=2
        )
    services.spend_commitment(commitment, actor=manager_user)

    response = login(english(manager_user)).get(url("budget_detail", budget), {"export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert "Thank-you card × 2" in text
    assert "Carte de remerciement" not in text


def test_the_confirmation_names_the_line_in_the_reader_s_language(login, program, manager_user):
    budget = budget_of(program)
    option = card(program.organisation)
    client = login(english(manager_user))

    response = client.post(
        url("budget_commit", budget),
        {
            "form_token": "t-1",
            "source": "option",
            "option": option.pk,
            "quantity": "2",
            "occurred_on": in_year(budget),
        },
        follow=True,
    )

    assert "Committed: Thank-you card × 2." in html_of(response)


# --- Capacity and dates in words (QA 10, 6) ------------------------------------------------


def test_a_used_up_capacity_says_none_left_and_counts_in_the_singular(program, manager_user):
    budget = budget_of(program)
    award = option_of(
        program.organisation,
        name_en="Mentor-of-the-year award",
        capacity=1,
        capacity_period="year",
    )
    services.commit(budget, actor=manager_user, option=award, occurred_on=day_in(budget))

    with translation.override("en"), pytest.raises(services.ValidationError) as refusal:
        services.commit(budget, actor=manager_user, option=award, occurred_on=day_in(budget))

    message = refusal.value.message_dict["quantity"][0]
    assert message.startswith("None of “Mentor-of-the-year award” left between")
    assert "Only 0" not in message
    assert "1 is planned or given" in message


def test_the_capacity_refusal_writes_its_dates_in_words(program, manager_user):
    budget = budget_of(program)
    award = option_of(program.organisation, capacity=1, capacity_period="year")
    services.commit(budget, actor=manager_user, option=award, occurred_on=day_in(budget))
    first, last = fiscal_year_bounds(program.organisation, budget.fiscal_year)

    with translation.override("fr-ca"), pytest.raises(services.ValidationError) as refusal:
        services.commit(budget, actor=manager_user, option=award, occurred_on=day_in(budget))

    message = refusal.value.message_dict["quantity"][0]
    assert f"1er {first.strftime('%m')}" not in message  # not a half-formatted date
    assert first.isoformat() not in message
    assert f"{last.day} " in message
    assert re.search(r"1er \w+ \d{4}", message)


def test_a_date_outside_the_fiscal_year_is_refused_with_dates_in_words(program):
    budget = budget_of(program)
    first, last = fiscal_year_bounds(program.organisation, budget.fiscal_year)

    with translation.override("en"):
        message = str(selectors.date_outside_fiscal_year(budget, last + datetime.timedelta(1)))

    assert first.isoformat() not in message
    assert f"{first.strftime('%B')} 1, {first.year}" in message


# --- Forms ---------------------------------------------------------------------------------


def test_the_remaining_box_labels_come_from_one_translatable_string(
    login, program, manager_user, monkeypatch
):
    budget = budget_of(program)
    original = translation.gettext

    def french_style(message):
        if message == "%(label)s: %(value)s":
            return "%(label)s\u00a0: %(value)s"
        return original(message)

    monkeypatch.setattr(translation, "gettext", french_style)

    html = html_of(login(french(manager_user)).get(url("budget_commit", budget)))

    assert re.search(r"<li>\w+\u00a0: 1\u00a0000,00\u00a0\$</li>", html)


def test_a_commitment_without_amounts_says_so_once(login, program, manager_user):
    budget = budget_of(program)
    client = login(english(manager_user))

    response = client.post(
        url("budget_commit", budget),
        {
            "form_token": "t-2",
            "source": "free",
            "description": "Gala",
            "occurred_on": in_year(budget),
        },
    )

    html = html_of(response)
    assert html.count("Enter at least one amount above zero.") == 1
    # One alert, no list inside it: nested, the message was read out (and counted) twice.
    assert ALERT.format("Enter at least one amount above zero.") in html


def test_a_spending_without_amounts_says_so_once(login, program, manager_user):
    budget = budget_of(program)
    client = login(english(manager_user))

    response = client.post(
        url("budget_spend", budget),
        {"form_token": "t-3", "description": "Gala", "occurred_on": in_year(budget)},
    )

    html = html_of(response)
    assert html.count("Enter at least one amount above zero.") == 1
    # One alert, no list inside it: nested, the message was read out (and counted) twice.
    assert ALERT.format("Enter at least one amount above zero.") in html


@pytest.mark.parametrize("name", ["budget_commit", "budget_spend", "budget_edit"])
def test_money_and_hours_are_typed_as_text_read_in_the_page_s_language(
    login, program, manager_user, name
):
    html = html_of(login(manager_user).get(url(name, budget_of(program))))

    for field in ("money", "staff_hours"):
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
        assert 'type="text"' in tag
        assert 'inputmode="decimal"' in tag


def test_a_french_decimal_comma_commits_cents_not_hundreds(login, program, manager_user):
    budget = budget_of(program)

    login(french(manager_user)).post(
        url("budget_commit", budget),
        {
            "form_token": "t-4",
            "source": "free",
            "money": "12,50",
            "staff_hours": "1,5",
            "description": "Gala",
            "occurred_on": in_year(budget),
        },
    )

    entry = LedgerEntry.objects.get()
    assert entry.money == Decimal("12.50")
    assert entry.staff_hours == Decimal("1.50")


def test_an_english_page_reads_a_decimal_point(login, program, manager_user):
    budget = budget_of(program)

    login(english(manager_user)).post(
        url("budget_spend", budget),
        {
            "form_token": "t-5",
            "money": "12.50",
            "description": "Gala",
            "occurred_on": in_year(budget),
        },
    )

    assert LedgerEntry.objects.get().money == Decimal("12.50")


def test_a_french_budget_allocation_reads_a_decimal_comma(login, program, manager_user):
    budget = budget_of(program)

    login(french(manager_user)).post(
        url("budget_edit", budget),
        {"money": "1500,25", "staff_hours": "20,5", "material_items": "50", "notes": ""},
    )

    budget.refresh_from_db()
    assert budget.money == Decimal("1500.25")
    assert budget.staff_hours == Decimal("20.50")


# --- Phone layout (QA 4, 24) ---------------------------------------------------------------


def test_remaining_is_the_first_figure_of_each_table(login, program, manager_user):
    budget = budget_of(program)
    client = login(english(manager_user))

    for page in (url("budget_detail", budget), url("budgets", organisation=program.organisation)):
        headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html_of(client.get(page)))
        assert headers.index("Remaining") == headers.index("Resource") + 1


def test_the_burn_chart_draws_in_a_box_of_its_own_height(login, program, manager_user):
    from django.contrib.staticfiles import finders

    html = html_of(login(manager_user).get(url("budget_detail", budget_of(program))))

    assert '<div class="budget-burn-chart"><canvas id="budget-burn-chart"' in html
    assert "recognition/budgets.css" in html
    script = Path(finders.find("recognition/budget_chart.js")).read_text()
    assert "maintainAspectRatio: false" in script
    css = Path(finders.find("recognition/budgets.css")).read_text()
    assert re.search(r"\.budget-burn-chart\s*\{[^}]*min-height", css)


# --- Stipends follow the budget's year (QA 23) ---------------------------------------------


def paid_since(program, day):
    from .test_compensation_support import paid_decision

    return paid_decision(program, decided_on=day, review_on=day + datetime.timedelta(days=365))


def test_a_past_year_budget_ignores_today_s_stipend_decision(login, program, manager_user):
    organisation = program.organisation
    first, _last = fiscal_year_bounds(organisation, this_year(organisation))
    paid_since(program, first + datetime.timedelta(days=1))
    past = budget_of(program, fiscal_year=this_year(organisation) - 1)

    response = login(manager_user).get(url("budget_detail", past))

    assert response.context["stipends"] is None


def test_a_past_year_budget_shows_the_stipend_decision_in_force_then(login, program, manager_user):
    organisation = program.organisation
    first, _last = fiscal_year_bounds(organisation, this_year(organisation) - 1)
    decision = paid_since(program, first + datetime.timedelta(days=10))
    factories.CompensationDecisionFactory(
        program=program, decided_on=first + datetime.timedelta(days=400)
    )
    past = budget_of(program, fiscal_year=this_year(organisation) - 1)

    response = login(manager_user).get(url("budget_detail", past))

    assert response.context["stipends"]["decision"] == decision


def test_this_year_s_budget_shows_the_decision_in_force_today(login, program, manager_user):
    from .test_compensation_support import paid_decision

    decision = paid_decision(program)

    response = login(manager_user).get(url("budget_detail", budget_of(program)))

    assert response.context["stipends"]["decision"] == decision


# --- Speed (benchmark) ---------------------------------------------------------------------


def test_the_ledger_page_does_not_join_the_ledger_to_itself(program):
    budget = budget_of(program)

    sql = str(selectors.ledger(budget).query)

    assert sql.count('"recognition_ledgerentry"') == 1 or " T" not in sql
    assert "settles" not in sql.split("FROM", 1)[1].split("WHERE", 1)[0]


def test_the_budget_list_sums_the_ledger_apart_from_the_wide_rows(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="10", description="Gala")
    client = login(manager_user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("budgets", organisation=program.organisation))

    assert response.context["rows"][0].figures[0].committed == Decimal("10.00")
    for query in queries.captured_queries:
        sql = query["sql"]
        if "recognition_ledgerentry" in sql:
            assert "programs_program" not in sql
            assert "organisations_organisation" not in sql


def test_both_pagers_of_the_budget_page_turn_independently(login, program, manager_user):
    budget = budget_of(program)
    for index in range(30):
        services.commit(budget, actor=manager_user, money="1", description=f"C{index}")

    response = login(manager_user).get(url("budget_detail", budget), {"open": "2", "page": "1"})

    assert response.context["commitments"].number == 2
    assert response.context["page"].number == 1


def test_the_old_fiscal_year_alias_is_gone():
    assert not hasattr(selectors, "current_fiscal_year")


def test_the_stipend_decision_reads_as_one_sentence(login, program, manager_user):
    from .test_compensation_support import paid_decision

    decision = paid_decision(program)

    html = html_of(login(english(manager_user)).get(url("budget_detail", budget_of(program))))

    assert "this program pays its mentors a stipend (decided on " in html
    assert f"{decision.decided_on.year})." in html
    assert "(A stipend)" not in html
