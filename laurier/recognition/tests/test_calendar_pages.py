"""The program's recognition calendar page: who reaches it, what it shows, at what cost."""

# The shared fixtures are named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse

from laurier.recognition.models import CalendarFeed, ImportantDate
from laurier.recognition.selectors.calendar import default_period
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def calendar_url(program, **query):
    url = reverse("recognition:calendar", args=[program.organisation.slug, program.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def reset_url(program):
    return reverse(
        "recognition:calendar_feed_reset", args=[program.organisation.slug, program.slug]
    )


def a_day_this_fiscal_year(organisation, offset=40):
    start, _end = default_period(organisation)
    return start + datetime.timedelta(days=offset)


def test_the_program_s_manager_and_an_admin_see_the_calendar(
    login, manager_user, admin_user, program
):
    assert login(manager_user).get(calendar_url(program)).status_code == 200
    assert login(admin_user).get(calendar_url(program)).status_code == 200


def test_a_manager_of_another_program_gets_404(login, organisation, manager_user):
    other = factories.ProgramFactory(organisation=organisation)
    assert login(manager_user).get(calendar_url(other)).status_code == 404
    assert login(manager_user).post(reset_url(other)).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_another_organisation_s_admin_gets_404(login, other_admin_user, program):
    assert login(other_admin_user).get(calendar_url(program)).status_code == 404
    assert login(other_admin_user).post(reset_url(program)).status_code == 404


def test_mentors_and_mentees_get_403(login, mentor_user, mentee_user, program):
    assert login(mentor_user).get(calendar_url(program)).status_code == 403
    assert login(mentee_user).get(calendar_url(program)).status_code == 403
    assert login(mentor_user).post(reset_url(program)).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_moments_are_listed_month_by_month_with_machine_readable_dates(
    login, admin_user, program, organisation
):
    day = a_day_this_fiscal_year(organisation)
    factories.CycleFactory(program=program, name="Printemps", starts_on=day, ends_on=day)
    html = login(admin_user).get(calendar_url(program)).content.decode()
    assert f'<time datetime="{day:%Y-%m}">' in html
    assert f'<time datetime="{day:%Y-%m-%d}">' in html
    assert "Printemps" in html
    assert html.count("<h1>") == 1


def test_an_anniversary_links_to_the_mentor_s_page(login, admin_user, program, organisation):
    day = a_day_this_fiscal_year(organisation)
    person = factories.PersonFactory(organisation=organisation, first_name="Marie", last_name="Roy")
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=day.replace(year=day.year - 3)
    )
    html = login(admin_user).get(calendar_url(program)).content.decode()
    mentor_url = reverse(
        "programs:mentor_detail", args=[organisation.slug, program.slug, person.pk]
    )
    assert f'href="{mentor_url}"' in html
    assert "Marie Roy" in html


def test_the_kind_filter_keeps_only_that_kind(login, admin_user, program, organisation):
    day = a_day_this_fiscal_year(organisation)
    factories.CycleFactory(program=program, name="Printemps", starts_on=day, ends_on=day)
    response = login(admin_user).get(calendar_url(program, kind="mentoring_day"))
    html = response.content.decode()
    assert "Printemps" not in html
    assert response.context["moment_count"] == 1


def test_an_unknown_kind_or_year_shows_the_current_year_unfiltered(login, admin_user, program):
    response = login(admin_user).get(calendar_url(program, kind="nope", year="1900"))
    assert response.status_code == 200
    assert response.context["moment_count"] == 2  # Mentoring Day and the end of the year


def test_the_page_speaks_the_reader_s_language(login, admin_user, program, organisation):
    ImportantDate.objects.create(
        organisation=organisation,
        name_fr="Jour de la fondation",
        name_en="Founding day",
        date=a_day_this_fiscal_year(organisation),
    )
    admin_user.language = "en"
    admin_user.save()
    html = login(admin_user).get(calendar_url(program)).content.decode()
    assert "International Mentoring Day" in html and "Founding day" in html
    admin_user.language = "fr-ca"
    admin_user.save()
    html = login(admin_user).get(calendar_url(program)).content.decode()
    assert "Jour de la fondation" in html and "Founding day" not in html


def test_the_page_says_the_link_is_private_and_how_to_subscribe(login, admin_user, program):
    admin_user.language = "en"
    admin_user.save()
    client = login(admin_user)
    client.post(reset_url(program))
    html = client.get(calendar_url(program)).content.decode()
    token = CalendarFeed.objects.get(program=program).token
    assert f"/cal/{token}.ics" in html
    assert "names the mentors" in html
    assert "Google Calendar" in html and "Outlook" in html and "Apple Calendar" in html
    assert "Generate a new link" in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_takes_a_constant_number_of_queries(
    login, admin_user, program, organisation, size, django_assert_max_num_queries
):
    day = a_day_this_fiscal_year(organisation)
    for _index in range(size):
        factories.CycleFactory(program=program, starts_on=day, ends_on=day)
        factories.MentorEnrolmentFactory(program=program, since=day.replace(year=day.year - 1))
    client = login(admin_user)
    client.post(reset_url(program))
    with django_assert_max_num_queries(12):
        response = client.get(calendar_url(program))
    assert response.context["moment_count"] >= 4 * size


def test_the_calendar_pages_pass_the_markup_checks(login, admin_user, program, organisation):
    from laurier.core.tests.test_page_markup import check_markup

    day = a_day_this_fiscal_year(organisation)
    factories.CycleFactory(program=program, starts_on=day, ends_on=day)
    factories.MentorEnrolmentFactory(program=program, since=day.replace(year=day.year - 1))
    important = ImportantDate.objects.create(organisation=organisation, name_fr="Gala", date=day)
    client = login(admin_user)
    org = organisation.slug
    pages = [
        calendar_url(program),
        reverse("recognition:important_dates", args=[org]),
        reverse("recognition:important_date_create", args=[org]),
        reverse("recognition:important_date_edit", args=[org, important.pk]),
        reverse("recognition:important_date_delete", args=[org, important.pk]),
    ]
    client.post(reset_url(program))
    pages.append(calendar_url(program))
    for page in pages:
        assert check_markup(client.get(page).content.decode()) == ([], [], 1), page


def test_the_calendar_downloads_as_a_spreadsheet(login, admin_user, program, organisation):
    day = a_day_this_fiscal_year(organisation)
    factories.CycleFactory(program=program, name="Printemps", starts_on=day, ends_on=day)
    response = login(admin_user).get(calendar_url(program, export="csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Printemps" in text
    assert len(text.strip().splitlines()) == 1 + 5  # three cycle moments, Mentoring Day, year end


def test_a_date_added_from_a_calendar_is_that_program_s_by_default(login, admin_user, program):
    url = reverse("recognition:important_date_create", args=[program.organisation.slug])
    response = login(admin_user).get(f"{url}?program={program.pk}")
    assert response.context["form"]["program"].value() == program.pk


def test_the_year_filter_shows_the_year_displayed(login, manager_user, program):
    page = login(manager_user).get(
        reverse("recognition:calendar", args=[program.organisation.slug, program.slug])
    )

    shown = page.context["form"]["year"].value()
    assert page.context["year_label"].startswith(str(shown))
