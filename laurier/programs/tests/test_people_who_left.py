"""People marked as having left the organisation (HR file) are enrolled, paired or made active
no more: the services refuse, so the pages, the API and the importer obey the same rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.programs import services
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing
from laurier.testing import factories

LEFT_ON = datetime.date(2026, 11, 2)
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def leaver(organisation):
    return factories.PersonFactory(
        organisation=organisation, first_name="Zoé", last_name="Partie", left_on=LEFT_ON
    )


def refusal(call):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


@pytest.mark.parametrize("enrol", [services.enrol_mentor, services.enrol_mentee])
def test_someone_who_left_cannot_be_enrolled(program, leaver, admin_user, enrol):
    errors = refusal(lambda: enrol(program=program, person=leaver, since=DAY, actor=admin_user))

    assert errors == {"person": ["Zoé Partie has left the organisation."]}
    assert not MentorEnrolment.objects.exists()


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_someone_who_left_cannot_be_paired(program, leaver, admin_user, role):
    # Enrolled (still active) before the HR file said they left.
    other = factories.PersonFactory(organisation=program.organisation)
    factories.MentorEnrolmentFactory(program=program, person=leaver if role == "mentor" else other)
    factories.MenteeEnrolmentFactory(program=program, person=other if role == "mentor" else leaver)
    people = (
        {"mentor": leaver, "mentee": other}
        if role == "mentor"
        else {
            "mentor": other,
            "mentee": leaver,
        }
    )

    errors = refusal(
        lambda: services.create_pairing(
            program=program, cycle=None, starts_on=DAY, actor=admin_user, **people
        )
    )

    assert list(errors) == [role]
    assert not Pairing.objects.exists()


@pytest.mark.parametrize("status", [EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED])
def test_the_enrolment_of_someone_who_left_cannot_be_made_active_or_paused(
    program, leaver, admin_user, status
):
    enrolment = factories.MentorEnrolmentFactory(
        program=program, person=leaver, status=EnrolmentStatus.LEFT, since=datetime.date(2026, 1, 5)
    )

    errors = refusal(
        lambda: services.change_enrolment_status(
            enrolment, status=status, reason="", changed_on=DAY, actor=admin_user
        )
    )

    assert list(errors) == ["status"]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.LEFT


def test_the_enrolment_of_someone_who_left_can_still_be_ended(program, leaver, admin_user):
    enrolment = factories.MentorEnrolmentFactory(
        program=program, person=leaver, since=datetime.date(2026, 1, 5)
    )

    services.change_enrolment_status(
        enrolment, status=EnrolmentStatus.LEFT, reason="", changed_on=DAY, actor=admin_user
    )

    assert enrolment.status == EnrolmentStatus.LEFT


def test_a_pairing_with_someone_who_left_cannot_be_made_active_again(program, leaver, admin_user):
    pairing = factories.PairingFactory(
        program=program,
        mentor=leaver,
        status=Pairing.Status.ENDED_EARLY,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=LEFT_ON,
    )

    errors = refusal(
        lambda: services.update_pairing(
            pairing, ends_on=None, status=Pairing.Status.ACTIVE, actor=admin_user
        )
    )

    assert list(errors) == ["status"]
