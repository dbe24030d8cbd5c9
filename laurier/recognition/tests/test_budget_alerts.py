"""Alerts at 80 % and 100 %: recorded once, e-mailed once to the right people in their language."""

import pytest
from django.core.exceptions import ValidationError

from laurier.organisations.models import Role
from laurier.recognition.models import BudgetAlert
from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import budget_of, organisation_budget, url

pytestmark = pytest.mark.django_db


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def alerts_of(budget):
    return sorted(BudgetAlert.objects.filter(budget=budget).values_list("resource", "threshold"))


def test_reaching_80_percent_records_an_alert(program, manager_user):
    budget = budget_of(program)

    services.commit(budget, actor=manager_user, money="799.99", description="Almost")
    assert alerts_of(budget) == []
    services.commit(budget, actor=manager_user, money="0.01", description="There")

    assert alerts_of(budget) == [("money", 80)]


def test_reaching_100_percent_records_both_alerts(program, manager_user):
    budget = budget_of(program)

    services.commit(budget, actor=manager_user, staff_hours="20", description="All hours")

    assert alerts_of(budget) == [("staff_hours", 80), ("staff_hours", 100)]


def test_the_alert_is_e_mailed_once_to_the_programs_managers(
    smtp_server, organisation, program, manager_user, admin_user
):
    second = factories.UserFactory(email="second@example.org", language="fr-ca")
    factories.MembershipFactory(organisation=organisation, user=second, role=Role.MANAGER)
    program.managers.add(second)
    budget = budget_of(program)

    services.commit(budget, actor=manager_user, money="850", description="Gala")
    services.commit(budget, actor=manager_user, money="10", description="Cartes")

    assert sorted(message["To"] for message in smtp_server.messages) == [
        "manager@example.org",
        "second@example.org",
    ]


def test_the_alert_is_in_each_managers_language(smtp_server, organisation, program, manager_user):
    french = factories.UserFactory(email="fr@example.org", language="fr-ca")
    factories.MembershipFactory(organisation=organisation, user=french, role=Role.MANAGER)
    program.managers.add(french)
    budget = budget_of(program)

    services.commit(budget, actor=manager_user, money="1000", description="Tout")

    messages = {message["To"]: message for message in smtp_server.messages}
    english, in_french = messages["manager@example.org"], messages["fr@example.org"]
    assert english["Subject"] == f"Budget used up: Relève, {budget.fiscal_year_label}"
    assert "$1,000.00 committed or spent of $1,000.00" in text_of(english)
    assert "1 000,00" in text_of(in_french).replace("\xa0", " ")
    assert url("budget_detail", budget) in text_of(english)


def test_the_organisation_wide_budget_alerts_its_admins(
    smtp_server, organisation, admin_user, manager_user
):
    budget = organisation_budget(organisation, money="100", staff_hours=0, material_items=0)

    services.commit(budget, actor=admin_user, money="90", description="Gala")

    assert [message["To"] for message in smtp_server.messages] == ["admin@example.org"]


def test_a_release_under_the_threshold_removes_the_alert_and_a_new_crossing_alerts_again(
    smtp_server, program, manager_user
):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="900", description="Gala")
    services.release_commitment(commitment, actor=manager_user, reason="Annulé")
    assert alerts_of(budget) == []

    services.commit(budget, actor=manager_user, money="900", description="Gala again")

    assert len(smtp_server.messages) == 2


def test_raising_the_budget_removes_the_alert(program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="900", description="Gala")

    services.update_budget(
        budget, actor=manager_user, money="2000", staff_hours="20", material_items=50
    )

    assert alerts_of(budget) == []


def test_lowering_the_budget_may_reach_a_threshold(smtp_server, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="500", description="Gala")

    services.update_budget(
        budget, actor=manager_user, money="600", staff_hours=20, material_items=50
    )

    assert alerts_of(budget) == [("money", 80)]
    assert len(smtp_server.messages) == 1


def test_a_refused_commitment_sends_nothing(smtp_server, program, manager_user):
    budget = budget_of(program)

    with pytest.raises(ValidationError):
        services.commit(budget, actor=manager_user, money="1000.01", description="Too much")

    assert smtp_server.messages == []
    assert alerts_of(budget) == []


def test_the_budget_page_shows_a_banner_in_words(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="850", description="Gala")

    html = login(manager_user).get(url("budget_detail", budget)).content.decode()

    assert "85% used:" in html
    assert "little is left of this budget's money" in html
