"""Who may reach the import pages, and into which programs they may import."""

import pytest
from django.urls import reverse

from laurier.imports.models import ImportJob
from laurier.organisations.models import Role
from laurier.programs.models import MentorEnrolment
from laurier.testing import factories

from .conftest import csv_file


@pytest.fixture
def job(organisation, program, admin_user):
    return ImportJob.objects.create(
        organisation=organisation,
        program=program,
        kind="mentors",
        original_name="mentors.csv",
        file="imports/mentors.csv",
        status=ImportJob.Status.READY,
        created_by=admin_user,
    )


@pytest.fixture
def other_program(organisation):
    return factories.ProgramFactory(organisation=organisation, name="Autre", slug="autre")


@pytest.mark.parametrize("name", ["imports:detail", "imports:progress"])
def test_admin_of_other_org_gets_404_on_a_job(login, other_admin_user, job, name):
    client = login(other_admin_user)
    assert client.get(reverse(name, args=["hydro", job.pk])).status_code == 404


def test_other_org_job_is_404_even_through_ones_own_organisation(login, other_admin_user, job):
    client = login(other_admin_user)
    assert client.get(reverse("imports:detail", args=["other", job.pk])).status_code == 404
    assert client.post(reverse("imports:commit", args=["other", job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY


def test_admin_of_other_org_cannot_commit(login, other_admin_user, job):
    client = login(other_admin_user)
    assert client.post(reverse("imports:commit", args=["hydro", job.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("imports:list", args=["hydro"]),
        reverse("imports:sample", args=["hydro", "people"]),
    ],
)
def test_mentee_gets_403_on_import_pages(login, mentee_user, url):
    assert login(mentee_user).get(url).status_code == 403


def test_mentee_gets_403_on_a_job(login, mentee_user, job):
    client = login(mentee_user)
    assert client.get(reverse("imports:detail", args=["hydro", job.pk])).status_code == 403
    assert client.post(reverse("imports:commit", args=["hydro", job.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in():
    from django.test import Client

    response = Client().get(reverse("imports:list", args=["hydro"]))
    assert response.status_code == 302


def test_manager_cannot_choose_a_program_they_do_not_manage(
    login, manager_user, upload, other_program
):
    response = upload(
        login(manager_user), "mentors", csv_file([["courriel"], ["a@example.org"]]), other_program
    )
    assert response.context["form"].errors["program"]
    assert not ImportJob.objects.exists()


def test_manager_file_naming_a_program_they_do_not_manage_is_refused(
    login, manager_user, upload, commit, other_program, organisation
):
    factories.PersonFactory(organisation=organisation, email="a@example.org")
    client = login(manager_user)
    job = upload(
        client, "mentors", csv_file([["courriel", "programme"], ["a@example.org", "autre"]])
    ).context["job"]
    assert [(problem["row"], problem["code"]) for problem in job.errors] == [(2, "unknown_program")]
    commit(client, job)
    assert not MentorEnrolment.objects.exists()


def test_manager_does_not_see_imports_into_programs_of_others(login, organisation, job):
    other_manager = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=other_manager, role=Role.MANAGER)
    client = login(other_manager)
    assert client.get(reverse("imports:detail", args=["hydro", job.pk])).status_code == 404
    assert job not in client.get(reverse("imports:list", args=["hydro"])).context["page"]


def test_manager_sees_imports_into_the_programs_they_manage(login, manager_user, job):
    response = login(manager_user).get(reverse("imports:detail", args=["hydro", job.pk]))
    assert response.status_code == 200


def test_commit_is_refused_to_get_requests(login, admin_user, job):
    response = login(admin_user).get(reverse("imports:commit", args=["hydro", job.pk]))
    assert response.status_code == 405
