import csv
import datetime
import io

import openpyxl

from laurier.organisations.models import AuditEvent
from laurier.programs.models import EnrolmentStatus, Pairing
from laurier.testing import factories


def pair_form(mentor, mentee, cycle=None, starts_on="2026-02-01"):
    return {
        "mentor": mentor.pk,
        "mentee": mentee.pk,
        "cycle": cycle.pk if cycle else "",
        "starts_on": starts_on,
    }


def people(program):
    mentor = factories.MentorEnrolmentFactory(program=program).person
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    return mentor, mentee


def test_pairings_list_shows_the_programs_pairings(
    manager_client, organisation, program, program_url
):
    mine = factories.PairingFactory(program=program)
    factories.PairingFactory(program=factories.ProgramFactory(organisation=organisation))
    assert [p.pk for p in manager_client.get(program_url("pairings")).context["page"]] == [mine.pk]


def test_pairings_search_by_mentee_name(manager_client, program, program_url):
    wanted = factories.PairingFactory(program=program, mentee__last_name="Bouchard")
    factories.PairingFactory(program=program, mentee__last_name="Côté")
    page = manager_client.get(program_url("pairings"), {"q": "bouch"}).context["page"]
    assert [p.pk for p in page] == [wanted.pk]


def test_pairings_filter_by_status_and_cycle(manager_client, program, program_url):
    cycle = factories.CycleFactory(program=program)
    wanted = factories.PairingFactory(program=program, cycle=cycle)
    factories.PairingFactory(program=program, cycle=cycle, status=Pairing.Status.COMPLETED)
    factories.PairingFactory(program=program)
    page = manager_client.get(
        program_url("pairings"), {"status": "active", "cycle": cycle.pk}
    ).context["page"]
    assert [p.pk for p in page] == [wanted.pk]


def test_pairings_sort_by_mentor(manager_client, program, program_url):
    factories.PairingFactory(program=program, mentor__last_name="Zed")
    factories.PairingFactory(program=program, mentor__last_name="Abel")
    page = manager_client.get(program_url("pairings"), {"sort": "mentor"}).context["page"]
    assert [p.mentor.last_name for p in page] == ["Abel", "Zed"]


def test_pairings_export_csv_and_xlsx_parse_back(manager_client, program, program_url):
    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory(pairing=pairing, duration_minutes=30)
    text = manager_client.get(program_url("pairings"), {"export": "csv"}).content.decode(
        "utf-8-sig"
    )
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[1][0] == pairing.mentor.full_name
    assert rows[1][6].replace(",", ".") == "0.5"
    response = manager_client.get(program_url("pairings"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(values_only=True))[1][1] == pairing.mentee.full_name


def test_manager_creates_a_pairing(manager_client, program, program_url):
    mentor, mentee = people(program)
    cycle = factories.CycleFactory(program=program)
    response = manager_client.post(program_url("pairing_create"), pair_form(mentor, mentee, cycle))
    assert response.status_code == 302
    pairing = Pairing.objects.get(program=program)
    assert (pairing.mentor, pairing.mentee, pairing.cycle) == (mentor, mentee, cycle)
    assert AuditEvent.objects.filter(object_type="programs.pairing", action="create").exists()


def test_double_submit_of_a_pairing_creates_one(manager_client, program, program_url):
    mentor, mentee = people(program)
    manager_client.post(program_url("pairing_create"), pair_form(mentor, mentee))
    response = manager_client.post(program_url("pairing_create"), pair_form(mentor, mentee))
    assert "already paired" in response.text
    assert Pairing.objects.count() == 1


def test_a_mentee_cannot_be_paired_with_themselves(manager_client, program, program_url):
    person = factories.MentorEnrolmentFactory(program=program).person
    factories.MenteeEnrolmentFactory(program=program, person=person)
    response = manager_client.post(program_url("pairing_create"), pair_form(person, person))
    assert "cannot mentor themselves" in response.text
    assert not Pairing.objects.exists()


def test_people_not_enrolled_cannot_be_paired(manager_client, organisation, program, program_url):
    mentor, _mentee = people(program)
    outsider = factories.PersonFactory(organisation=organisation)
    response = manager_client.post(program_url("pairing_create"), pair_form(mentor, outsider))
    assert response.status_code == 200
    assert "mentee" in response.context["form"].errors
    assert not Pairing.objects.exists()


def test_a_paused_mentor_is_not_offered(manager_client, program, program_url):
    paused = factories.MentorEnrolmentFactory(program=program, status=EnrolmentStatus.PAUSED)
    form = manager_client.get(program_url("pairing_create")).context["form"]
    assert paused.person not in form.fields["mentor"].queryset


def test_a_cycle_of_another_program_is_refused(manager_client, organisation, program, program_url):
    mentor, mentee = people(program)
    cycle = factories.CycleFactory(program=factories.ProgramFactory(organisation=organisation))
    response = manager_client.post(program_url("pairing_create"), pair_form(mentor, mentee, cycle))
    assert "cycle" in response.context["form"].errors
    assert not Pairing.objects.exists()


def test_manager_ends_a_pairing(manager_client, program, program_url):
    pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 15))
    response = manager_client.post(
        program_url("pairing_edit", pairing.pk), {"status": "completed", "ends_on": "2026-06-30"}
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.status, str(pairing.ends_on)) == ("completed", "2026-06-30")
    event = AuditEvent.objects.get(object_type="programs.pairing", action="update")
    assert event.changes["status"] == ["active", "completed"]


def test_ending_a_pairing_without_a_date_is_refused(manager_client, program, program_url):
    pairing = factories.PairingFactory(program=program)
    response = manager_client.post(
        program_url("pairing_edit", pairing.pk), {"status": "ended_early", "ends_on": ""}
    )
    assert "Give the date the pairing ended" in response.text
    pairing.refresh_from_db()
    assert pairing.status == "active"


def test_htmx_filter_returns_only_the_pairings(manager_client, program, program_url):
    factories.PairingFactory(program=program)
    response = manager_client.get(program_url("pairings"), HTTP_HX_REQUEST="true")
    assert "<table>" in response.text
    assert "<h1>" not in response.text


def test_an_active_pairing_offers_to_log_a_session(manager_client, program, program_url):
    active = factories.PairingFactory(program=program)
    ended = factories.PairingFactory(program=program, status=Pairing.Status.COMPLETED)
    html = manager_client.get(program_url("pairings")).content.decode()
    assert f"/sessions/new/?pairing={active.pk}" in html
    assert f"/sessions/new/?pairing={ended.pk}" not in html
