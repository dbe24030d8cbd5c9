"""The training-hours certificate in a real Chromium, on a phone: found, downloaded, a PDF."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from laurier.programs.models import Person
from laurier.recognition.models import Event, EventInvitation
from laurier.testing import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.fixture
def mentor_with_hours(organisation, program, mentor_user):
    """This year: a two-hour session as mentor and a three-hour workshop attended."""
    mentor = Person.objects.get(organisation=organisation, user=mentor_user)
    today = timezone.localdate()
    pairing = factories.PairingFactory(
        program=program, mentor=mentor, starts_on=datetime.date(today.year - 1, 1, 1)
    )
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(today.year, 1, 1), duration_minutes=120
    )
    starts_at = datetime.datetime(today.year, 1, 1, 10, tzinfo=zoneinfo.ZoneInfo("UTC"))
    workshop = Event.objects.create(
        organisation=organisation,
        program=program,
        kind="workshop",
        name_fr="Atelier d'écoute",
        name_en="Listening workshop",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        training_hours=Decimal("3"),
    )
    EventInvitation.objects.create(event=workshop, person=mentor, answer="going", attended=True)
    return mentor


def test_a_mentor_downloads_their_certificate_from_their_space_on_a_phone(
    page, log_in_as, mentor_user, mentor_with_hours
):
    page.set_viewport_size(PHONE)
    log_in_as(mentor_user)
    page.goto("/o/hydro/me/")
    assert not scrolls_sideways(page)
    year = timezone.localdate().year
    link = page.locator(f"a[href='/o/hydro/me/certificate/{year}.pdf']")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_manager_finds_the_certificate_on_the_training_hours_page_on_a_phone(
    page, log_in_as, manager_user, mentor_with_hours
):
    page.set_viewport_size(PHONE)
    log_in_as(manager_user)
    page.goto("/o/hydro/hours/")
    assert not scrolls_sideways(page)
    year = timezone.localdate().year
    link = page.locator(
        f"a[href='/o/hydro/hours/people/{mentor_with_hours.pk}/certificate/{year}.pdf']"
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("attestation-heures-formation-")
