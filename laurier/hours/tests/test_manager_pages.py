"""The program manager's session pages: list, log one, bulk entry, edit and delete."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.hours.models import LoggedBy, MentoringSession, SessionFormat, SessionSetting
from laurier.organisations.models import AuditEvent, Role
from laurier.testing import factories

from .helpers import csv_rows, xlsx_rows

MANAGER_PAGES = ["hours:sessions", "hours:session_create", "hours:sessions_bulk"]


def url(name, *args, org="hydro", program="releve"):
    return reverse(name, args=[org, program, *args])


@pytest.fixture
def session(pairing):
    return factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2025, 3, 4))


def session_form(pairing, **overrides):
    data = {
        "pairing": pairing.pk,
        "held_on": "2025-04-02",
        "duration_minutes": "90",
        "format": SessionFormat.ONE_TO_ONE,
        "setting": SessionSetting.ONLINE,
        "notes": "Career talk",
    }
    data.update(overrides)
    return data


# Who may come in


@pytest.mark.parametrize("page", MANAGER_PAGES)
def test_mentee_cannot_reach_manager_pages(login, mentee_user, program, page):
    assert login(mentee_user).get(url(page)).status_code == 403


@pytest.mark.parametrize("page", MANAGER_PAGES)
def test_mentor_cannot_reach_manager_pages(login, mentor_user, program, page):
    assert login(mentor_user).get(url(page)).status_code == 403


def test_mentee_cannot_reach_the_session_edit_page(login, mentee_user, session):
    assert login(mentee_user).get(url("hours:session_edit", session.pk)).status_code == 403


@pytest.mark.parametrize("page", MANAGER_PAGES)
def test_admin_of_other_org_gets_404(login, other_admin_user, program, page):
    assert login(other_admin_user).get(url(page)).status_code == 404


def test_admin_of_other_org_gets_404_for_a_session(login, other_admin_user, session):
    response = login(other_admin_user).get(url("hours:session_edit", session.pk))
    assert response.status_code == 404


def test_session_of_other_org_is_404_in_own_program(login, admin_user, program, other_organisation):
    foreign = factories.MentoringSessionFactory(
        pairing=factories.PairingFactory(
            program=factories.ProgramFactory(organisation=other_organisation)
        )
    )
    response = login(admin_user).get(url("hours:session_edit", foreign.pk))
    assert response.status_code == 404


def test_session_of_another_program_is_404(login, admin_user, program, organisation, session):
    factories.ProgramFactory(organisation=organisation, slug="autre")
    response = login(admin_user).get(url("hours:session_edit", session.pk, program="autre"))
    assert response.status_code == 404


def test_manager_of_another_program_gets_404(login, organisation, session):
    outsider = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=outsider, role=Role.MANAGER)
    assert login(outsider).get(url("hours:sessions")).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, program):
    response = client.get(url("hours:sessions"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# The list


def test_list_shows_the_program_sessions_only(login, manager_user, session, organisation):
    elsewhere = factories.MentoringSessionFactory(
        pairing=factories.PairingFactory(
            program=factories.ProgramFactory(organisation=organisation)
        )
    )
    response = login(manager_user).get(url("hours:sessions"))
    assert list(response.context["page"].object_list) == [session]
    assert elsewhere not in response.context["page"].object_list


def test_list_searches_by_mentor_or_mentee_name(login, manager_user, pairing, other_pairing):
    wanted = factories.MentoringSessionFactory(pairing=pairing)
    factories.MentoringSessionFactory(pairing=other_pairing)
    pairing.mentee.first_name, pairing.mentee.last_name = "Zoé", "Quirion"
    pairing.mentee.save()
    response = login(manager_user).get(url("hours:sessions"), {"q": "zoé quir"})
    assert list(response.context["page"].object_list) == [wanted]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"held_from": "2025-02-01"}, ["late"]),
        ({"held_until": "2025-01-31"}, ["early"]),
        ({"format": SessionFormat.GROUP}, ["late"]),
        ({"setting": SessionSetting.ONLINE}, ["early"]),
        ({"confirmed": "yes"}, ["early"]),
        ({"confirmed": "no"}, ["late"]),
        ({}, ["late", "early"]),
    ],
)
def test_list_filters(login, manager_user, pairing, filters, expected):
    early = factories.MentoringSessionFactory(
        pairing=pairing,
        held_on=datetime.date(2025, 1, 10),
        setting=SessionSetting.ONLINE,
        confirmed_at=datetime.datetime(2025, 1, 11, tzinfo=datetime.UTC),
    )
    late = factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 2, 10), format=SessionFormat.GROUP
    )
    sessions = {"early": early, "late": late}
    response = login(manager_user).get(url("hours:sessions"), filters)
    assert list(response.context["page"].object_list) == [sessions[name] for name in expected]


def test_list_filters_by_pairing(login, manager_user, pairing, other_pairing):
    factories.MentoringSessionFactory(pairing=pairing)
    wanted = factories.MentoringSessionFactory(pairing=other_pairing)
    response = login(manager_user).get(url("hours:sessions"), {"pairing": other_pairing.pk})
    assert list(response.context["page"].object_list) == [wanted]


def test_list_ignores_an_invalid_filter(login, manager_user, session):
    response = login(manager_user).get(url("hours:sessions"), {"held_from": "not a date"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [session]


def test_list_keeps_the_valid_filters_when_one_is_invalid(login, manager_user, pairing):
    factories.MentoringSessionFactory(pairing=pairing, format=SessionFormat.GROUP)
    response = login(manager_user).get(
        url("hours:sessions"), {"held_from": "not a date", "format": SessionFormat.ONE_TO_ONE}
    )
    assert list(response.context["page"].object_list) == []


def test_list_sorts_by_duration(login, manager_user, pairing):
    long = factories.MentoringSessionFactory(pairing=pairing, duration_minutes=120)
    short = factories.MentoringSessionFactory(pairing=pairing, duration_minutes=30)
    response = login(manager_user).get(url("hours:sessions"), {"sort": "duration"})
    assert list(response.context["page"].object_list) == [short, long]
    response = login(manager_user).get(url("hours:sessions"), {"sort": "-duration"})
    assert list(response.context["page"].object_list) == [long, short]


def test_list_paginates(login, manager_user, pairing):
    for day in range(55):
        factories.MentoringSessionFactory(
            pairing=pairing, held_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=day)
        )
    response = login(manager_user).get(url("hours:sessions"), {"page": 2})
    assert len(response.context["page"].object_list) == 5


def make_sessions(program, count):
    for _ in range(count):
        pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2024, 1, 1))
        factories.MentoringSessionFactory(
            pairing=pairing,
            confirmed_by=factories.UserFactory(),
            confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        )


@pytest.mark.parametrize("count", [2, 15])
def test_list_queries_stay_constant(
    login, manager_user, program, count, django_assert_max_num_queries
):
    make_sessions(program, count)
    client = login(manager_user)
    with django_assert_max_num_queries(7):
        response = client.get(url("hours:sessions"))
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [2, 15])
def test_export_queries_stay_constant(
    login, manager_user, program, count, django_assert_max_num_queries
):
    make_sessions(program, count)
    client = login(manager_user)
    with django_assert_max_num_queries(5):
        response = client.get(url("hours:sessions"), {"export": "csv"})
    assert len(csv_rows(response)) == count + 1


def test_csv_export_parses_back_with_the_filtered_rows(login, manager_user, pairing):
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 3, 4), duration_minutes=90, notes="Hello"
    )
    factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2024, 3, 4))
    response = login(manager_user).get(
        url("hours:sessions"), {"export": "csv", "held_from": "2025-01-01"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="sessions-releve.csv"'
    header, *rows = csv_rows(response)
    assert header[:6] == ["Date", "Program", "Mentor", "Mentee", "Duration (minutes)", "Hours"]
    assert rows == [
        [
            "2025-03-04",
            "Relève",
            pairing.mentor.full_name,
            pairing.mentee.full_name,
            "90",
            "1.5",
            "One-to-one",
            "In person",
            "Manager",
            "",
            "Hello",
        ]
    ]


def test_xlsx_export_parses_back(login, manager_user, pairing):
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 3, 4), duration_minutes=90
    )
    response = login(manager_user).get(url("hours:sessions"), {"export": "xlsx"})
    header, row = xlsx_rows(response)
    assert header[0] == "Date"
    assert row[0] == datetime.datetime(2025, 3, 4)
    assert row[2:6] == [pairing.mentor.full_name, pairing.mentee.full_name, 90, 1.5]


# Logging one session


def test_manager_logs_a_session(login, manager_user, pairing):
    response = login(manager_user).post(url("hours:session_create"), session_form(pairing))
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.held_on, session.duration_minutes, session.logged_by) == (
        datetime.date(2025, 4, 2),
        90,
        LoggedBy.MANAGER,
    )
    assert session.hours == Decimal("1.5")


def test_double_submit_logs_one_session_and_says_so(login, manager_user, pairing):
    client = login(manager_user)
    client.post(url("hours:session_create"), session_form(pairing))
    response = client.post(url("hours:session_create"), session_form(pairing))
    assert response.status_code == 200
    assert "already logged" in response.content.decode()
    assert MentoringSession.objects.count() == 1


def test_future_date_is_refused_on_the_form(login, manager_user, pairing, today):
    future = (today + datetime.timedelta(days=2)).isoformat()
    response = login(manager_user).post(
        url("hours:session_create"), session_form(pairing, held_on=future)
    )
    assert response.status_code == 200
    assert "before it happens" in str(response.context["form"].errors["held_on"])
    assert not MentoringSession.objects.exists()


def test_duration_out_of_range_is_refused_on_the_form(login, manager_user, pairing):
    response = login(manager_user).post(
        url("hours:session_create"), session_form(pairing, duration_minutes="800")
    )
    assert "duration_minutes" in response.context["form"].errors
    assert not MentoringSession.objects.exists()


def test_pairing_of_another_org_is_404(login, manager_user, program, foreign_pairing):
    response = login(manager_user).post(url("hours:session_create"), session_form(foreign_pairing))
    assert response.status_code == 404
    assert not MentoringSession.objects.exists()


def test_pairing_of_another_program_in_the_link_is_404(login, manager_user, organisation):
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation)
    )
    response = login(manager_user).get(url("hours:session_create"), {"pairing": elsewhere.pk})
    assert response.status_code == 404


def test_create_page_preselects_the_pairing_from_the_link(login, manager_user, pairing):
    response = login(manager_user).get(url("hours:session_create"), {"pairing": pairing.pk})
    assert response.context["form"]["pairing"].value() == str(pairing.pk)


def test_create_page_offers_only_the_program_pairings(login, manager_user, pairing, organisation):
    factories.PairingFactory(program=factories.ProgramFactory(organisation=organisation))
    response = login(manager_user).get(url("hours:session_create"))
    assert list(response.context["form"].fields["pairing"].queryset) == [pairing]


# Bulk entry


def bulk_data(rows, total=10):
    data = {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "500",
    }
    for index in range(total):
        data[f"form-{index}-format"] = SessionFormat.ONE_TO_ONE
        data[f"form-{index}-setting"] = SessionSetting.IN_PERSON
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_bulk_page_shows_ten_blank_rows(login, manager_user, pairing):
    response = login(manager_user).get(url("hours:sessions_bulk"))
    assert len(response.context["formset"].forms) == 10


def test_bulk_entry_logs_the_filled_rows(login, manager_user, pairing, other_pairing):
    rows = [
        {"pairing": pairing.pk, "held_on": "2025-05-01", "duration_minutes": "60"},
        {"pairing": other_pairing.pk, "held_on": "2025-05-02", "duration_minutes": "30"},
    ]
    response = login(manager_user).post(url("hours:sessions_bulk"), bulk_data(rows))
    assert response.status_code == 302
    assert MentoringSession.objects.count() == 2


def test_bulk_entry_with_one_bad_row_saves_nothing_and_marks_it(
    login, manager_user, pairing, other_pairing
):
    rows = [
        {"pairing": pairing.pk, "held_on": "2025-05-01", "duration_minutes": "60"},
        {"pairing": other_pairing.pk, "held_on": "2019-05-02", "duration_minutes": "30"},
    ]
    response = login(manager_user).post(url("hours:sessions_bulk"), bulk_data(rows))
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert "only started" in str(response.context["formset"].forms[1].errors)
    assert not response.context["formset"].forms[0].errors
    assert not MentoringSession.objects.exists()


def test_bulk_entry_with_an_invalid_field_saves_nothing(login, manager_user, pairing):
    rows = [
        {"pairing": pairing.pk, "held_on": "2025-05-01", "duration_minutes": "60"},
        {"pairing": pairing.pk, "held_on": "2025-05-02", "duration_minutes": "abc"},
    ]
    response = login(manager_user).post(url("hours:sessions_bulk"), bulk_data(rows))
    assert "duration_minutes" in response.context["formset"].forms[1].errors
    assert not MentoringSession.objects.exists()


def test_bulk_double_submit_saves_the_rows_once(login, manager_user, pairing):
    client = login(manager_user)
    data = bulk_data([{"pairing": pairing.pk, "held_on": "2025-05-01", "duration_minutes": "60"}])
    client.post(url("hours:sessions_bulk"), data)
    response = client.post(url("hours:sessions_bulk"), data)
    assert "already logged" in response.content.decode()
    assert MentoringSession.objects.count() == 1


def test_bulk_entry_without_any_row_asks_for_one(login, manager_user, pairing):
    response = login(manager_user).post(url("hours:sessions_bulk"), bulk_data([]))
    assert "Fill in at least one row" in response.content.decode()


def test_bulk_refuses_a_pairing_of_another_program(login, manager_user, pairing, organisation):
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation),
        starts_on=datetime.date(2020, 1, 1),
    )
    rows = [{"pairing": elsewhere.pk, "held_on": "2025-05-01", "duration_minutes": "60"}]
    response = login(manager_user).post(url("hours:sessions_bulk"), bulk_data(rows))
    assert "pairing" in response.context["formset"].forms[0].errors
    assert not MentoringSession.objects.exists()


def test_add_rows_keeps_what_was_typed(login, manager_user, pairing):
    data = bulk_data([{"pairing": pairing.pk, "held_on": "2025-05-01", "duration_minutes": "60"}])
    data["add_rows"] = "1"
    response = login(manager_user).post(url("hours:sessions_bulk"), data)
    formset = response.context["formset"]
    assert len(formset.forms) == 20
    assert formset.forms[0]["held_on"].value() == "2025-05-01"
    assert not MentoringSession.objects.exists()


def test_bulk_page_queries_do_not_grow_with_rows(
    login, manager_user, pairing, other_pairing, django_assert_max_num_queries
):
    client = login(manager_user)
    data = bulk_data([], total=40)
    data["add_rows"] = "1"
    with django_assert_max_num_queries(6):
        client.post(url("hours:sessions_bulk"), data)


def test_bulk_refuses_more_rows_than_the_page_offers(login, manager_user, pairing):
    rows = [{"pairing": pairing.pk, "held_on": "2025-05-01", "duration_minutes": "60"}]
    data = bulk_data(rows)
    data["form-TOTAL_FORMS"] = "501"
    response = login(manager_user).post(url("hours:sessions_bulk"), data)
    assert response.status_code == 200
    assert "at most 500" in str(response.context["formset"].non_form_errors())
    assert not MentoringSession.objects.exists()


def test_bulk_builds_no_more_than_500_rows_whatever_total_forms_says(login, manager_user, pairing):
    data = bulk_data([], total=10)
    data["form-TOTAL_FORMS"] = "1500"
    response = login(manager_user).post(url("hours:sessions_bulk"), data)
    assert len(response.context["formset"].forms) <= 500
    assert not MentoringSession.objects.exists()


def test_bulk_logging_queries_do_not_grow_with_filled_rows(
    login, manager_user, program, django_assert_max_num_queries
):
    client = login(manager_user)

    def filled_rows(size, day):
        pairings = [
            factories.PairingFactory(program=program, starts_on=datetime.date(2020, 1, 1))
            for _ in range(size)
        ]
        return bulk_data(
            [{"pairing": p.pk, "held_on": day, "duration_minutes": "60"} for p in pairings],
            total=size,
        )

    small, large = filled_rows(2, "2025-05-01"), filled_rows(8, "2025-05-02")
    with django_assert_max_num_queries(16):
        assert client.post(url("hours:sessions_bulk"), small).status_code == 302
    with django_assert_max_num_queries(16):
        assert client.post(url("hours:sessions_bulk"), large).status_code == 302
    assert MentoringSession.objects.count() == 10


# Editing and deleting


def test_edit_page_shows_the_session(login, manager_user, session):
    response = login(manager_user).get(url("hours:session_edit", session.pk))
    assert response.status_code == 200
    assert response.context["form"].initial["duration_minutes"] == 60


def test_manager_changes_a_session(login, manager_user, session):
    data = {
        "held_on": "2025-03-05",
        "duration_minutes": "45",
        "format": "group",
        "setting": "online",
    }
    response = login(manager_user).post(url("hours:session_edit", session.pk), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.held_on, session.duration_minutes, session.format) == (
        datetime.date(2025, 3, 5),
        45,
        "group",
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_change_to_a_date_before_the_pairing_is_refused(login, manager_user, session):
    data = {
        "held_on": "2000-01-01",
        "duration_minutes": "45",
        "format": "group",
        "setting": "online",
    }
    response = login(manager_user).post(url("hours:session_edit", session.pk), data)
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    session.refresh_from_db()
    assert session.held_on == datetime.date(2025, 3, 4)


def test_manager_deletes_a_session(login, manager_user, session):
    response = login(manager_user).post(url("hours:session_edit", session.pk), {"delete": "1"})
    assert response.status_code == 302
    assert not MentoringSession.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


def test_deleting_twice_is_404(login, manager_user, session):
    client = login(manager_user)
    client.post(url("hours:session_edit", session.pk), {"delete": "1"})
    response = client.post(url("hours:session_edit", session.pk), {"delete": "1"})
    assert response.status_code == 404


def test_changing_a_confirmed_sessions_length_says_it_needs_confirming_again(
    login, manager_user, session
):
    from django.contrib.messages import get_messages
    from django.utils import timezone

    MentoringSession.objects.filter(pk=session.pk).update(confirmed_at=timezone.now())
    data = {
        "held_on": session.held_on.isoformat(),
        "duration_minutes": "45",
        "format": session.format,
        "setting": session.setting,
    }
    response = login(manager_user).post(url("hours:session_edit", session.pk), data)
    [message] = list(get_messages(response.wsgi_request))
    assert "awaits confirmation again" in str(message)
