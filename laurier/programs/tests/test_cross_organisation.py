"""Ids of another organisation or another program, posted through my pages, change nothing."""

import datetime

import pytest

from laurier.organisations.models import Role
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)
from laurier.testing import factories

from .test_views_programs import program_form


@pytest.fixture
def theirs(other_organisation):
    """A program of another organisation, with a pairing (and so two enrolments) and a cycle."""
    program = factories.ProgramFactory(organisation=other_organisation, name="Their program")
    pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 1))
    return {
        "program": program,
        "pairing": pairing,
        "cycle": factories.CycleFactory(program=program, name="Their cycle"),
        "mentor_enrolment": program.mentor_enrolments.get(),
        "mentee_enrolment": program.mentee_enrolments.get(),
    }


@pytest.fixture
def sibling(organisation):
    """A program of my organisation that `manager_user` does not manage."""
    program = factories.ProgramFactory(organisation=organisation, name="Sibling program")
    pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 1))
    return {
        "program": program,
        "pairing": pairing,
        "cycle": factories.CycleFactory(program=program, name="Sibling cycle"),
        "mentor_enrolment": program.mentor_enrolments.get(),
        "mentee_enrolment": program.mentee_enrolments.get(),
    }


STATUS_CHANGE = {"status": EnrolmentStatus.LEFT, "reason": "Moved", "changed_on": "2026-03-01"}


@pytest.mark.parametrize("source", ["theirs", "sibling"])
def test_posting_a_foreign_mentor_status_gets_404_and_changes_nothing(
    request, manager_client, program_url, source
):
    enrolment = request.getfixturevalue(source)["mentor_enrolment"]
    response = manager_client.post(program_url("mentor_status", enrolment.pk), STATUS_CHANGE)
    assert response.status_code == 404
    assert MentorEnrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ACTIVE


@pytest.mark.parametrize("source", ["theirs", "sibling"])
def test_posting_a_foreign_mentee_status_gets_404_and_changes_nothing(
    request, manager_client, program_url, source
):
    enrolment = request.getfixturevalue(source)["mentee_enrolment"]
    response = manager_client.post(program_url("mentee_status", enrolment.pk), STATUS_CHANGE)
    assert response.status_code == 404
    assert MenteeEnrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ACTIVE


@pytest.mark.parametrize("source", ["theirs", "sibling"])
def test_posting_a_foreign_pairing_edit_gets_404_and_changes_nothing(
    request, manager_client, program_url, source
):
    pairing = request.getfixturevalue(source)["pairing"]
    response = manager_client.post(
        program_url("pairing_edit", pairing.pk),
        {"status": Pairing.Status.COMPLETED, "ends_on": "2026-06-01"},
    )
    assert response.status_code == 404
    assert Pairing.objects.get(pk=pairing.pk).status == Pairing.Status.ACTIVE


@pytest.mark.parametrize("source", ["theirs", "sibling"])
def test_posting_a_foreign_cycle_edit_gets_404_and_changes_nothing(
    request, manager_client, program_url, source
):
    cycle = request.getfixturevalue(source)["cycle"]
    response = manager_client.post(
        program_url("cycle_edit", cycle.pk),
        {"name": "Renamed", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert response.status_code == 404
    assert Cycle.objects.get(pk=cycle.pk).name == cycle.name


def test_posting_a_person_of_another_organisation_gets_404_and_changes_nothing(
    manager_client, org_url, theirs
):
    person = theirs["pairing"].mentor
    response = manager_client.post(
        org_url("person_edit", person.pk),
        {
            "first_name": "Changed",
            "last_name": "Changed",
            "email": "changed@example.org",
            "language": "fr-ca",
        },
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=person.pk).first_name == person.first_name


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_pairing_with_a_person_of_another_organisation_is_refused_on_the_form(
    manager_client, program_url, program, theirs, side
):
    mine = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 1))
    foreign = getattr(theirs["pairing"], side)
    data = {"mentor": mine.mentor.pk, "mentee": mine.mentee.pk, "starts_on": "2026-05-01"}
    data[side] = foreign.pk
    response = manager_client.post(program_url("pairing_create"), data)
    assert response.status_code == 200
    assert side in response.context["form"].errors
    assert Pairing.objects.filter(program=program).count() == 1


def test_creating_a_program_managed_by_someone_of_another_organisation_is_refused(
    admin_client, org_url, organisation, other_admin_user
):
    response = admin_client.post(org_url("create"), program_form(managers=[other_admin_user.pk]))
    assert response.status_code == 200
    assert "managers" in response.context["form"].errors
    assert not Program.objects.filter(name="Leaders of tomorrow").exists()


def test_giving_a_program_to_a_manager_of_another_organisation_is_refused(
    admin_client, program_url, program, manager_user, other_organisation
):
    foreign_manager = factories.UserFactory()
    factories.MembershipFactory(
        organisation=other_organisation, user=foreign_manager, role=Role.MANAGER
    )
    response = admin_client.post(
        program_url("edit"), program_form(slug=program.slug, managers=[foreign_manager.pk])
    )
    assert response.status_code == 200
    assert "managers" in response.context["form"].errors
    assert list(program.managers.all()) == [manager_user]
