"""The edition pages: the list, creating with everything proposed, editing, the edition's home
with its timeline and nomination link."""

import datetime

import pytest
from django.utils import translation

from laurier.contests.models import Category, Criterion, Edition
from laurier.organisations.models import AuditEvent
from laurier.testing import factories

from .test_editions_support import edition_post_data, edition_url, list_url, open_edition

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_members_editions_newest_first_with_counts(
    login, manager_user, program, organisation
):
    older = open_edition(program, year=2024, name_en="Edition 2024")
    newer = open_edition(program, year=2025, name_en="Edition 2025")
    factories.NomineeFactory.create_batch(2, category=factories.CategoryFactory(edition=newer))
    factories.JurorFactory(edition=newer)

    with translation.override("en"):
        html = login(manager_user).get(list_url(organisation)).content.decode()

    assert html.index("Edition 2025") < html.index("Edition 2024")
    assert "Nominations open" in html
    assert f'href="{edition_url("edition_detail", older)}"' in html


def test_an_empty_list_explains_the_contest(login, manager_user, organisation):
    with translation.override("en"):
        html = login(manager_user).get(list_url(organisation)).content.decode()

    assert "Honour your mentors, fairly" in html
    assert "Start an edition" in html


def test_the_create_form_proposes_this_year_a_name_and_dates(login, admin_user, organisation):
    today = datetime.date.today()

    response = login(admin_user).get(list_url(organisation, "edition_create"))

    form = response.context["form"]
    assert form.initial["year"] == today.year
    assert form.initial["name_en"] == f"Mentor of the year {today.year}"
    assert form.initial["name_fr"] == f"Mentor de l'année {today.year}"
    assert form.initial["nominations_open_on"] == today
    assert form.initial["nominations_close_on"] == today + datetime.timedelta(days=29)
    assert form.initial["scoring_close_on"] == today + datetime.timedelta(days=50)
    assert form.initial["announce_on"] == today + datetime.timedelta(days=57)


def test_creating_makes_a_first_category_and_the_rubric_of_the_contest(
    login, manager_user, program, organisation
):
    response = login(manager_user).post(
        list_url(organisation, "edition_create"), edition_post_data(program)
    )

    edition = Edition.objects.get()
    assert response.status_code == 302
    assert response.url == edition_url("edition_detail", edition)
    assert edition.program == program
    assert [c.name_en for c in Category.objects.filter(edition=edition)] == ["Mentor of the year"]
    assert [(c.name_en, c.weight) for c in Criterion.objects.filter(edition=edition)] == [
        ("Impact on mentees", 3),
        ("Commitment", 2),
        ("Generosity", 2),
        ("Innovation", 1),
    ]
    assert Criterion.objects.filter(edition=edition, name_fr="Impact sur les mentorés").exists()
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE)
    assert audited.filter(object_id=str(edition.pk), object_type__icontains="edition").exists()
    assert audited.filter(object_type__icontains="criterion").count() == 4


def test_a_double_submit_creates_one_edition(login, manager_user, program, organisation):
    client = login(manager_user)
    data = edition_post_data(program)

    client.post(list_url(organisation, "edition_create"), data)
    second = client.post(list_url(organisation, "edition_create"), data)

    assert Edition.objects.count() == 1
    assert second.status_code == 302


@pytest.mark.parametrize(
    "changes, field",
    [
        (
            {"nominations_close_on": "2026-01-01", "nominations_open_on": "2026-02-01"},
            "nominations_close_on",
        ),
        ({"scoring_close_on": "2000-01-01"}, "scoring_close_on"),
    ],
)
def test_dates_out_of_order_are_refused_with_a_message(
    login, manager_user, program, organisation, changes, field
):
    response = login(manager_user).post(
        list_url(organisation, "edition_create"), edition_post_data(program, **changes)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Edition.objects.exists()


def test_the_announcement_cannot_come_before_the_jury_ends(
    login, manager_user, program, organisation
):
    today = datetime.date.today()
    data = edition_post_data(program, announce_on=(today + datetime.timedelta(days=40)).isoformat())

    with translation.override("en"):
        response = login(manager_user).post(list_url(organisation, "edition_create"), data)

    assert response.context["form"].errors["announce_on"] == [
        "The announcement cannot come before the jury's last day to score."
    ]


def test_a_program_manager_cannot_create_an_organisation_wide_edition(
    login, manager_user, organisation
):
    response = login(manager_user).post(
        list_url(organisation, "edition_create"), edition_post_data(None)
    )

    assert response.status_code == 200
    assert "program" in response.context["form"].errors
    assert not Edition.objects.exists()


def test_an_admin_creates_an_organisation_wide_edition(login, admin_user, organisation):
    login(admin_user).post(list_url(organisation, "edition_create"), edition_post_data(None))

    assert Edition.objects.get().program is None


def test_the_award_offers_the_contest_recognitions_first(login, admin_user, organisation):
    factories.RecognitionOptionFactory(
        organisation=organisation, name_fr="A lunch", category="meal"
    )
    trophy = factories.RecognitionOptionFactory(
        organisation=organisation, name_fr="Z trophy", category="contest"
    )

    response = login(admin_user).get(list_url(organisation, "edition_create"))

    assert list(response.context["form"].fields["option"].queryset)[0] == trophy


def test_editing_after_nominations_warns(login, manager_user, program):
    edition = open_edition(program)
    factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    data = edition_post_data(program, min_tenure_months="12")

    with translation.override("en"):
        response = login(manager_user).post(edition_url("edition_edit", edition), data, follow=True)

    edition.refresh_from_db()
    assert edition.min_tenure_months == 12
    assert "their nominations stay" in response.content.decode()


def test_an_announced_edition_no_longer_changes(login, manager_user, program):
    from django.utils import timezone

    edition = open_edition(program, announced_at=timezone.now())

    response = login(manager_user).post(
        edition_url("edition_edit", edition), edition_post_data(program, name_en="Changed")
    )

    edition.refresh_from_db()
    assert response.status_code == 302
    assert edition.name_en != "Changed"


def test_the_home_marks_the_current_step_of_the_timeline(login, manager_user, program):
    edition = open_edition(program)

    with translation.override("en"):
        html = login(manager_user).get(edition_url("edition_detail", edition)).content.decode()

    assert html.count('aria-current="step"') == 1
    current = html[html.index('aria-current="step"') :][:200]
    assert "Nominations" in current
    assert edition.nomination_token in html
    assert "it lists the eligible mentors by name" in html


def test_the_rubric_shows_weights_as_shares_of_100(login, manager_user, program):
    edition = open_edition(program)
    factories.CriterionFactory(edition=edition, weight=3)
    factories.CriterionFactory(edition=edition, weight=1)

    html = login(manager_user).get(edition_url("edition_detail", edition)).content.decode()

    assert "75 %" in html
    assert "25 %" in html


def test_a_new_nomination_link_stops_the_old_one(login, manager_user, program):
    edition = open_edition(program)
    old = edition.nomination_token

    login(manager_user).post(edition_url("nomination_link_renew", edition))

    edition.refresh_from_db()
    assert edition.nomination_token != old
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("pk")
    assert edition.nomination_token not in str(event.changes)


def test_the_home_lists_what_is_left_to_set_up(login, manager_user, program):
    edition = open_edition(program)
    factories.CategoryFactory(edition=edition)
    factories.CriterionFactory(edition=edition)
    factories.JurorFactory(edition=edition)

    with translation.override("en"):
        response = login(manager_user).get(edition_url("edition_detail", edition))

    labels = [str(item["label"]) for item in response.context["todo"]]
    assert labels == [
        "Give each category a badge, so its winners receive one.",
        "Invite every juror: they receive their personal link by e-mail.",
        "Choose the award the winners receive (optional).",
    ]
