import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from laurier.organisations.models import AuditEvent
from laurier.programs import services
from laurier.programs.models import (
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)
from laurier.testing import factories

DAY = datetime.date(2026, 3, 1)


def program_fields(**overrides):
    fields = {
        "name": "Leaders of tomorrow",
        "slug": "",
        "objectives": "Grow leaders.",
        "expectations": "Two hours a month.",
        "expected_hours_per_month": Decimal("2.0"),
        "commitment_months": 12,
        "status": Program.Status.ACTIVE,
    }
    return fields | overrides


def test_create_program_makes_the_slug_from_the_name(organisation, admin_user):
    program = services.create_program(
        organisation=organisation, actor=admin_user, **program_fields(name="Relève été 2026")
    )
    assert program.slug == "releve-ete-2026"


def test_create_program_keeps_slugs_unique_in_the_organisation(organisation, admin_user):
    first = services.create_program(
        organisation=organisation, actor=admin_user, **program_fields(name="Relève")
    )
    second = services.create_program(
        organisation=organisation, actor=admin_user, **program_fields(name="Releve")
    )
    assert (first.slug, second.slug) == ("releve", "releve-2")


def test_create_program_refuses_a_name_already_used(organisation, admin_user, program):
    with pytest.raises(ValidationError):
        services.create_program(
            organisation=organisation, actor=admin_user, **program_fields(name="RELèVE")
        )


def test_create_program_refuses_an_explicit_slug_already_used(organisation, admin_user, program):
    with pytest.raises(ValidationError):
        services.create_program(
            organisation=organisation, actor=admin_user, **program_fields(slug=program.slug)
        )


def test_create_program_sets_managers_and_is_audited(organisation, admin_user, manager_user):
    program = services.create_program(
        organisation=organisation, actor=admin_user, managers=[manager_user], **program_fields()
    )
    assert list(program.managers.all()) == [manager_user]
    event = AuditEvent.objects.get(object_type="programs.program", object_id=str(program.pk))
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == admin_user


def test_create_program_refuses_a_mentor_as_manager(organisation, admin_user, mentor_user):
    with pytest.raises(ValidationError):
        services.create_program(
            organisation=organisation, actor=admin_user, managers=[mentor_user], **program_fields()
        )


def test_create_program_refuses_a_manager_of_another_organisation(
    organisation, admin_user, other_admin_user
):
    with pytest.raises(ValidationError):
        services.create_program(
            organisation=organisation,
            actor=admin_user,
            managers=[other_admin_user],
            **program_fields(),
        )
    assert not Program.objects.filter(name="Leaders of tomorrow").exists()


def test_update_program_records_only_what_changed(program, admin_user):
    services.update_program(program, actor=admin_user, name="Renamed")
    event = AuditEvent.objects.get(object_type="programs.program", action="update")
    assert event.changes == {"name": ["Relève", "Renamed"]}


def test_cycle_must_end_after_it_starts(program, admin_user):
    with pytest.raises(ValidationError):
        services.create_cycle(
            program=program, actor=admin_user, name="C", starts_on=DAY, ends_on=DAY
        )


def test_update_cycle_is_audited(program, admin_user):
    cycle = factories.CycleFactory(program=program)
    services.update_cycle(
        cycle, actor=admin_user, name="Spring", starts_on=cycle.starts_on, ends_on=cycle.ends_on
    )
    assert AuditEvent.objects.filter(object_type="programs.cycle", action="update").count() == 1


def test_person_email_is_unique_in_the_organisation_whatever_the_case(organisation, admin_user):
    factories.PersonFactory(organisation=organisation, email="ana@example.org")
    with pytest.raises(ValidationError) as error:
        services.create_person(
            organisation=organisation,
            actor=admin_user,
            first_name="Ana",
            last_name="Other",
            email="ANA@Example.org",
        )
    assert "email" in error.value.message_dict


def test_same_email_is_allowed_in_another_organisation(organisation, other_organisation):
    factories.PersonFactory(organisation=other_organisation, email="ana@example.org")
    person = services.create_person(
        organisation=organisation,
        actor=None,
        first_name="A",
        last_name="B",
        email="ana@example.org",
    )
    assert person.organisation == organisation


def test_update_person_may_keep_their_own_email(organisation, admin_user):
    person = factories.PersonFactory(organisation=organisation, email="ana@example.org")
    services.update_person(person, actor=admin_user, email="Ana@example.org", department="IT")
    person.refresh_from_db()
    assert person.department == "IT"


def test_enrol_mentor_creates_an_active_enrolment(program, admin_user):
    person = factories.PersonFactory(organisation=program.organisation)
    enrolment = services.enrol_mentor(program=program, person=person, since=DAY, actor=admin_user)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert AuditEvent.objects.filter(object_type="programs.mentorenrolment").exists()


def test_enrolling_twice_is_refused_and_keeps_one_enrolment(program, admin_user):
    person = factories.PersonFactory(organisation=program.organisation)
    services.enrol_mentor(program=program, person=person, since=DAY, actor=admin_user)
    with pytest.raises(ValidationError):
        services.enrol_mentor(program=program, person=person, since=DAY, actor=admin_user)
    assert MentorEnrolment.objects.filter(program=program, person=person).count() == 1


def test_a_person_of_another_organisation_cannot_be_enrolled(program, other_organisation):
    stranger = factories.PersonFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        services.enrol_mentee(program=program, person=stranger, since=DAY, actor=None)
    assert not MenteeEnrolment.objects.exists()


def test_enrol_new_person_is_all_or_nothing(program, admin_user):
    factories.PersonFactory(organisation=program.organisation, email="taken@example.org")
    with pytest.raises(ValidationError):
        services.enrol_new_person(
            program=program,
            role="mentor",
            since=DAY,
            actor=admin_user,
            first_name="A",
            last_name="B",
            email="TAKEN@example.org",
        )
    assert Person.objects.count() == 1
    assert not MentorEnrolment.objects.exists()


def test_change_enrolment_status_keeps_reason_and_date_and_audits(program, admin_user):
    enrolment = factories.MentorEnrolmentFactory(program=program, since=DAY)
    services.change_enrolment_status(
        enrolment,
        status=EnrolmentStatus.PAUSED,
        reason="Parental leave",
        changed_on=DAY + datetime.timedelta(days=10),
        actor=admin_user,
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_reason) == ("paused", "Parental leave")
    event = AuditEvent.objects.get(object_type="programs.mentorenrolment", action="update")
    assert event.changes["status"] == ["active", "paused"]


def test_status_cannot_change_before_enrolment(program, admin_user):
    enrolment = factories.MentorEnrolmentFactory(program=program, since=DAY)
    with pytest.raises(ValidationError):
        services.change_enrolment_status(
            enrolment,
            status=EnrolmentStatus.LEFT,
            reason="",
            changed_on=DAY - datetime.timedelta(days=1),
            actor=admin_user,
        )


@pytest.fixture
def mentor(program):
    return factories.MentorEnrolmentFactory(program=program).person


@pytest.fixture
def mentee(program):
    return factories.MenteeEnrolmentFactory(program=program).person


def test_create_pairing_pairs_active_people_and_audits(program, mentor, mentee, admin_user):
    pairing = services.create_pairing(
        program=program, mentor=mentor, mentee=mentee, cycle=None, starts_on=DAY, actor=admin_user
    )
    assert pairing.status == Pairing.Status.ACTIVE
    assert AuditEvent.objects.filter(object_type="programs.pairing", action="create").exists()


def test_a_person_cannot_be_paired_with_themselves(program, admin_user):
    person = factories.PersonFactory(organisation=program.organisation)
    factories.MentorEnrolmentFactory(program=program, person=person)
    factories.MenteeEnrolmentFactory(program=program, person=person)
    with pytest.raises(ValidationError):
        services.create_pairing(
            program=program, mentor=person, mentee=person, cycle=None, starts_on=DAY, actor=None
        )


def test_a_mentor_not_enrolled_cannot_be_paired(program, mentee):
    outsider = factories.PersonFactory(organisation=program.organisation)
    with pytest.raises(ValidationError):
        services.create_pairing(
            program=program, mentor=outsider, mentee=mentee, cycle=None, starts_on=DAY, actor=None
        )


def test_a_paused_mentee_cannot_be_paired(program, mentor):
    paused = factories.MenteeEnrolmentFactory(program=program, status=EnrolmentStatus.PAUSED)
    with pytest.raises(ValidationError):
        services.create_pairing(
            program=program,
            mentor=mentor,
            mentee=paused.person,
            cycle=None,
            starts_on=DAY,
            actor=None,
        )


def test_a_mentor_of_another_program_cannot_be_paired(organisation, program, mentee):
    elsewhere = factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=organisation)
    )
    with pytest.raises(ValidationError):
        services.create_pairing(
            program=program,
            mentor=elsewhere.person,
            mentee=mentee,
            cycle=None,
            starts_on=DAY,
            actor=None,
        )


def test_a_cycle_of_another_program_is_refused(organisation, program, mentor, mentee):
    cycle = factories.CycleFactory(program=factories.ProgramFactory(organisation=organisation))
    with pytest.raises(ValidationError):
        services.create_pairing(
            program=program, mentor=mentor, mentee=mentee, cycle=cycle, starts_on=DAY, actor=None
        )


def test_a_duplicate_active_pairing_is_refused(program, mentor, mentee):
    services.create_pairing(
        program=program, mentor=mentor, mentee=mentee, cycle=None, starts_on=DAY, actor=None
    )
    with pytest.raises(ValidationError):
        services.create_pairing(
            program=program,
            mentor=mentor,
            mentee=mentee,
            cycle=None,
            starts_on=DAY + datetime.timedelta(days=3),
            actor=None,
        )
    assert Pairing.objects.count() == 1


def test_a_finished_pairing_can_start_again(program, mentor, mentee):
    first = services.create_pairing(
        program=program, mentor=mentor, mentee=mentee, cycle=None, starts_on=DAY, actor=None
    )
    services.update_pairing(
        first, ends_on=DAY + datetime.timedelta(days=30), status="completed", actor=None
    )
    services.create_pairing(
        program=program,
        mentor=mentor,
        mentee=mentee,
        cycle=None,
        starts_on=DAY + datetime.timedelta(days=60),
        actor=None,
    )
    assert Pairing.objects.count() == 2


def test_a_finished_pairing_cannot_come_back_beside_a_running_one(program, mentor, mentee):
    first = factories.PairingFactory(
        program=program,
        mentor=mentor,
        mentee=mentee,
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=30),
        status=Pairing.Status.COMPLETED,
    )
    factories.PairingFactory(
        program=program, mentor=mentor, mentee=mentee, starts_on=DAY + datetime.timedelta(days=60)
    )
    with pytest.raises(ValidationError):
        services.update_pairing(first, ends_on=None, status="active", actor=None)
    first.refresh_from_db()
    assert first.status == Pairing.Status.COMPLETED


def test_a_finished_pairing_can_be_reopened_when_alone(program, mentor, mentee):
    pairing = factories.PairingFactory(
        program=program,
        mentor=mentor,
        mentee=mentee,
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=30),
        status=Pairing.Status.COMPLETED,
    )
    services.update_pairing(pairing, ends_on=None, status="active", actor=None)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE


def test_ending_a_pairing_needs_an_end_date(program, mentor, mentee):
    pairing = factories.PairingFactory(program=program, mentor=mentor, mentee=mentee)
    with pytest.raises(ValidationError):
        services.update_pairing(pairing, ends_on=None, status="completed", actor=None)


def test_a_pairing_cannot_end_before_it_starts(program, mentor, mentee):
    pairing = factories.PairingFactory(program=program, mentor=mentor, mentee=mentee)
    with pytest.raises(ValidationError):
        services.update_pairing(
            pairing,
            ends_on=pairing.starts_on - datetime.timedelta(days=1),
            status="completed",
            actor=None,
        )


def test_leaving_ends_the_running_pairings_early(program, admin_user):
    pairing = factories.PairingFactory(program=program, starts_on=DAY)
    enrolment = MenteeEnrolment.objects.get(program=program, person=pairing.mentee)
    left_on = DAY + datetime.timedelta(days=40)
    services.change_enrolment_status(
        enrolment, status=EnrolmentStatus.LEFT, reason="Moved", changed_on=left_on, actor=admin_user
    )
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ends_on) == (Pairing.Status.ENDED_EARLY, left_on)
    assert AuditEvent.objects.filter(object_type="programs.pairing", action="update").exists()


def test_a_pause_keeps_the_pairings_running(program, admin_user):
    pairing = factories.PairingFactory(program=program, starts_on=DAY)
    enrolment = MentorEnrolment.objects.get(program=program, person=pairing.mentor)
    services.change_enrolment_status(
        enrolment, status=EnrolmentStatus.PAUSED, reason="", changed_on=DAY, actor=admin_user
    )
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
