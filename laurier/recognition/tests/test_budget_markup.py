"""The budget pages are readable by assistive technology, in both languages, and carry no
inline script."""

import re

import pytest

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.services import budgets as services

from .test_budget_support import budget_of, option_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_budget(program, admin_user):
    program.managers.add(admin_user)
    budget = budget_of(program)
    option_of(program.organisation)
    commitment = services.commit(budget, actor=admin_user, money="850", description="Gala")
    services.record_spending(budget, actor=admin_user, money="10", description="Cartes")
    return budget, commitment


def pages(budget, commitment):
    return [
        url("budgets", organisation=budget.organisation),
        url("budget_create", organisation=budget.organisation),
        url("budget_detail", budget),
        url("budget_edit", budget),
        url("budget_commit", budget),
        url("budget_spend", budget),
        url("commitment_spend", budget, commitment.pk),
        url("commitment_release", budget, commitment.pk),
    ]


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_every_page_has_unique_ids_labelled_fields_and_one_h1(
    login, admin_user, filled_budget, language
):
    admin_user.language = language
    admin_user.save()
    client = login(admin_user)

    for address in pages(*filled_budget):
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        duplicates, unlabelled, h1_count = check_markup(html)
        assert duplicates == [], address
        assert unlabelled == [], address
        assert h1_count == 1, address
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert inline == [], address


def test_states_are_written_not_only_coloured(login, admin_user, filled_budget):
    html = login(admin_user).get(url("budget_detail", filled_budget[0])).content.decode()

    assert "86% used:" in html
    assert "80% or more used" in html
