"""The contest through the API: editions with their categories and phase, winners once
announced, and nothing of the nominations' stories nor of the jury's scores."""

import datetime

import pytest
from django.utils import timezone

from laurier.api.scopes import ALL_SCOPES
from laurier.contests.models import Phase, Winner
from laurier.testing import factories
from laurier.testing.api import client_with, make_token

pytestmark = pytest.mark.django_db


def announce(edition, *nominees):
    """Announce `edition` with `nominees` as winners, ranked in that order."""
    edition.announced_at = timezone.now()
    edition.save(update_fields=["announced_at"])
    return [
        Winner.objects.create(
            category=nominee.category,
            nominee=nominee,
            person=nominee.person,
            rank=rank,
            announced_at=edition.announced_at,
        )
        for rank, nominee in enumerate(nominees, start=1)
    ]


def scored_nominee(category, story="Always there when it matters."):
    """A nominee with a nomination's story and a juror's score."""
    nominee = factories.NomineeFactory(category=category)
    factories.NominationFactory(nominee=nominee, story=story)
    juror = factories.JurorFactory(edition=category.edition)
    criterion = factories.CriterionFactory(edition=category.edition)
    nominee.scores.create(juror=juror, criterion=criterion, value=9)
    return nominee


def edition_row(api, edition):
    response = api.get(f"/api/v1/contest-editions/{edition.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_lists_editions_with_their_categories_newest_year_first(api, program):
    older = factories.EditionFactory(program=program, year=2025)
    newer = factories.EditionFactory(program=program, year=2026)
    factories.CategoryFactory(edition=newer, name_en="Rising mentor", position=2)
    factories.CategoryFactory(edition=newer, name_en="Mentor of the year", position=1, winners=2)

    rows = api.get("/api/v1/contest-editions/").json()["results"]

    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    categories = rows[0]["categories"]
    assert [(c["name_en"], c["winner_count"]) for c in categories] == [
        ("Mentor of the year", 2),
        ("Rising mentor", 1),
    ]


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (datetime.date(2026, 2, 1), Phase.UPCOMING),
        (datetime.date(2026, 3, 31), Phase.NOMINATIONS),
        (datetime.date(2026, 4, 20), Phase.SCORING),
        (datetime.date(2026, 4, 21), Phase.DELIBERATION),
    ],
)
def test_gives_the_phase_of_the_organisations_today(api, program, monkeypatch, today, phase):
    edition = factories.EditionFactory(program=program)
    monkeypatch.setattr("laurier.api.resources.contests.organisation_today", lambda _o: today)

    assert edition_row(api, edition)["phase"] == phase


def test_winners_are_given_once_announced_never_the_stories_nor_the_scores(api, program):
    edition = factories.EditionFactory(program=program)
    category = factories.CategoryFactory(edition=edition)
    first, second = scored_nominee(category, "A secret story"), scored_nominee(category)
    announce(edition, first, second)

    row = edition_row(api, edition)

    assert row["phase"] == Phase.ANNOUNCED
    assert [(w["person"], w["rank"]) for w in row["categories"][0]["winners"]] == [
        (first.person_id, 1),
        (second.person_id, 2),
    ]
    assert row["categories"][0]["winners"][0]["program"] == program.pk
    text = str(row)
    assert "A secret story" not in text
    assert not {"score", "scores", "nominees", "jurors", "result", "criteria"} & set(row)


def test_an_edition_not_announced_lists_no_winner(api, program):
    edition = factories.EditionFactory(program=program)
    category = factories.CategoryFactory(edition=edition)
    # A winner row of an edition whose announcement was not made: never given.
    Winner.objects.create(
        category=category,
        nominee=(nominee := scored_nominee(category)),
        person=nominee.person,
        rank=1,
        announced_at=timezone.now(),
    )

    assert edition_row(api, edition)["categories"][0]["winners"] == []
    assert api.get("/api/v1/contest-winners/").json()["results"] == []


def test_lists_every_winner_newest_edition_first(api, program):
    old = factories.EditionFactory(program=program, year=2025)
    new = factories.EditionFactory(program=program, year=2026)
    (old_winner,) = announce(old, scored_nominee(factories.CategoryFactory(edition=old)))
    (new_winner,) = announce(new, scored_nominee(factories.CategoryFactory(edition=new)))

    rows = api.get("/api/v1/contest-winners/").json()["results"]

    assert [(row["id"], row["year"], row["edition"]) for row in rows] == [
        (new_winner.pk, 2026, new.pk),
        (old_winner.pk, 2025, old.pk),
    ]


def test_filters_winners_by_person(api, program):
    edition = factories.EditionFactory(program=program)
    category = factories.CategoryFactory(edition=edition, winners=2)
    first, second = scored_nominee(category), scored_nominee(category)
    announce(edition, first, second)

    rows = api.get("/api/v1/contest-winners/", {"person": second.person_id}).json()["results"]

    assert [row["person"] for row in rows] == [second.person_id]


@pytest.mark.parametrize(("query", "years"), [({"announced": "true"}, [2025]), ({}, [2026, 2025])])
def test_filters_editions_by_announcement(api, program, query, years):
    announce(factories.EditionFactory(program=program, year=2025))
    factories.EditionFactory(program=program, year=2026)

    rows = api.get("/api/v1/contest-editions/", query).json()["results"]

    assert [row["year"] for row in rows] == years


def test_lists_only_the_organisations_editions(api, program, other_organisation):
    mine = factories.EditionFactory(program=program)
    theirs = factories.EditionFactory(
        program=factories.ProgramFactory(organisation=other_organisation)
    )
    announce(theirs, scored_nominee(factories.CategoryFactory(edition=theirs)))

    assert [row["id"] for row in api.get("/api/v1/contest-editions/").json()["results"]] == [
        mine.pk
    ]
    assert api.get("/api/v1/contest-winners/").json()["results"] == []


@pytest.mark.parametrize("path", ["/api/v1/contest-editions/", "/api/v1/contest-winners/"])
def test_lists_answer_in_a_constant_number_of_queries(
    api, program, path, django_assert_max_num_queries
):
    def announced_edition(year):
        edition = factories.EditionFactory(program=program, year=year)
        category = factories.CategoryFactory(edition=edition, winners=2)
        announce(edition, scored_nominee(category), scored_nominee(category))

    announced_edition(2020)
    with django_assert_max_num_queries(8) as few:
        assert api.get(path).status_code == 200
    for year in range(2021, 2025):
        announced_edition(year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(path).json()["count"] in (5, 10)


@pytest.mark.parametrize("path", ["/api/v1/contest-editions/", "/api/v1/contest-winners/"])
def test_a_token_without_the_contests_scope_is_refused(organisation, admin_user, path):
    scopes = [scope for scope in ALL_SCOPES if not scope.startswith("contests:")]
    client = client_with(make_token(organisation, admin_user, scopes=scopes)[1])

    response = client.get(path)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
