"""The list pages cost the same number of queries whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laurier.contests.models import Score
from laurier.testing import factories

from .test_editions_support import edition_url, list_url, open_edition

pytestmark = pytest.mark.django_db


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def grow_editions(program, count):
    for _ in range(count):
        edition = open_edition(program)
        category = factories.CategoryFactory(edition=edition)
        factories.NomineeFactory(category=category)
        factories.JurorFactory(edition=edition)


def test_the_edition_list(
    login, manager_user, program, organisation, django_assert_max_num_queries
):
    client = login(manager_user)
    grow_editions(program, 1)
    small = queries(client, list_url(organisation))
    grow_editions(program, 5)

    with django_assert_max_num_queries(small):
        client.get(list_url(organisation))


def grow_field(edition, count):
    category = edition.categories.first() or factories.CategoryFactory(edition=edition)
    criterion = edition.criteria.first() or factories.CriterionFactory(edition=edition)
    juror = edition.jurors.first() or factories.JurorFactory(edition=edition)
    for _ in range(count):
        nominee = factories.NomineeFactory(category=category)
        factories.NominationFactory(nominee=nominee)
        factories.PairingFactory(program=edition.program, mentor=nominee.person)
        factories.JurorFactory(edition=edition)
        Score.objects.create(juror=juror, nominee=nominee, criterion=criterion, value=5)


@pytest.mark.parametrize("page", ["jury", "nominees", "edition_detail"])
def test_edition_pages(login, manager_user, program, page, django_assert_max_num_queries):
    edition = open_edition(program)
    client = login(manager_user)
    grow_field(edition, 1)
    small = queries(client, edition_url(page, edition))
    grow_field(edition, 6)

    with django_assert_max_num_queries(small):
        client.get(edition_url(page, edition))


def test_the_nominee_page_with_its_stories(
    login, manager_user, program, django_assert_max_num_queries
):
    edition = open_edition(program)
    client = login(manager_user)
    category = factories.CategoryFactory(edition=edition)
    nominee = factories.NomineeFactory(category=category)
    factories.NominationFactory(nominee=nominee)
    small = queries(client, edition_url("nominee_detail", edition, nominee.pk))
    factories.NominationFactory.create_batch(5, nominee=nominee)

    with django_assert_max_num_queries(small):
        client.get(edition_url("nominee_detail", edition, nominee.pk))
