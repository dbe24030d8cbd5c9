"""Pairing files follow create_pairing: two people have one active pairing at a time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laurier.imports import importers
from laurier.imports.models import ImportJob
from laurier.programs.models import Pairing
from laurier.testing import factories

from .conftest import csv_file

HEADER = ["programme", "mentor", "mentoré", "début", "fin", "cohorte", "statut"]


@pytest.fixture
def client(login, manager_user):
    return login(manager_user)


@pytest.fixture
def marie(organisation):
    return factories.PersonFactory(organisation=organisation, email="marie@example.org")


@pytest.fixture
def john(organisation):
    return factories.PersonFactory(organisation=organisation, email="john@example.org")


@pytest.fixture
def enrolled(program, marie, john):
    factories.MentorEnrolmentFactory(program=program, person=marie)
    factories.MenteeEnrolmentFactory(program=program, person=john)


@pytest.fixture
def running(program, marie, john, enrolled):
    """Marie has mentored John since 2025-09-15, and still does."""
    return factories.PairingFactory(
        program=program, mentor=marie, mentee=john, starts_on=datetime.date(2025, 9, 15)
    )


def row(start, end="", status=""):
    return ["releve", "marie@example.org", "john@example.org", start, end, "", status]


def check(client, upload, *rows):
    job = upload(client, "pairings", csv_file([HEADER, *rows])).context["job"]
    return job, [(problem["row"], problem["code"]) for problem in job.errors]


def test_new_active_pairing_of_two_people_already_paired_is_refused(client, upload, running):
    job, codes = check(client, upload, row("2026-01-10"))
    assert codes == [(2, "already_paired")]
    assert job.status == ImportJob.Status.INVALID


def test_refused_second_pairing_writes_nothing(client, upload, commit, running):
    job, _codes = check(client, upload, row("2026-01-10"))
    commit(client, job)
    assert list(Pairing.objects.all()) == [running]


def test_refusal_is_described_with_the_people_and_program(client, upload, running):
    job, _codes = check(client, upload, row("2026-01-10"))
    page = client.get(reverse("imports:detail", args=["hydro", job.pk])).content.decode()
    assert "marie@example.org and john@example.org already have an active pairing in Relève" in page


def test_same_pairing_again_is_unchanged_not_refused(client, upload, running):
    job, codes = check(client, upload, row("2025-09-15"))
    assert codes == []
    assert job.summary["unchanged"] == 1


def test_finished_pairing_of_the_same_people_may_be_added(client, upload, commit, running):
    job, codes = check(client, upload, row("2024-09-01", "2025-06-30", "terminé"))
    assert codes == []
    commit(client, job)
    assert Pairing.objects.count() == 2


def test_new_pairing_after_a_finished_one_is_accepted(client, upload, commit, running):
    Pairing.objects.filter(pk=running.pk).update(
        status=Pairing.Status.COMPLETED, ends_on=datetime.date(2025, 12, 31)
    )
    job, codes = check(client, upload, row("2026-01-10"))
    assert codes == []
    commit(client, job)
    assert Pairing.objects.filter(status=Pairing.Status.ACTIVE).count() == 1


def test_two_new_active_pairings_of_the_same_people_in_one_file_are_refused(
    client, upload, enrolled
):
    job, codes = check(client, upload, row("2025-09-15"), row("2026-01-10"))
    assert codes == [(3, "paired_twice_in_file")]
    assert job.errors[0]["params"]["first_row"] == 2
    assert job.status == ImportJob.Status.INVALID


def test_rows_of_the_same_people_in_different_batches_are_refused(
    client, upload, enrolled, monkeypatch
):
    monkeypatch.setattr(importers, "BATCH_SIZE", 1)
    _job, codes = check(client, upload, row("2025-09-15"), row("2026-01-10"))
    assert codes == [(3, "paired_twice_in_file")]


def test_file_refusal_names_the_first_row(client, upload, enrolled):
    job, _codes = check(client, upload, row("2025-09-15"), row("2026-01-10"))
    page = client.get(reverse("imports:detail", args=["hydro", job.pk])).content.decode()
    assert "already start an active pairing in Relève on row 2" in page


def test_other_mentee_of_the_same_mentor_is_accepted(client, upload, running, john, program):
    other = factories.PersonFactory(organisation=program.organisation, email="zoe@example.org")
    factories.MenteeEnrolmentFactory(program=program, person=other)
    _job, codes = check(
        client, upload, ["releve", "marie@example.org", "zoe@example.org", "2026-01-10", "", "", ""]
    )
    assert codes == []


def queries_to_check(program, manager_user, count):
    from laurier.imports import services
    from laurier.organisations.models import Membership

    lines = [HEADER]
    for _n in range(count):
        mentor = factories.PersonFactory(organisation=program.organisation)
        mentee = factories.PersonFactory(organisation=program.organisation)
        factories.MentorEnrolmentFactory(program=program, person=mentor)
        factories.MenteeEnrolmentFactory(program=program, person=mentee)
        factories.PairingFactory(
            program=program, mentor=mentor, mentee=mentee, starts_on=datetime.date(2025, 1, 1)
        )
        lines.append(["releve", mentor.email, mentee.email, "2026-01-10", "", "", ""])
    membership = Membership.objects.get(user=manager_user, organisation=program.organisation)
    with CaptureQueriesContext(connection) as checked:
        job = services.create_import(
            membership=membership, user=manager_user, kind="pairings", program=program,
            uploaded_file=csv_file(lines),
        )  # fmt: skip
    assert [problem["code"] for problem in job.errors] == ["already_paired"] * count
    return len(checked)


def test_active_pairings_are_looked_up_once_per_batch(program, manager_user):
    assert queries_to_check(program, manager_user, 2) == queries_to_check(program, manager_user, 12)
