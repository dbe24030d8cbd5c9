"""Adding, approving, giving, editing and cancelling awards through the pages: what a manager
does, what a crafted or repeated request cannot do, and the refusals they read."""

import pytest
from django.contrib.messages import get_messages

from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.models import Award, LedgerEntry
from laurier.testing import factories

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
    reload,
)

pytestmark = pytest.mark.django_db
Kind = LedgerEntry.Kind


@pytest.fixture
def manager(login, manager_user):
    manager_user.language = "en"
    manager_user.save()
    return login(manager_user)


@pytest.fixture
def lea(program):
    return enrol(program, "Léa", "Tremblay")


@pytest.fixture
def card(organisation):
    return offer(organisation)


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_form(mentor, option, day, **fields):
    return {
        "mentor": mentor.pk,
        "option": option.pk,
        "planned_on": day.isoformat(),
        "moment_key": "",
        "givers": ["manager", "executive"],
        "giver_names": "Sophie Gagnon, CEO",
        "message": "Merci pour ces deux années.",
        "form_token": "token-1",
        **fields,
    }


# --- Adding ------------------------------------------------------------------------------------


def test_a_manager_adds_a_recognition_for_a_mentor(manager, program, lea, card, today):
    response = manager.post(list_url(program, "award_create"), add_form(lea, card, today))

    award = Award.objects.get()
    assert response.status_code == 302
    assert response["Location"] == award_url("award_detail", award)
    assert award.status == Award.Status.PLANNED
    assert (award.mentor, award.option, award.planned_on) == (lea, card, today)
    assert award.givers == ["manager", "executive"]
    assert award.giver_names == "Sophie Gagnon, CEO"
    assert award.message == "Merci pour ces deux années."
    assert any("Added" in text for text in texts(response))


def test_the_add_form_preselects_the_mentor_from_the_address(manager, program, lea, today):
    response = manager.get(list_url(program, "award_create"), {"mentor": lea.pk})

    assert response.context["mentor"] == lea
    assert response.context["form"].initial["mentor"] == lea.pk
    assert 'name="form_token"' in response.content.decode()


def test_the_add_form_finds_the_mentor_by_search_among_many(manager, program, today):
    for index in range(30):
        enrol(program, f"Mentor{index:02d}", "Nom")
    enrol(program, "Hélène", "Côté")

    response = manager.get(list_url(program, "award_create"), {"find": "helene cote"})

    assert [person.first_name for person in response.context["found"]] == ["Hélène"]
    unfiltered = manager.get(list_url(program, "award_create"))
    assert len(unfiltered.context["found"]) == 20
    assert unfiltered.context["more"] is True


def test_the_moments_offered_are_the_mentors_own(manager, program, organisation, today):
    lea = enrol(program, "Léa", "Tremblay")
    marc = enrol(program, "Marc", "Bouchard")

    response = manager.get(list_url(program, "award_create"), {"mentor": lea.pk})

    labels = " ".join(
        label
        for _group, choices in response.context["form"].fields["moment_key"].choices[1:]
        for _key, label in choices
    )
    assert "International Mentoring Day" in labels
    assert "Marc Bouchard" not in labels
    assert marc.pk != lea.pk


def test_a_second_submit_of_the_same_form_adds_one_recognition(manager, program, lea, card, today):
    form = add_form(lea, card, today)

    first = manager.post(list_url(program, "award_create"), form)
    second = manager.post(list_url(program, "award_create"), form)

    assert Award.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize("who", ["other_organisation", "inactive", "mentee"])
def test_a_crafted_mentor_is_refused_and_nothing_is_written(
    manager, program, organisation, other_organisation, card, today, who
):
    if who == "other_organisation":
        person = factories.PersonFactory(organisation=other_organisation)
    elif who == "inactive":
        person = enrol(program, "Ancien", "Mentor")
        person.mentor_enrolments.update(status=EnrolmentStatus.LEFT)
    else:
        person = factories.PersonFactory(organisation=organisation)
        factories.MenteeEnrolmentFactory(program=program, person=person)

    response = manager.post(list_url(program, "award_create"), add_form(person, card, today))

    assert response.status_code == 200
    assert response.context["form"].errors["mentor"]
    assert "Choose an active mentor of this program." in response.content.decode()
    assert not Award.objects.exists()


@pytest.mark.parametrize("which", ["other_organisation", "retired", "for_mentees"])
def test_a_crafted_option_is_refused_and_nothing_is_written(
    manager, program, other_organisation, organisation, lea, today, which
):
    if which == "other_organisation":
        option = offer(other_organisation)
    elif which == "retired":
        option = offer(organisation, active=False)
    else:
        option = offer(organisation, standard_key="training_hours_mentee")

    response = manager.post(list_url(program, "award_create"), add_form(lea, option, today))

    assert response.status_code == 200
    assert response.context["form"].errors["option"]
    assert not Award.objects.exists()


def test_a_message_too_long_is_refused_on_its_field(manager, program, lea, card, today):
    response = manager.post(
        list_url(program, "award_create"), add_form(lea, card, today, message="x" * 2001)
    )

    assert response.context["form"].errors["message"]
    assert not Award.objects.exists()


def test_a_moment_that_is_not_the_mentors_is_refused(manager, program, lea, card, today):
    marc = enrol(program, "Marc", "Bouchard")
    key = f"anniversary-{marc.mentor_enrolments.get().pk}-1"

    response = manager.post(
        list_url(program, "award_create"), add_form(lea, card, today, moment_key=key)
    )

    assert response.context["form"].errors["moment_key"]
    assert not Award.objects.exists()


# --- Approving ---------------------------------------------------------------------------------


def test_approving_commits_the_cost(manager, program, lea, card, today, manager_user):
    fund(program, today)
    award = planned(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_approve", award))

    assert response["Location"] == award_url("award_detail", award)
    assert reload(award).status == Award.Status.APPROVED
    assert LedgerEntry.objects.filter(kind=Kind.COMMITMENT).count() == 1


def test_approving_without_a_budget_is_refused_on_the_award_page(
    manager, program, lea, card, today, manager_user
):
    award = planned(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_approve", award), follow=True)

    assert reload(award).status == Award.Status.PLANNED
    assert not LedgerEntry.objects.exists()
    assert any("has no budget" in text for text in texts(response))
    assert "has no budget" in response.content.decode()


def test_approving_over_the_budget_is_refused_with_nothing_written(
    manager, program, lea, organisation, today, manager_user
):
    fund(program, today, money="5.00")
    gala = offer(organisation, name_en="Gala", name_fr="Gala", cost_money="300.00")
    award = planned(program, lea, gala, today, manager_user)

    response = manager.post(award_url("award_approve", award), follow=True)

    assert reload(award).status == Award.Status.PLANNED
    assert not LedgerEntry.objects.exists()
    assert any("Not enough money" in text for text in texts(response))


# --- Giving ------------------------------------------------------------------------------------


def give_form(day, **fields):
    return {
        "given_on": day.isoformat(),
        "money": "10.00",
        "staff_hours": "0.5",
        "material_items": "1",
        "giver_names": "Sophie Gagnon",
        "message": "Merci!",
        **fields,
    }


def test_the_give_form_is_filled_with_the_committed_costs_and_today(
    manager, program, lea, card, today, manager_user
):
    fund(program, today)
    award = approved(program, lea, card, today - DAY, manager_user)

    response = manager.get(award_url("award_give", award))

    initial = response.context["form"].initial
    assert initial["given_on"] == today
    assert str(initial["money"]) == "10.00"
    assert [room["resource"] for room in response.context["rooms"]] == [
        "money",
        "staff_hours",
        "material_items",
    ]


def test_giving_spends_tells_the_mentor_and_shows_the_award(
    manager, program, lea, card, today, manager_user
):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_give", award), give_form(today, money="12.00"))

    award = reload(award)
    assert response["Location"] == award_url("award_detail", award)
    assert award.status == Award.Status.GIVEN
    assert award.given_on == today
    assert award.spending.money == pytest.approx(12)
    assert award.giver_names == "Sophie Gagnon"
    assert OutgoingEmail.objects.filter(to=lea.email).count() == 1


def test_giving_over_the_budget_is_refused_with_nothing_in_the_ledger(
    manager, program, lea, card, today, manager_user
):
    fund(program, today, money="20.00")
    award = approved(program, lea, card, today, manager_user)
    before = list(LedgerEntry.objects.values_list("pk", flat=True))

    response = manager.post(award_url("award_give", award), give_form(today, money="500.00"))

    assert response.status_code == 200
    assert "Not enough money left in the budget" in str(response.context["form"].errors["money"])
    assert list(LedgerEntry.objects.values_list("pk", flat=True)) == before
    assert reload(award).status == Award.Status.APPROVED
    assert not OutgoingEmail.objects.exists()


def test_giving_twice_gives_once(manager, program, lea, card, today, manager_user):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)

    manager.post(award_url("award_give", award), give_form(today))
    second = manager.post(award_url("award_give", award), give_form(today))

    assert second["Location"] == award_url("award_detail", award)
    assert any("already given" in text for text in texts(second))
    assert LedgerEntry.objects.filter(kind=Kind.SPENDING).count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_a_future_given_on_is_refused(manager, program, lea, card, today, manager_user):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_give", award), give_form(today + DAY))

    assert response.context["form"].errors["given_on"]
    assert reload(award).status == Award.Status.APPROVED


def test_a_planned_award_is_approved_on_the_way_when_given(
    manager, program, lea, card, today, manager_user
):
    fund(program, today)
    award = planned(program, lea, card, today, manager_user)

    manager.post(award_url("award_give", award), give_form(today))

    assert reload(award).status == Award.Status.GIVEN
    assert LedgerEntry.objects.filter(kind=Kind.SPENDING).count() == 1


# --- Editing -----------------------------------------------------------------------------------


def edit_form(award, **fields):
    return {
        "mentor": award.mentor_id,
        "option": award.option_id,
        "planned_on": award.planned_on.isoformat(),
        "moment_key": "",
        "givers": ["mentee"],
        "giver_names": "Jade",
        "message": "Bravo",
        **fields,
    }


def test_editing_a_planned_award_changes_its_option_and_words(
    manager, program, organisation, lea, card, today, manager_user
):
    award = planned(program, lea, card, today, manager_user)
    lunch = offer(organisation, name_en="Lunch", name_fr="Dîner")

    response = manager.post(award_url("award_edit", award), edit_form(award, option=lunch.pk))

    award = reload(award)
    assert response["Location"] == award_url("award_detail", award)
    assert award.option == lunch
    assert (award.givers, award.giver_names, award.message) == (["mentee"], "Jade", "Bravo")


def test_a_planned_award_can_go_to_another_mentor_found_by_search(
    manager, program, lea, card, today, manager_user
):
    award = planned(program, lea, card, today, manager_user)
    marc = enrol(program, "Marc", "Bouchard")

    found = manager.get(award_url("award_edit", award), {"find": "bouchard"})
    chosen = manager.get(award_url("award_edit", award), {"mentor": marc.pk})
    manager.post(award_url("award_edit", award), edit_form(award, mentor=marc.pk))

    assert [person.pk for person in found.context["found"]] == [marc.pk]
    assert chosen.context["mentor"] == marc
    assert reload(award).mentor == marc


def test_an_approved_award_keeps_its_mentor_and_option_whatever_is_posted(
    manager, program, organisation, lea, card, today, manager_user
):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)
    marc = enrol(program, "Marc", "Bouchard")
    lunch = offer(organisation, name_en="Lunch", name_fr="Dîner")

    manager.post(award_url("award_edit", award), edit_form(award, mentor=marc.pk, option=lunch.pk))

    award = reload(award)
    assert (award.mentor, award.option) == (lea, card)
    assert award.message == "Bravo"


def test_a_given_award_no_longer_changes(manager, program, lea, card, today, manager_user):
    fund(program, today)
    award = given(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_edit", award), edit_form(award))

    assert response["Location"] == award_url("award_detail", award)
    assert reload(award).message == ""


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_releases_the_commitment(manager, program, lea, card, today, manager_user):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_cancel", award), {"reason": "Parti à la retraite"})

    award = reload(award)
    assert award.status == Award.Status.CANCELLED
    assert award.cancel_reason == "Parti à la retraite"
    assert LedgerEntry.objects.filter(kind=Kind.RELEASE, settles=award.commitment).count() == 1
    assert any("back in the budget" in text for text in texts(response))


def test_cancelling_needs_a_reason(manager, program, lea, card, today, manager_user):
    award = planned(program, lea, card, today, manager_user)

    response = manager.post(award_url("award_cancel", award), {"reason": "  "})

    assert response.context["form"].errors["reason"]
    assert reload(award).status == Award.Status.PLANNED


def test_the_cancel_page_tells_that_the_committed_budget_goes_back(
    manager, program, lea, card, today, manager_user
):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)

    html = manager.get(award_url("award_cancel", award)).content.decode()

    assert "goes back to the budget" in html


def test_cancelling_twice_cancels_once(manager, program, lea, card, today, manager_user):
    fund(program, today)
    award = approved(program, lea, card, today, manager_user)

    manager.post(award_url("award_cancel", award), {"reason": "Parti"})
    second = manager.post(award_url("award_cancel", award), {"reason": "Parti"})

    assert any("already cancelled" in text for text in texts(second))
    assert LedgerEntry.objects.filter(kind=Kind.RELEASE).count() == 1
