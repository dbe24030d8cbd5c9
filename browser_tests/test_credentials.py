"""A badge's whole life in a real Chromium: the mentor downloads its certificate, follows the QR
code printed on it and reads "valid"; the manager revokes it; the same address then says
"revoked", with the reason."""

import re

import pytest
from django.utils import translation

from laurier.credentials.services import awarding
from laurier.credentials.tests.holders import decode_qr_codes
from laurier.credentials.verification import OUTCOME_TITLES, Outcome
from laurier.programs.models import Person
from laurier.testing import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def mentor_badge(settings, live_server, organisation, program, mentor_user):
    # Credentials name their verification page with the site's address: here, the live server.
    settings.SITE_URL = live_server.url
    badge = factories.BadgeClassFactory(organisation=organisation)
    mentor = Person.objects.get(organisation=organisation, user=mentor_user)
    # A mentor of the manager's program: managers reach only their programs' credentials.
    factories.MentorEnrolmentFactory(program=program, person=mentor)
    credential, _ = awarding.award_badge(badge, mentor, actor=None)
    return credential


def verdict(outcome, user):
    """The verdict's title as the page says it to `user`, in their language."""
    with translation.override(user.language):
        return str(OUTCOME_TITLES[outcome])


def test_a_mentor_verifies_their_certificate_by_its_qr_code_until_the_manager_revokes_it(
    browser, live_server, mentor_badge, mentor_user, manager_user, tmp_path
):
    mentor = browser.new_context(base_url=live_server.url, locale="fr-CA")
    page = mentor.new_page()
    page.goto("/accounts/login/")
    log_in(page, mentor_user)
    page.goto("/o/hydro/me/")
    page.get_by_role("link", name=re.compile("badges", re.IGNORECASE)).first.click()
    with page.expect_download() as download:
        page.locator(f"a[href$='/c/{mentor_badge.public_id}/certificate.pdf']").first.click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")

    [address] = decode_qr_codes(pdf, tmp_path)
    assert address == mentor_badge.url
    page.goto(address)
    result = page.locator("section.verification")
    assert "valid" in result.get_attribute("class").split()
    assert verdict(Outcome.VALID, mentor_user) in result.locator("h2").inner_text()

    manager = browser.new_context(base_url=live_server.url, locale="fr-CA")
    manager_page = manager.new_page()
    manager_page.goto("/accounts/login/")
    log_in(manager_page, manager_user)
    manager_page.goto(f"/o/hydro/credentials/{mentor_badge.pk}/")
    manager_page.locator("textarea[name=reason], input[name=reason]").fill(
        "Heures comptées en double"
    )
    manager_page.locator("input[name=confirm]").check()
    manager_page.locator("form[action$='/revoke/'] button[type=submit]").click()
    manager_page.wait_for_load_state()

    page.goto(address)
    result = page.locator("section.verification")
    assert "revoked" in result.get_attribute("class").split()
    assert verdict(Outcome.REVOKED, mentor_user) in result.locator("h2").inner_text()
    assert "Heures comptées en double" in result.inner_text()
    mentor.close()
    manager.close()


def log_in(page, user):
    from laurier.testing.factories import PASSWORD

    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
