"""The retention rule: who is inactive for N months, erased every day, shown beforehand."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone, translation

from laurier.contests.models import Nomination
from laurier.organisations.models import AuditEvent, Role
from laurier.privacy.models import Erasure, RetentionPolicy
from laurier.privacy.selectors import inactive_people
from laurier.privacy.services import erasure
from laurier.privacy.services.erasure import erase_person
from laurier.privacy.services.retention import apply_retention
from laurier.profiles.models import ProfileSource, ProfileVersion
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Person
from laurier.recognition.categories import Giver
from laurier.recognition.models import (
    Event,
    EventInvitation,
    EventKind,
    NoteCampaign,
    NoteWriter,
    ThankYouNote,
)
from laurier.testing import factories

from .conftest import url

TODAY = datetime.date(2026, 6, 15)
CUTOFF = datetime.date(2025, 6, 15)  # twelve months before
LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1))


def person(organisation, **fields):
    someone = factories.PersonFactory(organisation=organisation, **fields)
    Person.objects.filter(pk=someone.pk).update(created_at=LONG_AGO)
    return someone


def due(organisation):
    return set(inactive_people(organisation, today=TODAY, months=12))


@pytest.mark.parametrize(("left_on", "erased"), [(CUTOFF, True), (CUTOFF.replace(day=16), False)])
def test_someone_who_left_is_due_twelve_months_after_leaving(organisation, left_on, erased):
    someone = person(organisation, left_on=left_on)
    assert (someone in due(organisation)) is erased


def ended_pairing(program, last_day):
    """A mentor whose pairing, enrolments and last session all ended on `last_day`."""
    pairing = factories.PairingFactory(
        program=program, starts_on=datetime.date(2024, 1, 10), ends_on=last_day, status="completed"
    )
    factories.MentoringSessionFactory(pairing=pairing, held_on=last_day)
    for model in (MentorEnrolment, MenteeEnrolment):
        model.objects.filter(program=program).update(
            status=EnrolmentStatus.LEFT, since=datetime.date(2024, 1, 10), status_changed_on=None
        )
    Person.objects.filter(organisation=program.organisation).update(created_at=LONG_AGO)
    return pairing.mentor


@pytest.mark.parametrize(("last_day", "erased"), [(CUTOFF, True), (CUTOFF.replace(day=16), False)])
def test_someone_enrolled_nowhere_is_due_twelve_months_after_their_last_session(
    program, last_day, erased
):
    mentor = ended_pairing(program, last_day)
    assert (mentor in due(program.organisation)) is erased


def test_an_active_enrolment_keeps_someone(program):
    mentor = ended_pairing(program, datetime.date(2024, 3, 1))
    MentorEnrolment.objects.filter(person=mentor).update(status=EnrolmentStatus.ACTIVE)
    assert mentor not in due(program.organisation)


def test_a_recent_sign_in_keeps_someone(organisation, mentor_user, mentor):
    Person.objects.filter(pk=mentor.pk).update(created_at=LONG_AGO)
    mentor_user.last_login = timezone.make_aware(datetime.datetime(2025, 6, 16, 9))
    mentor_user.save()
    assert mentor not in due(organisation)


def test_an_admin_and_an_erased_person_are_never_due(organisation, admin_user):
    admin = person(organisation, user=admin_user, left_on=datetime.date(2020, 1, 1))
    gone = person(organisation, left_on=datetime.date(2020, 1, 1))
    erase_person(gone, actor=None)
    assert not due(organisation) & {admin, gone}


def test_the_daily_run_erases_the_due_people_with_the_trail(organisation):
    RetentionPolicy.objects.create(organisation=organisation, erase_inactive_after_months=12)
    leaver = person(organisation, left_on=CUTOFF)
    stayer = person(organisation, left_on=CUTOFF.replace(day=16))
    assert apply_retention(today=TODAY).erased == 1
    assert list(Erasure.objects.values_list("person", "reason")) == [(leaver.pk, "retention")]
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASE)
    assert (event.object_id, event.actor) == (str(leaver.pk), None)
    assert stayer not in Erasure.objects.values_list("person", flat=True)


def test_the_command_leaves_organisations_without_the_rule_alone(organisation, capsys):
    person(organisation, left_on=datetime.date(2020, 1, 1))
    with translation.override("en"):
        call_command("apply_retention")
    assert capsys.readouterr().out == "0 people erased by the retention rule.\n"
    assert not Erasure.objects.exists()


def test_a_dry_run_lists_who_would_go_and_erases_nobody(organisation, capsys):
    RetentionPolicy.objects.create(organisation=organisation, erase_inactive_after_months=12)
    leaver = person(organisation, left_on=datetime.date(2020, 1, 1))
    with translation.override("en"):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"{organisation.slug}\t{leaver.pk}\t{leaver.full_name}\n" in out
    assert out.endswith("Dry run: 1 person would be erased; nobody was.\n")
    assert not Erasure.objects.exists()


def test_an_error_of_the_database_stops_no_other_erasure(organisation, monkeypatch):
    """A failure of the database server is outside the machine: simulated for one person."""
    RetentionPolicy.objects.create(organisation=organisation, erase_inactive_after_months=12)
    failing, other = (person(organisation, left_on=datetime.date(2020, 1, 1)) for _ in range(2))
    real_erase = erasure.erase_person

    def erase_or_fail(someone, **kwargs):
        if someone.pk == failing.pk:
            raise DatabaseError("connection lost")
        return real_erase(someone, **kwargs)

    monkeypatch.setattr(erasure, "erase_person", erase_or_fail)
    run = apply_retention(today=TODAY)
    assert (run.erased, [str(error) for _org, error in run.failures]) == (1, ["connection lost"])
    assert list(Erasure.objects.values_list("person", flat=True)) == [other.pk]


RECENT = timezone.make_aware(datetime.datetime(2025, 6, 16, 9))  # the day after the cut-off


def _session_as_mentor(program, someone):
    pairing = factories.PairingFactory(program=program, mentor=someone, starts_on=LONG_AGO.date())
    factories.MentoringSessionFactory(pairing=pairing, held_on=RECENT.date())


def _action_in_laurier(program, someone):
    someone.user = factories.UserFactory()
    someone.save()
    AuditEvent.objects.create(
        organisation=program.organisation,
        actor=someone.user,
        action=AuditEvent.Action.UPDATE,
        object_type="programs.program",
        object_id=str(program.pk),
        object_repr=program.name,
        at=RECENT,
    )


def _event_attended(program, someone):
    event = Event.objects.create(
        organisation=program.organisation,
        program=program,
        kind=EventKind.WORKSHOP,
        name_fr="Atelier",
        name_en="Workshop",
        starts_at=RECENT,
        ends_at=RECENT + datetime.timedelta(hours=2),
    )
    EventInvitation.objects.create(event=event, person=someone, attended=True)


def _profile_changed(program, someone):
    ProfileVersion.objects.create(
        organisation=program.organisation,
        person=someone,
        recorded_at=RECENT,
        source=ProfileSource.SELF,
        data={},
    )


def _note_written(program, someone):
    campaign = NoteCampaign.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=factories.PersonFactory(organisation=program.organisation),
        closes_on=RECENT.date(),
    )
    writer = NoteWriter.objects.create(
        campaign=campaign, person=someone, name="N", email="n@example.org", relation=Giver.MENTEE
    )
    note = ThankYouNote.objects.create(
        campaign=campaign, writer=writer, mentor=campaign.mentor, text="Merci", signature="N"
    )
    ThankYouNote.objects.filter(pk=note.pk).update(created_at=RECENT)


def _nomination_written(program, someone):
    nomination = factories.NominationFactory(
        nominee__category__edition__program=program, nominator_person=someone
    )
    Nomination.objects.filter(pk=nomination.pk).update(submitted_at=RECENT)


@pytest.mark.parametrize(
    "trace",
    [
        _session_as_mentor,
        _action_in_laurier,
        _event_attended,
        _profile_changed,
        _note_written,
        _nomination_written,
    ],
)
def test_a_leaver_with_a_trace_after_the_cut_off_is_kept(program, trace):
    someone = person(program.organisation, left_on=datetime.date(2020, 1, 1))
    trace(program, someone)
    assert someone not in due(program.organisation)


def test_a_program_manager_is_never_due(organisation, manager_user):
    manager = person(organisation, user=manager_user, left_on=datetime.date(2020, 1, 1))
    assert manager not in due(organisation)


def test_an_admin_sets_the_rule_and_sees_who_goes_next(login, admin_user, organisation):
    leavers = [person(organisation, left_on=datetime.date(2020, 1, 1)) for _ in range(2)]
    client = login(admin_user)
    form = {"erase_inactive_after_months": "24", "confirm": "1"}
    assert client.post(url("retention", organisation), form)["Location"].endswith(
        "/privacy/retention/"
    )
    assert RetentionPolicy.objects.get().erase_inactive_after_months == 24
    page = client.get(url("retention", organisation)).context["page"]
    assert page.paginator.count == 2 and set(page) == set(leavers)
    assert AuditEvent.objects.filter(object_type="privacy.retentionpolicy").exists()


def test_a_rule_that_would_erase_someone_asks_first_with_their_names(
    login, admin_user, organisation
):
    leaver = person(organisation, left_on=datetime.date(2020, 1, 1))
    response = login(admin_user).post(
        url("retention", organisation), {"erase_inactive_after_months": "24"}
    )
    preview = response.context["preview"]
    assert (preview["months"], preview["count"], list(preview["people"])) == (24, 1, [leaver])
    assert leaver.full_name in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_a_rule_that_erases_nobody_is_saved_at_once(login, admin_user, organisation):
    person(organisation, left_on=datetime.date(2025, 1, 1))
    login(admin_user).post(url("retention", organisation), {"erase_inactive_after_months": "240"})
    assert RetentionPolicy.objects.get().erase_inactive_after_months == 240


def test_the_rule_is_off_by_default(login, admin_user, organisation):
    response = login(admin_user).get(url("retention", organisation))
    assert response.context["page"] is None and response.context["months"] is None


def test_the_list_reads_a_constant_number_of_queries(
    login, admin_user, organisation, django_assert_max_num_queries
):
    RetentionPolicy.objects.create(organisation=organisation, erase_inactive_after_months=12)
    for _ in range(30):
        person(organisation, left_on=datetime.date(2020, 1, 1))
    client = login(admin_user)
    with django_assert_max_num_queries(12):
        client.get(url("retention", organisation))


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MENTOR])
def test_only_admins_set_the_rule(login, organisation, role):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role=role)
    assert login(user).get(url("retention", organisation)).status_code == 403
