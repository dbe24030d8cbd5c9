"""Another organisation's or another program's sessions, pairings and programs stay out of reach."""

import datetime

import pytest
from django.urls import reverse

from laurier.hours.models import MentoringSession
from laurier.testing import factories

SESSION_CHANGE = {
    "held_on": "2025-06-01",
    "duration_minutes": "45",
    "format": "group",
    "setting": "online",
    "notes": "Changed",
}


def url(name, *args, program="releve"):
    return reverse(name, args=["hydro", program, *args])


@pytest.fixture
def foreign_session(foreign_pairing):
    """A session of another organisation."""
    return factories.MentoringSessionFactory(
        pairing=foreign_pairing, held_on=datetime.date(2025, 3, 4), duration_minutes=60
    )


@pytest.fixture
def sibling_session(organisation):
    """A session of a program of my organisation that `manager_user` does not manage."""
    sibling = factories.ProgramFactory(organisation=organisation, slug="sibling")
    pairing = factories.PairingFactory(program=sibling, starts_on=datetime.date(2020, 1, 1))
    return factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 3, 4), duration_minutes=60
    )


@pytest.mark.parametrize("source", ["foreign_session", "sibling_session"])
def test_updating_a_session_of_elsewhere_gets_404_and_changes_nothing(
    request, login, manager_user, program, source
):
    session = request.getfixturevalue(source)
    response = login(manager_user).post(url("hours:session_edit", session.pk), SESSION_CHANGE)
    assert response.status_code == 404
    session.refresh_from_db()
    assert (session.duration_minutes, session.notes) == (60, "")


@pytest.mark.parametrize("source", ["foreign_session", "sibling_session"])
def test_deleting_a_session_of_elsewhere_gets_404_and_deletes_nothing(
    request, login, manager_user, program, source
):
    session = request.getfixturevalue(source)
    response = login(manager_user).post(url("hours:session_edit", session.pk), {"delete": "1"})
    assert response.status_code == 404
    assert MentoringSession.objects.filter(pk=session.pk).exists()


def test_admin_posting_another_programs_session_through_this_program_gets_404(
    login, admin_user, program, sibling_session
):
    response = login(admin_user).post(
        url("hours:session_edit", sibling_session.pk), {"delete": "1"}
    )
    assert response.status_code == 404
    assert MentoringSession.objects.filter(pk=sibling_session.pk).exists()


@pytest.mark.parametrize("source", ["foreign_session", "sibling_session"])
def test_session_list_filtered_by_a_pairing_of_elsewhere_shows_none_of_its_sessions(
    request, login, manager_user, pairing, source
):
    elsewhere = request.getfixturevalue(source)
    # A name no generated mentor of this program can share, so finding it means a leak.
    elsewhere.mentor.last_name = "Farawayson"
    elsewhere.mentor.save(update_fields=["last_name"])
    mine = factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2025, 3, 4))
    response = login(manager_user).get(url("hours:sessions"), {"pairing": elsewhere.pairing_id})
    shown = {session.pk for session in response.context["page"]}
    assert elsewhere.pk not in shown
    assert shown <= {mine.pk}
    assert elsewhere.mentor.last_name not in response.content.decode()


# An admin manages every program of the organisation: only another organisation's is foreign.
@pytest.mark.parametrize(
    ("user", "source"),
    [
        ("manager_user", "foreign_session"),
        ("manager_user", "sibling_session"),
        ("admin_user", "foreign_session"),
    ],
)
def test_training_hours_of_a_program_of_elsewhere_show_none_of_its_people(
    request, login, pairing, user, source
):
    elsewhere = request.getfixturevalue(source)
    factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2025, 3, 4))
    response = login(request.getfixturevalue(user)).get(
        reverse("hours:training_hours", args=["hydro"]),
        {"program": elsewhere.program_id, "year": "2025"},
    )
    assert response.status_code == 200
    shown = {person.pk for person in response.context["page"]}
    assert not shown & {elsewhere.mentor_id, elsewhere.mentee_id}
    assert elsewhere.mentor.email not in response.content.decode()


@pytest.mark.parametrize("source", ["foreign_session", "sibling_session"])
def test_training_hours_export_of_a_program_of_elsewhere_holds_none_of_its_people(
    request, login, manager_user, pairing, source
):
    elsewhere = request.getfixturevalue(source)
    response = login(manager_user).get(
        reverse("hours:training_hours", args=["hydro"]),
        {"program": elsewhere.program_id, "year": "2025", "export": "csv"},
    )
    text = response.content.decode("utf-8-sig")
    assert elsewhere.mentor.email not in text
    assert elsewhere.mentee.email not in text
