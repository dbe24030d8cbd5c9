"""The program's .ics feed: a secret address, read by calendar applications without a login."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from laurier.recognition.models import CalendarFeed, ImportantDate
from laurier.recognition.selectors.calendar import feed_period
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def reset_url(program):
    return reverse(
        "recognition:calendar_feed_reset", args=[program.organisation.slug, program.slug]
    )


def feed_url(token):
    return reverse("recognition_public:calendar_feed", args=[token])


@pytest.fixture
def feed(login, admin_user, program):
    login(admin_user).post(reset_url(program))
    return CalendarFeed.objects.get(program=program)


def events(response):
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_is_at_cal_token_ics():
    assert feed_url("abc") == "/cal/abc.ics"


def test_the_token_has_256_bits(feed):
    # token_urlsafe(32): 32 random bytes in 43 base64 characters.
    assert len(feed.token) == 43


def test_anyone_with_the_address_reads_it_without_logging_in(feed):
    response = Client().get(feed_url(feed.token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_an_unknown_token_is_404(client, feed):
    assert client.get(feed_url("unknown")).status_code == 404


def test_one_all_day_event_per_moment_of_this_and_next_fiscal_year(client, feed, organisation):
    start, end = feed_period(organisation)
    found = events(client.get(feed_url(feed.token)))
    days = sorted(event.decoded("dtstart") for event in found)
    # Two Mentoring Days and two year ends: nothing else is in an empty program.
    assert len(found) == 4
    assert all(type(day) is datetime.date and start <= day <= end for day in days)
    for event in found:
        assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(days=1)
        assert "DTSTAMP" in event


def test_uids_are_the_same_from_one_request_to_the_next(client, feed, program, organisation):
    start, _end = feed_period(organisation)
    factories.CycleFactory(program=program, starts_on=start, ends_on=start)
    first = {str(event["uid"]) for event in events(client.get(feed_url(feed.token)))}
    second = {str(event["uid"]) for event in events(client.get(feed_url(feed.token)))}
    assert first == second and len(first) == 7


def test_the_calendar_is_named_after_the_program(client, feed, program):
    calendar = icalendar.Calendar.from_ical(client.get(feed_url(feed.token)).content)
    assert program.name in str(calendar["x-wr-calname"])


def test_summaries_are_in_the_organisation_s_language(client, feed, program, organisation):
    start, _end = feed_period(organisation)
    ImportantDate.objects.create(
        organisation=organisation, name_fr="Fondation", name_en="Founding day", date=start
    )
    summaries = {str(event["summary"]) for event in events(client.get(feed_url(feed.token)))}
    assert "Fondation" in summaries
    organisation.language = "en"
    organisation.save()
    summaries = {str(event["summary"]) for event in events(client.get(feed_url(feed.token)))}
    assert {"Founding day", "International Mentoring Day"} <= summaries


def test_an_anniversary_names_the_mentor_in_full(client, feed, program, organisation):
    start, _end = feed_period(organisation)
    person = factories.PersonFactory(organisation=organisation, first_name="Marie", last_name="Roy")
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=start.replace(year=start.year - 5)
    )
    summaries = [str(event["summary"]) for event in events(client.get(feed_url(feed.token)))]
    assert any("Marie Roy" in summary for summary in summaries)


def test_a_new_link_stops_the_old_one(client, login, admin_user, program, feed):
    old = feed.token
    login(admin_user).post(reset_url(program))
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(feed.token)).status_code == 200


def test_the_new_link_only_comes_by_post(login, admin_user, program):
    assert login(admin_user).get(reset_url(program)).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_a_manager_of_the_program_creates_the_link(login, manager_user, program):
    response = login(manager_user).post(reset_url(program))
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(program=program).count() == 1


def test_two_clicks_leave_one_feed(login, admin_user, program):
    client = login(admin_user)
    client.post(reset_url(program))
    client.post(reset_url(program))
    assert CalendarFeed.objects.filter(program=program).count() == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_feed_takes_a_constant_number_of_queries(
    client, feed, program, organisation, size, django_assert_max_num_queries
):
    start, _end = feed_period(organisation)
    for _index in range(size):
        factories.CycleFactory(program=program, starts_on=start, ends_on=start)
        factories.MentorEnrolmentFactory(program=program, since=start.replace(year=start.year - 1))
    # A calendar application has no session: one query for the feed, three for its moments.
    with django_assert_max_num_queries(4):
        response = Client().get(feed_url(feed.token))
    assert len(events(response)) >= 4 * size


def test_calendar_applications_may_ask_for_the_headers_only(feed):
    assert Client().head(feed_url(feed.token)).status_code == 200


def test_the_address_is_not_kept_in_the_audit_trail(feed):
    from laurier.organisations.models import AuditEvent

    event = AuditEvent.objects.get(object_type="recognition.calendarfeed")
    assert feed.token not in str(event.changes)
