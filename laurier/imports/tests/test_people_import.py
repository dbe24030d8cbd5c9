"""People files: matched by e-mail, checked before anything is written, re-importable."""

import datetime

import pytest

from laurier.imports.models import ImportJob
from laurier.programs.models import Person
from laurier.testing import factories

from .conftest import csv_file

FRENCH_HEADER = ["Courriel", "Prénom", "Nom de famille", "Langue", "Département", "Poste",
                 "Date d'embauche"]  # fmt: skip


def people_file(*rows, **options):
    return csv_file([FRENCH_HEADER, *rows], encoding="cp1252", **options)


@pytest.fixture
def client(login, manager_user):
    return login(manager_user)


def test_windows_1252_file_with_semicolons_and_french_headers_is_previewed(client, upload):
    response = upload(
        client,
        "people",
        people_file(
            ["heloise.cote@example.org", "Héloïse", "Côté", "français", "Ingénierie", "Analyste",
             "15/03/2019"],
            ["john.smith@example.org", "John", "Smith", "English", "Finance", "", "2021-09-01"],
        ),
    )  # fmt: skip
    job = response.context["job"]
    assert job.status == ImportJob.Status.READY
    assert (job.summary["created"], job.summary["updated"], job.summary["unchanged"]) == (2, 0, 0)
    assert not Person.objects.exists()


def test_commit_creates_people_with_every_column(client, upload, commit):
    job = upload(
        client,
        "people",
        people_file(
            ["heloise.cote@example.org", "Héloïse", "Côté", "fr", "Ingénierie", "Analyste",
             "15/03/2019"]
        ),
    ).context["job"]  # fmt: skip
    commit(client, job)
    person = Person.objects.get()
    assert (person.first_name, person.last_name, person.language) == ("Héloïse", "Côté", "fr-ca")
    assert (person.department, person.job_title) == ("Ingénierie", "Analyste")
    assert person.hire_date == datetime.date(2019, 3, 15)


def test_existing_person_is_matched_by_email_whatever_its_case(
    client, upload, commit, organisation
):
    factories.PersonFactory(
        organisation=organisation, email="Marie.Tremblay@Example.org", first_name="Marie",
        last_name="Tremblay", department="Finances",
    )  # fmt: skip
    job = upload(
        client,
        "people",
        people_file(["marie.tremblay@example.org", "Marie", "Tremblay", "", "Ressources humaines",
                     "", ""]),
    ).context["job"]  # fmt: skip
    assert (job.summary["created"], job.summary["updated"]) == (0, 1)
    commit(client, job)
    assert Person.objects.get().department == "Ressources humaines"


def test_reimporting_the_same_file_changes_nothing(client, upload, commit):
    rows = [["anne@example.org", "Anne", "Roy", "fr", "Finances", "Analyste", "01/02/2020"]]
    commit(client, upload(client, "people", people_file(*rows)).context["job"])
    again = upload(client, "people", people_file(*rows)).context["job"]
    assert (again.summary["created"], again.summary["updated"], again.summary["unchanged"]) == (
        0,
        0,
        1,
    )
    response = commit(client, again)
    assert "0 created, 0 updated, 1 unchanged" in response.content.decode()
    assert Person.objects.count() == 1


def test_every_bad_row_is_listed_with_its_row_number_and_nothing_is_written(client, upload, commit):
    response = upload(
        client,
        "people",
        people_file(
            ["ok@example.org", "Anne", "Roy", "fr", "", "", ""],
            ["", "Sans", "Courriel", "fr", "", "", ""],
            ["pas-un-courriel", "Bad", "Mail", "fr", "", "", ""],
            ["date@example.org", "Bad", "Date", "fr", "", "", "31/02/2026"],
            ["lang@example.org", "Bad", "Language", "klingon", "", "", ""],
            ["OK@example.org", "Anne", "Roy", "fr", "", "", ""],
            ["noname@example.org", "", "Roy", "fr", "", "", ""],
        ),
    )
    job = response.context["job"]
    rows = {(problem["row"], problem["code"]) for problem in job.errors}
    assert rows == {
        (3, "missing_value"),
        (4, "invalid_email"),
        (5, "bad_date"),
        (6, "bad_language"),
        (7, "duplicate_row"),
        (8, "missing_value"),
    }
    page = response.content.decode()
    assert "“31/02/2026” is not a date" in page
    assert "This row repeats row 2." in page
    assert job.status == ImportJob.Status.INVALID
    commit(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert not Person.objects.exists()


def test_file_without_email_column_is_refused(client, upload):
    job = upload(client, "people", csv_file([["prénom", "nom"], ["Anne", "Roy"]])).context["job"]
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [{"row": None, "code": "missing_column", "params": {"column": "email"}}]


def test_english_headers_and_commas_are_read(client, upload):
    job = upload(
        client,
        "people",
        csv_file(
            [["E-mail", "First Name", "Last name", "Language", "Hire date"],
             ["anne@example.org", "Anne", "Roy", "en", "2020-01-31"]],
            delimiter=",",
        ),
    ).context["job"]  # fmt: skip
    assert job.status == ImportJob.Status.READY
    assert job.summary["created"] == 1


def test_unknown_columns_are_left_aside_and_shown(client, upload):
    response = upload(
        client,
        "people",
        csv_file([["courriel", "prénom", "nom", "pointure"], ["a@example.org", "A", "B", "42"]]),
    )
    assert response.context["job"].summary["ignored_columns"] == ["pointure"]
    assert "pointure" in response.content.decode()


def test_update_changes_filled_cells_and_keeps_empty_ones(client, upload, commit, organisation):
    factories.PersonFactory(
        organisation=organisation, email="anne@example.org", first_name="Anne", last_name="Roy",
        language="fr-ca", department="Finances", job_title="Analyste",
        hire_date=datetime.date(2019, 3, 15),
    )  # fmt: skip
    job = upload(
        client,
        "people",
        people_file(["anne@example.org", "Anne", "Roy-Côté", "anglais", "", "", "01/04/2020"]),
    ).context["job"]
    commit(client, job)
    person = Person.objects.get()
    assert (person.last_name, person.language, person.hire_date) == (
        "Roy-Côté",
        "en",
        datetime.date(2020, 4, 1),
    )
    assert (person.department, person.job_title) == ("Finances", "Analyste")
