"""The managers' badge pages: the badges, creating and editing one, its preview, its holders,
awarding it to one or many people, and the progress of a bulk award."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from laurier.credentials.models import BadgeClass, Credential, IssuanceJob
from laurier.credentials.services import awarding
from laurier.credentials.views import badges as badge_views
from laurier.testing import factories

from .manager_support import badge_form_data, make_badge, mentor_of, speaking, url


@pytest.fixture
def badge(organisation):
    return make_badge(organisation)


@pytest.fixture
def manager(login, manager_user):
    return login(manager_user)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Bulk awards start when their transaction commits, which a test's never does."""
    return django_capture_on_commit_callbacks


def award_url(badge):
    return url("badge_award", badge.pk)


# --- Access -------------------------------------------------------------------------------------


def object_urls(badge, job):
    return [
        url("badge_detail", badge.pk),
        url("badge_edit", badge.pk),
        url("issuance_job", job.pk),
    ]


@pytest.fixture
def job(badge):
    return IssuanceJob.objects.create(
        organisation=badge.organisation, badge_class=badge, person_ids=[], total=0
    )


def test_a_mentor_may_not_see_the_badge_pages(login, mentor_user, badge, job):
    client = login(mentor_user)

    for address in [url("badges"), url("badge_create"), *object_urls(badge, job)]:
        assert client.get(address).status_code == 403


def test_another_organisations_badges_and_jobs_are_not_found(login, other_organisation, badge, job):
    other_admin = factories.UserFactory()
    factories.MembershipFactory(organisation=other_organisation, user=other_admin, role="admin")
    client = login(other_admin)

    for address in object_urls(badge, job):
        other_address = address.replace("/o/hydro/", "/o/other/")
        assert client.get(other_address).status_code == 404
    assert client.post(award_url(badge).replace("/o/hydro/", "/o/other/")).status_code == 404


# --- The list -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, name", [("en", "100-hour mentor"), ("fr-ca", "Mentor 100 heures")]
)
def test_the_badges_are_listed_in_the_readers_language(login, manager_user, badge, language, name):
    page = login(speaking(manager_user, language)).get(url("badges")).content.decode()

    assert name in page
    assert url("badge_detail", badge.pk) in page


def test_the_list_counts_holders_and_says_which_badges_are_retired(
    manager, organisation, program, badge
):
    awarding.award_badge(badge, mentor_of(program), actor=None)
    make_badge(organisation, name_fr="Ancien", name_en="Old one", active=False)

    with translation.override("en"):
        page = manager.get(url("badges")).content.decode()

    assert "1 holder" in page
    assert "Retired" in page


class RecordedTask:
    def __init__(self):
        self.queued = []

    def enqueue(self, *args):
        self.queued.extend(args)


def test_checking_the_rules_queues_their_task(manager, organisation, monkeypatch):
    task = RecordedTask()
    monkeypatch.setattr(badge_views, "apply_badge_rules", task)

    response = manager.post(url("badge_rules_run"))

    assert response.status_code == 302
    assert task.queued == [organisation.pk]


def count_queries(client, address):
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def test_the_list_runs_the_same_queries_for_few_or_many_badges(
    django_assert_max_num_queries, manager, organisation, program, badge
):
    awarding.award_badge(badge, mentor_of(program), actor=None)
    small = count_queries(manager, url("badges"))
    for number in range(5):
        more = make_badge(organisation, name_fr=f"Badge {number}", name_en=f"Badge {number}")
        awarding.award_badge(more, mentor_of(program), actor=None)
        IssuanceJob.objects.create(organisation=organisation, badge_class=more, total=3)

    with django_assert_max_num_queries(small):
        manager.get(url("badges"))


# --- Creating and editing -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_the_new_badge_form_shows_a_preview(login, manager_user, language):
    page = login(speaking(manager_user, language)).get(url("badge_create")).content.decode()

    assert url("badge_preview") + "?shape=medallion&amp;palette=forest" in page
    assert "badge_preview.js" in page


def test_a_new_badge_is_created_from_the_form(manager, organisation):
    response = manager.post(url("badge_create"), badge_form_data(rule="hours", threshold="100"))

    badge = BadgeClass.objects.get()
    assert response.status_code == 302
    assert response.url == url("badge_detail", badge.pk)
    assert badge.threshold == 100
    assert badge.organisation == organisation


def test_the_form_reads_a_threshold_written_the_french_way(login, manager_user):
    client = login(speaking(manager_user, "fr-ca"))

    client.post(url("badge_create"), badge_form_data(rule="hours", threshold="12,5"))

    assert str(BadgeClass.objects.get().threshold) == "12.5"


def test_the_new_badge_form_sent_twice_creates_one_badge(manager):
    manager.post(url("badge_create"), badge_form_data())
    response = manager.post(url("badge_create"), badge_form_data())

    assert response.status_code == 302
    assert BadgeClass.objects.count() == 1


def test_a_rule_without_its_threshold_is_refused_with_a_message(manager):
    with translation.override("en"):
        response = manager.post(url("badge_create"), badge_form_data(rule="years"))

    assert response.status_code == 200
    assert "Give the threshold that awards the badge." in response.content.decode()
    assert not BadgeClass.objects.exists()


def test_a_threshold_for_a_manual_badge_is_refused(manager):
    with translation.override("en"):
        response = manager.post(url("badge_create"), badge_form_data(threshold="3"))

    assert "Leave the threshold empty" in response.content.decode()
    assert not BadgeClass.objects.exists()


@pytest.mark.parametrize(
    "rule, threshold, message",
    [
        ("hours", "0", "Give more than 0 hours."),
        ("hours", "-1", "Give more than 0 hours."),
        ("years", "0.5", "Give at least 1 year."),
        ("years", "-1", "Give at least 1 year."),
        ("pairings", "0", "Give at least 1 pairing."),
    ],
)
def test_a_threshold_below_one_of_its_unit_is_refused(manager, rule, threshold, message):
    with translation.override("en"):
        response = manager.post(
            url("badge_create"), badge_form_data(rule=rule, threshold=threshold)
        )

    assert message in response.content.decode()
    assert not BadgeClass.objects.exists()


@pytest.mark.parametrize("years", ["0", "-1", "51"])
def test_a_validity_out_of_bounds_gets_one_message(manager, years):
    with translation.override("en"):
        page = manager.post(
            url("badge_create"), badge_form_data(valid_years=years)
        ).content.decode()

    assert "Give from 1 to 50 years, or leave it empty" in page
    assert "greater than or equal" not in page
    assert not BadgeClass.objects.exists()


def test_an_unknown_design_is_refused(manager):
    response = manager.post(url("badge_create"), badge_form_data(emblem="skull"))

    assert response.status_code == 200
    assert not BadgeClass.objects.exists()


def test_a_refused_form_previews_what_was_chosen(manager):
    page = manager.post(
        url("badge_create"), badge_form_data(rule="years", shape="shield", palette="gold")
    ).content.decode()

    assert "shape=shield&amp;palette=gold" in page


def test_the_edit_form_says_issued_credentials_never_change(manager, badge):
    with translation.override("en"):
        page = manager.get(url("badge_edit", badge.pk)).content.decode()

    assert "The credentials already issued are signed: they never change." in page


def test_editing_a_badge_saves_it(manager, badge):
    data = badge_form_data(name_en="Hundred hours", palette="plum", form_token=None)

    response = manager.post(url("badge_edit", badge.pk), data)

    badge.refresh_from_db()
    assert response.status_code == 302
    assert (badge.name_en, badge.palette) == ("Hundred hours", "plum")


def test_a_refused_edit_keeps_the_saved_name_in_the_title(manager, badge):
    data = badge_form_data(name_en="", form_token=None)

    with translation.override("en"):
        page = manager.post(url("badge_edit", badge.pk), data).content.decode()

    assert "Edit 100-hour mentor" in page
    badge.refresh_from_db()
    assert badge.name_en == "100-hour mentor"


# --- The preview --------------------------------------------------------------------------------


def test_the_preview_is_a_locked_down_svg(manager):
    response = manager.get(
        url("badge_preview"), {"shape": "shield", "palette": "gold", "emblem": "star", "label": "5"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"<svg") or b"<svg" in response.content[:200]


@pytest.mark.parametrize(
    "query",
    [
        {"shape": "circle", "palette": "gold", "emblem": "star"},
        {"shape": "shield", "palette": "gold"},
        {"shape": "shield", "palette": "gold", "emblem": "star", "label": "x" * 15},
    ],
)
def test_a_preview_of_an_unknown_design_is_a_bad_request(manager, query):
    assert manager.get(url("badge_preview"), query).status_code == 400


# --- A badge and its holders --------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text", [("en", "Mentored for 100 hours."), ("fr-ca", "A mentoré 100 heures.")]
)
def test_the_badge_page_reads_in_the_readers_language(login, manager_user, badge, language, text):
    client = login(speaking(manager_user, language))

    page = client.get(url("badge_detail", badge.pk)).content.decode()

    assert text in page


def test_the_badge_page_lists_holders_and_shows_revoked_ones(manager, program, badge):
    kept, _ = awarding.award_badge(badge, mentor_of(program, last_name="Tremblay"), actor=None)
    lost, _ = awarding.award_badge(badge, mentor_of(program, last_name="Gagnon"), actor=None)
    awarding.revoke(lost, reason="By mistake", actor=None)

    with translation.override("en"):
        page = manager.get(url("badge_detail", badge.pk)).content.decode()

    assert url("issued_detail", kept.pk) in page
    assert url("issued_detail", lost.pk) in page
    assert "Revoked" in page


def test_the_holders_can_be_searched(manager, program, badge):
    found, _ = awarding.award_badge(badge, mentor_of(program, last_name="Tremblay"), actor=None)
    other, _ = awarding.award_badge(badge, mentor_of(program, last_name="Gagnon"), actor=None)

    page = manager.get(url("badge_detail", badge.pk), {"q": "trem"}).content.decode()

    assert url("issued_detail", found.pk) in page
    assert url("issued_detail", other.pk) not in page


def test_the_award_form_finds_mentors_by_name(manager, program, badge):
    mentor_of(program, first_name="Léa", last_name="Bédard")
    mentor_of(program, first_name="Marc", last_name="Roy")

    page = manager.get(url("badge_detail", badge.pk), {"find": "bedard"}).content.decode()

    assert "Bédard" in page
    assert "Roy" not in page


def test_the_award_form_lists_nobody_before_a_search(manager, program, badge):
    mentor_of(program, first_name="Léa", last_name="Bédard")

    with translation.override("en"):
        page = manager.get(url("badge_detail", badge.pk)).content.decode()

    assert "Bédard" not in page
    assert "Search for mentors by name or e-mail" in page


def test_a_refused_award_keeps_the_search_and_the_ticks(manager, program, badge):
    lea = mentor_of(program, first_name="Léa", last_name="Bédard")

    with translation.override("en"):
        response = manager.post(
            award_url(badge), {"people": [lea.pk], "program": program.pk, "find": "bedard"}
        )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Tick mentors or choose a program, not both." in page
    assert 'value="bedard"' in page
    assert f'value="{lea.pk}" id="person-{lea.pk}" checked' in page
    assert not Credential.objects.exists()


def test_the_page_a_refused_award_answers_with_searches_on_the_badge_page(manager, badge):
    response = manager.get(award_url(badge), {"find": "roy"})

    assert response.status_code == 302
    assert response.url == url("badge_detail", badge.pk) + "?find=roy"


def test_the_holders_count_matches_the_holders_listed(manager, program, badge):
    awarding.award_badge(badge, mentor_of(program), actor=None)
    lost, _ = awarding.award_badge(badge, mentor_of(program), actor=None)
    awarding.revoke(lost, reason="By mistake", actor=None)

    with translation.override("en"):
        page = manager.get(url("badge_detail", badge.pk)).content.decode()

    assert "1 person holds it, 1 revoked." in page


def test_the_award_form_warns_of_a_bulk_award_under_way(manager, badge):
    job = IssuanceJob.objects.create(
        organisation=badge.organisation, badge_class=badge, total=12, done=3
    )

    with translation.override("en"):
        page = manager.get(url("badge_detail", badge.pk)).content.decode()

    assert "An award of this badge to 12 people" in page
    assert url("issuance_job", job.pk) in page


def test_a_finished_bulk_award_says_nobody_is_missing(manager, badge):
    IssuanceJob.objects.create(
        organisation=badge.organisation,
        badge_class=badge,
        total=20,
        done=20,
        issued=19,
        status=IssuanceJob.Status.DONE,
    )

    with translation.override("en"):
        page = manager.get(url("badges")).content.decode()

    assert "19 issued · 1 already held it" in page
    assert "19 of 20" not in page


@pytest.mark.parametrize(
    "threshold, text",
    [(1, "Awarded by itself after 1 completed pairing"), (3, "after 3 completed pairings")],
)
def test_a_pairings_rule_reads_in_the_right_number(manager, organisation, threshold, text):
    make_badge(organisation, rule="pairings", threshold=threshold)

    with translation.override("en"):
        page = manager.get(url("badges")).content.decode()

    assert text in page


def test_the_badge_page_runs_the_same_queries_for_few_or_many_holders(
    django_assert_max_num_queries, manager, program, badge
):
    for _number in range(2):
        awarding.award_badge(badge, mentor_of(program), actor=None)
    small = count_queries(manager, url("badge_detail", badge.pk))
    for _number in range(8):
        awarding.award_badge(badge, mentor_of(program), actor=None)

    with django_assert_max_num_queries(small):
        manager.get(url("badge_detail", badge.pk))


# --- Awarding -----------------------------------------------------------------------------------


def test_awarding_one_mentor_issues_their_credential(manager, program, badge):
    lea = mentor_of(program, first_name="Léa", last_name="Bédard")

    with translation.override("en"):
        response = manager.post(award_url(badge), {"people": [lea.pk]}, follow=True)

    assert Credential.objects.get().person == lea
    assert "Léa Bédard is awarded the badge." in response.content.decode()


def test_awarding_twice_awards_once_and_says_so(manager, program, badge):
    lea = mentor_of(program, first_name="Léa", last_name="Bédard")
    manager.post(award_url(badge), {"people": [lea.pk]})

    with translation.override("en"):
        response = manager.post(award_url(badge), {"people": [lea.pk]}, follow=True)

    assert Credential.objects.count() == 1
    assert "Léa Bédard already holds this badge." in response.content.decode()


def test_awarding_several_mentors_runs_a_job(manager, program, badge, run_on_commit):
    people = [mentor_of(program) for _number in range(3)]

    with run_on_commit(execute=True):
        response = manager.post(
            award_url(badge), {"people": [p.pk for p in people], "form_token": "t1"}
        )

    job = IssuanceJob.objects.get()
    assert response.status_code == 302
    assert response.url == url("issuance_job", job.pk)
    assert Credential.objects.filter(badge_class=badge).count() == 3


def test_the_bulk_award_sent_twice_awards_once(manager, program, badge, run_on_commit):
    people = [p.pk for p in (mentor_of(program), mentor_of(program))]

    with run_on_commit(execute=True):
        manager.post(award_url(badge), {"people": people, "form_token": "t1"})
        manager.post(award_url(badge), {"people": people, "form_token": "t1"})

    assert IssuanceJob.objects.count() == 1
    assert Credential.objects.count() == 2


def test_every_active_mentor_of_a_program_can_be_awarded(manager, program, badge, run_on_commit):
    active = [mentor_of(program), mentor_of(program)]
    gone = mentor_of(program)
    gone.mentor_enrolments.update(status="left")

    with run_on_commit(execute=True):
        manager.post(award_url(badge), {"program": program.pk})

    assert set(Credential.objects.values_list("person", flat=True)) == {p.pk for p in active}


def test_awarding_nobody_is_refused_with_a_message(manager, badge):
    with translation.override("en"):
        response = manager.post(award_url(badge), {})

    assert response.status_code == 200
    assert "Tick the mentors to award, or choose a program." in response.content.decode()
    assert not Credential.objects.exists()


def test_a_mentor_of_another_organisation_cannot_be_awarded(manager, other_organisation, badge):
    other_program = factories.ProgramFactory(organisation=other_organisation)
    stranger = mentor_of(other_program)

    response = manager.post(award_url(badge), {"people": [stranger.pk]})

    assert response.status_code == 404
    assert not Credential.objects.exists()


def test_a_retired_badge_is_not_awarded(manager, organisation, program):
    retired = make_badge(organisation, active=False)

    with translation.override("en"):
        response = manager.post(award_url(retired), {"people": [mentor_of(program).pk]})

    assert response.status_code == 200
    assert "This badge is retired" in response.content.decode()
    assert not Credential.objects.exists()


# --- A bulk award's progress --------------------------------------------------------------------


def test_a_running_job_shows_its_progress_and_polls(manager, badge):
    job = IssuanceJob.objects.create(
        organisation=badge.organisation,
        badge_class=badge,
        total=1000,
        done=412,
        status=IssuanceJob.Status.RUNNING,
    )

    with translation.override("en"):
        page = manager.get(url("issuance_job", job.pk)).content.decode()

    assert "412 of 1,000" in page
    assert '<progress id="job-progress-bar" value="412" max="1000">' in page
    assert 'hx-trigger="every 1s"' in page


def test_polling_a_running_job_answers_its_progress_alone(manager, badge):
    job = IssuanceJob.objects.create(
        organisation=badge.organisation, badge_class=badge, total=10, done=3
    )

    response = manager.get(url("issuance_job", job.pk), headers={"HX-Request": "true"})

    assert "<progress" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_polling_a_finished_job_reloads_the_page(manager, badge):
    job = IssuanceJob.objects.create(
        organisation=badge.organisation, badge_class=badge, status=IssuanceJob.Status.DONE
    )

    response = manager.get(url("issuance_job", job.pk), headers={"HX-Request": "true"})

    assert response["HX-Refresh"] == "true"


def test_a_finished_job_says_who_was_awarded_and_who_already_held_it(
    manager, program, badge, run_on_commit
):
    holder = mentor_of(program)
    awarding.award_badge(badge, holder, actor=None)
    people = [holder.pk, mentor_of(program).pk, mentor_of(program).pk]

    with run_on_commit(execute=True):
        response = manager.post(award_url(badge), {"people": people})
    with translation.override("en"):
        page = manager.get(response.url).content.decode()

    assert "2</span>credentials issued" in page.replace("\n", "")
    assert "1</span>already held it" in page.replace("\n", "")


def test_a_failed_job_shows_its_error(manager, badge):
    job = IssuanceJob.objects.create(
        organisation=badge.organisation,
        badge_class=badge,
        total=10,
        done=4,
        issued=4,
        status=IssuanceJob.Status.FAILED,
        error="Signing key unavailable",
    )

    with translation.override("en"):
        page = manager.get(url("issuance_job", job.pk)).content.decode()

    assert "The awarding stopped before the end." in page
    assert "Signing key unavailable" in page


# --- Markup -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_every_manager_page_has_one_h1_unique_ids_and_labelled_fields(
    login, admin_user, organisation, program, badge, job, language
):
    from django.urls import reverse

    from laurier.core.tests.test_page_markup import check_markup

    credential, _ = awarding.award_badge(badge, mentor_of(program), actor=None)
    mentor_of(program, last_name="Tremblay")
    client = login(speaking(admin_user, language))
    running = IssuanceJob.objects.create(organisation=organisation, badge_class=badge, total=9)
    addresses = [
        url("badges"),
        url("badge_create"),
        url("badge_edit", badge.pk),
        url("badge_detail", badge.pk),
        url("badge_detail", badge.pk) + "?find=Tremblay&q=x",
        url("issuance_job", job.pk),
        url("issuance_job", running.pk),
        url("issued"),
        url("issued") + "?kind=badge&status=revoked&q=x",
        url("issued_detail", credential.pk),
        url("issuer_settings"),
    ]
    awarding.revoke(credential, reason="By mistake", actor=None)
    addresses.append(url("issued_detail", credential.pk) + "?revoked")
    addresses.append(reverse("credentials:badges", args=["hydro"]) + "?after")

    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        duplicates, unlabelled, h1_count = check_markup(html)
        assert duplicates == [], address
        assert unlabelled == [], address
        assert h1_count == 1, address
        assert "<script>" not in html, address
