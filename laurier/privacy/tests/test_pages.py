"""The privacy pages: sound markup, no inline script or style, a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from laurier.core.tests.test_page_markup import check_markup
from laurier.privacy.models import RetentionPolicy
from laurier.privacy.services.consents import record_public_recognition
from laurier.privacy.services.erasure import erase_person
from laurier.programs.models import Person
from laurier.testing import factories

from .conftest import url


@pytest.fixture
def admin_client(login, admin_user, organisation):
    RetentionPolicy.objects.create(organisation=organisation, erase_inactive_after_months=12)
    return login(admin_user)


@pytest.mark.parametrize("name", ["person", "person_export", "person_erase"])
def test_an_admins_page_about_a_person_is_sound(admin_client, organisation, mentor, history, name):
    record_public_recognition(mentor, "yes")
    html = admin_client.get(url(name, organisation, mentor.pk)).content.decode()
    assert check_markup(html) == ([], [], 1)
    assert "<script>" not in html and "style=" not in html and "<style" not in html


@pytest.mark.parametrize("name", ["my_data", "retention"])
def test_a_page_without_a_person_is_sound(login, mentor_user, admin_client, organisation, name):
    client = login(mentor_user) if name == "my_data" else admin_client
    html = client.get(url(name, organisation)).content.decode()
    assert check_markup(html) == ([], [], 1)


def test_the_privacy_page_reads_a_constant_number_of_queries(
    admin_client, organisation, mentor, django_assert_max_num_queries
):
    for answer in ("yes", "no", "ask", "yes", "no"):
        record_public_recognition(mentor, answer)
    with django_assert_max_num_queries(10):
        admin_client.get(url("person", organisation, mentor.pk))


def test_the_person_page_links_admins_to_privacy(admin_client, login, organisation, mentor):
    link = url("person", organisation, mentor.pk)
    assert link in admin_client.get(f"/o/hydro/people/{mentor.pk}/").content.decode()


def test_the_person_page_gives_managers_no_privacy_link(login, manager_user, organisation, mentor):
    html = login(manager_user).get(f"/o/hydro/people/{mentor.pk}/").content.decode()
    assert url("person", organisation, mentor.pk) not in html


def test_the_export_of_an_erased_person_holds_only_their_anonymised_row(
    admin_client, organisation, admin_user
):
    person = factories.PersonFactory(organisation=organisation, first_name="Zoé")
    erase_person(person, actor=admin_user)
    data = admin_client.get(url("person_export_json", organisation, person.pk)).json()
    assert data["person"]["email"] == f"erased-{person.pk}@erased.invalid"
    assert "Zoé" not in str(data)


def test_the_person_privacy_page_is_never_cached(admin_client, organisation, mentor):
    response = admin_client.get(url("person", organisation, mentor.pk))
    assert response["Cache-Control"] == "private, no-store"


def test_the_retention_confirmation_is_sound(admin_client, organisation):
    leaver = factories.PersonFactory(organisation=organisation, left_on=datetime.date(2000, 1, 1))
    Person.objects.filter(pk=leaver.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2000, 1, 1))
    )
    response = admin_client.post(url("retention", organisation), {"erase_inactive_after_months": 6})
    assert response.context["preview"]["count"] == 1
    assert check_markup(response.content.decode()) == ([], [], 1)
