"""What people do in Laurier, in a real Chromium against the running app."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.accounts.models import User
from laurier.hours.models import MentoringSession
from laurier.imports.models import ImportJob
from laurier.programs.models import Person
from laurier.surveys.models import Survey
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

pytestmark = pytest.mark.browser


def test_logging_in_leads_to_the_organisation(page, log_in_as, manager_user, program):
    log_in_as(manager_user)
    assert page.url.endswith("/o/hydro/")
    assert page.get_by_role("link", name=program.name).first.is_visible()


def test_wrong_password_is_refused(page, manager_user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", manager_user.email)
    page.fill("input[name=password]", "not-the-password")
    page.locator("form button[type=submit]").last.click()
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist, [role=alert]").first.is_visible()


def test_language_switch_is_remembered(page, log_in_as, manager_user, browser, live_server):
    User.objects.filter(pk=manager_user.pk).update(language="fr-ca")
    log_in_as(manager_user)
    assert page.locator("html").get_attribute("lang") == "fr-ca"
    assert page.get_by_role("link", name="Programmes").first.is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Programs").first.is_visible()
    manager_user.refresh_from_db()
    assert manager_user.language == "en"

    # Another browser, another day: the choice follows the person.
    other = browser.new_context(base_url=live_server.url, locale="fr-CA")
    other_page = other.new_page()
    other_page.goto("/accounts/login/")
    other_page.fill("input[name=login]", manager_user.email)
    other_page.fill("input[name=password]", factories.PASSWORD)
    other_page.locator("form button[type=submit]").last.click()
    other_page.wait_for_load_state()
    assert other_page.locator("html").get_attribute("lang") == "en"
    other.close()


PEOPLE_CSV = (
    "Prénom;Nom;Courriel;Langue;Service;Date d'embauche\r\n"
    "Émilie;Tremblay;emilie.tremblay@example.org;français;Finances;15/03/2019\r\n"
    "Marc-André;Gagnon;marc-andre.gagnon@example.org;fr;TI;2021-09-01\r\n"
    "Sarah;Wilson;sarah.wilson@example.org;anglais;Ventes;01/02/2022\r\n"
).encode("cp1252")


def test_import_preview_then_commit(page, log_in_as, manager_user, program):
    log_in_as(manager_user)
    page.goto("/o/hydro/imports/")
    page.locator("form[enctype] select[name=kind]").select_option("people")
    page.locator("input[type=file]").set_input_files(
        {"name": "personnes.csv", "mimeType": "text/csv", "buffer": PEOPLE_CSV}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()

    # The preview writes nothing.
    assert Person.objects.filter(organisation=program.organisation).count() == 0
    assert page.get_by_text("3", exact=True).first.is_visible()

    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    page.get_by_text("Imported").first.wait_for()
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    people = Person.objects.filter(organisation=program.organisation)
    assert people.count() == 3
    emilie = people.get(email="emilie.tremblay@example.org")
    assert (emilie.first_name, emilie.hire_date) == ("Émilie", datetime.date(2019, 3, 15))


def test_import_with_a_bad_row_lists_it_and_cannot_be_committed(
    page, log_in_as, manager_user, program
):
    log_in_as(manager_user)
    page.goto("/o/hydro/imports/")
    page.locator("form[enctype] select[name=kind]").select_option("people")
    bad = PEOPLE_CSV + "Jean;Roy;pas-un-courriel;fr;TI;31/02/2020\r\n".encode("cp1252")
    page.locator("input[type=file]").set_input_files(
        {"name": "personnes.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.get_by_text("pas-un-courriel").first.is_visible()
    assert page.get_by_role("button", name="Import", exact=True).count() in (0, 1)
    if page.get_by_role("button", name="Import", exact=True).count():
        assert page.get_by_role("button", name="Import", exact=True).is_disabled()
    assert Person.objects.filter(organisation=program.organisation).count() == 0


def test_mentor_logs_a_session_from_their_space(page, log_in_as, mentor_user, program):
    mentor = Person.objects.get(user=mentor_user)
    pairing = factories.PairingFactory(
        program=program, mentor=mentor, starts_on=datetime.date(2025, 1, 6)
    )
    log_in_as(mentor_user)
    page.goto("/o/hydro/me/")
    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Pairing").select_option(str(pairing.pk))
    held_on = timezone.localdate() - datetime.timedelta(days=2)
    page.get_by_label("Date").fill(held_on.isoformat())
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_role("button", name="Log the session").click()
    page.wait_for_load_state()

    assert page.url.endswith("/o/hydro/me/")
    session = MentoringSession.objects.get()
    assert (session.mentor, session.mentee, session.duration_minutes) == (
        mentor,
        pairing.mentee,
        90,
    )
    assert session.logged_by == "mentor"
    assert page.get_by_text(pairing.mentee.full_name).first.is_visible()


def test_phones_never_scroll_sideways(browser, live_server, manager_user, program):
    for last_name in ["Bouchard-Lévesque", "Tremblay", "Gagnon"]:
        factories.MentorEnrolmentFactory(program=program, person__last_name=last_name)
    # French words are longer: the widest pages are the French ones.
    User.objects.filter(pk=manager_user.pk).update(language="fr-ca")
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="fr-CA"
    )
    page = phone.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", manager_user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    survey = install_standard_surveys(program.organisation)[Survey.Purpose.PROFILE]
    question = survey.questions.get(key="motivations")
    paths = [
        f"/o/hydro/p/{program.slug}/mentors/",
        f"/o/hydro/p/{program.slug}/",
        # The "people I choose" picker, opened on a search, and a question's choices formset.
        reverse("surveys:campaign_create", args=["hydro", program.slug]),
        reverse("surveys:question_edit", args=["hydro", survey.pk, question.pk]),
        reverse("surveys:question_create", args=["hydro", survey.pk]),
    ]
    too_wide = {}
    for path in paths:
        page.goto(path)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    assert too_wide == {}
    phone.close()


def test_on_a_phone_the_main_menu_folds_behind_its_button(browser, live_server, manager_user):
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", manager_user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    programs = page.locator('.site-menu a[href$="/programs/"]')

    assert not programs.is_visible()
    page.locator(".site-menu > summary").click()
    assert programs.is_visible()
    phone.close()


def test_on_a_wide_screen_the_main_menu_is_always_open(page, log_in_as, manager_user):
    log_in_as(manager_user)

    assert not page.locator(".site-menu > summary").is_visible()
    assert page.locator('.site-menu a[href$="/programs/"]').is_visible()
