"""The organisation's important dates: admins manage them all, managers those of their programs."""

import datetime

import pytest
from django.urls import reverse

from laurier.organisations.models import AuditEvent
from laurier.recognition.models import ImportantDate
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def url(organisation, name, *args):
    return reverse(f"recognition:{name}", args=[organisation.slug, *args])


def data(**fields):
    return {"name_fr": "Fondation", "name_en": "Founding day", "date": "2027-05-03", **fields}


def a_date(organisation, program=None, **fields):
    return ImportantDate.objects.create(
        organisation=organisation,
        program=program,
        name_fr=fields.pop("name_fr", "Fondation"),
        date=fields.pop("date", datetime.date(2027, 5, 3)),
        **fields,
    )


def test_an_admin_adds_a_yearly_date_for_the_whole_organisation(login, admin_user, organisation):
    response = login(admin_user).post(url(organisation, "important_date_create"), data(yearly="on"))
    assert response.status_code == 302
    important = ImportantDate.objects.get()
    assert important.program is None and important.yearly
    assert important.organisation == organisation
    assert AuditEvent.objects.filter(object_type="recognition.importantdate").exists()


def test_a_manager_adds_a_date_to_a_program_they_manage(login, manager_user, organisation, program):
    response = login(manager_user).post(
        url(organisation, "important_date_create"), data(program=program.pk)
    )
    assert response.status_code == 302
    assert ImportantDate.objects.get().program == program


def test_a_manager_cannot_add_a_date_for_the_whole_organisation(login, manager_user, organisation):
    response = login(manager_user).post(url(organisation, "important_date_create"), data())
    assert response.status_code == 200
    assert not ImportantDate.objects.exists()


def test_a_manager_cannot_add_a_date_to_another_program(login, manager_user, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    response = login(manager_user).post(
        url(organisation, "important_date_create"), data(program=other.pk)
    )
    assert response.status_code == 200
    assert not ImportantDate.objects.exists()


def test_a_date_needs_a_name(login, admin_user, organisation):
    client = login(admin_user)
    response = client.post(url(organisation, "important_date_create"), data(name_fr="", name_en=""))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not ImportantDate.objects.exists()


def test_the_list_shows_the_organisation_s_dates_and_the_manager_s_programs(
    login, manager_user, organisation, program
):
    other = factories.ProgramFactory(organisation=organisation)
    a_date(organisation, name_fr="Pour tous")
    a_date(organisation, program, name_fr="Le mien")
    a_date(organisation, other, name_fr="Pas le mien")
    a_date(factories.OrganisationFactory(), name_fr="Ailleurs")
    html = login(manager_user).get(url(organisation, "important_dates")).content.decode()
    assert "Pour tous" in html and "Le mien" in html
    assert "Pas le mien" not in html and "Ailleurs" not in html


def test_a_manager_reads_but_does_not_edit_the_organisation_s_dates(
    login, manager_user, organisation
):
    important = a_date(organisation)
    client = login(manager_user)
    assert client.get(url(organisation, "important_date_edit", important.pk)).status_code == 403
    response = client.post(url(organisation, "important_date_delete", important.pk))
    assert response.status_code == 403
    assert ImportantDate.objects.filter(pk=important.pk).exists()


def test_a_manager_edits_a_date_of_their_program(login, manager_user, organisation, program):
    important = a_date(organisation, program)
    response = login(manager_user).post(
        url(organisation, "important_date_edit", important.pk),
        data(name_fr="Gala", program=program.pk),
    )
    assert response.status_code == 302
    important.refresh_from_db()
    assert important.name_fr == "Gala"


def test_a_manager_cannot_move_a_date_to_the_whole_organisation(
    login, manager_user, organisation, program
):
    important = a_date(organisation, program)
    response = login(manager_user).post(
        url(organisation, "important_date_edit", important.pk), data(program="")
    )
    assert response.status_code == 200
    important.refresh_from_db()
    assert important.program == program


def test_another_program_s_date_is_404_for_a_manager(login, manager_user, organisation):
    important = a_date(organisation, factories.ProgramFactory(organisation=organisation))
    client = login(manager_user)
    for name in ("important_date_edit", "important_date_delete"):
        assert client.get(url(organisation, name, important.pk)).status_code == 404


def test_another_organisation_s_date_is_404(
    login, other_admin_user, organisation, other_organisation
):
    important = a_date(organisation)
    client = login(other_admin_user)
    for name in ("important_date_edit", "important_date_delete"):
        assert client.get(url(other_organisation, name, important.pk)).status_code == 404
        assert client.get(url(organisation, name, important.pk)).status_code == 404
    # A date of another organisation is like one already deleted: nothing happens.
    client.post(url(other_organisation, "important_date_delete", important.pk))
    assert ImportantDate.objects.filter(pk=important.pk).exists()


@pytest.mark.parametrize("name", ["important_dates", "important_date_create"])
def test_mentors_and_mentees_get_403(login, mentor_user, mentee_user, organisation, name):
    assert login(mentor_user).get(url(organisation, name)).status_code == 403
    assert login(mentee_user).get(url(organisation, name)).status_code == 403


def test_a_mentor_cannot_add_a_date(login, mentor_user, organisation):
    assert (
        login(mentor_user).post(url(organisation, "important_date_create"), data()).status_code
        == 403
    )
    assert not ImportantDate.objects.exists()


def test_an_admin_deletes_a_date_and_a_second_click_changes_nothing(
    login, admin_user, organisation
):
    important = a_date(organisation)
    client = login(admin_user)
    assert client.post(url(organisation, "important_date_delete", important.pk)).status_code == 302
    assert client.post(url(organisation, "important_date_delete", important.pk)).status_code == 302
    assert not ImportantDate.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1


def test_the_form_pages_render(login, admin_user, organisation):
    important = a_date(organisation)
    client = login(admin_user)
    for page in (
        url(organisation, "important_dates"),
        url(organisation, "important_date_create"),
        url(organisation, "important_date_edit", important.pk),
        url(organisation, "important_date_delete", important.pk),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert response.content.decode().count("<h1>") == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_list_takes_a_constant_number_of_queries(
    login, admin_user, organisation, program, size, django_assert_max_num_queries
):
    for index in range(size):
        a_date(organisation, program if index % 2 else None, name_fr=f"D{index}")
    client = login(admin_user)
    with django_assert_max_num_queries(8):
        response = client.get(url(organisation, "important_dates"))
    assert len(response.context["rows"]) == size
