"""Conflicts of interest (selectors.conflicts): those declared, and each kind Laurier finds
itself in its records, found again at each call."""

import pytest
from django.utils import translation

from laurier.contests.models import ConflictReason, DeclaredConflict, Nomination, Nominee
from laurier.contests.selectors import conflict_refusal, conflicted_nominee_ids, conflicts
from laurier.programs.models import Pairing
from laurier.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(program):
    return factories.EditionFactory(program=program)


@pytest.fixture
def category(edition):
    return factories.CategoryFactory(edition=edition)


def nominee_of(category, person=None):
    fields = {"person": person} if person is not None else {}
    return factories.NomineeFactory(category=category, **fields)


def juror_of(edition, person=None, **fields):
    if person is not None:
        fields.setdefault("email", person.email)
    return factories.JurorFactory(edition=edition, person=person, **fields)


def reasons(edition, juror, nominee):
    return [conflict.reason for conflict in conflicts(edition).get((juror.pk, nominee.pk), [])]


def test_no_link_no_conflict(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition, factories.PersonFactory(organisation=edition.organisation))

    assert conflicts(edition) == {}
    assert conflicted_nominee_ids(juror) == set()
    assert conflict_refusal(juror, nominee) == ""


def test_the_juror_is_the_nominee(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition, nominee.person)

    assert reasons(edition, juror, nominee) == [ConflictReason.SELF]


def test_the_juror_is_the_nominee_by_e_mail_whatever_the_case(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition, email=nominee.person.email.upper())

    assert reasons(edition, juror, nominee) == [ConflictReason.SELF]


def test_the_juror_mentors_the_nominee(edition, category, program):
    nominee = nominee_of(category)
    person = factories.PersonFactory(organisation=edition.organisation)
    factories.PairingFactory(program=program, mentor=person, mentee=nominee.person)
    juror = juror_of(edition, person)

    assert reasons(edition, juror, nominee) == [ConflictReason.PAIRED]


def test_the_juror_is_the_nominees_mentee_in_another_program_long_ago(
    edition, category, organisation
):
    nominee = nominee_of(category)
    person = factories.PersonFactory(organisation=organisation)
    factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation),
        mentor=nominee.person,
        mentee=person,
        status=Pairing.Status.COMPLETED,
    )
    juror = juror_of(edition, person)

    assert reasons(edition, juror, nominee) == [ConflictReason.PAIRED]


def test_the_juror_and_the_nominee_mentor_the_same_mentee(edition, category, program):
    nominee = nominee_of(category)
    person = factories.PersonFactory(organisation=edition.organisation)
    mentee = factories.PersonFactory(organisation=edition.organisation)
    factories.PairingFactory(program=program, mentor=person, mentee=mentee)
    factories.PairingFactory(program=program, mentor=nominee.person, mentee=mentee)
    juror = juror_of(edition, person)

    assert reasons(edition, juror, nominee) == [ConflictReason.SHARED_MENTEE]


def test_mentoring_different_mentees_is_no_conflict(edition, category, program):
    nominee = nominee_of(category)
    person = factories.PersonFactory(organisation=edition.organisation)
    factories.PairingFactory(program=program, mentor=person)
    factories.PairingFactory(program=program, mentor=nominee.person)
    juror = juror_of(edition, person)

    assert reasons(edition, juror, nominee) == []


def test_an_address_typed_in_the_public_form_does_not_take_a_juror_off_a_nominee(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition, email="Julie@Example.org")
    factories.NominationFactory(nominee=nominee, nominator_email="julie@example.org")

    assert reasons(edition, juror, nominee) == []


def test_a_juror_typed_by_e_mail_is_linked_to_a_person_added_since(edition, category, program):
    nominee = nominee_of(category)
    juror = juror_of(edition, email="Julie@Example.org")
    julie = factories.PersonFactory(organisation=edition.organisation, email="julie@example.org")
    factories.PairingFactory(program=program, mentor=nominee.person, mentee=julie)

    assert reasons(edition, juror, nominee) == [ConflictReason.PAIRED]


def test_the_juror_nominated_them_in_laurier_under_another_address(edition, category):
    nominee = nominee_of(category)
    person = factories.PersonFactory(organisation=edition.organisation)
    juror = juror_of(edition, person, email="work@example.org")
    factories.NominationFactory(
        nominee=nominee,
        nominator_person=person,
        nominator_email="home@example.org",
        source=Nomination.Source.LAURIER,
    )

    assert reasons(edition, juror, nominee) == [ConflictReason.NOMINATOR]


def test_a_declared_conflict_counts_with_its_note(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition)
    DeclaredConflict.objects.create(
        juror=juror, nominee=nominee, reason=ConflictReason.FAMILY, note="Cousins"
    )

    (conflict,) = conflicts(edition)[(juror.pk, nominee.pk)]

    assert (conflict.reason, conflict.note, conflict.declared) == (
        ConflictReason.FAMILY,
        "Cousins",
        True,
    )
    assert conflicted_nominee_ids(juror) == {nominee.pk}


def test_found_conflicts_are_not_declared_ones(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition, nominee.person)

    (conflict,) = conflicts(edition)[(juror.pk, nominee.pk)]

    assert not conflict.declared


def test_several_links_give_several_reasons(edition, category, program):
    nominee = nominee_of(category)
    person = factories.PersonFactory(organisation=edition.organisation)
    factories.PairingFactory(program=program, mentor=person, mentee=nominee.person)
    juror = juror_of(edition, person)
    factories.NominationFactory(
        nominee=nominee, nominator_person=person, source=Nomination.Source.LAURIER
    )

    assert sorted(reasons(edition, juror, nominee)) == sorted(
        [ConflictReason.PAIRED, ConflictReason.NOMINATOR]
    )


def test_a_conflict_covers_the_person_in_every_category(edition, category, program):
    nominee = nominee_of(category)
    again = nominee_of(factories.CategoryFactory(edition=edition), nominee.person)
    juror = juror_of(edition, nominee.person)

    assert conflicted_nominee_ids(juror) == {nominee.pk, again.pk}


def test_a_pairing_made_since_counts_at_once(edition, category, program):
    nominee = nominee_of(category)
    juror = juror_of(edition, factories.PersonFactory(organisation=edition.organisation))
    assert conflicted_nominee_ids(juror) == set()

    factories.PairingFactory(program=program, mentor=juror.person, mentee=nominee.person)

    assert conflicted_nominee_ids(juror) == {nominee.pk}


def test_another_editions_jurors_and_nominees_stay_apart(edition, category, program):
    nominee = nominee_of(category)
    other_edition = factories.EditionFactory(program=program, year=2025)
    stranger = juror_of(other_edition, nominee.person)

    assert conflicts(edition) == {}
    assert conflicts(edition, [stranger]) == {}


def test_conflicts_for_one_juror_leave_the_others_out(edition, category):
    nominee = nominee_of(category)
    one = juror_of(edition, nominee.person)
    other = juror_of(edition)

    assert set(conflicts(edition, [one])) == {(one.pk, nominee.pk)}
    assert (other.pk, nominee.pk) not in conflicts(edition)


def test_the_refusal_names_the_reason(edition, category):
    nominee = nominee_of(category)
    juror = juror_of(edition, nominee.person)

    with translation.override("en"):
        assert conflict_refusal(juror, nominee) == (
            "You have a conflict of interest with this nominee: The juror is the nominee."
        )


def _field(edition, program, size):
    category = factories.CategoryFactory(edition=edition)
    for _index in range(size):
        nominee = nominee_of(category)
        juror = juror_of(edition, factories.PersonFactory(organisation=edition.organisation))
        factories.PairingFactory(program=program, mentor=juror.person, mentee=nominee.person)
        factories.NominationFactory(nominee=nominee)
        DeclaredConflict.objects.create(
            juror=juror,
            nominee=Nominee.objects.exclude(pk=nominee.pk).first() or nominee,
            reason=ConflictReason.OTHER,
        )


@pytest.mark.parametrize("size", [2, 20])
def test_conflicts_take_a_constant_number_of_queries(
    edition, program, size, django_assert_max_num_queries
):
    _field(edition, program, size)

    with django_assert_max_num_queries(6):
        found = conflicts(edition)

    assert len(found) >= size
