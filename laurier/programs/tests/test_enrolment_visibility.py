"""A program manager sees the enrolments of the programs they manage; an admin sees them all.

The people directory itself stays organisation-wide: managers enrol people from it.
"""

import csv
import io

import pytest

from laurier.testing import factories


@pytest.fixture
def sibling(organisation):
    """A program of the same organisation that `manager_user` does not manage."""
    return factories.ProgramFactory(organisation=organisation, name="Sibling program")


@pytest.fixture
def mentor_in_both(organisation, program, sibling):
    person = factories.PersonFactory(organisation=organisation, last_name="Both")
    factories.MentorEnrolmentFactory(program=program, person=person)
    factories.MenteeEnrolmentFactory(program=sibling, person=person)
    return person


@pytest.fixture
def mentor_elsewhere(organisation, sibling):
    person = factories.PersonFactory(organisation=organisation, last_name="Elsewhere")
    factories.MentorEnrolmentFactory(program=sibling, person=person)
    return person


def enrolled_programs(response, person):
    row = next(row for row in response.context["page"] if row.pk == person.pk)
    mentor_in = [e.program.name for e in row.mentor_enrolments.all()]
    mentee_in = [e.program.name for e in row.mentee_enrolments.all()]
    return mentor_in, mentee_in


def test_manager_sees_in_the_people_list_only_enrolments_of_their_programs(
    manager_client, org_url, program, mentor_in_both
):
    response = manager_client.get(org_url("people"))
    assert enrolled_programs(response, mentor_in_both) == ([program.name], [])
    assert "Sibling program" not in response.text


def test_admin_sees_every_enrolment_in_the_people_list(
    admin_client, org_url, program, mentor_in_both
):
    response = admin_client.get(org_url("people"))
    assert enrolled_programs(response, mentor_in_both) == ([program.name], ["Sibling program"])


def test_manager_still_finds_everyone_of_the_organisation_in_the_directory(
    manager_client, org_url, mentor_elsewhere
):
    response = manager_client.get(org_url("people"))
    assert mentor_elsewhere.pk in {person.pk for person in response.context["page"]}


def test_manager_filtering_mentors_gets_only_mentors_of_their_programs(
    manager_client, org_url, mentor_in_both, mentor_elsewhere
):
    response = manager_client.get(org_url("people"), {"role": "mentor"})
    assert [person.pk for person in response.context["page"]] == [mentor_in_both.pk]


def test_manager_export_of_people_leaves_out_other_programs(
    manager_client, org_url, program, mentor_in_both
):
    response = manager_client.get(org_url("people"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert program.name in text
    assert "Sibling program" not in text
    assert len(list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text else ","))) > 1


def test_manager_sees_on_a_persons_page_only_enrolments_of_their_programs(
    manager_client, org_url, program, mentor_in_both
):
    response = manager_client.get(org_url("person_edit", mentor_in_both.pk))
    assert response.status_code == 200
    assert program.name in response.text
    assert "Sibling program" not in response.text


def test_admin_sees_every_enrolment_on_a_persons_page(
    admin_client, org_url, program, mentor_in_both
):
    response = admin_client.get(org_url("person_edit", mentor_in_both.pk))
    assert program.name in response.text
    assert "Sibling program" in response.text


def test_manager_sees_a_person_enrolled_elsewhere_as_in_none_of_their_programs(
    manager_client, org_url, mentor_elsewhere
):
    response = manager_client.get(org_url("person_edit", mentor_elsewhere.pk))
    assert "Sibling program" not in response.text
    assert "In none of the programs you manage." in response.text
