"""Categories with their badge, and the rubric, locked once the jury scores."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.contests.models import Category, Criterion, Score
from laurier.contests.services import editions as services
from laurier.credentials.models import BadgeClass, BadgeRule
from laurier.testing import factories

from .test_editions_support import edition_url, open_edition

pytestmark = pytest.mark.django_db


def category_data(**changes):
    return {
        "name_fr": "Mentor de la relève",
        "name_en": "Rising mentor",
        "description_fr": "",
        "description_en": "",
        "winners": "2",
        **changes,
    }


def criterion_data(**changes):
    return {
        "name_fr": "Écoute",
        "name_en": "Listening",
        "guidance_fr": "",
        "guidance_en": "",
        "weight": "4",
        **changes,
    }


def test_a_category_is_added_with_a_badge_created_for_it(login, manager_user, program):
    edition = open_edition(program)

    response = login(manager_user).post(
        edition_url("category_create", edition), category_data(create_badge="on")
    )

    category = Category.objects.get(edition=edition)
    badge = category.badge_class
    assert response.status_code == 302
    assert category.winners == 2
    assert badge.rule == BadgeRule.CONTEST
    assert (badge.palette, badge.emblem) == ("gold", "trophy")
    assert badge.name_en == f"Rising mentor {edition.year}"
    assert badge.name_fr == f"Mentor de la relève {edition.year}"
    assert edition.name_en in badge.criteria_en


def test_a_second_badge_of_the_same_name_is_numbered(login, manager_user, program):
    first, second = open_edition(program), open_edition(program)
    client = login(manager_user)

    client.post(edition_url("category_create", first), category_data(create_badge="on"))
    client.post(edition_url("category_create", second), category_data(create_badge="on"))

    assert sorted(BadgeClass.objects.values_list("name_en", flat=True)) == [
        f"Rising mentor {first.year}",
        f"Rising mentor {first.year} (2)",
    ]


def test_a_category_takes_an_existing_contest_badge(login, manager_user, program, organisation):
    edition = open_edition(program)
    badge = factories.BadgeClassFactory(organisation=organisation, rule=BadgeRule.CONTEST)

    login(manager_user).post(
        edition_url("category_create", edition), category_data(badge_class=str(badge.pk))
    )

    assert Category.objects.get(edition=edition).badge_class == badge


def test_a_badge_with_another_rule_is_refused(login, manager_user, program, organisation):
    edition = open_edition(program)
    badge = factories.BadgeClassFactory(organisation=organisation, rule=BadgeRule.MANUAL)

    response = login(manager_user).post(
        edition_url("category_create", edition), category_data(badge_class=str(badge.pk))
    )

    assert "badge_class" in response.context["form"].errors
    assert not Category.objects.filter(edition=edition).exists()


def test_more_than_five_winners_are_refused(login, manager_user, program):
    edition = open_edition(program)

    response = login(manager_user).post(
        edition_url("category_create", edition), category_data(winners="6")
    )

    assert "winners" in response.context["form"].errors


def test_two_categories_of_the_same_name_are_refused(login, manager_user, program):
    edition = open_edition(program)
    factories.CategoryFactory(edition=edition, name_en="Rising mentor")

    with translation.override("en"):
        response = login(manager_user).post(
            edition_url("category_create", edition), category_data(name_en="rising MENTOR")
        )

    assert response.context["form"].errors["name_en"] == [
        "Another category of this edition has this name."
    ]


def test_a_category_with_nominees_is_not_deleted(login, manager_user, program):
    edition = open_edition(program)
    category = factories.CategoryFactory(edition=edition)
    factories.NomineeFactory(category=category)

    login(manager_user).post(edition_url("category_delete", edition, category.pk))

    assert Category.objects.filter(pk=category.pk).exists()


def test_an_empty_category_is_deleted(login, manager_user, program):
    edition = open_edition(program)
    category = factories.CategoryFactory(edition=edition)

    login(manager_user).post(edition_url("category_delete", edition, category.pk))

    assert not Category.objects.filter(pk=category.pk).exists()


def test_a_criterion_is_added_and_edited(login, manager_user, program):
    edition = open_edition(program)
    client = login(manager_user)

    client.post(edition_url("criterion_create", edition), criterion_data())
    criterion = Criterion.objects.get(edition=edition)
    client.post(edition_url("criterion_edit", edition, criterion.pk), criterion_data(weight="7"))

    criterion.refresh_from_db()
    assert (criterion.name_en, criterion.weight) == ("Listening", 7)


def test_a_weight_above_100_is_refused(login, manager_user, program):
    edition = open_edition(program)

    response = login(manager_user).post(
        edition_url("criterion_create", edition), criterion_data(weight="101")
    )

    assert "weight" in response.context["form"].errors


@pytest.fixture
def scored(program):
    edition = open_edition(program)
    criterion = factories.CriterionFactory(edition=edition, weight=2)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    juror = factories.JurorFactory(edition=edition)
    Score.objects.create(juror=juror, nominee=nominee, criterion=criterion, value=7)
    return edition, criterion


def test_the_rubric_is_locked_once_a_score_exists_and_says_why(login, manager_user, scored):
    edition, criterion = scored
    client = login(manager_user)

    with translation.override("en"):
        edit = client.post(
            edition_url("criterion_edit", edition, criterion.pk),
            criterion_data(weight="9"),
            follow=True,
        )
    client.post(edition_url("criterion_create", edition), criterion_data())
    client.post(edition_url("criterion_delete", edition, criterion.pk))

    criterion.refresh_from_db()
    assert criterion.weight == 2
    assert Criterion.objects.filter(edition=edition).count() == 1
    assert "the rubric no longer changes" in edit.content.decode()


def test_the_service_refuses_a_rubric_change_after_scores(scored, manager_user):
    from django.core.exceptions import ValidationError

    from laurier.contests.services.editions import edit_criterion

    edition, criterion = scored
    with pytest.raises(ValidationError):
        edit_criterion(criterion, actor=manager_user, name_fr="x", name_en="y", weight=3)


def test_once_scoring_closed_the_number_of_winners_stays(login, manager_user, program):
    today = datetime.date.today()
    edition = open_edition(
        program,
        nominations_open_on=today - datetime.timedelta(days=40),
        nominations_close_on=today - datetime.timedelta(days=20),
        scoring_close_on=today - datetime.timedelta(days=1),
        announce_on=today + datetime.timedelta(days=5),
    )
    category = factories.CategoryFactory(edition=edition, winners=1)
    client = login(manager_user)

    page = client.get(edition_url("category_edit", edition, category.pk))
    client.post(
        edition_url("category_edit", edition, category.pk),
        {"name_fr": category.name_fr, "name_en": category.name_en, "winners": "2"},
    )
    with pytest.raises(ValidationError) as refused:
        services.edit_category(
            category,
            actor=manager_user,
            name_fr=category.name_fr,
            name_en=category.name_en,
            winners=2,
        )

    assert page.context["form"].fields["winners"].disabled
    assert "winners" in refused.value.error_dict
    category.refresh_from_db()
    assert category.winners == 1
