"""POST /api/v1/people-files/: a staff list sent by an HR system, imported as on the page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from laurier.api.scopes import scope_name
from laurier.core.dates import organisation_today
from laurier.imports.models import ImportJob, ImportSource
from laurier.organisations.models import AuditEvent
from laurier.programs.models import Person
from laurier.testing import factories
from laurier.testing.api import client_with, make_token

URL = "/api/v1/people-files/"
STAFF = "courriel;prénom;nom\r\np1@example.org;Zoé;Tremblay\r\np2@example.org;Ali;Bouchard\r\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def staff_file(text=STAFF, name="staff.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def send(client, text=STAFF, **fields):
    return client.post(URL, {"file": staff_file(text), **fields}, format="multipart")


def test_a_small_file_is_checked_and_imported_in_the_call(api, organisation, admin_user):
    response = send(api)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "done"
    assert body["source"] == "api"
    assert body["counts"]["created"] == 2
    assert body["problems"] == []
    assert Person.objects.filter(organisation=organisation).count() == 2
    job = ImportJob.objects.get(pk=body["id"])
    assert (job.created_by, job.source) == (admin_user, ImportSource.API)
    assert AuditEvent.objects.filter(object_type="imports.importjob").count() == 1


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_problem(api, organisation):
    response = send(api, STAFF + "not-an-email;A;B\r\np4@example.org;;Roy\r\n")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "invalid"
    assert [problem["row"] for problem in body["problems"]] == [4, 5]
    assert not Person.objects.exists()
    assert api.get(f"{URL}{body['id']}/").json()["problems"] == body["problems"]
    assert AuditEvent.objects.get(object_type="imports.importjob").changes["status"] == "invalid"


def test_a_full_list_marks_people_absent_from_it_as_left(api, organisation):
    for n in range(1, 6):
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")

    body = send(
        api,
        STAFF + "p3@example.org;A;B\r\np4@example.org;A;B\r\n",
        full="true",
        file_date="2026-11-20",
    ).json()

    assert body["status"] == "done", body
    assert body["counts"]["leaving"] == 1
    assert [leaver["email"] for leaver in body["leavers"]] == ["p5@example.org"]
    assert str(Person.objects.get(email="p5@example.org").left_on) == "2026-11-20"


def test_a_file_that_is_not_the_full_list_marks_nobody_left(api, organisation):
    factories.PersonFactory(organisation=organisation, email="p9@example.org")

    assert send(api).json()["counts"]["leaving"] == 0
    assert Person.objects.get(email="p9@example.org").left_on is None


def test_a_full_list_that_would_empty_the_organisation_is_held(api, organisation):
    for n in range(3, 9):
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")

    body = send(api, full="true").json()

    assert body["status"] == "held"
    assert len(body["leavers"]) == 6
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_a_file_that_is_no_spreadsheet_is_refused_in_the_error_shape(api):
    response = api.post(URL, {"file": SimpleUploadedFile("staff.pdf", b"%PDF")}, format="multipart")

    assert response.status_code == 400
    assert "CSV" in response.json()["error"]["fields"]["file"][0]
    assert not ImportJob.objects.exists()


def test_the_same_idempotency_key_imports_once(api, organisation):
    def upload():
        return api.post(
            URL, {"file": staff_file()}, format="multipart", HTTP_IDEMPOTENCY_KEY="staff-11-20"
        )

    first, again = upload(), upload()

    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert ImportJob.objects.count() == 1


def test_a_read_only_token_cannot_send_a_file(organisation, admin_user):
    key = make_token(organisation, admin_user, scopes=[scope_name("imports", "read")])[1]

    response = send(client_with(key))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not ImportJob.objects.exists()


def test_reads_a_files_status_and_progress(api, organisation):
    job_id = send(api).json()["id"]

    body = api.get(f"{URL}{job_id}/").json()

    assert (body["status"], body["total_rows"], body["processed_rows"]) == ("done", 2, 2)


def test_lists_the_organisations_people_files_newest_first_whatever_their_source(
    api, organisation, other_organisation
):
    first = send(api).json()["id"]
    ImportJob.objects.create(
        organisation=organisation,
        kind="people",
        source=ImportSource.HR_SYNC,
        file="imports/x.csv",
        original_name="x.csv",
        status="done",
    )
    ImportJob.objects.create(
        organisation=other_organisation,
        kind="people",
        file="imports/y.csv",
        original_name="y.csv",
        status="done",
    )

    rows = api.get(URL).json()["results"]

    assert [row["file_name"] for row in rows] == ["x.csv", "staff.csv"]
    assert rows[1]["id"] == first
    assert [row["file_name"] for row in api.get(URL, {"source": "hr_sync"}).json()["results"]] == [
        "x.csv"
    ]


def test_another_organisations_file_answers_404(api, other_organisation):
    job = ImportJob.objects.create(
        organisation=other_organisation,
        kind="people",
        file="imports/y.csv",
        original_name="y.csv",
        status="done",
    )

    response = api.get(f"{URL}{job.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_list_answers_in_a_constant_number_of_queries(
    api, organisation, django_assert_max_num_queries
):
    def jobs(count):
        ImportJob.objects.bulk_create(
            ImportJob(
                organisation=organisation,
                kind="people",
                file="imports/x.csv",
                original_name="x.csv",
                status="done",
            )
            for _ in range(count)
        )

    jobs(2)
    with django_assert_max_num_queries(8) as small:
        api.get(URL)
    jobs(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        api.get(URL)


def test_a_large_file_is_checked_and_imported_by_the_task_worker(
    api, organisation, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body = send(api).json()

    assert body["status"] == "checking"
    # The check's task (which imports the file at once), then the deletion of the file.
    assert len(callbacks) == 2
    assert api.get(f"{URL}{body['id']}/").json()["status"] == "done"
    assert Person.objects.filter(organisation=organisation).count() == 2


def test_a_file_larger_than_a_request_body_kept_in_memory_is_idempotent_too(
    api, organisation, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    rows = "".join(f"p{number}@example.org;Prénom;Nom{number}\r\n" for number in range(60))
    text = "courriel;prénom;nom\r\n" + rows
    assert len(text.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def upload():
        return api.post(
            URL, {"file": staff_file(text)}, format="multipart", HTTP_IDEMPOTENCY_KEY="big-1"
        )

    first, again = upload(), upload()

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(organisation=organisation).count() == 60


@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [(1, "is after today"), (-400, "more than a year ago")],
)
def test_a_file_date_after_today_or_long_ago_is_refused(
    api, organisation, days_from_today, message
):
    day = organisation_today(organisation) + datetime.timedelta(days=days_from_today)

    response = send(api, full="true", file_date=day.isoformat())

    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["file_date"][0]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("scopes", "leaver"),
    [
        (["imports:read"], {"id": None}),
        (["imports:read", "people:read"], {"id": None, "name": "P 5", "email": "p5@example.org"}),
    ],
)
def test_a_full_lists_leavers_are_named_only_to_a_token_that_may_read_people(
    api, organisation, admin_user, scopes, leaver
):
    factories.PersonFactory(organisation=organisation, email="p1@example.org")
    left = factories.PersonFactory(
        organisation=organisation, email="p5@example.org", first_name="P", last_name="5"
    )
    for n in range(2, 5):
        factories.PersonFactory(organisation=organisation, email=f"p{n}@example.org")
    rows = "".join(f"p{n}@example.org;A;B\r\n" for n in range(3, 5))
    job_id = send(api, STAFF + rows, full="true").json()["id"]
    reader = client_with(make_token(organisation, admin_user, scopes=scopes, name="Reader")[1])

    body = reader.get(f"{URL}{job_id}/").json()

    assert body["leavers"] == [{**leaver, "id": left.pk}]
