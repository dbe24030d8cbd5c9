"""What the event pages show: the list (upcoming first, then past; by kind; cancelled said in
words), the event's page with its figures and each person's answer, the manager's .ics, a
person's own invitations; and every page's markup."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from laurier.core.tests.test_page_markup import check_markup
from laurier.programs.models import Person
from laurier.recognition.services import events as services

from .test_event_support import (  # noqa: F401 (_fresh_rate_limits: autouse)
    DAY,
    _fresh_rate_limits,
    begin,
    event_url,
    invite_quietly,
    list_url,
    mentee,
    mentor,
    next_week_at,
    plan,
    rsvp_url,
)

pytestmark = pytest.mark.django_db


def names_in(response):
    return [event.name_en for event in response.context["page"].object_list]


def test_the_list_shows_upcoming_events_first_then_past_ones(login, manager_user, program):
    later = plan(program, manager_user, name_en="Later", starts_at=next_week_at(days=20))
    plan(program, manager_user, name_en="Sooner", starts_at=next_week_at(days=2))
    begin(plan(program, manager_user, name_en="Long ago"), ago=30 * DAY)
    begin(plan(program, manager_user, name_en="Yesterday"), ago=DAY)
    services.cancel_event(later, actor=manager_user, reason="Plus de budget")

    response = login(manager_user).get(list_url(program))

    assert names_in(response) == ["Sooner", "Later", "Yesterday", "Long ago"]
    page = response.content.decode()
    assert page.index("Coming up") < page.index("Past events")
    assert "Cancelled" in page


def test_the_list_filters_by_kind(login, manager_user, program):
    plan(program, manager_user, name_en="Gala")
    plan(program, manager_user, name_en="Workshop", kind="workshop")

    response = login(manager_user).get(list_url(program), {"kind": "workshop"})

    assert names_in(response) == ["Workshop"]


def test_an_unknown_kind_shows_every_event(login, manager_user, program):
    plan(program, manager_user, name_en="Gala")

    response = login(manager_user).get(list_url(program), {"kind": "picnic"})

    assert names_in(response) == ["Gala"]


def test_the_list_counts_places_and_the_waiting_list(login, manager_user, program):
    event = plan(program, manager_user, capacity=1)
    for invitation in invite_quietly(event, [mentor(program, "Ana"), mentor(program, "Ben")]):
        services.respond(invitation, going=True)

    with translation.override("en"):
        page = login(manager_user).get(list_url(program)).content.decode()

    assert "1 of 1 place taken" in page
    assert "1 on the waiting list" in page


def test_an_online_event_says_online(login, manager_user, program):
    plan(program, manager_user, place="", online_url="https://meet.example.org/x")

    with translation.override("en"):
        page = login(manager_user).get(list_url(program)).content.decode()

    assert "Online" in page


def test_the_empty_list_explains_what_events_are_for(login, manager_user, program):
    with translation.override("en"):
        page = login(manager_user).get(list_url(program)).content.decode()

    assert "What are events for?" in page
    assert (
        reverse("recognition:event_create", args=[program.organisation.slug, program.slug]) in page
    )


def test_the_list_exports_its_events(login, manager_user, program):
    plan(program, manager_user)

    response = login(manager_user).get(list_url(program), {"export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert "Mentors' gala" in response.content.decode("utf-8-sig")


def test_the_event_page_counts_every_answer(login, manager_user, program):
    event = plan(program, manager_user, capacity=1)
    people = [mentor(program, name) for name in ("Ana", "Ben", "Cleo", "Dan")]
    ana, ben, cleo, _dan = invite_quietly(event, people)
    services.respond(ana, going=True)
    services.respond(ben, going=True)
    services.respond(cleo, going=False)

    response = login(manager_user).get(event_url("event_detail", event))

    figures = response.context["figures"]
    assert (
        figures["invited_count"],
        figures["going_count"],
        figures["waiting_count"],
        figures["declined_count"],
        figures["pending_count"],
    ) == (4, 1, 1, 1, 1)
    rows = {row.person.first_name: row for row in response.context["page"].object_list}
    assert rows["Ben"].waiting_position == 1
    assert rows["Ana"].waiting_position is None


def test_the_event_page_lists_people_by_answer(login, manager_user, program):
    event = plan(program, manager_user)
    ana, ben = invite_quietly(event, [mentor(program, "Ana"), mentor(program, "Ben")])
    services.respond(ben, going=True)

    response = login(manager_user).get(event_url("event_detail", event), {"answer": "going"})

    assert [row.person.first_name for row in response.context["page"].object_list] == ["Ben"]


def test_the_event_page_shows_the_waiting_position_in_words(login, manager_user, program):
    event = plan(program, manager_user, capacity=1)
    for invitation in invite_quietly(event, [mentor(program, "Ana"), mentor(program, "Ben")]):
        services.respond(invitation, going=True)

    with translation.override("en"):
        page = login(manager_user).get(event_url("event_detail", event)).content.decode()

    assert "Waiting list, position 1" in page


def test_the_manager_downloads_the_events_ics(login, manager_user, program):
    event = plan(program, manager_user)

    response = login(manager_user).get(event_url("event_ics", event))

    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    (entry,) = Calendar.from_ical(response.content.decode()).walk("VEVENT")
    assert entry["DTSTART"].dt == event.starts_at


def test_my_invitations_show_upcoming_first_with_a_link_to_answer(
    login, mentor_user, program, manager_user
):
    me = Person.objects.get(user=mentor_user)
    past = begin(plan(program, manager_user, name_en="Past one"), ago=DAY)
    soon = plan(program, manager_user, name_en="Soon one")
    (old,) = invite_quietly(past, [me])
    (mine,) = invite_quietly(soon, [me])

    response = login(mentor_user).get(reverse("recognition:my_events", args=["hydro"]))

    groups = response.context["groups"]
    assert [(is_past, [i.pk for i in items]) for is_past, items in groups] == [
        (False, [mine.pk]),
        (True, [old.pk]),
    ]
    page = response.content.decode()
    assert rsvp_url(mine) in page
    assert rsvp_url(old) not in page


def every_page(program, event, invitation):
    return [
        list_url(program),
        list_url(program, "event_create"),
        event_url("event_detail", event),
        event_url("event_edit", event),
        event_url("event_invite", event),
        event_url("event_cancel", event),
        reverse("recognition:my_events", args=[program.organisation.slug]),
    ]


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_every_page_has_one_h1_unique_ids_and_labelled_fields(
    login, admin_user, program, manager_user, mentor_user, language
):
    admin_user.language = language
    admin_user.save()
    event = plan(program, manager_user, kind="workshop", capacity=1)
    me = Person.objects.get(user=mentor_user)
    invitations = invite_quietly(event, [me, mentee(program, "Noah"), mentor(program, "Ana")])
    services.respond(invitations[1], going=True)
    services.respond(invitations[2], going=True)
    client = login(admin_user)
    pages = [client.get(address) for address in every_page(program, event, invitations[0])]
    pages.append(login(mentor_user).get(rsvp_url(invitations[0])))
    client.logout()
    pages.append(client.get(rsvp_url(invitations[2])))
    pages.append(client.get("/e/wrong/"))
    begin(event)
    pages.append(login(admin_user).get(event_url("event_attendance", event)))

    for response in pages:
        assert response.status_code in (200, 404), response.request["PATH_INFO"]
        duplicates, unlabelled, h1_count = check_markup(response.content.decode())
        path = response.request["PATH_INFO"]
        assert duplicates == [], path
        assert unlabelled == [], path
        assert h1_count == 1, path


def test_the_form_proposes_training_hours_with_a_static_script(login, manager_user, program):
    page = login(manager_user).get(list_url(program, "event_create")).content.decode()

    assert "recognition/events_form.js" in page
    assert 'id="event-professional-kinds"' in page
    assert "<script>" not in page


def test_times_are_shown_in_the_organisations_zone(login, manager_user, program):
    starts_at = datetime.datetime(2030, 6, 3, 22, 30, tzinfo=datetime.UTC)
    plan(program, manager_user, starts_at=starts_at)

    with translation.override("en"):
        page = login(manager_user).get(list_url(program)).content.decode()

    # 22:30 UTC is 18:30 in Toronto in June.
    assert "18:30" in page
    assert "2030-06-03T18:30:00-04:00" in page


def test_my_space_links_to_my_invitations(login, mentor_user):
    page = login(mentor_user).get(reverse("hours:my_space", args=["hydro"])).content.decode()

    assert reverse("recognition:my_events", args=["hydro"]) in page
