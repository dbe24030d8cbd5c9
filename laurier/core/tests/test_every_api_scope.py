"""Every API operation asks its family's scope of the token, and write for a write.

The walk reads the live schema, so a new endpoint is covered as soon as it exists (the
cross-organisation walk, laurier/api/tests/test_cross_organisation.py, checks the rows).
The token's scopes are checked before anything else, so an id that does not exist does: the
refusal comes first.
"""

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from laurier.api.scopes import ALL_SCOPES, READ, WRITE, scope_name
from laurier.testing.api import client_with, make_token

pytestmark = pytest.mark.django_db

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _family_and_access(path, method):
    """The family a call at `path` belongs to, and the access it needs (read or write)."""
    match = resolve(path.replace("{id}", "1"))
    view = match.func.cls
    action = match.func.actions.get(method.lower())
    access = READ if method in SAFE_METHODS else WRITE
    return view.scope_family, view.scope_access.get(action, access)


def _operations():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, methods in sorted(paths.items()):
        for method in sorted(methods):
            family, access = _family_and_access(path, method.upper())
            yield path, method.upper(), family, access


OPERATIONS = list(_operations())
WRITES = [operation for operation in OPERATIONS if operation[3] == WRITE]


def name(operations):
    return [f"{method} {path}" for path, method, _family, _access in operations]


def call(key, path, method):
    return client_with(key).generic(
        method, path.replace("{id}", "1"), data="{}", content_type="application/json"
    )


def test_every_operation_belongs_to_a_family():
    orphans = [f"{method} {path}" for path, method, family, _access in OPERATIONS if not family]

    assert not orphans, f"Give these API views a scope_family: {orphans}"


@pytest.mark.parametrize(("path", "method", "family", "access"), OPERATIONS, ids=name(OPERATIONS))
def test_a_token_without_the_familys_scope_gets_403(
    organisation, admin_user, path, method, family, access
):
    others = [scope for scope in ALL_SCOPES if not scope.startswith(f"{family}:")]
    _token, key = make_token(organisation, admin_user, scopes=others)

    response = call(key, path, method)

    assert response.status_code == 403, (method, path, response.content[:300])
    assert scope_name(family, access) in response.json()["error"]["message"]


@pytest.mark.parametrize(("path", "method", "family", "access"), WRITES, ids=name(WRITES))
def test_a_read_only_token_gets_403_on_every_write(
    organisation, admin_user, path, method, family, access
):
    reads = [scope for scope in ALL_SCOPES if scope.endswith(f":{READ}")]
    _token, key = make_token(organisation, admin_user, scopes=reads)

    response = call(key, path, method)

    assert response.status_code == 403, (method, path, response.content[:300])
    assert scope_name(family, WRITE) in response.json()["error"]["message"]
