"""What the pages show of HR sync: runs in the import list, held lists, people who left."""

import datetime

import pytest
from django.urls import reverse

from laurier.imports.models import ImportJob, ImportSource
from laurier.programs.forms import PairingForm
from laurier.programs.models import Person
from laurier.testing import factories

from .conftest import csv_file

LEFT_ON = datetime.date(2026, 11, 20)


def hr_job(organisation, status=ImportJob.Status.DONE, leavers=()):
    return ImportJob.objects.create(
        organisation=organisation,
        kind="people",
        source=ImportSource.HR_SYNC,
        full_list=True,
        file_date=LEFT_ON,
        file="imports/staff.csv",
        original_name="staff.csv",
        status=status,
        summary={
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "ignored_columns": [],
            "leaving": len(leavers),
            "returning": 0,
            "leavers": [
                {"id": person.pk, "name": person.full_name, "email": person.email}
                for person in leavers
            ],
        },
    )


@pytest.fixture
def leaver(organisation):
    return factories.PersonFactory(
        organisation=organisation, first_name="Zoé", last_name="Partie", left_on=LEFT_ON
    )


@pytest.fixture
def stayer(organisation):
    return factories.PersonFactory(organisation=organisation, first_name="Ali", last_name="Reste")


def test_the_import_list_shows_hr_sync_runs_and_filters_by_source(login, admin_user, organisation):
    hr_job(organisation)
    ImportJob.objects.create(
        organisation=organisation,
        kind="people",
        file="x.csv",
        original_name="page.csv",
        status="done",
    )
    url = reverse("imports:list", args=[organisation.slug])

    response = login(admin_user).get(url, {"source": "hr_sync"})

    assert [job.original_name for job in response.context["page"]] == ["staff.csv"]


def test_a_held_list_shows_who_would_leave_and_an_admin_confirms_it(
    login, admin_user, organisation, stayer
):
    job = hr_job(organisation, ImportJob.Status.HELD, leavers=[stayer])
    client = login(admin_user)

    page = client.get(reverse("imports:detail", args=[organisation.slug, job.pk]))

    assert page.context["leavers"][0]["email"] == stayer.email
    commit_url = reverse("imports:commit", args=[organisation.slug, job.pk])
    assert f'action="{commit_url}"' in page.content.decode()


def test_a_manager_cannot_confirm_a_held_list(login, manager_user, organisation, stayer):
    job = hr_job(organisation, ImportJob.Status.HELD, leavers=[stayer])
    job.created_by = manager_user
    job.save()

    login(manager_user).post(reverse("imports:commit", args=[organisation.slug, job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.HELD


def test_people_who_left_are_hidden_from_the_people_list_unless_asked(
    login, admin_user, organisation, leaver, stayer
):
    client = login(admin_user)
    url = reverse("programs:people", args=[organisation.slug])

    assert [person.pk for person in client.get(url).context["page"]] == [stayer.pk]
    response = client.get(url, {"left": "on"})
    assert {person.pk for person in response.context["page"]} == {leaver.pk, stayer.pk}
    assert 'class="badge left"' in response.content.decode()


def test_a_persons_page_says_when_they_left(login, admin_user, organisation, leaver):
    response = login(admin_user).get(
        reverse("programs:person_edit", args=[organisation.slug, leaver.pk])
    )

    assert 'class="message warning"' in response.content.decode()


def test_people_who_left_are_not_offered_for_new_enrolments(
    login, admin_user, organisation, program, leaver, stayer
):
    response = login(admin_user).get(
        reverse("programs:mentor_add", args=[organisation.slug, program.slug])
    )

    offered = set(response.context["form"].fields["person"].queryset)
    assert offered == {stayer}


def test_people_who_left_are_not_offered_for_new_pairings(organisation, program, leaver, stayer):
    factories.MentorEnrolmentFactory(program=program, person=leaver)
    factories.MentorEnrolmentFactory(program=program, person=stayer)

    form = PairingForm(program=program)

    assert set(form.fields["mentor"].queryset) == {stayer}
    assert Person.objects.count() == 2


def staff_upload(*emails):
    lines = [["courriel", "prénom", "nom"]] + [[email, "A", "B"] for email in emails]
    return csv_file(lines)


def test_an_admin_uploads_the_whole_staff_list_and_sees_who_would_leave_before_importing(
    login, admin_user, organisation, upload, commit
):
    people = [
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")
        for n in range(10)
    ]
    client = login(admin_user)
    emails = [person.email for person in people[1:]]

    job = client.post(
        reverse("imports:list", args=[organisation.slug]),
        {"kind": "people", "file": staff_upload(*emails), "full_list": "on"},
        follow=True,
    ).context["job"]

    assert job.status == ImportJob.Status.READY
    assert [leaver["id"] for leaver in job.summary["leavers"]] == [people[0].pk]
    assert not Person.objects.filter(left_on__isnull=False).exists()
    commit(client, job)
    people[0].refresh_from_db()
    assert people[0].left_on is not None


def test_a_manager_cannot_send_a_whole_staff_list(login, manager_user, organisation, stayer):
    job = (
        login(manager_user)
        .post(
            reverse("imports:list", args=[organisation.slug]),
            {"kind": "people", "file": staff_upload("new@example.org"), "full_list": "on"},
            follow=True,
        )
        .context["job"]
    )

    assert not job.full_list
    assert "leavers" not in job.summary


def test_an_import_page_says_that_the_enrolments_of_people_back_stay_ended(
    login, admin_user, organisation, stayer
):
    job = hr_job(organisation)
    job.summary = {
        **job.summary,
        "returning": 1,
        "returners": [{"id": stayer.pk, "name": stayer.full_name, "email": stayer.email}],
    }
    job.save()

    page = login(admin_user).get(reverse("imports:detail", args=[organisation.slug, job.pk]))

    assert 'id="returners"' in page.content.decode()
    assert stayer.full_name in page.content.decode()


def test_a_staff_list_pressed_after_people_were_added_is_refused_and_says_why(
    login, admin_user, organisation, upload, commit
):
    people = [
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")
        for n in range(10)
    ]
    client = login(admin_user)
    job = client.post(
        reverse("imports:list", args=[organisation.slug]),
        {"kind": "people", "file": staff_upload(*[p.email for p in people[1:]]), "full_list": "on"},
        follow=True,
    ).context["job"]
    factories.PersonFactory(organisation=organisation, email="hired-since@example.org")

    page = commit(client, job)

    job.refresh_from_db()
    assert [problem["code"] for problem in job.errors] == ["staff_changed"]
    assert not Person.objects.filter(left_on__isnull=False).exists()
    assert 'id="problems-title"' in page.content.decode()
