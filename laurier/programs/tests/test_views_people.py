import csv
import io

import openpyxl

from laurier.organisations.models import AuditEvent
from laurier.programs.models import Person
from laurier.testing import factories


def person_form(**overrides):
    data = {
        "first_name": "Ana",
        "last_name": "Tremblay",
        "email": "ana@example.org",
        "language": "fr-ca",
        "department": "Finance",
        "job_title": "Analyst",
        "hire_date": "2020-05-04",
    }
    return data | overrides


def test_people_lists_everyone_in_the_organisation_only(
    manager_client, organisation, other_organisation, org_url
):
    factories.PersonFactory(organisation=organisation, last_name="Ours")
    factories.PersonFactory(organisation=other_organisation, last_name="Theirs")
    response = manager_client.get(org_url("people"))
    assert "Ours" in response.text
    assert "Theirs" not in response.text


def test_people_search_matches_name_email_and_department(manager_client, organisation, org_url):
    factories.PersonFactory(organisation=organisation, last_name="Gagnon", department="Finance")
    factories.PersonFactory(organisation=organisation, last_name="Roy", department="IT")
    for query in ("gagn", "finance"):
        names = [
            p.last_name for p in manager_client.get(org_url("people"), {"q": query}).context["page"]
        ]
        assert names == ["Gagnon"], query


def test_people_filter_by_role_in_programs(manager_client, organisation, program, org_url):
    mentor = factories.MentorEnrolmentFactory(program=program).person
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    nobody = factories.PersonFactory(organisation=organisation)

    def page(role):
        response = manager_client.get(org_url("people"), {"role": role})
        return {person.pk for person in response.context["page"]}

    assert mentor.pk in page("mentor") and mentee.pk not in page("mentor")
    assert mentee.pk in page("mentee") and mentor.pk not in page("mentee")
    assert nobody.pk in page("none") and mentor.pk not in page("none")


def test_people_sort_by_department_descending(manager_client, organisation, org_url):
    factories.PersonFactory(organisation=organisation, department="Alpha")
    factories.PersonFactory(organisation=organisation, department="Zulu")
    page = manager_client.get(org_url("people"), {"sort": "-department"}).context["page"]
    assert [p.department for p in page][:2] == ["Zulu", "Alpha"]


def test_people_are_paginated(manager_client, organisation, org_url):
    factories.PersonFactory.create_batch(55, organisation=organisation)
    response = manager_client.get(org_url("people"), {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_people_export_csv_parses_back(manager_client, organisation, program, org_url):
    person = factories.MentorEnrolmentFactory(program=program).person
    response = manager_client.get(org_url("people"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(
        csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ",")
    )
    assert len(rows) == 2
    assert rows[1][2] == person.email
    assert rows[1][7] == program.name


def test_people_export_xlsx_parses_back(manager_client, organisation, org_url):
    factories.PersonFactory(organisation=organisation, email="xl@example.org")
    response = manager_client.get(org_url("people"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "xl@example.org"


def test_manager_adds_a_person(manager_client, organisation, org_url):
    response = manager_client.post(org_url("person_create"), person_form())
    assert response.status_code == 302
    person = Person.objects.get(organisation=organisation)
    assert (person.email, person.department) == ("ana@example.org", "Finance")
    assert AuditEvent.objects.filter(object_type="programs.person", action="create").exists()


def test_a_duplicate_email_in_another_case_gets_a_clear_message(
    manager_client, organisation, org_url
):
    factories.PersonFactory(organisation=organisation, email="ana@example.org")
    response = manager_client.post(org_url("person_create"), person_form(email="ANA@example.ORG"))
    assert response.status_code == 200
    assert "already has this e-mail address" in response.text
    assert Person.objects.count() == 1


def test_double_submit_of_a_new_person_adds_one(manager_client, organisation, org_url):
    manager_client.post(org_url("person_create"), person_form())
    manager_client.post(org_url("person_create"), person_form())
    assert Person.objects.count() == 1


def test_manager_edits_a_person(manager_client, organisation, org_url):
    person = factories.PersonFactory(organisation=organisation, email="ana@example.org")
    manager_client.post(org_url("person_edit", person.pk), person_form(job_title="Director"))
    person.refresh_from_db()
    assert person.job_title == "Director"
    assert AuditEvent.objects.filter(object_type="programs.person", action="update").exists()


def test_editing_a_person_to_anothers_email_is_refused(manager_client, organisation, org_url):
    factories.PersonFactory(organisation=organisation, email="taken@example.org")
    person = factories.PersonFactory(organisation=organisation, email="ana@example.org")
    response = manager_client.post(
        org_url("person_edit", person.pk), person_form(email="Taken@example.org")
    )
    assert "already has this e-mail address" in response.text
    person.refresh_from_db()
    assert person.email == "ana@example.org"


def test_htmx_search_returns_only_the_people(manager_client, organisation, org_url):
    factories.PersonFactory(organisation=organisation, last_name="Gagnon")
    response = manager_client.get(org_url("people"), {"q": "gag"}, HTTP_HX_REQUEST="true")
    assert "Gagnon" in response.text
    assert "<h1>" not in response.text
