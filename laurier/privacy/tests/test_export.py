"""A person's data export: everything held about them, as JSON and as a readable page."""

import json

import pytest
from django.utils import timezone, translation

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.privacy import selectors
from laurier.recognition.models import LedgerEntry
from laurier.testing import factories

from .conftest import answered_survey, url


def exported(client, organisation, mentor):
    response = client.get(url("person_export_json", organisation, mentor.pk))
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_json_names_the_organisation_and_when_it_was_made(
    login, admin_user, organisation, mentor
):
    data = exported(login(admin_user), organisation, mentor)
    assert data["format"] == "laurier-person-export"
    assert data["organisation"] == {"name": "Hydro Laurentides", "slug": "hydro"}
    assert data["generated_at"].endswith("Z")


def test_the_json_holds_the_person_and_their_account_without_the_password(
    login, admin_user, organisation, mentor, mentor_user
):
    mentor_user.set_password("a long secret password")
    mentor_user.save()
    data = exported(login(admin_user), organisation, mentor)
    assert data["person"]["job_title"] == "Ingénieure"
    assert data["person"]["hire_date"] == "2015-04-01"
    assert data["account"]["email"] == "mentor@example.org"
    assert data["memberships"] == [{"role": "mentor", "since": data["memberships"][0]["since"]}]
    assert "pbkdf2" not in json.dumps(data) and "password" not in json.dumps(data)


def test_the_json_holds_their_sessions_awards_badges_and_named_answers(
    login, admin_user, organisation, mentor, history
):
    data = exported(login(admin_user), organisation, mentor)
    assert len(data["sessions"]) == 2
    assert data["pairings"][0]["role"] == "mentor"
    assert [award["message"] for award in data["awards"]] == ["Bravo Jeanne !"]
    assert data["credentials"][0]["public_id"] == str(history["credential"].public_id)
    assert "Named comment by Jeanne" in [answer["text"] for answer in data["survey_answers"]]


def test_an_anonymous_answer_stays_out_and_its_time_is_not_given(
    login, admin_user, organisation, mentor, history
):
    data = exported(login(admin_user), organisation, mentor)
    assert "Secret pulse comment" not in json.dumps(data)
    pulse = [row for row in data["survey_requests"] if row["anonymous"]]
    assert pulse == [{**pulse[0], "answered": True, "answered_at": None}]


def test_a_planned_recognition_stays_a_surprise(login, admin_user, organisation, mentor, history):
    assert "Surprise party" not in json.dumps(exported(login(admin_user), organisation, mentor))


def test_a_mentor_downloads_their_own_data(login, mentor_user, organisation, mentor, history):
    response = login(mentor_user).get(url("my_data_json", organisation))
    assert response["Content-Disposition"].startswith('attachment; filename="hydro-person-')
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content)["person"]["last_name"] == "Tremblay"


def test_a_member_who_is_no_person_gets_their_account(login, manager_user, organisation):
    data = json.loads(login(manager_user).get(url("my_data_json", organisation)).content)
    assert data["person"] is None and data["account"]["email"] == "manager@example.org"


def test_the_readable_page_has_a_heading_per_section(
    login, admin_user, organisation, mentor, history
):
    client = login(admin_user)
    with translation.override("en"):
        html = client.get(
            url("person_export", organisation, mentor.pk), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "<h2" in html and "Mentoring sessions" in html and "Badges and certificates" in html
    assert "Bravo Jeanne !" in html
    assert "<script>" not in html and "style=" not in html


def test_the_readable_page_is_in_french_for_a_french_reader(
    login, admin_user, organisation, mentor
):
    html = login(admin_user).get(url("person_export", organisation, mentor.pk)).content
    assert 'lang="fr' in html.decode()


@pytest.mark.parametrize(
    ("name", "own", "data_format"),
    [
        ("person_export", False, "html"),
        ("person_export_json", False, "json"),
        ("my_data", True, "html"),
        ("my_data_json", True, "json"),
    ],
)
def test_every_export_is_in_the_audit_trail(
    login, admin_user, mentor_user, organisation, mentor, name, own, data_format
):
    user = mentor_user if own else admin_user
    args = [] if own else [mentor.pk]
    login(user).get(url(name, organisation, *args))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.object_id, event.changes) == (
        user,
        str(mentor.pk),
        {"format": data_format, "own_data": own},
    )


def test_the_audit_trail_filters_exports(login, admin_user, organisation, mentor):
    client = login(admin_user)
    client.get(url("person_export_json", organisation, mentor.pk))
    page = client.get("/o/hydro/audit/", {"action": "export"}).context["page"]
    assert [event.object_repr for event in page] == ["Jeanne Tremblay"]


@pytest.mark.parametrize("name", ["person_export", "person_export_json"])
def test_a_manager_may_not_export_a_person(login, manager_user, organisation, mentor, name):
    assert login(manager_user).get(url(name, organisation, mentor.pk)).status_code == 403


def test_another_organisations_person_is_not_found(
    login, other_admin_user, organisation, other_organisation, mentor
):
    client = login(other_admin_user)
    response = client.get(url("person_export_json", other_organisation, mentor.pk))
    assert response.status_code == 404


def test_the_export_reads_a_constant_number_of_queries(
    organisation, program, mentor, history, django_assert_max_num_queries
):
    for _ in range(5):
        factories.MentoringSessionFactory(pairing=history["pairing"])
        answered_survey(program, mentor, anonymous=False, text="More")
    with django_assert_max_num_queries(32):
        selectors.person_data(organisation, person=mentor).as_json()


def test_the_export_shows_who_looked_at_the_data_this_time_included(
    login, admin_user, organisation, mentor
):
    data = exported(login(admin_user), organisation, mentor)
    assert [(e["action"], e["by"]) for e in data["audit_events"]] == [
        ("export", admin_user.get_full_name())
    ]


@pytest.mark.parametrize(("told", "listed"), [(False, 0), (True, 1)])
def test_a_nomination_they_were_not_told_of_stays_out_until_the_announcement(
    organisation, program, mentor, told, listed
):
    factories.NomineeFactory(
        category__edition__program=program,
        person=mentor,
        told_at=timezone.now() if told else None,
    )
    rows = selectors.person_data(organisation, person=mentor).as_json()["contest_nominations"]
    assert len(rows) == listed


def test_an_untold_nomination_shows_once_the_edition_is_announced(organisation, program, mentor):
    nominee = factories.NomineeFactory(category__edition__program=program, person=mentor)
    edition = nominee.category.edition
    edition.announced_at = timezone.now()
    edition.save(update_fields=["announced_at"])
    rows = selectors.person_data(organisation, person=mentor).as_json()["contest_nominations"]
    assert len(rows) == 1


def test_emails_to_their_account_address_are_listed(organisation, mentor, mentor_user):
    mentor_user.email = "jeanne.perso@example.org"
    mentor_user.save()
    OutgoingEmail.objects.create(
        organisation=organisation, to="Jeanne.Perso@example.org", subject="Hello", text="."
    )
    rows = selectors.person_data(organisation, person=mentor).as_json()["emails"]
    assert [row["subject"] for row in rows] == ["Hello"]


def test_what_was_spent_on_their_recognitions_is_listed(organisation, program, mentor):
    budget = factories.BudgetFactory(program=program)
    for kind in (LedgerEntry.Kind.COMMITMENT, LedgerEntry.Kind.SPENDING):
        factories.LedgerEntryFactory(budget=budget, kind=kind, person=mentor, description=kind)
    rows = selectors.person_data(organisation, person=mentor).as_json()["recognition_spending"]
    assert [row["description"] for row in rows] == ["spending"]


@pytest.mark.parametrize(
    ("own", "title"), [(True, "Spotlights about you"), (False, "Spotlights about them")]
)
def test_the_titles_speak_to_the_reader(organisation, mentor, own, title):
    with translation.override("en"):
        data = selectors.person_data(organisation, person=mentor, own=own)
        titles = [str(section.title) for section in data.sections]
    assert title in titles


def test_the_json_is_not_for_search_engines(login, admin_user, organisation, mentor):
    response = login(admin_user).get(url("person_export_json", organisation, mentor.pk))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_head_request_records_no_export(login, admin_user, organisation, mentor):
    login(admin_user).head(url("person_export_json", organisation, mentor.pk))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_invitations_sent_to_them_are_listed(organisation, mentor, mentor_user):
    factories.InvitationFactory(organisation=organisation, email=mentor_user.email.upper())
    rows = selectors.person_data(organisation, person=mentor).as_json()["invitations"]
    assert [row["email"] for row in rows] == [mentor_user.email.upper()]
