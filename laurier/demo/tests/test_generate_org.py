"""`manage.py generate_org`: a large organisation for measurements, here at a small size."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laurier.demo.large_organisation import split_by_weights
from laurier.hours.models import MentoringSession
from laurier.organisations.models import Membership, Organisation, Role
from laurier.programs.models import MenteeEnrolment, MentorEnrolment, Pairing, Person, Program

SMALL = ["--mentors", "50", "--mentees", "200", "--sessions", "2000", "--programs", "5"]


def generate(*extra):
    output = StringIO()
    call_command("generate_org", *SMALL, *extra, stdout=output)
    return output.getvalue()


@pytest.fixture
def small(db):
    generate("--slug", "big")
    return Organisation.objects.get(slug="big")


def test_generates_exact_counts(small):
    assert Program.objects.filter(organisation=small).count() == 5
    assert MentorEnrolment.objects.filter(program__organisation=small).count() == 50
    assert MenteeEnrolment.objects.filter(program__organisation=small).count() == 200
    assert Person.objects.filter(organisation=small).count() == 250
    assert MentoringSession.objects.filter(program__organisation=small).count() == 2000


def test_every_mentee_has_one_pairing_in_a_cycle(small):
    pairings = Pairing.objects.filter(program__organisation=small)
    assert pairings.count() == 200
    assert not pairings.filter(cycle__isnull=True).exists()


def test_sessions_are_in_the_last_twelve_months_within_their_pairing(small):
    today = datetime.date.today()
    for session in MentoringSession.objects.filter(program__organisation=small).select_related(
        "pairing"
    ):
        assert today - datetime.timedelta(days=366) <= session.held_on <= today
        assert session.held_on >= session.pairing.starts_on
        assert session.program_id == session.pairing.program_id


def test_program_sizes_have_a_long_tail(small):
    sizes = sorted(
        (
            MentorEnrolment.objects.filter(program=program).count()
            for program in small.programs.all()
        ),
        reverse=True,
    )
    assert sizes[0] > 2 * sizes[-1]


def test_each_program_has_a_manager_and_the_organisation_an_admin(small):
    assert Membership.objects.filter(organisation=small, role=Role.ADMIN).count() == 1
    for program in small.programs.all():
        assert program.managers.count() == 1


def test_refuses_to_overwrite_an_existing_organisation(small):
    with pytest.raises(CommandError, match="--replace"):
        generate("--slug", "big")
    assert MentoringSession.objects.filter(program__organisation=small).count() == 2000


def test_replace_generates_it_again_with_the_same_counts(small):
    generate("--slug", "big", "--replace")
    organisation = Organisation.objects.get(slug="big")
    assert MentoringSession.objects.filter(program__organisation=organisation).count() == 2000
    assert Person.objects.filter(organisation=organisation).count() == 250


def test_same_seed_gives_the_same_organisation(db):
    generate("--slug", "one", "--seed", "7")
    generate("--slug", "two", "--seed", "7")

    def people(slug):
        return list(
            Person.objects.filter(organisation__slug=slug)
            .order_by("pk")
            .values_list("first_name", "last_name", "department")
        )

    assert people("one") == people("two")


def test_refuses_more_sessions_than_the_pairings_can_hold(db):
    with pytest.raises(CommandError):
        call_command(
            "generate_org", "--mentors", "1", "--mentees", "1", "--programs", "1",
            "--sessions", "100000", "--slug", "tiny", stdout=StringIO(),
        )  # fmt: skip
    assert not Organisation.objects.filter(slug="tiny").exists()


def test_refuses_a_program_without_people(db):
    with pytest.raises(CommandError):
        call_command(
            "generate_org", "--mentors", "2", "--mentees", "10", "--programs", "3",
            "--slug", "tiny", stdout=StringIO(),
        )  # fmt: skip


def test_split_by_weights_adds_up_and_respects_the_minimum():
    assert split_by_weights(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split_by_weights(10_000, [1 / k for k in range(1, 31)], minimum=1)) == 10_000
    assert min(split_by_weights(40, [100, 1, 1], minimum=1)) == 1
