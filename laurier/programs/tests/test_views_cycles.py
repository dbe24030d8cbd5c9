from laurier.organisations.models import AuditEvent
from laurier.programs.models import Cycle
from laurier.testing import factories


def test_cycles_page_lists_the_programs_cycles(manager_client, program, program_url):
    factories.CycleFactory(program=program, name="Winter 2026")
    response = manager_client.get(program_url("cycles"))
    assert "Winter 2026" in response.text


def test_manager_adds_a_cycle(manager_client, program, program_url):
    response = manager_client.post(
        program_url("cycles"),
        {"name": "Fall", "starts_on": "2026-09-01", "ends_on": "2026-12-15"},
    )
    assert response.status_code == 302
    assert Cycle.objects.get(program=program).name == "Fall"
    assert AuditEvent.objects.filter(object_type="programs.cycle", action="create").exists()


def test_a_cycle_ending_before_it_starts_is_refused_with_a_message(
    manager_client, program, program_url
):
    response = manager_client.post(
        program_url("cycles"),
        {"name": "Fall", "starts_on": "2026-09-01", "ends_on": "2026-08-01"},
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.text
    assert not Cycle.objects.exists()


def test_manager_edits_a_cycle(manager_client, program, program_url):
    cycle = factories.CycleFactory(program=program)
    manager_client.post(
        program_url("cycle_edit", cycle.pk),
        {"name": "Renamed", "starts_on": "2026-01-01", "ends_on": "2026-06-30"},
    )
    cycle.refresh_from_db()
    assert (cycle.name, str(cycle.ends_on)) == ("Renamed", "2026-06-30")


def test_editing_a_cycle_with_bad_dates_changes_nothing(manager_client, program, program_url):
    cycle = factories.CycleFactory(program=program, name="Kept")
    response = manager_client.post(
        program_url("cycle_edit", cycle.pk),
        {"name": "Changed", "starts_on": "2026-06-01", "ends_on": "2026-06-01"},
    )
    assert "must end after it starts" in response.text
    cycle.refresh_from_db()
    assert cycle.name == "Kept"


def test_double_submit_of_a_cycle_adds_one(manager_client, program, program_url):
    data = {"name": "Fall", "starts_on": "2026-09-01", "ends_on": "2026-12-15"}
    manager_client.post(program_url("cycles"), data)
    response = manager_client.post(program_url("cycles"), data)
    assert "already has a cycle with this name" in response.text
    assert Cycle.objects.filter(program=program).count() == 1
