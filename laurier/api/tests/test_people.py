import datetime

import pytest

from laurier.programs.models import Person
from laurier.testing import factories
from laurier.testing.api import client_with, make_token


def test_lists_the_organisations_people_by_name(api, organisation, other_organisation):
    factories.PersonFactory(organisation=organisation, first_name="Zoé", last_name="Tremblay")
    factories.PersonFactory(organisation=organisation, first_name="Ali", last_name="Bouchard")
    factories.PersonFactory(organisation=other_organisation, last_name="Elsewhere")

    response = api.get("/api/v1/people/")

    assert response.status_code == 200
    assert [row["last_name"] for row in response.json()["results"]] == ["Bouchard", "Tremblay"]
    assert response.json()["count"] == 2


def test_filters_people_by_email_whatever_the_case(api, organisation):
    factories.PersonFactory(organisation=organisation, email="zoe@example.org")
    factories.PersonFactory(organisation=organisation, email="ali@example.org")

    response = api.get("/api/v1/people/", {"email": "ZOE@example.org"})

    assert [row["email"] for row in response.json()["results"]] == ["zoe@example.org"]


def test_adds_a_person(api, organisation):
    response = api.post(
        "/api/v1/people/",
        {"first_name": "Zoé", "last_name": "Tremblay", "email": "zoe@example.org"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    person = Person.objects.get(pk=response.json()["id"])
    assert person.organisation == organisation
    assert person.email == "zoe@example.org"


def test_an_email_already_used_is_refused_in_the_error_shape(api, organisation):
    factories.PersonFactory(organisation=organisation, email="zoe@example.org")

    response = api.post(
        "/api/v1/people/",
        {"first_name": "Zoé", "last_name": "Tremblay", "email": "ZOE@example.org"},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "already has this e-mail address" in error["fields"]["email"][0]
    assert Person.objects.count() == 1


def test_errors_speak_french_when_asked(api, organisation):
    response = api.post("/api/v1/people/", {}, format="json", HTTP_ACCEPT_LANGUAGE="fr-CA")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Une partie de ce qui a été envoyé n’est pas valide : voyez « fields »."
    )


def test_changes_a_person(api, organisation):
    person = factories.PersonFactory(organisation=organisation, department="Finance")

    response = api.patch(f"/api/v1/people/{person.pk}/", {"department": "TI"}, format="json")

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.department == "TI"


def test_another_organisations_person_answers_404(api, other_organisation):
    person = factories.PersonFactory(organisation=other_organisation)

    assert api.get(f"/api/v1/people/{person.pk}/").status_code == 404
    response = api.patch(f"/api/v1/people/{person.pk}/", {"department": "X"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_searches_people_by_every_word_whatever_the_accents(api, organisation):
    factories.PersonFactory(organisation=organisation, first_name="Zoé", last_name="Tremblay")
    factories.PersonFactory(organisation=organisation, first_name="Zoé", last_name="Roy")

    response = api.get("/api/v1/people/", {"search": "zoe tremb"})

    assert [row["last_name"] for row in response.json()["results"]] == ["Tremblay"]


def test_tells_who_left_the_organisation_and_filters_on_it(api, organisation):
    gone = factories.PersonFactory(organisation=organisation, left_on=datetime.date(2026, 6, 30))
    here = factories.PersonFactory(organisation=organisation)

    def ids(**filters):
        return {row["id"] for row in api.get("/api/v1/people/", filters).json()["results"]}

    assert ids(left="true") == {gone.pk}
    assert ids(left="false") == {here.pk}
    assert api.get(f"/api/v1/people/{gone.pk}/").json()["left_on"] == "2026-06-30"


def test_the_same_idempotency_key_adds_a_person_once(api, organisation):
    body = {"first_name": "Zoé", "last_name": "Tremblay", "email": "zoe@example.org"}

    first = api.post("/api/v1/people/", body, format="json", HTTP_IDEMPOTENCY_KEY="hr-42")
    again = api.post("/api/v1/people/", body, format="json", HTTP_IDEMPOTENCY_KEY="hr-42")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Person.objects.count() == 1


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_read_only_token_cannot_add_or_change_people(organisation, admin_user, method):
    person = factories.PersonFactory(organisation=organisation, department="Finance")
    key = make_token(organisation, admin_user, scopes=["people:read"])[1]
    path = "/api/v1/people/" + (f"{person.pk}/" if method == "patch" else "")
    body = {"first_name": "A", "last_name": "B", "email": "a@example.org", "department": "TI"}

    response = getattr(client_with(key), method)(path, body, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert list(Person.objects.values_list("department", flat=True)) == ["Finance"]


def test_a_list_of_people_reads_in_constant_queries(
    api, organisation, django_assert_max_num_queries
):
    def read(size):
        factories.PersonFactory.create_batch(size, organisation=organisation)
        with django_assert_max_num_queries(6):
            assert api.get("/api/v1/people/", {"page_size": 100}).status_code == 200

    read(2)
    read(30)


def test_an_erased_persons_address_is_not_added_back(api, organisation):
    from laurier.privacy.erased_emails import remember_erased

    remember_erased(organisation, ["zoe@example.org"], datetime.date(2026, 10, 1))

    response = api.post(
        "/api/v1/people/",
        {"first_name": "Zoé", "last_name": "Tremblay", "email": "Zoe@Example.org"},
        format="json",
    )

    assert response.status_code == 400
    assert "erased on 2026-10-01" in response.json()["error"]["fields"]["email"][0]
    assert not Person.objects.exists()
