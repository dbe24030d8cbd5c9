"""Lists and exports with any input: query strings never make a server error, and what
Laurier writes into spreadsheets is never a formula nor a character a workbook refuses."""

import csv
import io

import openpyxl
import pytest
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from laurier.core.listing import FORMULA_STARTS, export_response, search_text
from laurier.testing import factories

FUZZ = settings(max_examples=20, deadline=None, derandomize=True)

TYPED = st.one_of(
    st.text(max_size=15),
    st.text(alphabet=st.characters(max_codepoint=0x40), max_size=6),
    st.sampled_from(
        ['=HYPERLINK("http://evil.example","clic")', "+1", "-2+3", "@SUM(A1)", " =1", "\t=1"]
    ),
    st.sampled_from(["\x0b=1", "a\x00b", "\x1f+1", "ok\x0c", "\r\n-1"]),
)


def is_formula(text):
    return text.lstrip().startswith(FORMULA_STARTS)


@FUZZ
@given(
    headers=st.lists(TYPED, min_size=1, max_size=3),
    rows=st.lists(st.lists(TYPED, max_size=3), max_size=3),
)
@example(headers=["=1"], rows=[["a\x0bb"]])
def test_exported_workbooks_hold_text_as_typed_never_formulas(headers, rows):
    response = export_response("liste", headers, rows, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert cell.value is None or not is_formula(str(cell.value))


@FUZZ
@given(
    headers=st.lists(TYPED, min_size=1, max_size=3),
    rows=st.lists(st.lists(TYPED, max_size=3), max_size=3),
)
@example(headers=["=1"], rows=[["+1"]])
def test_exported_csv_cells_are_never_formulas(headers, rows):
    with translation.override("en"):
        response = export_response("liste", headers, rows, "csv")
    for line in csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")):
        assert not any(is_formula(cell) for cell in line)


# Query strings of list pages

PARAMETERS = [
    "page",
    "sort",
    "q",
    "status",
    "kind",
    "source",
    "program",
    "cycle",
    "since",
    "mentor",
    "year",
    "view",
    "export",
]
QUERY_VALUES = st.one_of(
    st.text(max_size=10),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["-", "--name", "-pk", "name", "last_name", "0", "1e3", "\x00", "%00", "csv", "xlsx", "pdf"]
    ),
)
QUERIES = st.dictionaries(
    st.sampled_from(PARAMETERS),
    st.one_of(QUERY_VALUES, st.lists(QUERY_VALUES, min_size=2, max_size=3)),
    max_size=4,
)
LIST_PAGES = [
    "programs:people",
    "programs:mentors",
    "programs:pairings",
    "imports:list",
    "organisations:members",
    "surveys:list",
    "insights:attention",
    "hours:sessions",
]


def url_of(name, organisation, program):
    try:
        return reverse(name, args=[organisation.slug])
    except NoReverseMatch:
        return reverse(name, args=[organisation.slug, program.slug])


@pytest.fixture
def listed(organisation, program, admin_user):
    """A few rows in every list, so that sorting and paging have something to order."""
    factories.PairingFactory.create_batch(3, program=program)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("name", LIST_PAGES)
@settings(FUZZ, max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
@example(query={"q": "\x00", "page": "99999999999999999999999", "sort": "-"})
@example(query={"page": ["-1", "abc"], "sort": ["name", "-nope"], "q": "é" * 500})
def test_any_query_string_answers_a_list_page_not_a_server_error(
    listed, organisation, program, name, query
):
    response = listed.get(url_of(name, organisation, program), query)
    assert response.status_code < 500


def test_searched_words_lose_nul_bytes_postgresql_refuses():
    request = RequestFactory().get("/", {"q": " Tremb\x00lay "})
    assert search_text(request) == "Tremblay"
