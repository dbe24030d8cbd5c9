"""The catalog pages: list, option create/edit/detail, retire and offer again."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.organisations.models import AuditEvent
from laurier.recognition.categories import (
    Formality,
    Giver,
    Nature,
    Personalisation,
    RecognitionCategory,
    RecognitionMoment,
    Scope,
    Visibility,
)
from laurier.recognition.models import RecognitionOption
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"recognition:{name}", args=[organisation.slug, *args])


def option_data(**changes):
    data = {
        "category": RecognitionCategory.THANK_YOU_CARD,
        "name_fr": "Carte de Noël",
        "name_en": "Christmas card",
        "description_fr": "Une carte.",
        "description_en": "A card.",
        "cost_money": "7.25",
        "staff_hours": "0.5",
        "material_items": "1",
        "material_needs": "",
        "capacity": "",
        "capacity_period": "year",
        "visibility": Visibility.PRIVATE,
        "formality": Formality.INFORMAL,
        "scope": Scope.INDIVIDUAL,
        "nature": Nature.SYMBOLIC,
        "min_hours_mentored": "",
        "min_tenure_months": "",
        "active_mentors_only": "on",
        "moments": [RecognitionMoment.YEAR_END],
        "usual_givers": [Giver.MANAGER, Giver.MENTEE],
        "personalisation": Personalisation.FULL,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_adds_an_option_to_the_catalog(login, manager_user, organisation):
    response = login(manager_user).post(url("option_create", organisation), option_data())

    option = RecognitionOption.objects.get(name_en="Christmas card")
    assert response.status_code == 302
    assert response["Location"] == url("option_detail", organisation, option.pk)
    assert option.organisation == organisation
    assert option.cost_money == Decimal("7.25")
    assert option.moments == [RecognitionMoment.YEAR_END]
    assert option.usual_givers == [Giver.MANAGER, Giver.MENTEE]
    assert AuditEvent.objects.filter(
        object_type="recognition.recognitionoption", object_id=str(option.pk), action="create"
    ).exists()


def test_the_create_form_shows_every_field_named_as_the_model(login, manager_user, organisation):
    response = login(manager_user).get(url("option_create", organisation))

    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "name_fr",
        "name_en",
        "category",
        "cost_money",
        "staff_hours",
        "material_items",
        "capacity",
        "moments",
        "usual_givers",
        "visibility",
    ):
        assert f'name="{name}"' in html


def test_the_catalog_lists_the_ready_made_options(login, manager_user, organisation):
    response = login(manager_user).get(url("catalog", organisation))
    assert response.status_code == 200


def test_option_detail_renders(login, admin_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    option = factories.RecognitionOptionFactory(
        organisation=organisation, visibility=Visibility.PUBLIC
    )
    response = login(admin_user).get(url("option_detail", organisation, option.pk))
    assert response.status_code == 200


def english(user):
    user.language = "en"
    user.save()
    return user


def listed(client, organisation, **params):
    response = client.get(url("catalog", organisation), params)
    assert response.status_code == 200
    return [option.pk for option, _fit in response.context["rows"]]


def make(organisation, **fields):
    return factories.RecognitionOptionFactory(organisation=organisation, **fields)


# --- The list -------------------------------------------------------------------------------


def test_the_catalog_lists_offered_options_unless_asked_for_retired_ones(
    login, manager_user, organisation
):
    offered = make(organisation)
    retired = make(organisation, active=False)
    client = login(manager_user)

    assert offered.pk in listed(client, organisation)
    assert retired.pk not in listed(client, organisation)
    assert listed(client, organisation, status="retired") == [retired.pk]
    assert {offered.pk, retired.pk} <= set(listed(client, organisation, status="all"))


def test_the_catalog_filters_by_category(login, manager_user, organisation):
    gift = make(organisation, category=RecognitionCategory.SYMBOLIC_GIFT, name_en="Pin A")
    card = make(organisation, category=RecognitionCategory.THANK_YOU_CARD)

    shown = listed(login(manager_user), organisation, category="symbolic_gift")

    assert gift.pk in shown and card.pk not in shown


def test_the_catalog_filters_by_maximum_cost(login, manager_user, organisation):
    cheap = make(organisation, cost_money="20.00")
    exact = make(organisation, cost_money="25.00")
    dear = make(organisation, cost_money="25.01")

    shown = listed(login(manager_user), organisation, max_cost="25")

    assert cheap.pk in shown and exact.pk in shown and dear.pk not in shown


def test_the_catalog_filters_by_visibility(login, manager_user, organisation):
    public = make(organisation, visibility=Visibility.PUBLIC)
    private = make(organisation, visibility=Visibility.PRIVATE)

    shown = listed(login(manager_user), organisation, visibility="public")

    assert public.pk in shown and private.pk not in shown


def test_the_catalog_filters_by_culture_fit(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    public = make(organisation, visibility=Visibility.PUBLIC)
    private = make(organisation, visibility=Visibility.PRIVATE)
    client = login(manager_user)

    clashing = listed(client, organisation, fit="clashes")
    fitting = listed(client, organisation, fit="fits")

    assert public.pk in clashing and private.pk not in clashing
    assert private.pk in fitting and public.pk not in fitting


def test_nothing_clashes_with_a_culture_without_strong_leanings(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-1)
    make(organisation, visibility=Visibility.PUBLIC)

    assert listed(login(manager_user), organisation, fit="clashes") == []


def test_the_catalog_searches_names_in_both_languages(login, manager_user, organisation):
    option = make(organisation, name_fr="Soirée des lucioles", name_en="Fireflies' evening")
    client = login(manager_user)

    assert listed(client, organisation, q="lucioles") == [option.pk]
    assert listed(client, organisation, q="FIREFLIES") == [option.pk]


def test_the_catalog_sorts_by_cost(login, manager_user, organisation):
    dear = make(organisation, cost_money="90.00")
    cheap = make(organisation, cost_money="5.00")
    client = login(manager_user)

    by_cost = listed(client, organisation, sort="cost", q="Option")
    by_cost_down = listed(client, organisation, sort="-cost", q="Option")

    assert by_cost.index(cheap.pk) < by_cost.index(dear.pk)
    assert by_cost_down.index(dear.pk) < by_cost_down.index(cheap.pk)


def test_the_catalog_sorts_by_culture_fit(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=2)
    private = make(organisation, visibility=Visibility.PRIVATE)
    public = make(organisation, visibility=Visibility.PUBLIC)

    best_first = listed(login(manager_user), organisation, sort="-fit", q="Option")

    assert best_first == [public.pk, private.pk]


def test_the_fit_column_says_it_in_words_with_the_reason(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    make(organisation, visibility=Visibility.PUBLIC, name_en="Loud option")

    html = login(english(manager_user)).get(url("catalog", organisation), {"q": "Loud"}).content
    html = html.decode()

    assert "Clashes with your culture" in html
    assert "Public, while your culture prefers private recognition" in html


def test_the_catalog_shows_amounts_in_the_organisation_currency(login, manager_user, organisation):
    make(organisation, cost_money="1234.50", name_en="Dear option")

    html = login(english(manager_user)).get(url("catalog", organisation), {"q": "Dear"}).content

    assert "$1,234.50" in html.decode()


def test_the_catalog_is_paginated(login, manager_user, organisation):
    for _number in range(55):
        make(organisation)

    client = login(manager_user)
    first = listed(client, organisation, q="Option")
    second = listed(client, organisation, q="Option", page=2)

    assert len(first) == 50 and len(second) == 5


def test_the_catalog_exports_as_csv(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    make(organisation, name_en="Exported", cost_money="12.50", visibility=Visibility.PUBLIC)

    response = login(english(manager_user)).get(
        url("catalog", organisation), {"q": "Exported", "export": "csv"}
    )

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("Name,Category,Cost (CAD),Staff hours")
    assert lines[1].startswith("Exported,Thank-you card,12.50,0.50")
    assert "Public, while your culture prefers private recognition" in lines[1]
    assert len(lines) == 2


def test_the_catalog_exports_as_xlsx(login, manager_user, organisation):
    response = login(manager_user).get(url("catalog", organisation), {"export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_bad_filter_is_ignored_rather_than_failing(login, manager_user, organisation):
    response = login(manager_user).get(url("catalog", organisation), {"max_cost": "lots"})

    assert response.status_code == 200


# --- One option -----------------------------------------------------------------------------


def test_the_option_page_explains_fit_eligibility_and_wording(login, manager_user, organisation):
    factories.CultureProfileFactory(
        organisation=organisation, public_or_private=-2, formal_or_informal=2
    )
    option = make(
        organisation,
        visibility=Visibility.PUBLIC,
        min_hours_mentored="20.00",
        min_tenure_months=12,
        contest_winners_only=True,
    )

    html = login(english(manager_user)).get(url("option_detail", organisation, option.pk))
    html = html.content.decode()

    assert "Public, while your culture prefers private recognition" in html
    assert "The mentor has mentored at least 20 hours." in html
    assert "The mentor has been mentoring for at least 12 months." in html
    assert "The mentor won a contest" in html
    assert "We sincerely thank you" in html
    assert "Mutual help" in html  # the organisation's values, in the suggestions


def test_a_retired_option_says_its_history_is_kept(login, manager_user, organisation):
    option = make(organisation)
    client = login(english(manager_user))
    client.post(url("option_retire", organisation, option.pk))

    html = client.get(url("option_detail", organisation, option.pk)).content.decode()

    assert "keep their history" in html
    assert "Offer again" in html


def test_a_manager_edits_an_option_and_the_change_is_audited(login, manager_user, organisation):
    option = make(organisation, cost_money="10.00", moments=[RecognitionMoment.CYCLE_END])

    response = login(manager_user).post(
        url("option_edit", organisation, option.pk),
        option_data(cost_money="12.00", moments=[RecognitionMoment.CYCLE_END, "year_end"]),
    )

    option.refresh_from_db()
    assert response.status_code == 302
    assert option.cost_money == Decimal("12.00")
    assert option.moments == [RecognitionMoment.CYCLE_END, RecognitionMoment.YEAR_END]
    event = AuditEvent.objects.get(object_id=str(option.pk), action=AuditEvent.Action.UPDATE)
    assert event.changes["cost_money"] == ["10.00", "12.00"]
    assert event.changes["moments"] == [["cycle_end"], ["cycle_end", "year_end"]]


def test_saving_the_same_edit_twice_audits_it_once(login, manager_user, organisation):
    option = make(organisation, cost_money="10.00")
    client = login(manager_user)

    client.post(url("option_edit", organisation, option.pk), option_data())
    client.post(url("option_edit", organisation, option.pk), option_data())

    assert AuditEvent.objects.filter(object_id=str(option.pk)).count() == 1


def test_the_option_page_tells_how_often_the_ledger_used_it(login, manager_user, organisation):
    option = make(organisation)
    budget = factories.BudgetFactory(program=None, organisation=organisation)
    factories.LedgerEntryFactory.create_batch(2, budget=budget, option=option)

    html = login(english(manager_user)).get(url("option_detail", organisation, option.pk))

    assert "Used in 2 budget ledger entries." in html.content.decode()


def test_the_edit_form_starts_from_the_option(login, manager_user, organisation):
    option = make(organisation, name_en="Start here", moments=["mentoring_day"])

    html = login(manager_user).get(url("option_edit", organisation, option.pk)).content.decode()

    assert 'value="Start here"' in html
    assert re.search(r'value="mentoring_day"[^>]* checked', html)


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cost_money": "-1"}, "cost_money", "A cost cannot be negative."),
        ({"staff_hours": "-0.5"}, "staff_hours", "A cost cannot be negative."),
        ({"capacity": "0"}, "capacity", "A capacity is at least 1"),
        ({"moments": []}, "moments", "Choose at least one moment"),
        ({"name_fr": "  "}, "name_fr", "Give the option a name in this language."),
        ({"name_en": ""}, "name_en", "Give the option a name in this language."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(
    login, manager_user, organisation, changes, field, message
):
    client = login(english(manager_user))

    response = client.post(url("option_create", organisation), option_data(**changes))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not RecognitionOption.objects.filter(name_en="Christmas card").exists()
    assert not AuditEvent.objects.exists()


def test_bad_input_on_edit_changes_nothing(login, manager_user, organisation):
    option = make(organisation, cost_money="10.00")

    response = login(manager_user).post(
        url("option_edit", organisation, option.pk), option_data(cost_money="-3", capacity="0")
    )

    option.refresh_from_db()
    assert response.status_code == 200
    assert option.cost_money == Decimal("10.00")
    assert option.name_en != "Christmas card"


def test_a_double_submit_adds_the_option_once(login, manager_user, organisation):
    client = login(manager_user)

    first = client.post(url("option_create", organisation), option_data())
    second = client.post(url("option_create", organisation), option_data())

    option = RecognitionOption.objects.get(name_en="Christmas card")
    assert first["Location"] == second["Location"] == url("option_detail", organisation, option.pk)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 1


def test_another_option_with_the_same_name_is_refused(login, manager_user, organisation):
    make(organisation, name_fr="Carte de Noël", name_en="Holiday card")

    response = login(english(manager_user)).post(url("option_create", organisation), option_data())

    assert response.status_code == 200
    assert "already has this name" in str(response.context["form"].errors["name_fr"])
    assert not RecognitionOption.objects.filter(name_en="Christmas card").exists()


def test_a_retired_option_with_the_same_name_is_pointed_out(login, manager_user, organisation):
    make(organisation, name_fr="Carte de Noël", name_en="Holiday card", active=False)

    response = login(english(manager_user)).post(url("option_create", organisation), option_data())

    assert "offer it again" in str(response.context["form"].errors["name_fr"])


def test_the_same_name_in_another_organisation_is_fine(
    login, manager_user, organisation, other_organisation
):
    make(other_organisation, name_fr="Carte de Noël", name_en="Christmas card")

    response = login(manager_user).post(url("option_create", organisation), option_data())

    assert response.status_code == 302


# --- Retire and offer again -----------------------------------------------------------------


def test_retiring_keeps_the_option_and_audits_once(login, manager_user, organisation):
    option = make(organisation)
    client = login(manager_user)

    client.post(url("option_retire", organisation, option.pk))
    client.post(url("option_retire", organisation, option.pk))

    option.refresh_from_db()
    assert not option.active
    assert option.retired_at is not None
    assert AuditEvent.objects.filter(object_id=str(option.pk)).count() == 1


def test_offering_again_brings_the_option_back(login, manager_user, organisation):
    option = make(organisation, active=False)
    client = login(manager_user)

    client.post(url("option_reactivate", organisation, option.pk))
    client.post(url("option_reactivate", organisation, option.pk))

    option.refresh_from_db()
    assert option.active
    assert option.retired_at is None
    assert AuditEvent.objects.filter(object_id=str(option.pk)).count() == 1


@pytest.mark.parametrize("name", ["option_retire", "option_reactivate"])
def test_retire_and_offer_again_only_accept_post(login, manager_user, organisation, name):
    option = make(organisation)

    assert login(manager_user).get(url(name, organisation, option.pk)).status_code == 405


def test_an_option_with_ledger_entries_cannot_be_deleted(organisation):
    from django.db.models import RestrictedError

    option = make(organisation)
    budget = factories.BudgetFactory(program=None, organisation=organisation)
    factories.LedgerEntryFactory(budget=budget, option=option)

    with pytest.raises(RestrictedError):
        option.delete()


# --- The services check again what the forms check -----------------------------------------


def service_fields(**changes):
    fields = {
        "category": RecognitionCategory.CERTIFICATE,
        "name_fr": "Certificat",
        "name_en": "Certificate",
        "cost_money": Decimal("5"),
        "visibility": Visibility.PRIVATE,
        "formality": Formality.FORMAL,
        "nature": Nature.SYMBOLIC,
        "moments": [RecognitionMoment.CYCLE_END],
    }
    fields.update(changes)
    return fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cost_money": Decimal("-0.01")}, "cost_money"),
        ({"staff_hours": "-1"}, "staff_hours"),
        ({"capacity": 0}, "capacity"),
        ({"moments": []}, "moments"),
        ({"moments": ["whenever"]}, "moments"),
        ({"usual_givers": ["the_king"]}, "usual_givers"),
        ({"category": "lottery"}, "category"),
        ({"visibility": "secret"}, "visibility"),
        ({"name_en": "   "}, "name_en"),
        ({"min_tenure_months": -3}, "min_tenure_months"),
        ({"cost_money": "a lot"}, "cost_money"),
        ({"staff_hours": "NaN"}, "staff_hours"),
    ],
)
def test_a_crafted_request_cannot_break_a_rule(organisation, admin_user, changes, field):
    from django.core.exceptions import ValidationError

    from laurier.recognition.services.catalog import create_option

    with pytest.raises(ValidationError) as refused:
        create_option(organisation=organisation, actor=admin_user, **service_fields(**changes))

    assert field in refused.value.message_dict
    assert not RecognitionOption.objects.exists()


def test_the_service_rounds_money_to_the_cent_and_orders_moments(organisation, admin_user):
    from laurier.recognition.services.catalog import create_option

    option, created = create_option(
        organisation=organisation,
        actor=admin_user,
        **service_fields(
            cost_money=Decimal("4.005"),
            moments=[RecognitionMoment.YEAR_END, RecognitionMoment.CYCLE_START],
        ),
    )

    assert created
    assert option.cost_money == Decimal("4.01")
    assert option.moments == [RecognitionMoment.CYCLE_START, RecognitionMoment.YEAR_END]
    assert option.active_mentors_only


def test_categories_sort_in_the_order_of_the_article_families(login, manager_user, organisation):
    stipend = make(organisation, category=RecognitionCategory.STIPEND)
    mention = make(organisation, category=RecognitionCategory.PUBLIC_MENTION)
    badge = make(organisation, category=RecognitionCategory.BADGE)

    shown = listed(login(manager_user), organisation, sort="category", q="Option")

    assert shown == [mention.pk, badge.pk, stipend.pk]
