"""A token of one organisation never reads nor changes another's rows, through any endpoint.

The test walks every path of the live schema, so a new endpoint is covered as soon as it exists;
each resource says how to make one of its rows in `tests/objects/<family>.py` (MAKERS).
"""

import importlib
import pkgutil

import pytest
from drf_spectacular.generators import SchemaGenerator

from laurier.api.tests import objects
from laurier.api.urls import router

PREFIX = "/api/v1/"


def _makers():
    makers = {}
    for module_info in pkgutil.iter_modules(objects.__path__):
        module = importlib.import_module(f"{objects.__name__}.{module_info.name}")
        makers.update(module.MAKERS)
    return makers


def _basename_by_prefix():
    return {prefix: basename for prefix, _viewset, basename in router.registry}


def _operations():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, methods in sorted(paths.items()):
        prefix = path.removeprefix(PREFIX).split("/")[0]
        for method in sorted(methods):
            yield path, method.upper(), prefix


OPERATIONS = list(_operations())
ROW_OPERATIONS = [operation for operation in OPERATIONS if "{id}" in operation[0]]
LISTS = [
    operation
    for operation in OPERATIONS
    if operation[1] == "GET" and "{" not in operation[0] and operation[0].count("/") == 4
]


def test_every_resource_says_how_to_make_one_of_its_rows():
    missing = set(_basename_by_prefix().values()) - set(_makers())

    assert not missing, f"Add a maker in laurier/api/tests/objects/ for: {sorted(missing)}"


@pytest.mark.parametrize(
    ("path", "method", "prefix"), ROW_OPERATIONS, ids=[f"{m} {p}" for p, m, _ in ROW_OPERATIONS]
)
def test_another_organisations_row_answers_404_to_every_method(
    api, other_api, other_organisation, path, method, prefix
):
    row = _makers()[_basename_by_prefix()[prefix]](other_organisation)
    address = path.replace("{id}", str(row.pk))
    before = _state(row)

    response = api.generic(method, address, data="{}", content_type="application/json")

    assert response.status_code == 404, (method, address, response.content[:300])
    assert response.json()["error"]["code"] == "not_found"
    assert _state(row) == before
    if method == "GET":
        # The row is there: its own organisation reads it.
        assert other_api.get(address).status_code == 200


@pytest.mark.parametrize(("path", "method", "prefix"), LISTS, ids=[p for p, _m, _ in LISTS])
def test_lists_never_show_another_organisations_rows(
    api, other_api, other_organisation, path, method, prefix
):
    _makers()[_basename_by_prefix()[prefix]](other_organisation)

    # Only the other organisation has rows: the list it sees has them, ours is empty.
    assert other_api.get(path).json()["count"] >= 1
    assert api.get(path).json()["count"] == 0


def _state(row):
    row.refresh_from_db()
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
