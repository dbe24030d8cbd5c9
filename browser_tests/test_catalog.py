"""A manager finds the options that clash with the culture, on a phone, in a real Chromium."""

import os

import pytest

from laurier.recognition.models import RecognitionOption
from laurier.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("LAURIER_SCREENSHOTS")


def scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def look(page, name):
    assert not scrolls_sideways(page), name
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_a_manager_finds_and_retires_an_option_that_clashes_with_the_culture(
    page, log_in_as, manager_user, organisation
):
    manager_user.language = "en"
    manager_user.save()
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    page.set_viewport_size(PHONE)
    log_in_as(manager_user)

    page.goto("/o/hydro/catalog/")
    look(page, "catalog")
    page.get_by_label("Culture fit").select_option("clashes")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    look(page, "catalog-clashes")
    assert page.get_by_text(
        "Public, while your culture prefers private recognition"
    ).first.is_visible()

    page.get_by_role("link", name="Seat at the recognition gala").click()
    page.wait_for_load_state()
    look(page, "option")
    assert page.get_by_role("heading", name="Suggested wording").is_visible()
    page.get_by_role("button", name="Retire").click()
    page.wait_for_load_state()
    look(page, "option-retired")

    gala = RecognitionOption.objects.get(organisation=organisation, standard_key="gala")
    assert not gala.active
    assert page.get_by_role("button", name="Offer again").is_visible()

    page.get_by_role("button", name="Edit").click()
    page.wait_for_load_state()
    look(page, "option-form")


def test_the_culture_pages_fit_a_phone(page, log_in_as, admin_user, organisation):
    admin_user.language = "en"
    admin_user.save()
    page.set_viewport_size(PHONE)
    log_in_as(admin_user)

    page.goto("/o/hydro/culture/edit/")
    look(page, "culture-form")
    page.get_by_label("Values (English)").fill("Mutual help\nRigour")
    page.get_by_label("Strongly informal").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    look(page, "culture")

    assert page.get_by_text("Mutual help").is_visible()
    assert page.get_by_text("Strongly informal").first.is_visible()


def test_a_cost_typed_with_a_comma_on_the_french_form_costs_12_50(
    page, log_in_as, manager_user, organisation
):
    # A number input read "12,50" as 1250 in Chromium, without a word.
    manager_user.language = "fr-ca"
    manager_user.save()
    log_in_as(manager_user)

    page.goto("/o/hydro/catalog/new/")
    page.select_option("[name=category]", index=2)
    page.fill("[name=name_fr]", "Carte des lucioles")
    page.fill("[name=name_en]", "Fireflies card")
    page.fill("[name=cost_money]", "12,50")
    assert page.input_value("[name=cost_money]") == "12,50"
    for name in ("visibility", "formality", "scope", "nature", "personalisation"):
        page.locator(f"[name={name}]").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    option = RecognitionOption.objects.get(organisation=organisation, name_en="Fireflies card")
    assert str(option.cost_money) == "12.50"
    assert page.get_by_text("12,50 $").first.is_visible()
