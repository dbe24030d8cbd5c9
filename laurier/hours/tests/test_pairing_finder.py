"""In a program with many pairings, a manager logs a session by first finding the pairing."""

import pytest
from django.urls import reverse

from laurier.hours import views
from laurier.programs.models import Pairing
from laurier.testing import factories


def session_create_url(**query):
    url = reverse("hours:session_create", args=["hydro", "releve"])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def large_program(monkeypatch, program, pairing, other_pairing):
    monkeypatch.setattr(views, "PAIRING_LIST_LIMIT", 1)
    return program


def test_small_program_offers_every_pairing_in_the_form(login, manager_user, pairing):
    response = login(manager_user).get(session_create_url())
    assert list(response.context["form"].fields["pairing"].queryset) == [pairing]


def test_large_program_asks_to_find_the_pairing_first(login, manager_user, large_program):
    response = login(manager_user).get(session_create_url())
    assert response.templates[0].name == "hours/pairing_finder.html"
    assert "form" not in response.context


def test_finder_lists_active_pairings_matching_the_name(
    login, manager_user, large_program, pairing, other_pairing
):
    Pairing.objects.filter(pk=other_pairing.pk).update(status=Pairing.Status.COMPLETED)
    name = pairing.mentee.last_name
    response = login(manager_user).get(session_create_url(q=name))
    assert list(response.context["found"]) == [pairing]
    assert f"?pairing={pairing.pk}" in response.content.decode()


def test_finder_never_shows_another_programs_pairing(login, manager_user, large_program, program):
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=program.organisation),
        mentee__last_name="Zyxwvut",
    )
    response = login(manager_user).get(session_create_url(q="Zyxwvut"))
    assert elsewhere not in response.context["found"]


def test_chosen_pairing_leads_to_the_form_with_only_that_pairing(
    login, manager_user, large_program, pairing
):
    response = login(manager_user).get(session_create_url(pairing=pairing.pk))
    assert list(response.context["form"].fields["pairing"].queryset) == [pairing]


def test_bulk_entry_in_a_large_program_points_to_the_import(login, manager_user, large_program):
    response = login(manager_user).get(reverse("hours:sessions_bulk", args=["hydro", "releve"]))
    assert response.templates[0].name == "hours/sessions_bulk_use_import.html"
    assert reverse("imports:list", args=["hydro"]) in response.content.decode()
