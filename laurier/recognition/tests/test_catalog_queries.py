"""The catalog pages keep a constant number of queries whatever the size of the catalog."""

import pytest
from django.urls import reverse

from laurier.recognition.catalog import install_standard_catalog
from laurier.recognition.categories import Visibility
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def url(name, organisation, *args):
    return reverse(f"recognition:{name}", args=[organisation.slug, *args])


def fill(organisation, count):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    install_standard_catalog(organisation)
    factories.RecognitionOptionFactory.create_batch(
        count, organisation=organisation, visibility=Visibility.PUBLIC
    )


@pytest.mark.parametrize("count", [2, 60])
def test_the_catalog_list_queries_do_not_grow(
    login, manager_user, organisation, django_assert_max_num_queries, count
):
    fill(organisation, count)
    client = login(manager_user)

    with django_assert_max_num_queries(8):
        response = client.get(url("catalog", organisation), {"sort": "-fit"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 60])
def test_the_catalog_export_queries_do_not_grow(
    login, manager_user, organisation, django_assert_max_num_queries, count
):
    fill(organisation, count)
    client = login(manager_user)

    with django_assert_max_num_queries(7):
        response = client.get(url("catalog", organisation), {"export": "csv"})
    assert len(response.content.decode("utf-8-sig").splitlines()) == 1 + 20 + count


@pytest.mark.parametrize("count", [2, 60])
def test_the_option_page_queries_do_not_grow(
    login, manager_user, organisation, django_assert_max_num_queries, count
):
    fill(organisation, count)
    option = factories.RecognitionOptionFactory(organisation=organisation)
    client = login(manager_user)

    with django_assert_max_num_queries(6):
        assert client.get(url("option_detail", organisation, option.pk)).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(url("option_edit", organisation, option.pk)).status_code == 200


def test_the_first_install_is_a_constant_few_queries(organisation, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        install_standard_catalog(organisation)
