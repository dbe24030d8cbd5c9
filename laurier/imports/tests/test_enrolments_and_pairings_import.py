"""Enrolment and pairing files: people must exist, pairings need both people enrolled."""

import datetime

import pytest
from django.urls import reverse

from laurier.imports.models import ImportJob
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Pairing
from laurier.testing import factories

from .conftest import csv_file


@pytest.fixture
def client(login, manager_user):
    return login(manager_user)


@pytest.fixture
def marie(organisation):
    return factories.PersonFactory(organisation=organisation, email="marie@example.org")


@pytest.fixture
def john(organisation):
    return factories.PersonFactory(organisation=organisation, email="john@example.org")


def test_mentor_enrolments_are_created_with_french_status(client, upload, commit, marie, program):
    job = upload(
        client,
        "mentors",
        csv_file([["courriel", "programme", "depuis", "statut"],
                  ["Marie@example.org", "Relève", "01/09/2025", "en pause"]]),
    ).context["job"]  # fmt: skip
    commit(client, job)
    enrolment = MentorEnrolment.objects.get()
    assert (enrolment.program, enrolment.person) == (program, marie)
    assert enrolment.since == datetime.date(2025, 9, 1)
    assert enrolment.status == EnrolmentStatus.PAUSED


def test_mentee_enrolment_without_since_starts_today(client, upload, commit, john, program):
    job = upload(
        client, "mentees", csv_file([["e-mail"], ["john@example.org"]]), program=program
    ).context["job"]
    commit(client, job)
    assert MenteeEnrolment.objects.get().person == john


def test_enrolment_of_unknown_email_is_a_bad_row(client, upload, program):
    job = upload(
        client, "mentors", csv_file([["courriel"], ["ghost@example.org"]]), program=program
    ).context["job"]
    assert [(problem["row"], problem["code"]) for problem in job.errors] == [(2, "unknown_person")]


@pytest.mark.parametrize(
    ("enrolled", "lines"),
    [
        (None, [["courriel"], ["marie@example.org"]]),
        (EnrolmentStatus.LEFT, [["courriel", "statut"], ["marie@example.org", "actif"]]),
    ],
)
def test_someone_who_left_cannot_be_enrolled_or_made_active_by_a_file(
    client, upload, marie, program, enrolled, lines
):
    marie.left_on = datetime.date(2026, 1, 5)
    marie.save()
    if enrolled:
        factories.MentorEnrolmentFactory(program=program, person=marie, status=enrolled)

    job = upload(client, "mentors", csv_file(lines), program=program).context["job"]

    assert [(problem["row"], problem["code"]) for problem in job.errors] == [(2, "person_left")]


def test_reimported_enrolments_are_unchanged(client, upload, commit, marie, program):
    lines = [["courriel", "programme", "depuis"], ["marie@example.org", "releve", "2025-09-01"]]
    commit(client, upload(client, "mentors", csv_file(lines)).context["job"])
    again = upload(client, "mentors", csv_file(lines)).context["job"]
    assert again.summary["unchanged"] == 1
    assert again.summary["created"] == again.summary["updated"] == 0


def test_changed_status_updates_the_enrolment(client, upload, commit, marie, program):
    factories.MentorEnrolmentFactory(program=program, person=marie)
    job = upload(
        client,
        "mentors",
        csv_file([["courriel", "statut"], ["marie@example.org", "left"]]),
        program=program,
    ).context["job"]
    assert job.summary["updated"] == 1
    commit(client, job)
    enrolment = MentorEnrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.LEFT
    assert enrolment.status_changed_on is not None


PAIRING_HEADER = ["programme", "mentor", "mentoré", "début", "fin", "cohorte", "statut"]


def test_pairing_of_enrolled_people_is_created_with_its_cohort(
    client, upload, commit, marie, john, program
):
    factories.MentorEnrolmentFactory(program=program, person=marie)
    factories.MenteeEnrolmentFactory(program=program, person=john)
    cohort = factories.CycleFactory(program=program, name="Automne 2025")
    job = upload(
        client,
        "pairings",
        csv_file([PAIRING_HEADER,
                  ["releve", "marie@example.org", "john@example.org", "15/09/2025", "",
                   "automne 2025", "actif"]]),
    ).context["job"]  # fmt: skip
    commit(client, job)
    pairing = Pairing.objects.get()
    assert (pairing.mentor, pairing.mentee, pairing.cycle) == (marie, john, cohort)
    assert pairing.starts_on == datetime.date(2025, 9, 15)


def test_pairing_problems_are_reported(client, upload, marie, john, program):
    factories.MenteeEnrolmentFactory(program=program, person=john)
    job = upload(
        client,
        "pairings",
        csv_file([PAIRING_HEADER,
                  ["releve", "marie@example.org", "john@example.org", "15/09/2025", "", "", ""],
                  ["releve", "nobody@example.org", "john@example.org", "15/09/2025", "", "", ""],
                  ["releve", "john@example.org", "john@example.org", "15/09/2025", "", "", ""],
                  ["releve", "marie@example.org", "john@example.org", "20/09/2025",
                   "01/09/2025", "", ""],
                  ["releve", "marie@example.org", "john@example.org", "16/09/2025", "",
                   "Hiver", ""]]),
    ).context["job"]  # fmt: skip
    assert [(problem["row"], problem["code"]) for problem in job.errors] == [
        (2, "mentor_not_active"),
        (3, "unknown_mentor"),
        (4, "same_person"),
        (5, "mentor_not_active"),
        (6, "unknown_cycle"),
    ]
    assert job.status == ImportJob.Status.INVALID
    assert not Pairing.objects.exists()


@pytest.fixture
def enrolled(program, marie, john):
    """Marie mentors and John is mentored in the program, both active."""
    factories.MentorEnrolmentFactory(program=program, person=marie)
    factories.MenteeEnrolmentFactory(program=program, person=john)


def pairing_codes(client, upload, *rows):
    job = upload(client, "pairings", csv_file([PAIRING_HEADER, *rows])).context["job"]
    return job, [(problem["row"], problem["code"]) for problem in job.errors]


def test_mentor_who_left_the_program_gets_no_new_pairing(client, upload, enrolled, marie):
    MentorEnrolment.objects.filter(person=marie).update(status=EnrolmentStatus.LEFT)
    job, codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "15/09/2025", "", "", ""],
    )  # fmt: skip
    assert codes == [(2, "mentor_not_active")]
    assert job.status == ImportJob.Status.INVALID


def test_paused_mentee_gets_no_new_pairing(client, upload, enrolled, john):
    MenteeEnrolment.objects.filter(person=john).update(status=EnrolmentStatus.PAUSED)
    _job, codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "15/09/2025", "", "", ""],
    )  # fmt: skip
    assert codes == [(2, "mentee_not_active")]


def test_completed_pairing_without_an_end_date_is_refused(client, upload, enrolled):
    _job, codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "15/09/2025", "", "", "terminé"],
    )  # fmt: skip
    assert codes == [(2, "needs_end_date")]


def test_pairing_ending_before_it_starts_is_refused(client, upload, enrolled):
    _job, codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "15/09/2025", "01/09/2025", "", ""],
    )  # fmt: skip
    assert codes == [(2, "ends_before_start")]


def test_pairing_rules_are_described_in_words(client, upload, enrolled, program):
    job, _codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "15/09/2025", "", "", "terminé"],
    )  # fmt: skip
    page = client.get(reverse("imports:detail", args=["hydro", job.pk])).content.decode()
    assert "A pairing that is no longer active needs an end date." in page


def test_status_completed_on_an_open_pairing_needs_an_end_date(client, upload, program):
    factories.PairingFactory(
        program=program,
        mentor__email="marie@example.org",
        mentee__email="john@example.org",
        starts_on=datetime.date(2025, 9, 15),
    )
    _job, codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "2025-09-15", "", "", "terminé"],
    )  # fmt: skip
    assert codes == [(2, "needs_end_date")]


def test_existing_pairing_of_a_mentor_who_left_can_still_be_ended(client, upload, commit, program):
    pairing = factories.PairingFactory(
        program=program,
        mentor__email="marie@example.org",
        mentee__email="john@example.org",
        starts_on=datetime.date(2025, 9, 15),
    )
    # Like update_pairing: ending a pairing does not ask whether the people are still active.
    MentorEnrolment.objects.filter(person=pairing.mentor).update(status=EnrolmentStatus.LEFT)
    job, codes = pairing_codes(
        client, upload,
        ["releve", "marie@example.org", "john@example.org", "2025-09-15", "2026-01-31", "",
         "terminé"],
    )  # fmt: skip
    assert codes == []
    commit(client, job)
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ends_on) == (
        Pairing.Status.COMPLETED,
        datetime.date(2026, 1, 31),
    )


def test_reimported_pairing_with_an_end_date_is_updated(client, upload, commit, program):
    pairing = factories.PairingFactory(
        program=program,
        mentor__email="marie@example.org",
        mentee__email="john@example.org",
        starts_on=datetime.date(2025, 9, 15),
    )
    job = upload(
        client,
        "pairings",
        csv_file([PAIRING_HEADER,
                  ["releve", "marie@example.org", "john@example.org", "2025-09-15", "2026-06-30",
                   "", "terminé"]]),
    ).context["job"]  # fmt: skip
    assert job.summary["updated"] == 1
    commit(client, job)
    pairing.refresh_from_db()
    assert pairing.ends_on == datetime.date(2026, 6, 30)
    assert pairing.status == Pairing.Status.COMPLETED


def test_an_import_shows_on_the_dashboard_at_once(client, upload, commit, marie, program):
    dashboard = reverse("programs:dashboard", args=[program.organisation.slug, program.slug])
    assert client.get(dashboard).context["figures"].active_mentors == 0
    job = upload(client, "mentors", csv_file([["courriel"], [marie.email]]), program=program)
    commit(client, job.context["job"])
    assert client.get(dashboard).context["figures"].active_mentors == 1
