"""Who may reach the catalog: admins and managers of the organisation, nobody else."""

import pytest
from django.urls import reverse

from laurier.recognition.models import RecognitionOption
from laurier.testing import factories

pytestmark = pytest.mark.django_db

OPTION_PAGES = ["option_detail", "option_edit"]
OPTION_ACTIONS = ["option_retire", "option_reactivate"]


def url(name, organisation, *args):
    return reverse(f"recognition:{name}", args=[organisation.slug, *args])


@pytest.fixture
def option(organisation):
    return factories.RecognitionOptionFactory(organisation=organisation)


@pytest.mark.parametrize("role", ["admin_user", "manager_user"])
@pytest.mark.parametrize("name", ["catalog", "option_create"])
def test_admins_and_managers_open_the_catalog(request, login, organisation, role, name):
    user = request.getfixturevalue(role)

    assert login(user).get(url(name, organisation)).status_code == 200


@pytest.mark.parametrize("role", ["admin_user", "manager_user"])
@pytest.mark.parametrize("name", OPTION_PAGES)
def test_admins_and_managers_open_an_option(request, login, organisation, option, role, name):
    user = request.getfixturevalue(role)

    assert login(user).get(url(name, organisation, option.pk)).status_code == 200


@pytest.mark.parametrize("role", ["mentor_user", "mentee_user"])
@pytest.mark.parametrize("name", ["catalog", "option_create"])
def test_mentors_and_mentees_may_not_see_the_catalog(request, login, organisation, role, name):
    user = request.getfixturevalue(role)

    assert login(user).get(url(name, organisation)).status_code == 403
    assert not RecognitionOption.objects.exists()


@pytest.mark.parametrize("role", ["mentor_user", "mentee_user"])
@pytest.mark.parametrize("name", OPTION_PAGES + OPTION_ACTIONS)
def test_mentors_and_mentees_may_not_touch_an_option(
    request, login, organisation, option, role, name
):
    user = request.getfixturevalue(role)
    client = login(user)

    assert client.get(url(name, organisation, option.pk)).status_code in (403, 405)
    assert client.post(url(name, organisation, option.pk)).status_code == 403
    option.refresh_from_db()
    assert option.active


@pytest.mark.parametrize("name", ["catalog", "option_create"])
def test_another_organisation_gets_a_404_for_the_catalog(
    login, other_admin_user, organisation, name
):
    assert login(other_admin_user).get(url(name, organisation)).status_code == 404


@pytest.mark.parametrize("name", OPTION_PAGES + OPTION_ACTIONS)
def test_another_organisation_option_is_a_404_even_through_its_own_address(
    login, admin_user, organisation, other_organisation, name
):
    foreign = factories.RecognitionOptionFactory(organisation=other_organisation)
    client = login(admin_user)

    # Through our organisation's address, the other organisation's option does not exist.
    assert client.get(url(name, organisation, foreign.pk)).status_code in (404, 405)
    assert client.post(url(name, organisation, foreign.pk)).status_code == 404
    # And our admin is no member of the other organisation.
    assert client.post(url(name, other_organisation, foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.active


def test_anonymous_visitors_are_sent_to_log_in(client, organisation):
    response = client.get(url("catalog", organisation))

    assert response.status_code == 302
    assert "login" in response["Location"]
