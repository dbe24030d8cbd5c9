"""The culture and catalog pages are readable by assistive technology, in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.core.tests.test_page_markup import check_markup
from laurier.recognition.categories import Visibility
from laurier.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def option(organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    return factories.RecognitionOptionFactory(
        organisation=organisation, visibility=Visibility.PUBLIC, min_tenure_months=12
    )


def pages(organisation, option):
    slug = organisation.slug
    return [
        reverse("recognition:culture", args=[slug]),
        reverse("recognition:culture_edit", args=[slug]),
        reverse("recognition:catalog", args=[slug]),
        reverse("recognition:catalog", args=[slug]) + "?status=retired&fit=clashes",
        reverse("recognition:option_create", args=[slug]),
        reverse("recognition:option_detail", args=[slug, option.pk]),
        reverse("recognition:option_edit", args=[slug, option.pk]),
    ]


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_every_page_has_unique_ids_labelled_fields_and_one_h1(
    login, admin_user, organisation, option, language
):
    admin_user.language = language
    admin_user.save()
    client = login(admin_user)

    for address in pages(organisation, option):
        response = client.get(address)
        assert response.status_code == 200, address
        duplicates, unlabelled, h1_count = check_markup(response.content.decode())
        assert duplicates == [], address
        assert unlabelled == [], address
        assert h1_count == 1, address


def test_a_refused_form_is_still_well_formed(login, admin_user, organisation):
    response = login(admin_user).post(
        reverse("recognition:option_create", args=[organisation.slug]), {"cost_money": "-1"}
    )

    duplicates, unlabelled, h1_count = check_markup(response.content.decode())
    assert (duplicates, unlabelled, h1_count) == ([], [], 1)
    assert 'role="alert"' in response.content.decode()


def test_option_pages_have_no_inline_script(login, admin_user, organisation, option):
    client = login(admin_user)
    for address in pages(organisation, option):
        with translation.override("en"):
            html = client.get(address).content.decode()
        assert "<script>" not in html and "<script >" not in html
