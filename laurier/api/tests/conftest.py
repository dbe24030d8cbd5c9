import pytest

from laurier.testing.api import client_with, make_token


@pytest.fixture
def api_key(organisation, admin_user):
    """A key of organisation "hydro" with every scope."""
    return make_token(organisation, admin_user)[1]


@pytest.fixture
def api(api_key):
    """An API client of organisation "hydro" with every scope, answered in English."""
    return client_with(api_key)


@pytest.fixture
def other_api(other_organisation, other_admin_user):
    """An API client of the other organisation, with every scope."""
    return client_with(make_token(other_organisation, other_admin_user)[1])
