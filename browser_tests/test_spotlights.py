"""A spotlight in a real Chromium, on a phone: from the mentor's page to the downloads."""

import datetime

import pytest
from django.utils import timezone

from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.recognition.categories import PublicConsent
from laurier.recognition.models import Spotlight
from laurier.testing import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = None  # a folder path to look at the pages while working on them


def scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def look(page, name):
    assert not scrolls_sideways(page), name
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def lea(program):
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name="Léa",
        last_name="Tremblay-Bouchard",
        job_title="Senior reliability engineer",
        department="Operations and maintenance",
    )
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=datetime.date(2021, 9, 1)
    )
    pairing = factories.PairingFactory(program=program, mentor=person)
    factories.MentoringSessionFactory(pairing=pairing, duration_minutes=90)
    MentorProfile.objects.create(
        organisation=program.organisation,
        person=person,
        public_consent=PublicConsent.ASK,
        interests="birdwatching, jazz and long-distance cycling",
        source=ProfileSource.MANAGER,
        updated_at=timezone.now(),
    )
    return person


def test_a_manager_writes_a_spotlight_on_a_phone_and_downloads_it(
    page, log_in_as, manager_user, program, lea
):
    manager_user.language = "en"
    manager_user.save()
    page.set_viewport_size(PHONE)
    log_in_as(manager_user)

    page.goto(f"/o/{program.organisation.slug}/p/{program.slug}/mentors/{lea.pk}/")
    page.get_by_role("link", name="Write a spotlight").click()
    page.wait_for_load_state()
    look(page, "1-draft")
    assert "Senior reliability engineer" in page.locator("textarea[name=body_en]").input_value()

    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true], .errorlist").count() > 0  # the day they agreed
    page.fill("input[name=consent_given_on]", timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    look(page, "2-detail")

    spotlight = Spotlight.objects.get()
    assert spotlight.consent_given_on == timezone.localdate()
    assert page.locator(".spotlight-preview strong").first.inner_text() == ("Léa Tremblay-Bouchard")
    with page.expect_download() as download:
        page.get_by_role("link", name="HTML in English").click()
    assert download.value.suggested_filename == "spotlight-lea-tremblay-bouchard-en.html"

    page.get_by_role("link", name="Spotlights", exact=True).first.click()
    page.wait_for_load_state()
    look(page, "3-list")
    page.goto(f"/o/{program.organisation.slug}/p/{program.slug}/spotlights/new/")
    look(page, "4-choose")
