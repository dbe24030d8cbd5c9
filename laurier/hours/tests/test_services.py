import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from laurier.hours import services
from laurier.hours.models import LoggedBy, MentoringSession, SessionFormat, SessionSetting
from laurier.organisations.models import AuditEvent, Role
from laurier.programs.models import Pairing
from laurier.testing import factories


@pytest.fixture(autouse=True)
def _in_english():
    # The messages below are checked in English; without this they passed only when an earlier
    # test on the same worker had left English active.
    with translation.override("en"):
        yield


def log(pairing, user, **overrides):
    arguments = {
        "pairing": pairing,
        "held_on": datetime.date(2025, 3, 10),
        "duration_minutes": 60,
        "format": SessionFormat.ONE_TO_ONE,
        "setting": SessionSetting.ONLINE,
        "notes": "",
        "logged_by": LoggedBy.MANAGER,
        "user": user,
    }
    arguments.update(overrides)
    return services.log_session(**arguments)


def errors_of(raised):
    return " ".join(raised.value.messages)


# Logging a session


def test_log_session_copies_program_mentor_and_mentee_from_the_pairing(pairing, manager_user):
    session = log(pairing, manager_user)
    assert (session.program, session.mentor, session.mentee) == (
        pairing.program,
        pairing.mentor,
        pairing.mentee,
    )
    assert session.logged_by == LoggedBy.MANAGER
    assert session.logged_by_user == manager_user
    assert session.confirmed_at is None


def test_log_session_is_audited(pairing, manager_user, organisation):
    session = log(pairing, manager_user)
    event = AuditEvent.objects.get()
    assert (event.organisation, event.actor, event.action) == (
        organisation,
        manager_user,
        AuditEvent.Action.CREATE,
    )
    assert event.object_id == str(session.pk)


def test_log_session_refuses_a_date_in_the_future(pairing, manager_user, today):
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, held_on=today + datetime.timedelta(days=1))
    assert "before it happens" in errors_of(raised)
    assert not MentoringSession.objects.exists()


def test_log_session_accepts_today(pairing, manager_user, today):
    assert log(pairing, manager_user, held_on=today).held_on == today


def test_log_session_refuses_a_date_before_the_pairing_started(pairing, manager_user):
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, held_on=pairing.starts_on - datetime.timedelta(days=1))
    assert "only started" in errors_of(raised)
    assert not MentoringSession.objects.exists()


def test_log_session_refuses_a_date_after_the_pairing_ended(pairing, manager_user):
    pairing.ends_on = datetime.date(2025, 6, 30)
    pairing.save()
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, held_on=datetime.date(2025, 7, 1))
    assert "ended on 2025-06-30" in errors_of(raised)


def test_log_session_accepts_the_last_day_of_the_pairing(pairing, manager_user):
    pairing.ends_on = datetime.date(2025, 6, 30)
    pairing.save()
    assert log(pairing, manager_user, held_on=datetime.date(2025, 6, 30)).pk


@pytest.mark.parametrize("minutes", [None, 0, 4, 721, -60, "60", 60.5, True])
def test_log_session_refuses_a_duration_outside_5_to_720_minutes(pairing, manager_user, minutes):
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, duration_minutes=minutes)
    assert "between 5 and 720 minutes" in errors_of(raised)
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize("minutes", [5, 720])
def test_log_session_accepts_the_shortest_and_longest_durations(pairing, manager_user, minutes):
    assert log(pairing, manager_user, duration_minutes=minutes).duration_minutes == minutes


def test_log_session_refuses_an_unknown_format(pairing, manager_user):
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, format="telepathy")
    assert "format" in raised.value.error_dict


def test_log_session_refuses_an_unknown_setting(pairing, manager_user):
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, setting="moon")
    assert "setting" in raised.value.error_dict


def test_log_session_refuses_a_missing_date(pairing, manager_user):
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user, held_on=None)
    assert "held_on" in raised.value.error_dict


def test_duplicate_session_is_refused_with_a_clear_message_and_adds_nothing(pairing, manager_user):
    log(pairing, manager_user)
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user)
    assert "already logged" in errors_of(raised)
    assert MentoringSession.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_same_day_with_another_duration_is_a_second_session(pairing, manager_user):
    log(pairing, manager_user, duration_minutes=60)
    log(pairing, manager_user, duration_minutes=30)
    assert MentoringSession.objects.count() == 2


def test_mentor_logs_on_own_pairing(pairing, mentor_user):
    session = log(pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    assert session.logged_by == LoggedBy.MENTOR


def test_mentee_logs_on_own_pairing(pairing, mentee_user):
    session = log(pairing, mentee_user, logged_by=LoggedBy.MENTEE)
    assert session.logged_by == LoggedBy.MENTEE


def test_mentee_cannot_log_as_the_mentor(pairing, mentee_user):
    with pytest.raises(ValidationError):
        log(pairing, mentee_user, logged_by=LoggedBy.MENTOR)


def test_mentor_cannot_log_on_someone_elses_pairing(other_pairing, mentor_user):
    with pytest.raises(ValidationError) as raised:
        log(other_pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    assert "cannot log sessions on this pairing" in errors_of(raised)
    assert not MentoringSession.objects.exists()


def test_mentor_cannot_log_on_a_pairing_that_is_over(pairing, mentor_user):
    pairing.status = Pairing.Status.COMPLETED
    pairing.save()
    with pytest.raises(ValidationError) as raised:
        log(pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    assert "no longer active" in errors_of(raised)


def test_manager_may_log_on_a_pairing_that_is_over(pairing, manager_user):
    pairing.status = Pairing.Status.COMPLETED
    pairing.save()
    assert log(pairing, manager_user).pk


def test_admin_logs_as_manager(pairing, admin_user):
    assert log(pairing, admin_user).logged_by_user == admin_user


def test_manager_of_another_program_cannot_log(pairing, organisation):
    outsider = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=outsider, role=Role.MANAGER)
    with pytest.raises(ValidationError):
        log(pairing, outsider)


def test_admin_of_another_organisation_cannot_log(pairing, other_admin_user):
    with pytest.raises(ValidationError):
        log(pairing, other_admin_user)


def test_manager_entry_without_a_user_is_refused(pairing):
    with pytest.raises(ValidationError):
        services.log_session(pairing, datetime.date(2025, 3, 10), 60)
    assert not MentoringSession.objects.exists()


def test_unknown_logged_by_is_refused(pairing, manager_user):
    with pytest.raises(ValidationError):
        log(pairing, manager_user, logged_by="robot")


# Confirming a session


def test_mentee_confirms_what_the_mentor_logged(pairing, mentor_user, mentee_user):
    session = log(pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    services.confirm_session(session, mentee_user)
    session.refresh_from_db()
    assert session.confirmed_at is not None
    assert session.confirmed_by == mentee_user


def test_mentor_confirms_what_the_mentee_logged(pairing, mentor_user, mentee_user):
    session = log(pairing, mentee_user, logged_by=LoggedBy.MENTEE)
    services.confirm_session(session, mentor_user)
    assert session.confirmed_by == mentor_user


def test_mentor_cannot_confirm_what_they_logged(pairing, mentor_user):
    session = log(pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    with pytest.raises(ValidationError):
        services.confirm_session(session, mentor_user)
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_mentee_cannot_confirm_what_they_logged(pairing, mentee_user):
    session = log(pairing, mentee_user, logged_by=LoggedBy.MENTEE)
    with pytest.raises(ValidationError):
        services.confirm_session(session, mentee_user)


@pytest.mark.parametrize("side", ["mentor_user", "mentee_user"])
def test_either_side_confirms_what_a_manager_logged(pairing, manager_user, side, request):
    user = request.getfixturevalue(side)
    session = log(pairing, manager_user)
    services.confirm_session(session, user)
    assert session.confirmed_by == user


def test_manager_cannot_confirm_a_session(pairing, manager_user):
    session = log(pairing, manager_user)
    with pytest.raises(ValidationError):
        services.confirm_session(session, manager_user)


def test_confirming_twice_changes_nothing_and_is_audited_once(pairing, mentor_user, mentee_user):
    session = log(pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    services.confirm_session(session, mentee_user)
    first = MentoringSession.objects.get().confirmed_at
    services.confirm_session(MentoringSession.objects.get(), mentee_user)
    assert MentoringSession.objects.get().confirmed_at == first
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1


def test_confirmation_is_audited(pairing, mentor_user, mentee_user):
    session = log(pairing, mentor_user, logged_by=LoggedBy.MENTOR)
    services.confirm_session(session, mentee_user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.actor == mentee_user
    assert "confirmed_at" in event.changes


# Changing and deleting


def test_update_session_changes_the_facts_and_is_audited(pairing, manager_user):
    session = log(pairing, manager_user)
    services.update_session(
        session,
        held_on=session.held_on,
        duration_minutes=session.duration_minutes,
        format=SessionFormat.GROUP,
        setting=SessionSetting.IN_PERSON,
        notes="Group lunch",
        user=manager_user,
    )
    session.refresh_from_db()
    assert (session.format, session.notes) == (SessionFormat.GROUP, "Group lunch")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.changes["notes"] == ["", "Group lunch"]


def test_new_duration_clears_the_confirmation(pairing, manager_user, mentee_user):
    session = log(pairing, manager_user)
    services.confirm_session(session, mentee_user)
    services.update_session(
        session,
        held_on=session.held_on,
        duration_minutes=90,
        format=session.format,
        setting=session.setting,
        user=manager_user,
    )
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_new_notes_keep_the_confirmation(pairing, manager_user, mentee_user):
    session = log(pairing, manager_user)
    services.confirm_session(session, mentee_user)
    services.update_session(
        session,
        held_on=session.held_on,
        duration_minutes=session.duration_minutes,
        format=session.format,
        setting=session.setting,
        notes="Fine",
        user=manager_user,
    )
    session.refresh_from_db()
    assert session.confirmed_at is not None


def test_update_refuses_to_make_a_duplicate(pairing, manager_user):
    log(pairing, manager_user, duration_minutes=60)
    second = log(pairing, manager_user, duration_minutes=30)
    with pytest.raises(ValidationError) as raised:
        services.update_session(
            second,
            held_on=second.held_on,
            duration_minutes=60,
            format=second.format,
            setting=second.setting,
            user=manager_user,
        )
    assert "already logged" in errors_of(raised)
    second.refresh_from_db()
    assert second.duration_minutes == 30


def test_update_refuses_a_future_date(pairing, manager_user, today):
    session = log(pairing, manager_user)
    with pytest.raises(ValidationError):
        services.update_session(
            session,
            held_on=today + datetime.timedelta(days=3),
            duration_minutes=60,
            format=session.format,
            setting=session.setting,
            user=manager_user,
        )


def test_delete_session_removes_it_and_is_audited(pairing, manager_user):
    session = log(pairing, manager_user)
    services.delete_session(session, manager_user)
    assert not MentoringSession.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1


# Bulk entry


def bulk_row(pairing, **overrides):
    row = {
        "pairing": pairing,
        "held_on": datetime.date(2025, 5, 1),
        "duration_minutes": 45,
        "format": SessionFormat.ONE_TO_ONE,
        "setting": SessionSetting.IN_PERSON,
    }
    row.update(overrides)
    return row


def test_bulk_logs_every_row(program, pairing, other_pairing, manager_user):
    sessions = services.log_sessions_in_bulk(
        program, [bulk_row(pairing), bulk_row(other_pairing)], manager_user
    )
    assert len(sessions) == 2
    assert MentoringSession.objects.count() == 2
    assert set(MentoringSession.objects.values_list("logged_by", flat=True)) == {"manager"}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 2


def test_bulk_saves_nothing_when_one_row_is_bad(
    program, pairing, other_pairing, manager_user, today
):
    rows = [bulk_row(pairing), bulk_row(other_pairing, held_on=today + datetime.timedelta(days=1))]
    with pytest.raises(services.BulkSessionsError) as raised:
        services.log_sessions_in_bulk(program, rows, manager_user)
    assert list(raised.value.row_errors) == [1]
    assert not MentoringSession.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bulk_refuses_a_row_repeating_another(program, pairing, manager_user):
    with pytest.raises(services.BulkSessionsError) as raised:
        services.log_sessions_in_bulk(program, [bulk_row(pairing), bulk_row(pairing)], manager_user)
    assert "already logged" in " ".join(raised.value.row_errors[1])
    assert not MentoringSession.objects.exists()


def test_bulk_refuses_a_row_already_in_the_database(program, pairing, manager_user):
    services.log_sessions_in_bulk(program, [bulk_row(pairing)], manager_user)
    with pytest.raises(services.BulkSessionsError):
        services.log_sessions_in_bulk(
            program, [bulk_row(pairing, duration_minutes=30), bulk_row(pairing)], manager_user
        )
    assert MentoringSession.objects.count() == 1


def test_bulk_refuses_a_pairing_of_another_program(program, foreign_pairing, manager_user):
    with pytest.raises(services.BulkSessionsError) as raised:
        services.log_sessions_in_bulk(program, [bulk_row(foreign_pairing)], manager_user)
    assert "pairing of this program" in raised.value.row_errors[0][0]
    assert not MentoringSession.objects.exists()


def test_bulk_reports_every_bad_row(program, pairing, other_pairing, manager_user):
    rows = [bulk_row(pairing, duration_minutes=1), bulk_row(other_pairing, duration_minutes=999)]
    with pytest.raises(services.BulkSessionsError) as raised:
        services.log_sessions_in_bulk(program, rows, manager_user)
    assert sorted(raised.value.row_errors) == [0, 1]


def test_duplicate_racing_past_the_check_meets_the_constraint(pairing, manager_user, monkeypatch):
    log(pairing, manager_user)
    # Two submits at the same instant both pass the check; the constraint still answers.
    monkeypatch.setattr(services, "_is_duplicate", lambda *args, **kwargs: False)
    with pytest.raises(ValidationError) as raised:
        log(pairing, manager_user)
    assert "already logged" in errors_of(raised)
    assert MentoringSession.objects.count() == 1


def test_bulk_queries_do_not_grow_with_the_rows(program, manager_user):
    def queries_for(size):
        pairings = [
            factories.PairingFactory(program=program, starts_on=datetime.date(2020, 1, 1))
            for _ in range(size)
        ]
        with CaptureQueriesContext(connection) as captured:
            services.log_sessions_in_bulk(
                program, [bulk_row(pairing) for pairing in pairings], manager_user
            )
        return len(captured)

    assert queries_for(2) == queries_for(8)


def test_bulk_refuses_every_row_to_a_manager_of_another_program(
    program, pairing, other_pairing, organisation
):
    someone_else = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=someone_else, role=Role.MANAGER)
    with pytest.raises(services.BulkSessionsError) as raised:
        services.log_sessions_in_bulk(
            program, [bulk_row(pairing), bulk_row(other_pairing)], someone_else
        )
    assert sorted(raised.value.row_errors) == [0, 1]
    assert not MentoringSession.objects.exists()


def test_bulk_rows_racing_another_submit_are_refused_as_repeats(
    program, pairing, other_pairing, manager_user, monkeypatch
):
    # The other submit saved the first row after this one looked for repeats.
    services.log_sessions_in_bulk(program, [bulk_row(pairing)], manager_user)
    real_lookup = services._existing_session_keys
    lookups = []

    def lookup(*args):
        lookups.append(args)
        return set() if len(lookups) == 1 else real_lookup(*args)

    monkeypatch.setattr(services, "_existing_session_keys", lookup)
    with pytest.raises(services.BulkSessionsError) as raised:
        services.log_sessions_in_bulk(
            program, [bulk_row(pairing), bulk_row(other_pairing)], manager_user
        )
    assert list(raised.value.row_errors) == [0]
    assert "already logged" in raised.value.row_errors[0][0]
    assert MentoringSession.objects.count() == 1
