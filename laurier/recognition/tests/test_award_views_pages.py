"""The award pages render in both languages, readable by assistive technology; the list
filters, sorts, exports and sums up what a manager needs to give recognitions on time."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.core.tests.test_page_markup import check_markup
from laurier.profiles.models import MentorProfile
from laurier.recognition.models import Award

from .test_award_views_support import (  # noqa: F401 (held_today: the `today` fixture)
    DAY,
    approved,
    award_url,
    enrol,
    fund,
    given,
    held_today,
    list_url,
    offer,
    planned,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(program, organisation, today, manager_user):
    """Léa's card overdue, Marc's lunch in ten days, Zoé's card given today, Paul's cancelled."""
    fund(program, today)
    card = offer(organisation)
    lunch = offer(organisation, name_en="Lunch", name_fr="Dîner", cost_money="40.00")
    lea = enrol(program, "Léa", "Tremblay")
    marc = enrol(program, "Marc", "Bouchard")
    zoe = enrol(program, "Zoé", "Gagnon")
    paul = enrol(program, "Paul", "Roy")
    late = approved(program, lea, card, today - 2 * DAY, manager_user, message="Merci!")
    soon = planned(program, marc, lunch, today + 10 * DAY, manager_user, givers=["executive"])
    done = given(program, zoe, card, today, manager_user)
    dropped = planned(program, paul, lunch, today + 20 * DAY, manager_user)
    from laurier.recognition.services.awards import cancel_award

    cancel_award(dropped, actor=manager_user, reason="Parti")
    return {"late": late, "soon": soon, "done": done, "dropped": dropped}


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_every_page_renders_with_unique_ids_labelled_fields_and_one_h1(
    login, manager_user, program, awards, language
):
    manager_user.language = language
    manager_user.save()
    client = login(manager_user)
    mentor = awards["late"].mentor
    addresses = [
        list_url(program),
        list_url(program) + "?status=all",
        list_url(program, "award_create"),
        list_url(program, "award_create") + "?find=Tremblay",
        list_url(program, "award_create") + f"?mentor={mentor.pk}",
    ]
    addresses.append(
        reverse(
            "programs:mentor_detail",
            args=[program.organisation.slug, program.slug, mentor.pk],
        )
    )
    for award in awards.values():
        addresses.append(award_url("award_detail", award))
    for name in ("award_edit", "award_give", "award_cancel"):
        addresses.append(award_url(name, awards["late"]))
        addresses.append(award_url(name, awards["soon"]))

    for address in addresses:
        html = html_of(client.get(address))
        duplicates, unlabelled, h1_count = check_markup(html)
        assert duplicates == [], address
        assert unlabelled == [], address
        assert h1_count == 1, address
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert inline == [], address


def test_the_catalog_names_are_in_the_managers_language(login, manager_user, program, awards):
    manager_user.language = "fr-ca"
    manager_user.save()
    french = html_of(login(manager_user).get(list_url(program)))
    manager_user.language = "en"
    manager_user.save()
    english = html_of(login(manager_user).get(list_url(program)))

    assert "Carte manuscrite" in french and "Handwritten card" not in french
    assert "Handwritten card" in english and "Carte manuscrite" not in english


def test_the_list_shows_what_is_still_to_give_soonest_first(login, manager_user, program, awards):
    with translation.override("en"):
        html = html_of(login(manager_user).get(list_url(program)))

    assert html.index("Léa Tremblay") < html.index("Marc Bouchard")
    assert "Zoé Gagnon" not in html
    assert "Paul Roy" not in html


def test_overdue_awards_are_said_in_words(login, manager_user, program, awards):
    manager_user.language = "en"
    manager_user.save()

    html = html_of(login(manager_user).get(list_url(program)))

    assert "Overdue" in html
    assert "overdue: its date has passed" in html


def test_the_summary_counts_overdue_soon_given_and_spent(login, manager_user, program, awards):
    response = login(manager_user).get(list_url(program))

    summary = response.context["summary"]
    assert summary.overdue == 1
    assert summary.soon == 1
    assert summary.given_this_year == 1
    assert str(summary.spent_this_year) == "10.00"


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        ("given", "Zoé Gagnon", "Léa Tremblay"),
        ("cancelled", "Paul Roy", "Marc Bouchard"),
    ],
)
def test_the_tabs_filter_by_status(login, manager_user, program, awards, status, shown, hidden):
    html = html_of(login(manager_user).get(list_url(program), {"status": status}))

    assert shown in html
    assert hidden not in html


def test_all_shows_every_award(login, manager_user, program, awards):
    response = login(manager_user).get(list_url(program), {"status": "all"})

    assert response.context["page"].paginator.count == 4


def test_the_search_finds_a_mentor_by_name_without_accents(login, manager_user, program, awards):
    response = login(manager_user).get(list_url(program), {"status": "all", "q": "zoe"})

    assert [award.pk for award in response.context["page"]] == [awards["done"].pk]


def test_the_list_filters_by_recognition(login, manager_user, program, awards):
    lunch = awards["soon"].option

    response = login(manager_user).get(list_url(program), {"status": "all", "option": lunch.pk})

    assert {award.pk for award in response.context["page"]} == {
        awards["soon"].pk,
        awards["dropped"].pk,
    }


def test_the_list_sorts_by_mentor(login, manager_user, program, awards):
    response = login(manager_user).get(list_url(program), {"status": "all", "sort": "mentor"})

    names = [award.mentor.last_name for award in response.context["page"]]
    assert names == ["Bouchard", "Gagnon", "Roy", "Tremblay"]


def test_the_list_sorts_by_date_latest_first(login, manager_user, program, awards):
    response = login(manager_user).get(list_url(program), {"status": "all", "sort": "-date"})

    days = [award.day for award in response.context["page"]]
    assert days == sorted(days, reverse=True)


def test_the_export_holds_the_filtered_list(login, manager_user, program, awards):
    manager_user.language = "en"
    manager_user.save()

    response = login(manager_user).get(list_url(program), {"status": "open", "export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Date", "Mentor", "E-mail address", "Recognition"]
    assert {row[1] for row in rows[1:]} == {"Léa Tremblay", "Marc Bouchard"}


def test_the_export_comes_as_a_spreadsheet_too(login, manager_user, program, awards):
    response = login(manager_user).get(list_url(program), {"export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_empty_list_says_where_awards_come_from(login, manager_user, program, today):
    manager_user.language = "en"
    manager_user.save()

    html = html_of(login(manager_user).get(list_url(program)))

    assert "Where do awards come from?" in html
    assert "approve a recognition plan" in html


def test_the_award_page_tells_what_helps_whoever_gives_it(
    login, manager_user, program, organisation, awards
):
    manager_user.language = "en"
    manager_user.save()
    award = awards["late"]
    MentorProfile.objects.create(
        organisation=organisation,
        person=award.mentor,
        interests="Jazz, vélo",
        diet="Végétarienne",
        accessibility="Fauteuil roulant",
        source="manager",
        updated_at=award.created_at,
    )

    html = html_of(login(manager_user).get(award_url("award_detail", award)))

    assert "Jazz, vélo" in html
    assert "Végétarienne" in html
    assert "Fauteuil roulant" in html
    assert "Merci!" in html


ACTIONS = ["award_approve", "award_give", "award_edit", "award_cancel"]


@pytest.mark.parametrize(
    ("key", "offered"),
    [
        ("soon", ACTIONS),
        ("late", ["award_give", "award_edit", "award_cancel"]),
        ("done", []),
        ("dropped", []),
    ],
)
def test_the_award_page_offers_the_actions_its_status_allows(
    login, manager_user, awards, key, offered
):
    award = awards[key]

    html = html_of(login(manager_user).get(award_url("award_detail", award)))

    for action in ACTIONS:
        assert (award_url(action, award) in html) == (action in offered), action


def test_the_award_page_tells_its_story(login, manager_user, awards):
    manager_user.language = "en"
    manager_user.save()

    html = html_of(login(manager_user).get(award_url("award_detail", awards["dropped"])))

    assert "Added" in html
    assert "Cancelled" in html
    assert "Why: Parti" in html


def test_a_given_award_says_when_feedback_will_be_asked(login, manager_user, awards):
    manager_user.language = "en"
    manager_user.save()
    award = Award.objects.get(pk=awards["done"].pk)

    html = html_of(login(manager_user).get(award_url("award_detail", award)))

    assert "will be asked what they thought of it on" in html
    assert "Spent:" in html
