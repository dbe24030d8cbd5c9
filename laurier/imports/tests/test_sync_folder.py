"""The HR sync folder: `manage.py sync_people` imports each new staff list dropped there."""

import datetime
import os
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from laurier.imports.models import ImportJob, ImportSource
from laurier.organisations.models import AuditEvent
from laurier.programs.models import Person
from laurier.testing import factories

STAFF = "courriel;prénom;nom\r\np1@example.org;Zoé;Tremblay\r\np2@example.org;Ali;Bouchard\r\n"


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "drop"
    path.mkdir()
    return path


def drop(folder, name, text, *, minutes_ago=5):
    """Write a file as the HR system would, `minutes_ago` before now."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    when = datetime.datetime.now().timestamp() - minutes_ago * 60
    os.utime(path, (when, when))
    return path


def sync(organisation, folder, **options):
    call_command("sync_people", organisation=organisation.slug, folder=str(folder), **options)


def test_a_good_file_is_imported_and_moved_to_done_with_its_report(organisation, folder):
    drop(folder, "staff.csv", STAFF)

    sync(organisation, folder)

    assert not (folder / "staff.csv").exists()
    assert (folder / "done" / "staff.csv").exists()
    report = (folder / "done" / "staff.csv.report.txt").read_text()
    assert "staff.csv" in report
    job = ImportJob.objects.get()
    assert (job.source, job.full_list, job.status) == (
        ImportSource.HR_SYNC,
        True,
        ImportJob.Status.DONE,
    )
    assert Person.objects.filter(organisation=organisation).count() == 2


def test_the_run_is_in_the_audit_trail(organisation, folder):
    drop(folder, "staff.csv", STAFF)

    sync(organisation, folder)

    event = AuditEvent.objects.get(object_type="imports.importjob")
    assert event.actor is None
    assert event.changes["source"] == "hr_sync"


def test_a_file_with_a_bad_row_goes_to_rejected_with_its_problems(organisation, folder):
    drop(folder, "staff.csv", STAFF + "not-an-email;A;B\r\n")

    sync(organisation, folder)

    assert (folder / "rejected" / "staff.csv").exists()
    report = (folder / "rejected" / "staff.csv.report.txt").read_text()
    assert "4" in report  # the bad row's number
    assert not Person.objects.exists()
    assert AuditEvent.objects.get().changes["status"] == ImportJob.Status.INVALID


def test_a_file_that_is_no_spreadsheet_is_rejected_unread(organisation, folder):
    drop(folder, "staff.pdf", "%PDF-1.4")

    sync(organisation, folder)

    assert (folder / "rejected" / "staff.pdf").exists()
    assert not ImportJob.objects.exists()


def test_a_list_marking_too_many_as_left_goes_to_held(organisation, folder):
    for n in range(3, 8):
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")
    drop(folder, "staff.csv", STAFF)

    sync(organisation, folder)

    assert (folder / "held" / "staff.csv").exists()
    assert ImportJob.objects.get().status == ImportJob.Status.HELD
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_leavers_left_on_the_day_the_file_was_written(organisation, folder):
    people = [
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")
        for n in range(1, 7)
    ]
    drop(
        folder,
        "staff.csv",
        STAFF + "".join(f"p{n}@example.org;A;B\r\n" for n in range(3, 6)),
        minutes_ago=3 * 24 * 60,
    )

    sync(organisation, folder)

    people[5].refresh_from_db()
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    assert people[5].left_on == timezone.localdate(
        three_days_ago, timezone=zoneinfo.ZoneInfo(organisation.time_zone)
    )


def test_the_same_file_dropped_twice_changes_nothing_the_second_time(organisation, folder):
    drop(folder, "staff.csv", STAFF)
    sync(organisation, folder)
    drop(folder, "staff.csv", STAFF)

    sync(organisation, folder)

    assert (folder / "done" / "staff-2.csv").exists()
    second = ImportJob.objects.order_by("pk").last()
    assert (second.summary["created"], second.summary["updated"]) == (0, 0)
    assert second.summary["leaving"] == 0
    assert Person.objects.count() == 2


def test_a_file_still_being_written_waits_for_the_next_run(organisation, folder):
    drop(folder, "staff.csv", STAFF, minutes_ago=0)
    drop(folder, "~$staff.xlsx", "lock")

    sync(organisation, folder)

    assert (folder / "staff.csv").exists()
    assert (folder / "~$staff.xlsx").exists()
    assert not ImportJob.objects.exists()


def test_without_a_folder_it_syncs_each_organisations_subfolder_of_the_setting(
    organisation, other_organisation, tmp_path, settings
):
    settings.HR_SYNC_FOLDER = str(tmp_path / "hr")
    (tmp_path / "hr" / "hydro").mkdir(parents=True)
    drop(tmp_path / "hr" / "hydro", "staff.csv", STAFF)

    call_command("sync_people")

    assert Person.objects.get(email="p1@example.org").organisation == organisation


def test_an_unknown_organisation_is_an_error(db, folder):
    with pytest.raises(CommandError):
        call_command("sync_people", organisation="nobody", folder=str(folder))


def test_an_unexpected_error_on_one_file_rejects_it_with_a_report_and_goes_on(
    organisation, folder, monkeypatch
):
    from laurier.imports import hr_sync

    real_import = hr_sync.import_hr_file

    def fail_on_the_first(organisation, path):
        if path.name == "first.csv":
            raise RuntimeError("database went away")
        return real_import(organisation, path)

    monkeypatch.setattr(hr_sync, "import_hr_file", fail_on_the_first)
    drop(folder, "first.csv", STAFF, minutes_ago=10)
    drop(folder, "second.csv", STAFF, minutes_ago=5)

    sync(organisation, folder)

    assert (folder / "rejected" / "first.csv").exists()
    report = (folder / "rejected" / "first.csv.report.txt").read_text()
    assert "RuntimeError: database went away" in report
    assert (folder / "done" / "second.csv").exists()


def test_a_failing_organisation_does_not_stop_the_next_ones(
    organisation, other_organisation, tmp_path, settings, monkeypatch
):
    from laurier.imports.management.commands import sync_people

    real_sync = sync_people.sync_folder

    def fail_for_the_first(each_organisation, *args, **kwargs):
        if each_organisation == organisation:
            raise PermissionError("cannot read the folder")
        return real_sync(each_organisation, *args, **kwargs)

    monkeypatch.setattr(sync_people, "sync_folder", fail_for_the_first)
    settings.HR_SYNC_FOLDER = str(tmp_path / "hr")
    for slug in (organisation.slug, other_organisation.slug):
        (tmp_path / "hr" / slug).mkdir(parents=True)
        drop(tmp_path / "hr" / slug, "staff.csv", STAFF)

    call_command("sync_people")

    assert Person.objects.get(email="p1@example.org").organisation == other_organisation


def test_the_report_names_who_is_back_and_says_their_enrolments_stay_ended(organisation, folder):
    organisation.language = "en"
    organisation.save()
    factories.PersonFactory(
        organisation=organisation,
        email="p1@example.org",
        first_name="Zoé",
        last_name="Tremblay",
        left_on=datetime.date(2026, 1, 5),
    )
    drop(folder, "staff.csv", STAFF)

    sync(organisation, folder)

    report = (folder / "done" / "staff.csv.report.txt").read_text()
    assert "their enrolments ended when they left stay ended" in report
    assert "Zoé Tremblay <p1@example.org>" in report


def test_a_file_dated_long_ago_is_rejected(organisation, folder):
    drop(folder, "staff.csv", STAFF, minutes_ago=60 * 24 * 400)

    sync(organisation, folder)

    assert (folder / "rejected" / "staff.csv").exists()
    assert not Person.objects.exists()
