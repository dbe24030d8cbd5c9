"""The catalog pages: list, option create/edit/detail, retire and offer again."""

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
