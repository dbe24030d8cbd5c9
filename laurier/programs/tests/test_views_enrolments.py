import csv
import datetime
import io

import openpyxl
import pytest

from laurier.organisations.models import AuditEvent
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Person
from laurier.testing import factories


def names(response):
    return [row.person.last_name for row in response.context["page"]]


def test_mentors_lists_the_programs_mentors_only(
    manager_client, organisation, program, program_url
):
    factories.MentorEnrolmentFactory(program=program, person__last_name="Mine")
    factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=organisation), person__last_name="Other"
    )
    assert names(manager_client.get(program_url("mentors"))) == ["Mine"]


def test_mentors_search_by_name(manager_client, program, program_url):
    factories.MentorEnrolmentFactory(program=program, person__last_name="Gagnon")
    factories.MentorEnrolmentFactory(program=program, person__last_name="Roy")
    assert names(manager_client.get(program_url("mentors"), {"q": "gag"})) == ["Gagnon"]


def test_mentors_filter_by_status(manager_client, program, program_url):
    factories.MentorEnrolmentFactory(program=program, person__last_name="Active")
    factories.MentorEnrolmentFactory(
        program=program, person__last_name="Paused", status=EnrolmentStatus.PAUSED
    )
    assert names(manager_client.get(program_url("mentors"), {"status": "paused"})) == ["Paused"]


def test_mentors_filter_no_session_in_60_days(manager_client, program, program_url, today):
    recent = factories.PairingFactory(
        program=program, mentor__last_name="Recent", starts_on=today - datetime.timedelta(days=300)
    )
    factories.MentoringSessionFactory(pairing=recent, held_on=today - datetime.timedelta(days=10))
    silent = factories.PairingFactory(
        program=program, mentor__last_name="Silent", starts_on=today - datetime.timedelta(days=300)
    )
    factories.MentoringSessionFactory(pairing=silent, held_on=today - datetime.timedelta(days=61))
    factories.MentorEnrolmentFactory(
        program=program, person__last_name="Newcomer", since=today - datetime.timedelta(days=5)
    )
    assert names(manager_client.get(program_url("mentors"), {"inactive": "on"})) == ["Silent"]


def test_mentor_rows_show_hours_pairings_and_last_session(
    manager_client, program, program_url, today
):
    pairing = factories.PairingFactory(program=program, starts_on=today.replace(month=1, day=1))
    factories.MentoringSessionFactory(pairing=pairing, held_on=today, duration_minutes=90)
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=today.replace(year=today.year - 1), duration_minutes=60
    )
    row = manager_client.get(program_url("mentors")).context["page"][0]
    assert (row.minutes_this_year, row.active_pairings, row.last_session_on) == (90, 1, today)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("hours", ["Few", "Many"]), ("-hours", ["Many", "Few"]), ("-pairings", ["Many", "Few"])],
)
def test_mentors_sort_by_figures(manager_client, program, program_url, today, sort, expected):
    for name, sessions in (("Few", 1), ("Many", 3)):
        mentor = factories.MentorEnrolmentFactory(program=program, person__last_name=name).person
        for _number in range(sessions):
            pairing = factories.PairingFactory(program=program, mentor=mentor)
            factories.MentoringSessionFactory(pairing=pairing, held_on=today)
    assert names(manager_client.get(program_url("mentors"), {"sort": sort})) == expected


def test_mentors_export_csv_parses_back(manager_client, program, program_url, today):
    pairing = factories.PairingFactory(program=program, mentor__email="m@example.org")
    factories.MentoringSessionFactory(pairing=pairing, held_on=today, duration_minutes=90)
    response = manager_client.get(program_url("mentors"), {"export": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == 2
    assert rows[1][2] == "m@example.org"
    assert rows[1][7].replace(",", ".") == "1.5"


def test_mentors_export_keeps_the_filter(manager_client, program, program_url):
    factories.MentorEnrolmentFactory(program=program, person__email="a@example.org")
    factories.MentorEnrolmentFactory(
        program=program, person__email="b@example.org", status=EnrolmentStatus.LEFT
    )
    response = manager_client.get(program_url("mentors"), {"export": "xlsx", "status": "left"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert [row[2] for row in rows[1:]] == ["b@example.org"]


def test_mentees_list_search_and_export_xlsx(manager_client, program, program_url):
    factories.MenteeEnrolmentFactory(
        program=program, person__last_name="Mentee", person__email="e@example.org"
    )
    factories.MentorEnrolmentFactory(program=program, person__last_name="Mentor")
    assert names(manager_client.get(program_url("mentees"))) == ["Mentee"]
    response = manager_client.get(program_url("mentees"), {"export": "xlsx", "q": "mentee"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][2] == "e@example.org"


def test_mentees_filter_by_status(manager_client, program, program_url):
    factories.MenteeEnrolmentFactory(program=program, person__last_name="Stays")
    factories.MenteeEnrolmentFactory(
        program=program, person__last_name="Gone", status=EnrolmentStatus.LEFT
    )
    assert names(manager_client.get(program_url("mentees"), {"status": "active"})) == ["Stays"]


def test_mentors_are_paginated(manager_client, program, program_url):
    factories.MentorEnrolmentFactory.create_batch(51, program=program)
    assert len(manager_client.get(program_url("mentors"), {"page": 2}).context["page"]) == 1


def test_add_an_existing_person_as_mentor(manager_client, organisation, program, program_url):
    person = factories.PersonFactory(organisation=organisation)
    response = manager_client.post(
        program_url("mentor_add"), {"person": person.pk, "since": "2026-02-01"}
    )
    assert response.status_code == 302
    enrolment = MentorEnrolment.objects.get(program=program)
    assert (enrolment.person, str(enrolment.since)) == (person, "2026-02-01")
    assert AuditEvent.objects.filter(object_type="programs.mentorenrolment").exists()


def test_add_a_new_person_inline_as_mentee(manager_client, organisation, program, program_url):
    manager_client.post(
        program_url("mentee_add"),
        {
            "first_name": "Léa",
            "last_name": "Roy",
            "email": "lea@example.org",
            "since": "2026-02-01",
        },
    )
    enrolment = MenteeEnrolment.objects.get(program=program)
    assert enrolment.person.email == "lea@example.org"
    assert enrolment.person.organisation == organisation


def test_inline_person_with_a_taken_email_is_refused(manager_client, organisation, program_url):
    factories.PersonFactory(organisation=organisation, email="lea@example.org")
    response = manager_client.post(
        program_url("mentee_add"),
        {
            "first_name": "Léa",
            "last_name": "Roy",
            "email": "LEA@example.org",
            "since": "2026-02-01",
        },
    )
    assert "choose them in the list" in response.text
    assert Person.objects.count() == 1
    assert not MenteeEnrolment.objects.exists()


def test_adding_needs_a_person(manager_client, program_url):
    response = manager_client.post(program_url("mentor_add"), {"since": "2026-02-01"})
    assert "Choose someone in the list or describe a new person" in response.text


def test_a_person_of_another_org_cannot_be_added(manager_client, other_organisation, program_url):
    stranger = factories.PersonFactory(organisation=other_organisation)
    response = manager_client.post(
        program_url("mentor_add"), {"person": stranger.pk, "since": "2026-02-01"}
    )
    assert response.status_code == 200
    assert not MentorEnrolment.objects.exists()


def test_double_submit_of_an_enrolment_enrols_once(
    manager_client, organisation, program, program_url
):
    person = factories.PersonFactory(organisation=organisation)
    for _attempt in range(2):
        manager_client.post(program_url("mentor_add"), {"person": person.pk, "since": "2026-02-01"})
    assert MentorEnrolment.objects.filter(program=program).count() == 1


def test_people_already_mentors_are_not_offered_again(manager_client, program, program_url):
    enrolled = factories.MentorEnrolmentFactory(program=program).person
    form = manager_client.get(program_url("mentor_add")).context["form"]
    assert enrolled not in form.fields["person"].queryset


def test_change_mentor_status_with_reason_and_date(manager_client, program, program_url):
    enrolment = factories.MentorEnrolmentFactory(program=program)
    response = manager_client.post(
        program_url("mentor_status", enrolment.pk),
        {"status": "paused", "reason": "Sabbatical", "changed_on": "2026-03-01"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_reason, str(enrolment.status_changed_on)) == (
        "paused",
        "Sabbatical",
        "2026-03-01",
    )
    assert AuditEvent.objects.filter(
        object_type="programs.mentorenrolment", action="update"
    ).exists()


def test_change_mentee_status_to_left(manager_client, program, program_url):
    enrolment = factories.MenteeEnrolmentFactory(program=program)
    manager_client.post(
        program_url("mentee_status", enrolment.pk),
        {"status": "left", "reason": "Moved", "changed_on": "2026-03-01"},
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "left"


def test_a_status_change_before_enrolment_is_refused(manager_client, program, program_url):
    enrolment = factories.MenteeEnrolmentFactory(program=program, since=datetime.date(2026, 3, 1))
    response = manager_client.post(
        program_url("mentee_status", enrolment.pk),
        {"status": "left", "reason": "", "changed_on": "2026-01-01"},
    )
    assert "before the person joined" in response.text
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_an_unknown_status_is_refused(manager_client, program, program_url):
    enrolment = factories.MentorEnrolmentFactory(program=program)
    response = manager_client.post(
        program_url("mentor_status", enrolment.pk),
        {"status": "retired", "reason": "", "changed_on": "2026-03-01"},
    )
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_htmx_filter_returns_only_the_results(manager_client, program, program_url):
    factories.MentorEnrolmentFactory(program=program, person__last_name="Gagnon")
    response = manager_client.get(program_url("mentors"), {"q": "gag"}, HTTP_HX_REQUEST="true")
    assert "Gagnon" in response.text
    assert "<h1>" not in response.text
