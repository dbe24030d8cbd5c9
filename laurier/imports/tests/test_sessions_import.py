"""Session files: attached to the pairing of the mentor and mentee, matched by date and length."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.hours.models import (
    LONGEST_SESSION_MINUTES,
    SHORTEST_SESSION_MINUTES,
    LoggedBy,
    MentoringSession,
    SessionFormat,
    SessionSetting,
)
from laurier.imports.models import ImportJob
from laurier.testing import factories

from .conftest import csv_file, xlsx_file

HEADER = ["Programme", "Mentor", "Mentoré", "Date", "Durée (heures)", "Format", "Mode", "Notes"]


@pytest.fixture
def client(login, manager_user):
    return login(manager_user)


@pytest.fixture
def pairing(program):
    return factories.PairingFactory(
        program=program,
        mentor__email="mentor@example.org",
        mentee__email="mentee@example.org",
        starts_on=datetime.date(2026, 1, 15),
    )


def sessions_file(*rows):
    """UTF-8 with a BOM and tabs: what Excel's "Unicode text" export gives."""
    return csv_file([HEADER, *rows], delimiter="\t", encoding="utf-8-sig", name="rencontres.txt")


def test_bom_and_tab_file_with_decimal_comma_creates_sessions(client, upload, commit, pairing):
    job = upload(
        client,
        "sessions",
        sessions_file(
            ["releve", "mentor@example.org", "mentee@example.org", "02/02/2026", "1,5",
             "groupe", "en ligne", "Bilan"],
            ["Relève", "MENTOR@example.org", "mentee@example.org", "2026-02-09", "0.75", "", "",
             ""],
        ),
    ).context["job"]  # fmt: skip
    assert job.status == ImportJob.Status.READY
    assert job.summary["created"] == 2
    commit(client, job)
    first, second = MentoringSession.objects.order_by("held_on")
    assert (first.duration_minutes, first.format, first.setting, first.notes) == (
        90,
        SessionFormat.GROUP,
        SessionSetting.ONLINE,
        "Bilan",
    )
    assert (second.duration_minutes, second.format) == (45, SessionFormat.ONE_TO_ONE)
    assert first.pairing == pairing
    assert (first.program, first.mentor, first.mentee) == (
        pairing.program,
        pairing.mentor,
        pairing.mentee,
    )
    assert first.logged_by == LoggedBy.MANAGER


def test_program_chosen_in_the_form_fills_the_missing_column(
    client, upload, commit, pairing, program
):
    job = upload(
        client,
        "sessions",
        csv_file(
            [["mentor", "mentee", "date", "duration (minutes)"],
             ["mentor@example.org", "mentee@example.org", "2026-03-01", "60"]],
            delimiter=",",
        ),
        program=program,
    ).context["job"]  # fmt: skip
    commit(client, job)
    assert MentoringSession.objects.get().duration_minutes == 60


def test_file_without_program_column_needs_a_program_in_the_form(client, upload, pairing):
    job = upload(
        client,
        "sessions",
        csv_file(
            [["mentor", "mentee", "date", "minutes"],
             ["mentor@example.org", "mentee@example.org", "2026-03-01", "60"]]
        ),
    ).context["job"]  # fmt: skip
    assert [problem["code"] for problem in job.errors] == ["missing_program_column"]


def test_reimporting_sessions_changes_nothing(client, upload, commit, pairing):
    row = ["releve", "mentor@example.org", "mentee@example.org", "02/02/2026", "1", "", "", ""]
    commit(client, upload(client, "sessions", sessions_file(row)).context["job"])
    again = upload(client, "sessions", sessions_file(row)).context["job"]
    assert (again.summary["created"], again.summary["updated"], again.summary["unchanged"]) == (
        0,
        0,
        1,
    )
    commit(client, again)
    assert MentoringSession.objects.count() == 1


def test_changed_notes_update_the_existing_session(client, upload, commit, pairing):
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2026, 2, 2), duration_minutes=60, notes="Old"
    )
    row = ["releve", "mentor@example.org", "mentee@example.org", "02/02/2026", "1", "", "", "New"]
    job = upload(client, "sessions", sessions_file(row)).context["job"]
    assert (job.summary["created"], job.summary["updated"]) == (0, 1)
    commit(client, job)
    assert MentoringSession.objects.get().notes == "New"


def test_bad_session_rows_are_each_reported(client, upload, pairing, organisation):
    factories.PersonFactory(organisation=organisation, email="stranger@example.org")
    response = upload(
        client,
        "sessions",
        sessions_file(
            ["releve", "nobody@example.org", "mentee@example.org", "02/02/2026", "1", "", "", ""],
            ["releve", "mentor@example.org", "mentee@example.org", "31/02/2026", "1", "", "", ""],
            ["releve", "mentor@example.org", "mentee@example.org", "03/02/2026", "une", "", "", ""],
            ["releve", "mentor@example.org", "mentee@example.org", "04/02/2026", "13", "", "", ""],
            ["inconnu", "mentor@example.org", "mentee@example.org", "05/02/2026", "1", "", "", ""],
            ["releve", "mentor@example.org", "stranger@example.org", "06/02/2026", "1", "", "",
             ""],
            ["releve", "mentor@example.org", "mentee@example.org", "01/01/2026", "1", "", "", ""],
            ["releve", "mentor@example.org", "mentee@example.org", "07/02/2026", "1", "virtuel",
             "", ""],
        ),
    )  # fmt: skip
    job = response.context["job"]
    assert [(problem["row"], problem["code"]) for problem in job.errors] == [
        (2, "unknown_mentor"),
        (3, "bad_date"),
        (4, "not_a_number"),
        (5, "bad_duration"),
        (6, "unknown_program"),
        (7, "no_pairing"),
        (8, "before_pairing"),
        (9, "bad_format"),
    ]
    page = response.content.decode()
    assert "No one has the mentor e-mail nobody@example.org in the organisation." in page
    assert "“une” is not a number." in page
    assert not MentoringSession.objects.exists()


def test_xlsx_with_real_date_cells_and_numbers(client, upload, commit, pairing):
    job = upload(
        client,
        "sessions",
        xlsx_file(
            [
                ["PROGRAMME", "MENTOR", "MENTORE", "DATE", "DUREE (MINUTES)"],
                ["releve", "mentor@example.org", "mentee@example.org",
                 datetime.datetime(2026, 4, 7), 45],
                ["releve", "mentor@example.org", "mentee@example.org", "08/04/2026", 30.0],
            ]
        ),
    ).context["job"]  # fmt: skip
    assert job.status == ImportJob.Status.READY, job.errors
    commit(client, job)
    assert list(
        MentoringSession.objects.order_by("held_on").values_list("held_on", "duration_minutes")
    ) == [
        (datetime.date(2026, 4, 7), 45),
        (datetime.date(2026, 4, 8), 30),
    ]


def test_session_goes_to_the_pairing_running_on_its_date(client, upload, commit, pairing):
    later = factories.PairingFactory(
        program=pairing.program,
        mentor=pairing.mentor,
        mentee=pairing.mentee,
        starts_on=datetime.date(2026, 6, 1),
    )
    rows = [
        ["releve", "mentor@example.org", "mentee@example.org", "02/02/2026", "1", "", "", ""],
        ["releve", "mentor@example.org", "mentee@example.org", "02/07/2026", "1", "", "", ""],
    ]
    commit(client, upload(client, "sessions", sessions_file(*rows)).context["job"])
    pairings = list(MentoringSession.objects.order_by("held_on").values_list("pairing", flat=True))
    assert pairings == [pairing.pk, later.pk]


def session_codes(client, upload, *rows):
    job = upload(client, "sessions", sessions_file(*rows)).context["job"]
    return job, [(problem["row"], problem["code"]) for problem in job.errors]


def test_session_in_the_future_is_refused(client, upload, pairing):
    zone = zoneinfo.ZoneInfo(pairing.program.organisation.time_zone)
    tomorrow = timezone.localdate(timezone=zone) + datetime.timedelta(days=1)
    job, codes = session_codes(
        client, upload,
        ["releve", "mentor@example.org", "mentee@example.org", tomorrow.isoformat(), "1", "", "",
         ""],
    )  # fmt: skip
    assert codes == [(2, "session_in_future")]
    assert job.status == ImportJob.Status.INVALID


def test_future_is_judged_in_the_organisations_time_zone(
    client, upload, pairing, organisation, monkeypatch
):
    # 03:00 UTC on 10 March is still 9 March in Montréal (UTC-5) but 10 March in Tokyo.
    now = datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    row = ["releve", "mentor@example.org", "mentee@example.org", "2026-03-10", "1", "", "", ""]
    organisation.time_zone = "America/Toronto"
    organisation.save()
    assert session_codes(client, upload, row)[1] == [(2, "session_in_future")]
    organisation.time_zone = "Asia/Tokyo"
    organisation.save()
    assert session_codes(client, upload, row)[1] == []


def test_session_after_the_pairing_ended_is_refused(client, upload, pairing):
    pairing.ends_on = datetime.date(2026, 2, 28)
    pairing.status = pairing.Status.COMPLETED
    pairing.save()
    job, codes = session_codes(
        client, upload,
        ["releve", "mentor@example.org", "mentee@example.org", "2026-02-28", "1", "", "", ""],
        ["releve", "mentor@example.org", "mentee@example.org", "2026-03-01", "1", "", "", ""],
    )  # fmt: skip
    assert codes == [(3, "after_pairing")]
    page = client.get(reverse("imports:detail", args=["hydro", job.pk])).content.decode()
    assert "The session (2026-03-01) is after the pairing ended (2026-02-28)." in page


def test_session_between_two_pairings_of_the_same_people_is_refused(client, upload, pairing):
    pairing.ends_on = datetime.date(2026, 2, 28)
    pairing.status = pairing.Status.COMPLETED
    pairing.save()
    factories.PairingFactory(
        program=pairing.program,
        mentor=pairing.mentor,
        mentee=pairing.mentee,
        starts_on=datetime.date(2026, 4, 1),
    )
    _job, codes = session_codes(
        client, upload,
        ["releve", "mentor@example.org", "mentee@example.org", "2026-02-10", "1", "", "", ""],
        ["releve", "mentor@example.org", "mentee@example.org", "2026-03-15", "1", "", "", ""],
        ["releve", "mentor@example.org", "mentee@example.org", "2026-04-02", "1", "", "", ""],
    )  # fmt: skip
    assert codes == [(3, "after_pairing")]


@pytest.mark.parametrize(
    ("minutes", "accepted"),
    [
        (SHORTEST_SESSION_MINUTES - 1, False),
        (SHORTEST_SESSION_MINUTES, True),
        (LONGEST_SESSION_MINUTES, True),
        (LONGEST_SESSION_MINUTES + 1, False),
    ],
)
def test_session_length_limits_are_those_of_logged_sessions(
    client, upload, pairing, minutes, accepted
):
    job = upload(
        client,
        "sessions",
        csv_file([["mentor", "mentee", "date", "minutes"],
                  ["mentor@example.org", "mentee@example.org", "2026-03-02", str(minutes)]]),
        program=pairing.program,
    ).context["job"]  # fmt: skip
    assert (job.status == ImportJob.Status.READY) is accepted
