"""A full HR file: the whole staff list, so whoever it no longer names has left."""

import datetime

import pytest
from django.core.files.base import ContentFile

from laurier.imports import services
from laurier.imports.models import ImportJob, ImportKind, ImportSource
from laurier.organisations.models import AuditEvent
from laurier.programs.models import (
    EnrolmentStatus,
    FiguresVersion,
    MentorEnrolment,
    Pairing,
    Person,
)
from laurier.testing import factories

FILE_DATE = datetime.date(2026, 11, 20)
HEADER = "courriel;prénom;nom;service"


def staff_list(organisation, *rows, full=True):
    """Import `rows` ("e-mail;first;last;department") as the HR sync does."""
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return services.create_import(
        organisation=organisation,
        user=None,
        kind=ImportKind.PEOPLE,
        program=None,
        uploaded_file=ContentFile(text.encode(), name="staff.csv"),
        source=ImportSource.HR_SYNC,
        full_list=full,
        file_date=FILE_DATE,
        in_background=False,
    )


@pytest.fixture
def staff(organisation):
    """Ten people: a list naming nine of them marks one (10%) as left, under the threshold."""
    return [
        factories.PersonFactory(
            organisation=organisation, email=f"p{n}@example.org", first_name="P", last_name=f"{n}"
        )
        for n in range(10)
    ]


def rows_for(people):
    return [f"{person.email};{person.first_name};{person.last_name};" for person in people]


def test_adds_new_people_and_updates_those_it_names_by_email_whatever_the_case(organisation, staff):
    job = staff_list(
        organisation,
        *rows_for(staff[1:]),
        "P0@EXAMPLE.ORG;P;0;Finance",
        "new@example.org;Zoé;Tremblay;TI",
    )

    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (1, 1)
    assert Person.objects.get(email="p0@example.org").department == "Finance"
    assert Person.objects.get(email="new@example.org").organisation == organisation


def test_people_absent_from_the_list_are_marked_left_on_its_date_and_kept(organisation, staff):
    job = staff_list(organisation, *rows_for(staff[1:]))

    assert job.status == ImportJob.Status.DONE
    staff[0].refresh_from_db()
    assert staff[0].left_on == FILE_DATE
    assert Person.objects.filter(left_on__isnull=True).count() == 9
    assert job.summary["leaving"] == 1
    assert job.summary["leavers"] == [{"id": staff[0].pk, "name": "P 0", "email": "p0@example.org"}]


def test_a_leaver_enrolments_end_as_left_and_their_pairings_end(organisation, program, staff):
    organisation.language = "en"
    organisation.save()
    pairing = factories.PairingFactory(program=program, mentor=staff[0], mentee=staff[1])

    staff_list(organisation, *rows_for(staff[1:]))

    enrolment = MentorEnrolment.objects.get(person=staff[0])
    assert enrolment.status == EnrolmentStatus.LEFT
    assert enrolment.status_changed_on == FILE_DATE
    assert enrolment.status_reason == "Left the organisation (HR file)"
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED_EARLY
    assert pairing.ends_on == FILE_DATE


def test_someone_marked_left_who_reappears_is_back(organisation, staff):
    staff[0].left_on = datetime.date(2026, 1, 1)
    staff[0].save()

    job = staff_list(organisation, *rows_for(staff))

    staff[0].refresh_from_db()
    assert staff[0].left_on is None
    assert job.summary["returning"] == 1


def test_a_file_that_is_not_the_full_list_marks_nobody_left(organisation, staff):
    job = staff_list(organisation, *rows_for(staff[:1]), full=False)

    assert job.status == ImportJob.Status.DONE
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_one_bad_row_writes_nothing_and_lists_every_bad_row(organisation, staff):
    job = staff_list(
        organisation, *rows_for(staff[2:]), "not-an-email;A;B;", "new@example.org;;Tremblay;"
    )

    assert job.status == ImportJob.Status.INVALID
    assert sorted(problem["row"] for problem in job.errors) == [10, 11]
    assert not Person.objects.filter(left_on__isnull=False).exists()
    assert not Person.objects.filter(email="new@example.org").exists()


def test_a_list_that_would_mark_too_many_as_left_is_held_with_who_would_leave(organisation, staff):
    job = staff_list(organisation, *rows_for(staff[3:]))

    assert job.status == ImportJob.Status.HELD
    assert job.summary["leaving"] == 3
    assert [leaver["email"] for leaver in job.summary["leavers"]] == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_the_threshold_is_a_setting(organisation, staff, settings):
    settings.HR_SYNC_MAX_LEAVING_SHARE = 0.5

    assert staff_list(organisation, *rows_for(staff[3:])).status == ImportJob.Status.DONE


def test_a_held_list_is_applied_once_confirmed(organisation, staff, admin_user):
    job = staff_list(organisation, *rows_for(staff[3:]))

    job, started = services.start_import(job, user=admin_user, confirmed=True)

    assert started
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.filter(left_on=FILE_DATE).count() == 3
    held, applied = AuditEvent.objects.filter(object_type="imports.importjob").order_by("pk")
    assert held.changes["status"] == ImportJob.Status.HELD
    assert applied.actor == admin_user
    assert sorted(applied.changes["left"]) == sorted(person.pk for person in staff[:3])


def test_a_held_list_does_not_start_without_confirmation(organisation, staff, admin_user):
    job = staff_list(organisation, *rows_for(staff[3:]))

    job, started = services.start_import(job, user=admin_user)

    assert not started
    assert job.status == ImportJob.Status.HELD


def test_the_same_list_twice_changes_nothing_the_second_time(organisation, staff):
    staff_list(organisation, *rows_for(staff[1:]), "new@example.org;Zoé;Tremblay;TI")

    again = staff_list(organisation, *rows_for(staff[1:]), "new@example.org;Zoé;Tremblay;TI")

    assert again.status == ImportJob.Status.DONE
    assert (again.summary["created"], again.summary["updated"]) == (0, 0)
    assert (again.summary["leaving"], again.summary["returning"]) == (0, 0)


# What is applied is what was shown (review C1), and limits (C3, C4).


def test_an_old_held_list_confirmed_after_a_newer_one_was_applied_is_refused(
    organisation, staff, admin_user
):
    monday = staff_list(organisation, *rows_for(staff[3:]))
    hires = [f"new{n}@example.org;N;{n};" for n in range(5)]
    staff_list(organisation, *rows_for(staff), *hires)

    job, _started = services.start_import(monday, user=admin_user, confirmed=True)

    assert job.status == ImportJob.Status.INVALID
    assert [problem["code"] for problem in job.errors] == ["superseded"]
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_a_held_list_confirmed_after_the_people_changed_is_refused_not_applied_differently(
    organisation, staff, admin_user
):
    held = staff_list(organisation, *rows_for(staff[3:]))
    factories.PersonFactory(organisation=organisation, email="hired-since@example.org")

    job, _started = services.start_import(held, user=admin_user, confirmed=True)

    assert job.status == ImportJob.Status.INVALID
    assert [problem["code"] for problem in job.errors] == ["staff_changed"]
    assert not Person.objects.filter(left_on__isnull=False).exists()
    assert held.summary["leaving"] == 3  # what the admin was shown stays on the job


def test_a_list_checked_under_the_threshold_but_over_it_when_written_is_held_again(
    organisation, staff, admin_user, settings
):
    page_upload = services.create_import(
        organisation=organisation,
        user=admin_user,
        kind=ImportKind.PEOPLE,
        program=None,
        uploaded_file=ContentFile(("\r\n".join([HEADER, *rows_for(staff[1:])])).encode(), "s.csv"),
        full_list=True,
        in_background=False,
    )
    assert page_upload.status == ImportJob.Status.READY
    settings.HR_SYNC_MAX_LEAVERS = 0

    job, _started = services.start_import(page_upload, user=admin_user)

    assert job.status == ImportJob.Status.HELD
    assert not Person.objects.filter(left_on__isnull=False).exists()
    job, _started = services.start_import(job, user=admin_user, confirmed=True)
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.filter(left_on__isnull=False).count() == 1


def test_more_leavers_than_the_absolute_cap_hold_the_list_whatever_their_share(
    organisation, staff, settings
):
    settings.HR_SYNC_MAX_LEAVERS = 1

    job = staff_list(organisation, *rows_for(staff[2:]))  # 2 of 10 leave: 20%, not over

    assert job.status == ImportJob.Status.HELD
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_the_summary_names_who_is_back_and_their_ended_enrolments_stay_ended(
    organisation, program, staff
):
    staff[0].left_on = datetime.date(2026, 1, 1)
    staff[0].save()
    enrolment = factories.MentorEnrolmentFactory(
        program=program, person=staff[0], status=EnrolmentStatus.LEFT
    )

    job = staff_list(organisation, *rows_for(staff))

    assert job.summary["returners"] == [
        {"id": staff[0].pk, "name": "P 0", "email": "p0@example.org"}
    ]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.LEFT


@pytest.mark.parametrize(
    ("file_date", "code"),
    [
        (datetime.date(2099, 1, 1), "file_date_in_future"),
        (datetime.date(1900, 1, 1), "file_date_too_old"),
    ],
)
def test_a_file_date_after_today_or_long_ago_refuses_the_list(organisation, staff, file_date, code):
    job = services.create_import(
        organisation=organisation,
        user=None,
        kind=ImportKind.PEOPLE,
        program=None,
        uploaded_file=ContentFile(b"courriel;prenom;nom\r\np0@example.org;P;0\r\n", name="s.csv"),
        source=ImportSource.HR_SYNC,
        full_list=True,
        file_date=file_date,
        in_background=False,
    )

    assert job.status == ImportJob.Status.INVALID
    assert [problem["code"] for problem in job.errors] == [code]
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_a_list_with_leavers_moves_the_figures_version_once_at_the_end(
    organisation, staff, program
):
    for person in staff[:2]:
        factories.MentorEnrolmentFactory(program=program, person=person)
        factories.MenteeEnrolmentFactory(program=program, person=person)

    job = staff_list(organisation, *rows_for(staff[1:]))

    assert job.status == ImportJob.Status.DONE, job.errors
    assert MentorEnrolment.objects.get(person=staff[0]).status == EnrolmentStatus.LEFT
    # Not once per enrolment ended: its lock would be held while the import writes on.
    assert FiguresVersion.objects.get(organisation=organisation).number == 1
