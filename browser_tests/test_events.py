"""A manager plans a workshop on a phone, the training hours proposed from its times; a mentor
answers at their link and takes the last place; the next one joins the waiting list."""

import datetime
import os
import zoneinfo

import pytest

from laurier.programs.models import Person
from laurier.recognition.models import Event, EventInvitation
from laurier.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("LAURIER_SCREENSHOTS")


def scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def field(page, name):
    return page.locator(f"[name={name}]")


def click(page, target):
    """Click what leaves the page, and wait for the next one."""
    with page.expect_navigation():
        target.click()


def look(page, name):
    assert not scrolls_sideways(page), name
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_a_workshop_is_planned_and_answered_on_a_phone(
    page, browser, live_server, log_in_as, manager_user, mentor_user, organisation, program
):
    manager_user.language = "en"
    manager_user.save()
    me = Person.objects.get(user=mentor_user)
    Person.objects.filter(pk=me.pk).update(language="en", first_name="Awa")
    factories.MentorEnrolmentFactory(program=program, person=me)
    other = factories.MentorEnrolmentFactory(
        program=program, person__first_name="Marc", person__language="fr-ca"
    ).person
    page.set_viewport_size(PHONE)
    log_in_as(manager_user)

    page.goto("/o/hydro/p/releve/events/")
    look(page, "events-empty")
    click(page, page.get_by_role("button", name="Plan an event").first)
    field(page, "kind").select_option("workshop")
    field(page, "name_en").fill("Active listening")
    day = datetime.datetime.now(zoneinfo.ZoneInfo("America/Toronto")).date()
    day += datetime.timedelta(days=10)
    field(page, "start_date").fill(day.isoformat())
    field(page, "start_time").fill("09:00")
    field(page, "end_time").fill("12:30")
    field(page, "end_time").dispatch_event("change")
    field(page, "capacity").fill("1")
    look(page, "event-form")
    assert field(page, "training_hours").input_value() == "3.50"
    assert page.get_by_text("these hours count as training").is_visible()
    click(page, page.get_by_role("button", name="Plan the event"))
    look(page, "event-page")

    event = Event.objects.get()
    assert str(event.training_hours) == "3.50"
    click(page, page.get_by_role("button", name="Invite", exact=True))
    look(page, "event-invite")
    page.get_by_label("Every mentor of the program").check()
    click(page, page.get_by_role("button", name="Invite them"))
    look(page, "event-invited")
    assert EventInvitation.objects.filter(event=event).count() == 2

    visitor = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-CA")
    rsvp = visitor.new_page()
    mine = EventInvitation.objects.get(event=event, person=me)
    rsvp.goto(f"/e/{mine.token}/")
    look(rsvp, "rsvp")
    click(rsvp, rsvp.get_by_role("button", name="I'll come"))
    look(rsvp, "rsvp-coming")
    assert rsvp.get_by_text("You are coming: your place is kept.").is_visible()

    theirs = EventInvitation.objects.get(event=event, person=other)
    rsvp.goto(f"/e/{theirs.token}/")
    # Marc reads French: the page speaks his language.
    click(rsvp, rsvp.locator("button[value=yes]"))
    look(rsvp, "rsvp-waiting")
    assert EventInvitation.objects.get(pk=theirs.pk).answer == EventInvitation.Answer.WAITING
    visitor.close()

    page.goto(f"/o/hydro/p/releve/events/{event.pk}/")
    look(page, "event-answers")
    assert page.get_by_text("Waiting list, position 1").is_visible()
