"""A mentor's or mentee's own space: pairings, sessions to confirm, own hours, own entries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.hours.models import LoggedBy, MentoringSession
from laurier.organisations.models import Role
from laurier.programs.models import Pairing
from laurier.testing import factories

from .helpers import csv_rows

MY_SPACE = reverse("hours:my_space", args=["hydro"])
LOG = reverse("hours:my_session_create", args=["hydro"])


def confirm_url(session, org="hydro"):
    return reverse("hours:my_session_confirm", args=[org, session.pk])


def log_form(pairing, **overrides):
    data = {
        "pairing": pairing.pk,
        "held_on": "2025-04-02",
        "duration_minutes": "60",
        "format": "one_to_one",
        "setting": "online",
        "notes": "",
    }
    data.update(overrides)
    return data


# The page


def test_member_without_a_person_gets_a_friendly_message(login, admin_user):
    response = login(admin_user).get(MY_SPACE)
    assert response.status_code == 200
    assert "not listed as a mentor or a mentee" in response.content.decode()


def test_member_of_another_org_gets_404(login, other_admin_user, organisation):
    assert login(other_admin_user).get(MY_SPACE).status_code == 404


def test_mentor_sees_their_pairing_with_the_mentee(login, mentor_user, pairing):
    response = login(mentor_user).get(MY_SPACE)
    assert response.context["pairings_as_mentor"] == [pairing]
    assert response.context["pairings_as_mentee"] == []
    assert pairing.mentee.full_name in response.content.decode()


def test_mentee_sees_their_pairing_with_the_mentor(login, mentee_user, pairing):
    response = login(mentee_user).get(MY_SPACE)
    assert response.context["pairings_as_mentee"] == [pairing]
    assert pairing.mentor.full_name in response.content.decode()


def test_other_pairings_are_not_shown(login, mentor_user, pairing, other_pairing):
    response = login(mentor_user).get(MY_SPACE)
    assert other_pairing not in response.context["pairings_as_mentor"]
    assert other_pairing.mentor.full_name not in response.content.decode()


def test_confirm_button_on_a_session_the_other_side_logged(login, mentee_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing, logged_by=LoggedBy.MENTOR)
    response = login(mentee_user).get(MY_SPACE)
    assert [s.pk for s in response.context["awaiting"]] == [session.pk]
    assert confirm_url(session) in response.content.decode()


def test_no_confirm_button_on_a_session_they_logged(login, mentor_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing, logged_by=LoggedBy.MENTOR)
    response = login(mentor_user).get(MY_SPACE)
    assert list(response.context["awaiting"]) == []
    assert confirm_url(session) not in response.content.decode()


def test_no_confirm_button_on_a_confirmed_session(login, mentee_user, pairing):
    factories.MentoringSessionFactory(
        pairing=pairing,
        logged_by=LoggedBy.MANAGER,
        confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    response = login(mentee_user).get(MY_SPACE)
    assert list(response.context["awaiting"]) == []


def test_hours_this_year_and_last_year_as_mentor_and_mentee(
    login, mentor_user, program, pairing, today
):
    this_year = datetime.date(today.year, 1, 2)
    last_year = datetime.date(today.year - 1, 6, 1)
    factories.MentoringSessionFactory(pairing=pairing, held_on=this_year, duration_minutes=90)
    factories.MentoringSessionFactory(pairing=pairing, held_on=this_year, duration_minutes=30)
    factories.MentoringSessionFactory(pairing=pairing, held_on=last_year, duration_minutes=45)
    mentored = factories.PairingFactory(
        program=program, mentee=pairing.mentor, starts_on=datetime.date(today.year - 2, 1, 1)
    )
    factories.MentoringSessionFactory(pairing=mentored, held_on=this_year, duration_minutes=60)
    response = login(mentor_user).get(MY_SPACE)
    assert response.context["hours"] == [
        {
            "year": today.year,
            "mentor": Decimal("2.0"),
            "mentee": Decimal("1.0"),
            "training": Decimal("0.0"),
            "total": Decimal("3.0"),
        },
        {
            "year": today.year - 1,
            "mentor": Decimal("0.8"),
            "mentee": Decimal("0.0"),
            "training": Decimal("0.0"),
            "total": Decimal("0.8"),
        },
    ]


def test_csv_export_holds_only_their_own_sessions(login, mentor_user, pairing, other_pairing):
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 3, 4), duration_minutes=90
    )
    factories.MentoringSessionFactory(pairing=other_pairing, held_on=datetime.date(2025, 3, 4))
    response = login(mentor_user).get(MY_SPACE, {"export": "csv"})
    header, *rows = csv_rows(response)
    assert header[0] == "Date"
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
            "",
        ]
    ]


def make_history(person, program, count):
    for _ in range(count):
        as_mentor = factories.PairingFactory(
            program=program, mentor=person, starts_on=datetime.date(2024, 1, 1)
        )
        as_mentee = factories.PairingFactory(
            program=program, mentee=person, starts_on=datetime.date(2024, 1, 1)
        )
        factories.MentoringSessionFactory(pairing=as_mentor, logged_by=LoggedBy.MENTEE)
        factories.MentoringSessionFactory(pairing=as_mentee, logged_by=LoggedBy.MANAGER)
        factories.RecipientFactory(campaign__program=program, person=person)


@pytest.mark.parametrize("count", [2, 12])
def test_page_queries_stay_constant(
    login, mentor_user, mentor_person, program, count, django_assert_max_num_queries
):
    make_history(mentor_person, program, count)
    client = login(mentor_user)
    # 12: one of them asks whether a contest takes nominations ("Nominate a mentor").
    with django_assert_max_num_queries(12):
        response = client.get(MY_SPACE)
    assert len(response.context["awaiting"]) == 2 * count


def test_a_survey_waiting_for_an_answer_is_shown_with_its_link(
    login, mentor_user, mentor_person, program
):
    recipient = factories.RecipientFactory(campaign__program=program, person=mentor_person)

    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert reverse("surveys:my_answer", args=["hydro", recipient.pk]) in page
    assert recipient.campaign.survey.title in page


def test_a_survey_waiting_for_an_answer_leaves_one_link_to_all_the_surveys(
    login, mentor_user, mentor_person, program
):
    factories.RecipientFactory(campaign__program=program, person=mentor_person)

    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert page.count(f'href="{reverse("surveys:my_surveys", args=["hydro"])}"') == 1


def test_the_profile_link_is_worded_as_the_profile_page_is_titled(
    login, mentor_user, mentor_person, program
):
    factories.MentorEnrolmentFactory(program=program, person=mentor_person)
    client = login(mentor_user)

    with translation.override("en"):
        space = client.get(MY_SPACE, headers={"accept-language": "en"}).content.decode()
        profile = client.get(reverse("profiles:mine", args=["hydro"])).content.decode()

    assert "My motivations and preferences</a>" in space
    assert "<h1>My motivations and preferences</h1>" in profile


def test_a_mentor_finds_their_profile_from_their_space(login, mentor_user, mentor_person, program):
    factories.MentorEnrolmentFactory(program=program, person=mentor_person)

    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert reverse("profiles:mine", args=["hydro"]) in page


def test_a_mentee_is_not_offered_a_mentor_profile(login, mentee_user, program):
    page = login(mentee_user).get(MY_SPACE).content.decode()

    assert reverse("profiles:mine", args=["hydro"]) not in page


# Logging a session on one's own pairing


def test_mentor_logs_a_session_as_mentor(login, mentor_user, pairing):
    response = login(mentor_user).post(LOG, log_form(pairing))
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.logged_by, session.logged_by_user) == (LoggedBy.MENTOR, mentor_user)


def test_mentee_logs_a_session_as_mentee(login, mentee_user, pairing):
    login(mentee_user).post(LOG, log_form(pairing))
    assert MentoringSession.objects.get().logged_by == LoggedBy.MENTEE


def test_log_page_offers_only_their_active_pairings(login, mentor_user, pairing, other_pairing):
    response = login(mentor_user).get(LOG)
    assert list(response.context["form"].fields["pairing"].queryset) == [pairing]


def test_log_page_preselects_the_pairing_from_the_link(login, mentor_user, pairing):
    response = login(mentor_user).get(LOG, {"pairing": pairing.pk})
    assert response.context["form"]["pairing"].value() == str(pairing.pk)


def test_mentee_cannot_log_on_someone_elses_pairing(login, mentee_user, pairing, other_pairing):
    response = login(mentee_user).post(LOG, log_form(other_pairing))
    assert response.status_code == 404
    assert not MentoringSession.objects.exists()


def test_someone_elses_pairing_in_the_link_is_404(login, mentee_user, pairing, other_pairing):
    assert login(mentee_user).get(LOG, {"pairing": other_pairing.pk}).status_code == 404


def test_pairing_of_another_org_is_404(login, mentee_user, pairing, foreign_pairing):
    response = login(mentee_user).post(LOG, log_form(foreign_pairing))
    assert response.status_code == 404


def test_pairing_that_is_not_a_number_is_404(login, mentee_user, pairing):
    assert login(mentee_user).get(LOG, {"pairing": "x"}).status_code == 404


def test_ended_pairing_cannot_be_logged_on(login, mentor_user, pairing):
    pairing.status = Pairing.Status.COMPLETED
    pairing.save()
    response = login(mentor_user).post(LOG, log_form(pairing))
    assert response.status_code == 200
    assert "pairing" in response.context["form"].errors
    assert not MentoringSession.objects.exists()


def test_double_submit_logs_once(login, mentor_user, pairing):
    client = login(mentor_user)
    client.post(LOG, log_form(pairing))
    response = client.post(LOG, log_form(pairing))
    assert "already logged" in response.content.decode()
    assert MentoringSession.objects.count() == 1


def test_future_date_is_refused(login, mentor_user, pairing, today):
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = login(mentor_user).post(LOG, log_form(pairing, held_on=tomorrow))
    assert "held_on" in response.context["form"].errors
    assert not MentoringSession.objects.exists()


def test_member_without_a_person_is_sent_back_to_my_space(login, admin_user):
    response = login(admin_user).get(LOG)
    assert response.status_code == 302
    assert response["Location"] == MY_SPACE


# Confirming


def test_mentee_confirms_a_session_the_mentor_logged(login, mentee_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing, logged_by=LoggedBy.MENTOR)
    response = login(mentee_user).post(confirm_url(session))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.confirmed_by == mentee_user


def test_confirming_their_own_entry_is_refused_with_a_message(login, mentor_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing, logged_by=LoggedBy.MENTOR)
    response = login(mentor_user).post(confirm_url(session), follow=True)
    assert "Only the other person" in response.content.decode()
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_confirming_someone_elses_session_is_404(login, mentee_user, pairing, other_pairing):
    session = factories.MentoringSessionFactory(pairing=other_pairing, logged_by=LoggedBy.MENTOR)
    assert login(mentee_user).post(confirm_url(session)).status_code == 404


def test_confirming_a_session_of_another_org_is_404(login, mentee_user, pairing, foreign_pairing):
    session = factories.MentoringSessionFactory(pairing=foreign_pairing)
    assert login(mentee_user).post(confirm_url(session)).status_code == 404


def test_member_of_another_org_confirming_is_404(login, other_admin_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing)
    response = login(other_admin_user).post(confirm_url(session))
    assert response.status_code == 404
    response = login(other_admin_user).post(confirm_url(session, org="other"))
    assert response.status_code == 404


def test_manager_without_a_person_confirming_is_404(login, manager_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing)
    assert login(manager_user).post(confirm_url(session)).status_code == 404


def test_confirm_answers_only_to_post(login, mentee_user, pairing):
    session = factories.MentoringSessionFactory(pairing=pairing, logged_by=LoggedBy.MENTOR)
    assert login(mentee_user).get(confirm_url(session)).status_code == 405


def test_mentee_of_two_orgs_sees_only_this_orgs_pairings(
    login, mentee_user, pairing, other_organisation
):
    factories.MembershipFactory(organisation=other_organisation, user=mentee_user, role=Role.MENTEE)
    elsewhere = factories.PersonFactory(organisation=other_organisation, user=mentee_user)
    foreign = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=other_organisation), mentee=elsewhere
    )
    response = login(mentee_user).get(MY_SPACE)
    assert response.context["pairings_as_mentee"] == [pairing]
    assert foreign.mentor.full_name not in response.content.decode()


def test_a_mentee_reads_only_the_hours_columns_that_concern_them(login, mentee_user, pairing):
    html = login(mentee_user).get(reverse("hours:my_space", args=["hydro"])).content.decode()
    assert "As mentee" in html
    assert "As mentor" not in html
