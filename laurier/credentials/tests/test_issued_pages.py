"""The managers' pages of the credentials issued: the list, one credential, revoking it, and
issuing the certificate of a recognition given."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laurier.credentials.models import Credential, CredentialKind
from laurier.credentials.selectors import credential_status
from laurier.credentials.services import awarding
from laurier.credentials.verification import Outcome, verify_document
from laurier.organisations.models import AuditEvent
from laurier.recognition.models import Award
from laurier.recognition.tests.test_my_awards_support import award_in_database
from laurier.testing import factories

from .manager_support import make_badge, mentor_of, speaking, url


@pytest.fixture
def badge(organisation):
    return make_badge(organisation)


@pytest.fixture
def manager(login, manager_user):
    return login(manager_user)


@pytest.fixture
def credential(badge, program):
    person = mentor_of(program, first_name="Léa", last_name="Bédard")
    return awarding.award_badge(badge, person, actor=None)[0]


def revoke_url(credential):
    return url("issued_revoke", credential.pk)


# --- Access -------------------------------------------------------------------------------------


def test_a_mentor_may_not_see_the_credentials_issued(login, mentor_user, credential):
    client = login(mentor_user)

    assert client.get(url("issued")).status_code == 403
    assert client.get(url("issued_detail", credential.pk)).status_code == 403
    assert client.post(revoke_url(credential), {"reason": "x", "confirm": "on"}).status_code == 403


def test_another_organisations_credential_is_not_found(login, other_admin_user, credential):
    client = login(other_admin_user)

    assert (
        client.get(url("issued_detail", credential.pk, organisation_slug="other")).status_code
        == 404
    )
    response = client.post(
        url("issued_revoke", credential.pk, organisation_slug="other"),
        {"reason": "Not ours", "confirm": "on"},
    )
    assert response.status_code == 404
    credential.refresh_from_db()
    assert not credential.is_revoked


# --- The list -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language, title", [("en", "Credentials issued"), ("fr-ca", "Léa Bédard")])
def test_the_list_renders_in_both_languages(login, manager_user, credential, language, title):
    page = login(speaking(manager_user, language)).get(url("issued")).content.decode()

    assert title in page
    assert url("issued_detail", credential.pk) in page


def test_the_list_filters_by_kind(manager, credential, program):
    with translation.override("en"):
        page = manager.get(url("issued"), {"kind": CredentialKind.AWARD}).content.decode()

    assert url("issued_detail", credential.pk) not in page
    assert "No credential matches this search." in page


def test_the_list_filters_by_status(manager, badge, program, credential):
    kept, _ = awarding.award_badge(badge, mentor_of(program), actor=None)
    awarding.revoke(credential, reason="By mistake", actor=None)

    page = manager.get(url("issued"), {"status": "revoked"}).content.decode()

    assert url("issued_detail", credential.pk) in page
    assert url("issued_detail", kept.pk) not in page


@pytest.mark.parametrize("status", ["valid", "revoked", "expired"])
def test_each_status_filter_lists_exactly_the_credentials_shown_with_that_status(
    manager, badge, program, status
):
    past, future = (
        timezone.now() - timezone.timedelta(days=1),
        timezone.now() + timezone.timedelta(days=1),
    )
    made = {}
    for name, valid_until, revoked in [
        ("lasting", None, False),
        ("until_tomorrow", future, False),
        ("ended", past, False),
        ("revoked", None, True),
        ("revoked_and_ended", past, True),
    ]:
        credential, _ = awarding.award_badge(badge, mentor_of(program), actor=None)
        Credential.objects.filter(pk=credential.pk).update(valid_until=valid_until)
        if revoked:
            awarding.revoke(credential, reason="By mistake", actor=None)
        made[name] = Credential.objects.get(pk=credential.pk)

    page = manager.get(url("issued"), {"status": status}).content.decode()

    listed = {
        name for name, credential in made.items() if url("issued_detail", credential.pk) in page
    }
    shown = {name for name, credential in made.items() if credential_status(credential) == status}
    assert listed == shown


def test_an_expired_credential_is_listed_as_expired(manager, credential):
    Credential.objects.filter(pk=credential.pk).update(
        valid_until=timezone.now() - timezone.timedelta(days=1)
    )

    with translation.override("en"):
        page = manager.get(url("issued"), {"status": "expired"}).content.decode()

    assert url("issued_detail", credential.pk) in page
    assert "credential-expired" in page


def test_the_list_searches_by_holder(manager, badge, program, credential):
    other, _ = awarding.award_badge(badge, mentor_of(program, last_name="Roy"), actor=None)

    page = manager.get(url("issued"), {"q": "bedard"}).content.decode()

    assert url("issued_detail", credential.pk) in page
    assert url("issued_detail", other.pk) not in page


def test_the_list_sorts_by_holder(manager, badge, program, credential):
    other, _ = awarding.award_badge(badge, mentor_of(program, last_name="Aubin"), actor=None)

    page = manager.get(url("issued"), {"sort": "person"}).content.decode()

    assert page.index(url("issued_detail", other.pk)) < page.index(
        url("issued_detail", credential.pk)
    )


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_list_exports(manager, credential, export):
    response = manager.get(url("issued"), {"export": export})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_the_csv_export_holds_the_verification_address(manager, credential):
    response = manager.get(url("issued"), {"export": "csv"})

    assert credential.url in response.content.decode()


def count_queries(client, address):
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def test_the_list_runs_the_same_queries_for_few_or_many_credentials(
    django_assert_max_num_queries, manager, badge, program, credential
):
    small = count_queries(manager, url("issued"))
    for _number in range(6):
        awarding.award_badge(badge, mentor_of(program), actor=None)

    with django_assert_max_num_queries(small):
        manager.get(url("issued"))


# --- One credential -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_the_credential_page_says_what_it_attests_and_how_it_is_signed(
    login, manager_user, credential, language
):
    page = login(speaking(manager_user, language)).get(url("issued_detail", credential.pk))
    text = page.content.decode()

    assert credential.person.full_name in text
    assert credential.signing_key.public_multikey in text
    assert reverse("credentials:credential", args=[credential.public_id]) in text
    assert reverse("credentials:credential_pdf", args=[credential.public_id]) in text
    assert reverse("credentials:credential_json", args=[credential.public_id]) in text
    assert reverse("credentials:credential_jwt", args=[credential.public_id]) in text


# --- Revoking -----------------------------------------------------------------------------------


def test_revoking_makes_the_verification_say_revoked(manager, manager_user, credential):
    response = manager.post(
        revoke_url(credential), {"reason": "Awarded by mistake", "confirm": "on"}
    )

    credential.refresh_from_db()
    assert response.status_code == 302
    assert credential.revoked_by == manager_user
    assert verify_document(credential.document).outcome == Outcome.REVOKED


def test_a_revoked_credential_says_who_when_and_why(manager, manager_user, credential):
    manager.post(revoke_url(credential), {"reason": "Awarded by mistake", "confirm": "on"})

    with translation.override("en"):
        page = manager.get(url("issued_detail", credential.pk)).content.decode()

    assert "Why: Awarded by mistake" in page
    assert manager_user.email in page or manager_user.get_full_name() in page
    assert "Revoke the credential" not in page


def test_revoking_needs_a_reason(manager, credential):
    with translation.override("en"):
        response = manager.post(revoke_url(credential), {"reason": "  ", "confirm": "on"})

    assert response.status_code == 200
    assert "Say why the credential is revoked." in response.content.decode()
    credential.refresh_from_db()
    assert not credential.is_revoked


def test_revoking_needs_a_confirmation(manager, credential):
    with translation.override("en"):
        response = manager.post(revoke_url(credential), {"reason": "Awarded by mistake"})

    assert response.status_code == 200
    assert "Tick the box to confirm the revocation." in response.content.decode()
    credential.refresh_from_db()
    assert not credential.is_revoked


def test_revoking_twice_keeps_the_first_revocation(manager, credential):
    manager.post(revoke_url(credential), {"reason": "First", "confirm": "on"})
    with translation.override("en"):
        response = manager.post(
            revoke_url(credential), {"reason": "Second", "confirm": "on"}, follow=True
        )

    credential.refresh_from_db()
    assert credential.revocation_reason == "First"
    assert "This credential is already revoked." in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            object_type="credentials.credential", object_id=str(credential.pk)
        ).count()
        == 1
    )


# --- The certificate of a recognition given -----------------------------------------------------


@pytest.fixture
def given_award(program):
    return award_in_database(program, mentor_of(program, first_name="Marc", last_name="Roy"))


def certificate_url(award, program_slug="releve"):
    return reverse("credentials:award_certificate", args=["hydro", program_slug, award.pk])


def award_page(award):
    return reverse("recognition:award_detail", args=["hydro", award.program.slug, award.pk])


def test_a_given_recognition_gets_its_certificate(manager, given_award):
    response = manager.post(certificate_url(given_award))

    credential = Credential.objects.get(award=given_award)
    assert credential.kind == CredentialKind.AWARD
    assert response.url == url("issued_detail", credential.pk)


def test_certifying_twice_issues_one_certificate(manager, given_award):
    manager.post(certificate_url(given_award))
    with translation.override("en"):
        response = manager.post(certificate_url(given_award), follow=True)

    assert Credential.objects.filter(award=given_award).count() == 1
    assert "The certificate was already issued on" in response.content.decode()


def test_a_recognition_not_given_has_no_certificate(manager, program):
    planned = award_in_database(program, mentor_of(program), status=Award.Status.PLANNED)

    with translation.override("en"):
        response = manager.post(certificate_url(planned), follow=True)

    assert not Credential.objects.exists()
    assert "Only a recognition already given has a certificate." in response.content.decode()


def test_a_program_the_manager_does_not_manage_has_no_certificate_page(
    manager, organisation, given_award
):
    elsewhere = factories.ProgramFactory(organisation=organisation, slug="ailleurs")
    award = award_in_database(elsewhere, mentor_of(elsewhere))

    assert manager.post(certificate_url(award, "ailleurs")).status_code == 404
    assert manager.post(certificate_url(given_award, "ailleurs")).status_code == 404
    assert not Credential.objects.exists()


def test_the_recognition_page_offers_its_certificate(manager, given_award):
    page = manager.get(award_page(given_award)).content.decode()

    assert certificate_url(given_award) in page


def test_the_certificate_button_opens_the_certificate_issued_earlier(manager, given_award):
    first = manager.post(certificate_url(given_award))
    again = manager.post(certificate_url(given_award))

    assert again.url == first.url == url("issued_detail", Credential.objects.get().pk)


def test_a_recognition_not_given_offers_no_certificate(manager, program):
    planned = award_in_database(program, mentor_of(program), status=Award.Status.PLANNED)

    page = manager.get(award_page(planned)).content.decode()

    assert certificate_url(planned) not in page


def test_a_recognition_without_certificate_offers_to_issue_it(manager, given_award):
    with translation.override("en"):
        page = manager.get(award_page(given_award)).content.decode()

    assert "Issue the certificate" in page


def test_a_recognition_certified_says_when_and_links_its_certificate(manager, given_award):
    manager.post(certificate_url(given_award))
    credential = Credential.objects.get(award=given_award)

    with translation.override("en"):
        page = manager.get(award_page(given_award)).content.decode()

    assert "Certificate issued on" in page
    assert url("issued_detail", credential.pk) in page
    assert reverse("credentials:credential_pdf", args=[credential.public_id]) in page
    assert certificate_url(given_award) not in page


# --- One credential's page: what it attests first, then how it is signed ------------------------


def test_the_credential_page_shows_the_badge_image(manager, credential, badge):
    page = manager.get(url("issued_detail", credential.pk)).content.decode()

    assert url("badge_preview") + f"?shape={badge.shape}&amp;palette={badge.palette}" in page


def test_the_signing_details_are_folded_after_what_it_attests(manager, credential):
    with translation.override("en"):
        page = manager.get(url("issued_detail", credential.pk)).content.decode()

    details = page.index('<details class="technical-details">')
    assert page.index("What it attests") < details
    assert details < page.index(credential.signing_key.public_multikey)


def test_the_revoke_button_looks_like_a_danger(manager, credential):
    page = manager.get(url("issued_detail", credential.pk)).content.decode()

    assert '<button type="submit" class="danger">' in page


# --- The list: names in the reader's language ---------------------------------------------------


@pytest.mark.parametrize(
    "language, shown, hidden",
    [("en", "100-hour mentor", "Mentor 100 heures"), ("fr-ca", "Mentor 100 heures", "100-hour")],
)
def test_the_list_names_a_badge_in_the_readers_language(
    login, manager_user, badge, program, language, shown, hidden
):
    awarding.award_badge(badge, mentor_of(program, language="en"), actor=None)
    awarding.award_badge(badge, mentor_of(program, language="fr-ca"), actor=None)

    page = login(speaking(manager_user, language)).get(url("issued")).content.decode()

    assert page.count(shown) == 2
    assert hidden not in page


def test_the_list_hints_at_a_credential_written_in_the_other_language(
    login, manager_user, badge, program
):
    awarding.award_badge(badge, mentor_of(program, language="fr-ca"), actor=None)

    page = login(speaking(manager_user, "en")).get(url("issued")).content.decode()

    assert "(written in French)" in page


def test_the_credentials_link_to_the_badges_without_a_button(manager):
    page = manager.get(url("issued")).content.decode()

    assert f'<a href="{url("badges")}">' in page


def test_the_credential_page_titles_a_badge_in_the_readers_language(
    login, manager_user, badge, program
):
    credential, _ = awarding.award_badge(badge, mentor_of(program, language="en"), actor=None)

    page = login(speaking(manager_user, "fr-ca")).get(url("issued_detail", credential.pk))

    assert "<h1>Mentor 100 heures — " in page.content.decode()
