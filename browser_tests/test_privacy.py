"""Privacy in a real Chromium: an admin exports a person's data and erases another person; a
mentor downloads their own data from the menu."""

import json

import pytest

from laurier.organisations.models import AuditEvent
from laurier.privacy.models import Erasure
from laurier.programs.models import Person
from laurier.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_exports_and_erases_then_a_mentor_downloads_their_own_data(
    page, log_in_as, admin_user, mentor_user, organisation
):
    kept = factories.PersonFactory(organisation=organisation, first_name="Jeanne", last_name="Roy")
    leaving = factories.PersonFactory(
        organisation=organisation, first_name="Marc", last_name="Ouellet"
    )
    log_in_as(admin_user)

    page.goto(f"/o/hydro/people/{kept.pk}/")
    page.get_by_role("link", name="Privacy: their data, consents and erasure").click()
    page.get_by_role("link", name="Read it (printable page)").click()
    assert page.get_by_role("heading", name="Data of Jeanne Roy").is_visible()
    assert page.get_by_role("heading", name="Identity").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it as a file (JSON)").click()
    data = json.loads(download.value.path().read_text())
    assert data["person"]["last_name"] == "Roy"

    page.goto(f"/o/hydro/privacy/people/{leaving.pk}/")
    page.get_by_role("link", name="Erase this person…").click()
    page.get_by_label("Type the person's full name to confirm").fill("Marc Ouellet")
    page.get_by_role("button", name="Erase for good").click()
    page.wait_for_load_state()
    assert page.get_by_text("The person's data are erased.").is_visible()
    assert Erasure.objects.get().person_id == leaving.pk
    assert Person.objects.get(pk=leaving.pk).last_name == f"#{leaving.pk}"
    assert AuditEvent.objects.filter(action="export", object_id=str(kept.pk)).count() == 2

    page.context.clear_cookies()
    log_in_as(mentor_user)
    page.goto("/o/hydro/")
    page.get_by_role("link", name="My data").click()
    assert page.get_by_role("heading", name="My data").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it as a file (JSON)").click()
    data = json.loads(download.value.path().read_text())
    assert data["account"]["email"] == "mentor@example.org"
