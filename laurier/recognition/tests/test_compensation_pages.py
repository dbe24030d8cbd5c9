"""The compensation page and the form that records a decision, in both languages."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import csv
import datetime
import io

import pytest

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.models import CompensationDecision
from laurier.testing import factories

from .test_compensation_support import (  # noqa: F401
    Decision,
    compensation_url,
    form_data,
    manager_client,
    paid_decision,
    today_of,
    volunteer_decision,
)

pytestmark = pytest.mark.django_db


def page(client, address, **params):
    response = client.get(address, params)
    assert response.status_code == 200
    return response.content.decode()


def assert_sound_markup(html):
    duplicates, unlabelled, h1_count = check_markup(html)
    assert (duplicates, unlabelled, h1_count) == ([], [], 1)


def test_without_a_decision_the_page_explains_why_it_matters(manager_client, compensation_url):
    html = page(manager_client, compensation_url())
    assert "No decision is recorded yet." in html
    assert "intrinsic motives" in html
    assert f'href="{compensation_url("compensation_decide")}"' in html
    assert_sound_markup(html)


def test_the_page_shows_every_part_of_the_decision_in_force(
    manager_client, compensation_url, program, manager_user
):
    decision = paid_decision(
        program,
        context="Mentors give four hours a month.",
        goals="Keep experienced mentors.",
        stakeholders="Mentors and HR",
        benefits="Fewer departures.",
        recorded_by=manager_user,
    )
    html = page(manager_client, compensation_url())
    assert "Decision in force" in html
    for text in (
        "A stipend",
        "Mentors give four hours a month.",
        "Keep experienced mentors.",
        "Mentors and HR",
        "Fewer departures.",
        "Mentoring may feel bought.<br>Motives may become extrinsic.",
        "$500.00",
        str(manager_user),
        str(decision.review_on.year),
    ):
        assert text in html
    assert "Review overdue" not in html
    assert_sound_markup(html)


def test_an_overdue_review_is_said_in_words(manager_client, compensation_url, program):
    today = today_of(program.organisation)
    volunteer_decision(
        program,
        decided_on=today - datetime.timedelta(days=400),
        review_on=today - datetime.timedelta(days=35),
    )
    html = page(manager_client, compensation_url())
    assert "Review overdue:" in html


def test_a_volunteer_program_shows_no_payment_warning_nor_stipends(
    manager_client, compensation_url, program
):
    volunteer_decision(program)
    html = page(manager_client, compensation_url())
    assert "Volunteer mentors (not paid)" in html
    assert "This program pays its mentors" not in html
    assert "Stipends in fiscal year" not in html


def test_earlier_decisions_are_listed_newest_first_and_paginated(
    manager_client, compensation_url, program
):
    today = today_of(program.organisation)
    for months in range(12, 0, -1):
        volunteer_decision(
            program,
            context=f"Context {months:02d} months ago",
            decided_on=today - datetime.timedelta(days=30 * months),
        )
    in_force = paid_decision(program, decided_on=today)
    first = page(manager_client, compensation_url())
    assert first.index("Context 01 months ago") < first.index("Context 10 months ago")
    assert "Context 11 months ago" not in first
    assert "12 results" in first
    second = page(manager_client, compensation_url(), page=2)
    assert "Context 12 months ago" in second
    assert second.count("A stipend") == 1  # the decision in force, not in the history
    assert CompensationDecision.objects.filter(program=program).count() == 13
    assert in_force.pk


def test_the_form_offers_every_field_and_the_article_s_guidance(manager_client, compensation_url):
    html = page(manager_client, compensation_url("compensation_decide"))
    for name in (
        "decision",
        "context",
        "goals",
        "stakeholders",
        "benefits",
        "risks",
        "amount_per_mentor",
        "decided_on",
        "review_on",
    ):
        assert f'name="{name}"' in html
    assert "<legend>Decision" in html
    assert "it can change the relationship between mentor and mentee" in html
    assert 'id="use-suggested-risks"' in html
    assert 'id="suggested-risks-data"' in html
    assert "recognition/compensation.js" in html
    assert_sound_markup(html)


def test_the_form_starts_from_the_decision_in_force(manager_client, compensation_url, program):
    paid_decision(program, context="Earlier context")
    html = page(manager_client, compensation_url("compensation_decide"))
    assert "Earlier context</textarea>" in html
    assert 'value="500.00"' in html


def test_a_manager_records_a_decision_through_the_form(
    manager_client, compensation_url, program, manager_user, organisation
):
    response = manager_client.post(compensation_url("compensation_decide"), form_data(organisation))
    assert response.status_code == 302
    assert response["Location"] == compensation_url()
    decision = CompensationDecision.objects.get(program=program)
    assert decision.decision == Decision.STIPEND
    assert decision.recorded_by == manager_user
    html = page(manager_client, compensation_url())
    assert "The compensation decision is recorded." in html


def test_the_form_sent_twice_records_one_decision(
    manager_client, compensation_url, program, organisation
):
    data = form_data(organisation)
    manager_client.post(compensation_url("compensation_decide"), data)
    response = manager_client.post(compensation_url("compensation_decide"), data, follow=True)
    assert CompensationDecision.objects.filter(program=program).count() == 1
    assert "This decision was already recorded." in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"risks": ""}, "risks", "A program that pays its mentors states the risks"),
        ({"amount_per_mentor": ""}, "amount_per_mentor", "Give the amount each mentor"),
        ({"amount_per_mentor": "0"}, "amount_per_mentor", "must be above zero"),
        ({"amount_per_mentor": "-5"}, "amount_per_mentor", "must be above zero"),
        ({"amount_per_mentor": "abc"}, "amount_per_mentor", "Enter a number."),
        ({"decision": "volunteer"}, "amount_per_mentor", "leave the amount empty"),
        ({"review_on": "2000-01-01"}, "review_on", "must come after the decision date"),
        ({"decided_on": "2999-01-01"}, "decided_on", "cannot be dated in the future"),
        ({"decided_on": ""}, "decided_on", "This field is required."),
        ({"context": ""}, "context", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    manager_client, compensation_url, program, organisation, changes, field, message
):
    response = manager_client.post(
        compensation_url("compensation_decide"), form_data(organisation, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not CompensationDecision.objects.filter(program=program).exists()
    assert_sound_markup(response.content.decode())


def test_a_volunteer_decision_is_recorded_without_risks_or_amount(
    manager_client, compensation_url, program, organisation
):
    data = form_data(organisation, decision="volunteer", risks="", amount_per_mentor="")
    response = manager_client.post(compensation_url("compensation_decide"), data)
    assert response.status_code == 302
    assert CompensationDecision.objects.get(program=program).amount_per_mentor is None


def test_an_admin_records_a_decision_too(
    login, admin_user, compensation_url, program, organisation
):
    client = login(admin_user)
    response = client.post(compensation_url("compensation_decide"), form_data(organisation))
    assert response.status_code == 302
    assert CompensationDecision.objects.filter(program=program).count() == 1


def test_the_pages_speak_french_to_a_french_reader(login, organisation, program, compensation_url):
    manager = factories.UserFactory(language="fr-ca", email="gestion@example.org")
    factories.MembershipFactory(organisation=organisation, user=manager)
    program.managers.add(manager)
    paid_decision(program)
    client = login(manager)
    html = page(client, compensation_url())
    assert 'lang="fr-ca"' in html
    assert "500,00" in html
    refused = client.post(
        compensation_url("compensation_decide"), form_data(organisation, context="")
    ).content.decode()
    assert 'lang="fr-ca"' in refused
    assert "Ce champ est obligatoire." in refused


def test_the_decisions_export_as_csv_newest_first(manager_client, compensation_url, program):
    today = today_of(program.organisation)
    volunteer_decision(program, decided_on=today - datetime.timedelta(days=400))
    paid_decision(program)
    html = page(manager_client, compensation_url())
    assert "?export=csv" in html
    response = manager_client.get(compensation_url(), {"export": "csv"})
    assert response.status_code == 200
    assert "paying-mentors-releve" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Decided on", "Decision"]
    assert rows[0][2:4] == ["Amount per mentor per fiscal year", "Currency"]
    assert rows[1][1:4] == ["A stipend", "500.00", "CAD"]
    assert rows[1][9] == "Mentoring may feel bought.\nMotives may become extrinsic."
    assert rows[2][1:4] == ["Volunteer mentors (not paid)", "", ""]
    assert len(rows) == 3


def test_the_decisions_export_as_xlsx(manager_client, compensation_url, program):
    paid_decision(program)
    response = manager_client.get(compensation_url(), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
