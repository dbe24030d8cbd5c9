"""A program that pays its mentors warns its managers on its dashboard."""

import datetime

import pytest
from django.urls import reverse

from laurier.core.tests.test_page_markup import check_markup

from .test_compensation_support import Decision, paid_decision, today_of, volunteer_decision

pytestmark = pytest.mark.django_db


def dashboard(client, program):
    response = client.get(
        reverse(
            "programs:dashboard",
            kwargs={"organisation_slug": program.organisation.slug, "program_slug": program.slug},
        )
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("decision", [Decision.STIPEND, Decision.HONORARIUM])
def test_a_paying_program_warns_its_managers(login, manager_user, program, decision):
    paid_decision(program, decision=decision)
    html = dashboard(login(manager_user), program)
    assert "This program pays its mentors" in html
    kind = "a stipend" if decision == Decision.STIPEND else "an honorarium"
    assert f"Each mentor receives {kind} of $500.00 per fiscal year." in html
    assert "<li>Mentoring may feel bought.</li>" in html
    assert "<li>Motives may become extrinsic.</li>" in html
    assert "To be reviewed on" in html
    assert 'href="/o/hydro/p/releve/compensation/">See the compensation decision' in html
    assert check_markup(html) == ([], [], 1)


def test_an_admin_sees_the_warning_too(login, admin_user, program):
    paid_decision(program)
    assert "This program pays its mentors" in dashboard(login(admin_user), program)


def test_a_volunteer_program_shows_no_warning(login, manager_user, program):
    volunteer_decision(program)
    assert "This program pays its mentors" not in dashboard(login(manager_user), program)


def test_a_program_without_a_decision_shows_no_warning(login, manager_user, program):
    assert "This program pays its mentors" not in dashboard(login(manager_user), program)


def test_the_warning_follows_the_decision_in_force(login, manager_user, program):
    today = today_of(program.organisation)
    paid_decision(program, decided_on=today - datetime.timedelta(days=90))
    volunteer_decision(program, decided_on=today)
    assert "This program pays its mentors" not in dashboard(login(manager_user), program)


def test_a_passed_review_date_is_said(login, manager_user, program):
    today = today_of(program.organisation)
    paid_decision(
        program,
        decided_on=today - datetime.timedelta(days=400),
        review_on=today - datetime.timedelta(days=1),
    )
    html = dashboard(login(manager_user), program)
    assert "Review overdue" in html
    assert "To be reviewed on" not in html


def test_long_risks_are_cut_to_the_main_ones_with_a_link_to_all(login, manager_user, program):
    paid_decision(program, risks="- One\n- Two\n\n- Three\n- Four")
    html = dashboard(login(manager_user), program)
    assert "<li>Three</li>" in html
    assert "Four" not in html
    assert "Every risk and the whole decision" in html


def test_the_dashboard_links_to_the_compensation_page(login, manager_user, program):
    assert 'href="/o/hydro/p/releve/compensation/">Paying mentors' in dashboard(
        login(manager_user), program
    )
