"""What an insights page looks at: the filters read from the query string (`scope.py`), through
the "Program health" page, the insights home.

The organisation "hydro" has programs "Relève" (managed by manager_user) and "Horizon"; the
other organisation has its own program and cycle.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.core.dates import months_before, organisation_today
from laurier.organisations.models import Role
from laurier.testing import factories

from ..scope import Period, scope_for_report


@pytest.fixture
def horizon(organisation):
    return factories.ProgramFactory(organisation=organisation, name="Horizon", slug="horizon")


@pytest.fixture
def other_program(other_organisation):
    return factories.ProgramFactory(organisation=other_organisation, name="Other", slug="other-p")


def url(organisation):
    return reverse("insights:health", args=[organisation.slug])


def scope_seen(client, organisation, query=""):
    response = client.get(url(organisation) + ("?" + query if query else ""))
    assert response.status_code == 200
    return response.context["scope"]


# Programs


def test_an_admin_sees_every_program_by_default(login, admin_user, organisation, program, horizon):
    scope = scope_seen(login(admin_user), organisation)
    assert scope.program is None
    assert sorted(scope.program_ids) == sorted([program.pk, horizon.pk])


def test_choosing_a_program_narrows_to_it(login, admin_user, organisation, program, horizon):
    scope = scope_seen(login(admin_user), organisation, "program=horizon")
    assert (scope.program, scope.program_ids) == (horizon, [horizon.pk])


def test_a_manager_of_one_program_gets_it_preselected(
    login, manager_user, organisation, program, horizon
):
    scope = scope_seen(login(manager_user), organisation)
    assert (scope.program, scope.program_ids) == (program, [program.pk])


def test_a_manager_of_several_programs_sees_all_of_them(
    login, manager_user, organisation, program, horizon
):
    horizon.managers.add(manager_user)
    scope = scope_seen(login(manager_user), organisation)
    assert scope.program is None
    assert sorted(scope.program_ids) == sorted([program.pk, horizon.pk])


def test_a_program_the_manager_does_not_manage_is_a_404(
    login, manager_user, organisation, program, horizon
):
    response = login(manager_user).get(url(organisation) + "?program=horizon")
    assert response.status_code == 404


def test_another_organisations_program_is_a_404(login, admin_user, organisation, other_program):
    response = login(admin_user).get(url(organisation) + "?program=other-p")
    assert response.status_code == 404


def test_an_unknown_program_is_a_404(login, admin_user, organisation, program):
    assert login(admin_user).get(url(organisation) + "?program=nowhere").status_code == 404


def test_a_member_without_a_program_sees_what_to_do(login, organisation, program):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=Role.MANAGER)
    with translation.override("en"):
        response = login(user).get(url(organisation))
    assert response.status_code == 200
    assert response.context["scope"].is_empty
    assert "You do not manage any program yet" in response.content.decode()


# Cycles


def test_choosing_a_cycle_chooses_its_program(login, admin_user, organisation, program, horizon):
    cycle = factories.CycleFactory(program=horizon)
    scope = scope_seen(login(admin_user), organisation, f"cycle={cycle.pk}")
    assert (scope.cycle, scope.program, scope.program_ids) == (cycle, horizon, [horizon.pk])


def test_another_organisations_cycle_is_a_404(login, admin_user, organisation, other_program):
    cycle = factories.CycleFactory(program=other_program)
    assert login(admin_user).get(url(organisation) + f"?cycle={cycle.pk}").status_code == 404


def test_a_cycle_of_a_program_the_manager_does_not_manage_is_a_404(
    login, manager_user, organisation, program, horizon
):
    cycle = factories.CycleFactory(program=horizon)
    assert login(manager_user).get(url(organisation) + f"?cycle={cycle.pk}").status_code == 404


def test_a_cycle_narrows_mentors_to_those_paired_in_it(login, admin_user, organisation, program):
    cycle = factories.CycleFactory(program=program)
    paired = factories.PairingFactory(program=program, cycle=cycle).mentor
    factories.PairingFactory(program=program)
    scope = scope_seen(login(admin_user), organisation, f"cycle={cycle.pk}")
    assert list(scope.active_mentors()) == [paired]
    assert scope.pairings().count() == 1


# Departments


def test_a_department_narrows_mentors_to_it(login, admin_user, organisation, program):
    in_ops = factories.MentorEnrolmentFactory(program=program, person__department="Ops").person
    factories.MentorEnrolmentFactory(program=program, person__department="Finance")
    scope = scope_seen(login(admin_user), organisation, "department=Ops")
    assert scope.department == "Ops"
    assert list(scope.active_mentors()) == [in_ops]


def test_the_departments_offered_are_those_of_the_programs_mentors(
    login, manager_user, organisation, program, horizon
):
    factories.MentorEnrolmentFactory(program=program, person__department="Ops")
    factories.MentorEnrolmentFactory(program=horizon, person__department="Secret")
    response = login(manager_user).get(url(organisation))
    choices = [value for value, _label in response.context["form"].fields["department"].choices]
    assert choices == ["", "Ops"]


def test_an_unknown_department_falls_back_to_every_department(
    login, admin_user, organisation, program
):
    assert scope_seen(login(admin_user), organisation, "department=Nowhere").department == ""


# Periods


def test_the_default_period_is_the_last_12_months(login, admin_user, organisation, program):
    scope = scope_seen(login(admin_user), organisation)
    today = organisation_today(organisation)
    assert scope.period == Period.LAST_12_MONTHS
    assert (scope.start, scope.end) == (
        months_before(today, 12) + datetime.timedelta(days=1),
        today,
    )


def test_this_fiscal_year(login, admin_user, organisation, program):
    scope = scope_seen(login(admin_user), organisation, "period=fy")
    today = organisation_today(organisation)
    first_year = today.year if today.month >= 4 else today.year - 1
    assert (scope.start, scope.end) == (
        datetime.date(first_year, 4, 1),
        datetime.date(first_year + 1, 3, 31),
    )


def test_last_fiscal_year(login, admin_user, organisation, program):
    scope = scope_seen(login(admin_user), organisation, "period=last_fy")
    today = organisation_today(organisation)
    first_year = (today.year if today.month >= 4 else today.year - 1) - 1
    assert (scope.start, scope.end) == (
        datetime.date(first_year, 4, 1),
        datetime.date(first_year + 1, 3, 31),
    )


def test_a_custom_period(login, admin_user, organisation, program):
    scope = scope_seen(
        login(admin_user), organisation, "period=custom&start=2026-02-01&end=2026-03-15"
    )
    assert (scope.period, scope.start, scope.end) == (
        Period.CUSTOM,
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 15),
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("start=2026-03-15&end=2026-02-01", "The period must end after it starts."),
        ("start=2026-03-15", "Give both dates of the period."),
        ("start=2020-01-01&end=2026-01-02", "Choose a period of at most five years."),
    ],
)
def test_a_wrong_custom_period_says_why_and_uses_the_default(
    login, admin_user, organisation, program, query, message
):
    client = login(admin_user)
    with translation.override("en"):
        response = client.get(url(organisation) + "?period=custom&" + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["scope"].period == Period.LAST_12_MONTHS


# Links between pages


def test_the_query_string_keeps_every_filter(login, admin_user, organisation, program):
    cycle = factories.CycleFactory(program=program)
    factories.MentorEnrolmentFactory(program=program, person__department="Ops")
    scope = scope_seen(
        login(admin_user),
        organisation,
        f"cycle={cycle.pk}&department=Ops&period=custom&start=2026-02-01&end=2026-03-15",
    )
    assert scope.query() == (
        f"program=releve&cycle={cycle.pk}&department=Ops&period=custom"
        "&start=2026-02-01&end=2026-03-15"
    )
    # A change replaces one filter and keeps the others.
    assert scope.query(period="fy").startswith(
        f"program=releve&cycle={cycle.pk}&department=Ops&period=fy"
    )


def test_the_description_says_what_the_figures_cover(program):
    scope = scope_for_report(
        program.organisation,
        program,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
        datetime.date(2026, 12, 31),
    )
    with translation.override("en"):
        assert scope.description == "Relève · January 1, 2026 to December 31, 2026"


# Who may look

INSIGHTS_PAGES = ("insights:health", "insights:impact", "insights:attention", "insights:timing")


@pytest.mark.parametrize("page", [*INSIGHTS_PAGES, "insights:reports"])
@pytest.mark.parametrize("user", ["mentor_user", "mentee_user"])
def test_mentors_and_mentees_may_not_see_insights(request, login, organisation, page, user):
    client = login(request.getfixturevalue(user))
    assert client.get(reverse(page, args=[organisation.slug])).status_code == 403


@pytest.mark.parametrize("page", [*INSIGHTS_PAGES, "insights:reports"])
def test_insights_ask_who_you_are_first(client, organisation, page):
    response = client.get(reverse(page, args=[organisation.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page", [*INSIGHTS_PAGES, "insights:reports"])
def test_another_organisations_insights_are_a_404(login, other_admin_user, organisation, page):
    client = login(other_admin_user)
    assert client.get(reverse(page, args=[organisation.slug])).status_code == 404
