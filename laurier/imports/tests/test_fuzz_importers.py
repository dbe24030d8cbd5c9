"""Any file of any kind, checked then imported: problems with rows and sentences, or a write.

Hypothesis writes files of every import kind whose cells are sometimes right (known people,
the program, dates in every accepted format) and sometimes not (dates in formats Laurier does
not read, numbers with the wrong separators, formulas, unknown e-mails). Through the services
the HR sync and the upload page use, a file is never FAILED (the sign of a crash), its
problems each carry a row (or none for the whole file) and a sentence, and a file with any
bad row writes nothing, even once forced through the write across several batches.
"""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from laurier.hours.models import MentoringSession
from laurier.imports import hr_sync, importers, services
from laurier.imports.importers import COLUMNS, importer_for
from laurier.imports.models import ImportJob, ImportKind
from laurier.imports.problems import MESSAGES, describe
from laurier.organisations.models import Membership
from laurier.programs.models import MenteeEnrolment, MentorEnrolment, Pairing, Person
from laurier.testing import factories

# The database fixtures are built once per test; every example adds to the same organisation,
# which is what counting rows before and after each example is about.
FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAIRED_ON = datetime.date(2025, 1, 6)
CRASH_CODES = {"check_failed", "unexpected"}
ROWS = 5


def staff(number):
    """The e-mail of the mentee the row `number` of a file names, so that rows differ."""
    return f"staff{number}@example.org"


@pytest.fixture
def world(organisation, program, admin_user):
    """A mentor and a mentee, enrolled and paired, that valid rows can name."""
    mentor = factories.MentorEnrolmentFactory(program=program, person__email="mentor@example.org")
    mentee = factories.MenteeEnrolmentFactory(program=program, person__email="mentee@example.org")
    factories.PairingFactory(
        program=program, mentor=mentor.person, mentee=mentee.person, starts_on=PAIRED_ON
    )
    factories.CycleFactory(program=program, name="Cohorte 2025")
    for number in range(ROWS):
        factories.MenteeEnrolmentFactory(program=program, person__email=staff(number))
    return Membership.objects.get(organisation=organisation, user=admin_user)


def dates(low=PAIRED_ON, high=datetime.date(2025, 12, 31)):
    """A date written in one of the ways Laurier reads."""
    day = st.dates(min_value=low, max_value=high)
    return st.one_of(
        day.map(lambda d: d.strftime("%d/%m/%Y")),
        day.map(datetime.date.isoformat),
        day.map(lambda d: d.strftime("%Y/%m/%d")),
    )


NAMES = st.sampled_from(["Marie-Ève", "O'Neil", "Zoë", "李", "=1+1", "Ng"])
KNOWN = st.sampled_from(["mentor@example.org", "MENTEE@example.org"])
# Cells as a row that imports writes them.
RIGHT = {
    "email": KNOWN,
    "first_name": NAMES,
    "last_name": NAMES,
    "language": st.sampled_from(["fr", "en", "English", "Français"]),
    "department": st.text(max_size=12),
    "job_title": st.text(max_size=12),
    "hire_date": dates(datetime.date(1990, 1, 1)),
    "program": st.sampled_from(["releve", "Relève", "RELEVE"]),
    "since": dates(),
    "status": st.just("actif"),
    "mentor": st.just("mentor@example.org"),
    "mentee": st.just("mentee@example.org"),
    "starts_on": st.just(PAIRED_ON.strftime("%d/%m/%Y")),
    "ends_on": st.just(""),
    "cycle": st.sampled_from(["Cohorte 2025", "cohorte 2025"]),
    "held_on": dates(),
    "duration_minutes": st.sampled_from(["60", "45", "90,0", "120"]),
    "duration_hours": st.sampled_from(["1", "1,5", "2.25", "0,5"]),
    "format": st.sampled_from(["individuel", "groupe", "1:1"]),
    "setting": st.sampled_from(["en personne", "en ligne"]),
    "notes": st.text(max_size=20),
}
# New pairings of the mentor, over and done within the year.
PAIRINGS_RIGHT = {
    "starts_on": dates(),
    "ends_on": st.just("31/12/2025"),
    "status": st.sampled_from(["terminé", "completed"]),
}
# New people have new e-mails, so that a file rarely names one twice.
PEOPLE_EMAILS = st.integers(min_value=0, max_value=10**9).map(lambda n: f"p{n}@example.org")
# Valid for Django's validator (up to 320 characters), too long for the column (254).
LONG_EMAIL = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "ca"
# Cells Laurier refuses, or that change what a row means.
WRONG_DATES = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.strftime("%m-%d-%Y")),
    st.dates().map(lambda d: d.strftime("%d %b %Y")),
    dates(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)),
    st.sampled_from(["31/02/2025", "2025-13-01", "00/00/0000", "9999-99-99", "hier", "45678"]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-10, max_value=2000).map(str),
    st.sampled_from(["1 234,5", "1,234.5", "90 min", "1e300", "NaN", "-0", "Infinity", "4"]),
)
WRONG = {
    "email": st.sampled_from(
        ["nouveau@example.org", "pas un courriel", "@", "a@b", "é@é.ca", LONG_EMAIL]
    ),
    "language": st.sampled_from(["de", "fr-FR", "anglais ", "EN"]),
    "program": st.sampled_from(["autre programme", "Releve 2"]),
    "status": st.sampled_from(["en pause", "parti", "terminé", "completed", "peut-être"]),
    "mentor": st.sampled_from(["mentee@example.org", "inconnu@example.org"]),
    "mentee": st.sampled_from(["mentor@example.org", "inconnu@example.org"]),
    "cycle": st.just("Cohorte 1999"),
    "duration_minutes": NUMBERS,
    "duration_hours": NUMBERS,
    "format": st.just("trio"),
    "setting": st.just("sur la lune"),
    "first_name": st.just("x" * 101),
    "last_name": st.just("x" * 101),
    "department": st.just("x" * 201),
}
JUNK = st.one_of(
    st.text(max_size=10),
    st.sampled_from(['=HYPERLINK("http://evil.example","clic")', "+1", "-1", "@SUM(A1)", "   "]),
)


def right(kind, name, number):
    """A right cell for row `number` of a file of `kind`; rows name different people."""
    if kind == ImportKind.PEOPLE and name == "email":
        return PEOPLE_EMAILS.map(lambda email: f"{number}{email}")
    if name == "email" or (kind == ImportKind.PAIRINGS and name == "mentee"):
        return st.just(staff(number)).map(lambda email: email.upper() if number % 2 else email)
    if kind == ImportKind.PAIRINGS and name in PAIRINGS_RIGHT:
        return PAIRINGS_RIGHT[name]
    return RIGHT[name]


def wrong(name):
    if name.endswith("_on") or name in ("since", "hire_date"):
        return WRONG_DATES
    return st.one_of(WRONG.get(name, JUNK), JUNK, st.just(""))


@st.composite
def files(draw, kind):
    """A CSV or XLSX file of `kind`: its columns (now and then one left out, or one unknown
    or repeated added) and rows that are right, or with a few wrong cells."""
    columns = draw(st.permutations(importer_for(kind).fields))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        columns.pop()
    headers = [draw(st.sampled_from(COLUMNS[name])) for name in columns]
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        headers.append(draw(st.sampled_from(["colonne inconnue", "", headers[0]])))
        columns.append(None)
    rows = []
    for number in range(draw(st.integers(min_value=0, max_value=ROWS))):
        wrong_cells = (
            draw(st.sets(st.sampled_from(columns), max_size=2)) if draw(st.booleans()) else set()
        )
        rows.append(
            [
                draw(
                    JUNK
                    if name is None
                    else wrong(name)
                    if name in wrong_cells
                    else right(kind, name, number)
                )
                for name in columns
            ]
        )
    if draw(st.booleans()):
        return "import.xlsx", xlsx_bytes([headers, *rows])
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    text = "\r\n".join(
        delimiter.join(_quoted(cell, delimiter) for cell in row) for row in [headers, *rows]
    )
    encoding = draw(st.sampled_from(["utf-8-sig", "cp1252", "utf-16"]))
    return "import.csv", text.encode(encoding, "replace")


def _quoted(cell, delimiter):
    if any(char in cell for char in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def xlsx_bytes(rows):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    for row in rows:
        # A workbook cannot hold control characters: Excel would not have written them.
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts():
    return [
        model.objects.count()
        for model in (Person, MentorEnrolment, MenteeEnrolment, Pairing, MentoringSession)
    ]


def check_problems(job):
    assert job.status != ImportJob.Status.FAILED, job.errors
    for problem in job.errors:
        assert problem["code"] in MESSAGES and problem["code"] not in CRASH_CODES, problem
        assert problem["row"] is None or problem["row"] >= 2
        with translation.override("en"):
            assert describe(problem).strip()


def upload(membership, kind, program, name, data):
    return services.create_import(
        membership=membership,
        user=membership.user,
        kind=kind,
        program=program,
        uploaded_file=SimpleUploadedFile(name, data),
        in_background=False,
    )


@pytest.mark.parametrize("kind", ImportKind.values)
@FUZZ
@given(data=st.data())
def test_any_file_is_imported_whole_or_refused_with_its_problems(
    world, program, monkeypatch, kind, data
):
    # Batches of two rows: a bad row in a later batch must undo the earlier batches' writes.
    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    name, content = data.draw(files(kind), label="file")
    chosen_program = data.draw(st.sampled_from([None, program]), label="program in the form")
    before = counts()
    job = upload(world, kind, chosen_program, name, content)
    check_problems(job)
    event(f"checked: {job.status}")
    for problem in job.errors:
        event(f"problem: {problem['code']}")
    if job.status == ImportJob.Status.INVALID:
        assert counts() == before
        if any(problem["row"] for problem in job.errors):
            # What the write does with a bad row, had the check let it through (the check
            # deleted the refused file: store it again).
            job.file.save(name, ContentFile(content), save=False)
            job.status = ImportJob.Status.READY
            job.save(update_fields=["status", "file"])
            job = services.run_import(job)
            check_problems(job)
            assert job.status == ImportJob.Status.INVALID
            assert counts() == before
    else:
        assert job.status == ImportJob.Status.READY
        job, started = services.start_import(job, user=world.user, in_background=False)
        check_problems(job)
        event(f"imported: {job.status}")
        assert started and job.status in (ImportJob.Status.DONE, ImportJob.Status.INVALID)
        if job.status == ImportJob.Status.INVALID:
            assert counts() == before


# The preview page, for a few bad files (through the view it is slower).

BAD_FILES = {
    "dates and durations": (
        "sessions",
        "programme;mentor;mentoré;date;durée (minutes)\r\n"
        "releve;mentor@example.org;mentee@example.org;2025-02-30;1e300\r\n"
        "releve;mentor@example.org;mentee@example.org;12/31/2025;NaN\r\n",
    ),
    "formulas and unknown people": (
        "mentors",
        'courriel,programme,statut\r\n=HYPERLINK("http://evil.example"),releve,actif\r\n'
        "inconnu@example.org,autre,peut-être\r\n",
    ),
    "repeated and missing columns": ("people", "courriel;e-mail;prénom\r\na@example.org;b;C\r\n"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_preview_of_a_bad_file_lists_its_problems(world, program, case):
    kind, text = BAD_FILES[case]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.user)
    before = counts()
    response = client.post(
        reverse("imports:list", args=[world.organisation.slug]),
        {"kind": kind, "file": SimpleUploadedFile("bad.csv", text.encode("utf-8"))},
        follow=True,
    )
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == ImportJob.Status.INVALID
    page = response.content.decode()
    with translation.override("en"):
        for problem in job.errors:
            assert escape(describe(problem)) in page
    assert counts() == before


# The HR sync folder reads the same way, with nobody behind it to see an error page.


@settings(FUZZ, max_examples=6)
@given(name_and_content=files(ImportKind.PEOPLE) | st.tuples(st.just("x.csv"), st.binary()))
def test_any_file_dropped_in_the_hr_folder_is_imported_or_rejected_with_a_report(
    world, tmp_path_factory, name_and_content
):
    name, content = name_and_content
    folder = tmp_path_factory.mktemp("drop")
    (folder / name).write_bytes(content)
    before = counts()
    [synced] = hr_sync.sync_folder(world.organisation, folder, settle_seconds=0)
    assert synced.job is not None, synced.path.with_name(
        synced.path.name + ".report.txt"
    ).read_text()
    check_problems(synced.job)
    if synced.outcome != hr_sync.DONE:
        assert counts() == before


def test_an_email_longer_than_the_column_is_a_problem_not_a_failed_write(world):
    text = f"courriel;prénom;nom\r\n{LONG_EMAIL};Anne;Roy\r\n"
    before = counts()
    job = upload(world, ImportKind.PEOPLE, None, "people.csv", text.encode())
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        {"row": 2, "code": "too_long", "params": {"column": "email", "limit": 254}}
    ]
    assert counts() == before
