"""Reading any file and any cell: a Table or the importer's own problem, never a crash.

Pure functions, no database: hypothesis throws bytes, near-valid CSV files in every encoding
and separator offices use, XLSX workbooks with every kind of cell, and damaged zips at them.
"""

import datetime
import io
import string
import zipfile
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given, settings
from hypothesis import strategies as st

from laurier.imports.forms import check_uploaded_file
from laurier.imports.importers import (
    COLUMNS,
    ENROLMENT_STATUSES,
    FORMATS,
    LANGUAGES,
    PAIRING_STATUSES,
    SETTINGS,
    parse_hours,
    parse_minutes,
)
from laurier.imports.problems import MESSAGES
from laurier.imports.reading import (
    BadCell,
    Table,
    UnreadableFile,
    cell_text,
    count_rows,
    match_headers,
    parse_choice,
    parse_date,
    parse_decimal,
    read_table,
)

FUZZ = settings(max_examples=30, deadline=None, derandomize=True)

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "latin-1")
DELIMITERS = (",", ";", "\t")
LINE_ENDS = ("\n", "\r\n", "\r")
KNOWN_HEADERS = [alias for aliases in COLUMNS.values() for alias in aliases]
HEADERS = st.one_of(
    st.sampled_from(KNOWN_HEADERS),
    st.sampled_from(KNOWN_HEADERS).map(str.upper),
    st.sampled_from(["", " ", "Prénom ", "ÉTAT", "Durée (minutes)", "colonne inconnue", "?"]),
    st.text(max_size=12),
)
FORMULA_CELLS = st.sampled_from(
    ['=HYPERLINK("http://evil.example","clic")', "+1", "-2+3", "@SUM(A1)", "=1+1", " =cmd|' /C"]
)
CELLS = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=string.printable, max_size=20),
    FORMULA_CELLS,
    st.sampled_from(["", " ", '"', '""', '"a;b"', "a\nb", "\x00", "é", "1,5", "1 234,5"]),
    st.text(min_size=1, max_size=3).map(lambda text: text * 5000),
)


def is_problem(unreadable):
    """An UnreadableFile the person can read: a known code whose sentence takes its params."""
    problem = unreadable.problem
    return problem.row is None and problem.code in MESSAGES


def check_table(table):
    assert isinstance(table, Table)
    assert all(isinstance(header, str) for header in table.headers)
    numbers = [number for number, _cells in table.rows]
    assert numbers == sorted(set(numbers))
    assert all(number > table.header_row for number in numbers)


def read_or_problem(data, name="import.csv"):
    """read_table's answer: a sound Table, or None after a readable problem."""
    try:
        table = read_table(data, name)
    except UnreadableFile as unreadable:
        assert is_problem(unreadable)
        return None
    check_table(table)
    return table


@st.composite
def csv_files(draw):
    """A near-valid CSV: a header row and rows, written as some office program would."""
    delimiter = draw(st.sampled_from(DELIMITERS))
    line_end = draw(st.sampled_from(LINE_ENDS))
    quote_all = draw(st.booleans())
    headers = draw(st.lists(HEADERS, min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(headers) + 1), max_size=5))

    def line(cells):
        if quote_all:
            cells = ['"' + cell.replace('"', '""') + '"' for cell in cells]
        return delimiter.join(cells)

    text = line_end.join(line(cells) for cells in [headers, *rows]) + draw(
        st.sampled_from(["", line_end, line_end * 3])
    )
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=st.binary(max_size=300))
@example(data=b"\xff\xfe" + "courriel\tnom\r\n".encode("utf-16-le"))
@example(data=b"courriel;nom\na@example.org;A\x00B\n")
@example(data=b"PK\x03\x04\x00\x00")
@example(data=b"\xd0\xcf\x11\xe0")
def test_any_bytes_read_as_a_table_or_a_problem(data):
    read_or_problem(data)
    count_or_problem(data)


def count_or_problem(data, name="import.csv"):
    try:
        counted = count_rows(data, name)
    except UnreadableFile as unreadable:
        assert is_problem(unreadable)
        return
    assert counted is None or counted >= 0


@FUZZ
@given(data=csv_files())
def test_near_valid_csv_files_read_as_a_table_or_a_problem(data):
    table = read_or_problem(data)
    if table is not None:
        assert "\x00" not in "".join(table.headers)
        assert all("\x00" not in str(cell) for _number, cells in table.rows for cell in cells)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_every_encoding_offices_write_reads_the_same_table(encoding):
    text = "courriel\tprénom\tnom\r\nmarie@example.org\tMarie-Ève\tBélanger\r\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    table = read_table(data, "import.csv")
    assert table.headers == ["courriel", "prénom", "nom"]
    assert table.rows == [(2, ["marie@example.org", "Marie-Ève", "Bélanger"])]


def test_the_dos_end_of_file_mark_after_the_last_line_is_dropped():
    data = "courriel;nom\r\nmarie@example.org;Bélanger\r\n\x1a\x1a\r\n".encode("cp1252")
    check_uploaded_file(SimpleUploadedFile("paie.csv", data))
    table = read_table(data, "paie.csv")
    assert table.rows == [(2, ["marie@example.org", "Bélanger"])]


def test_a_control_character_inside_a_csv_is_still_refused():
    with pytest.raises(ValidationError):
        check_uploaded_file(SimpleUploadedFile("paie.csv", b"courriel;nom\r\na\x1ab;C\r\n"))


def test_a_nul_byte_in_a_csv_makes_it_unreadable_not_a_value_the_database_refuses():
    with pytest.raises(UnreadableFile) as caught:
        read_table(b"courriel;nom\na@example.org;A\x00B\n", "import.csv")
    assert caught.value.problem.code == "unreadable_text"


def test_a_cell_longer_than_the_csv_limit_makes_the_file_unreadable():
    with pytest.raises(UnreadableFile) as caught:
        read_table(b"notes\n" + b"x" * 200_000 + b"\n", "import.csv")
    assert caught.value.problem.code == "unreadable_text"


XLSX_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=15),
    FORMULA_CELLS,
    st.sampled_from(["=SUM(1,2)", "=A1", "=1/0", "#N/A"]),
)


@st.composite
def xlsx_files(draw):
    """A workbook as openpyxl writes it: rows of any cells, merged cells, a few sheets."""
    from openpyxl import Workbook

    workbook = Workbook()
    for index in range(draw(st.integers(min_value=1, max_value=3))):
        sheet = workbook.active if index == 0 else workbook.create_sheet(f"Feuille {index + 1}")
        headers = draw(st.lists(HEADERS.filter(lambda h: h.isprintable()), max_size=5))
        if headers:
            sheet.append(headers)
        for cells in draw(st.lists(st.lists(XLSX_VALUES, max_size=5), max_size=4)):
            sheet.append(cells)
        if draw(st.booleans()) and sheet.max_row > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=2, end_column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@settings(FUZZ, max_examples=15)
@given(data=xlsx_files())
def test_any_workbook_reads_as_a_table_or_a_problem(data):
    read_or_problem(data, "import.xlsx")
    count_or_problem(data, "import.xlsx")


@pytest.fixture(scope="module")
def workbook_bytes():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["courriel", "prénom", "nom", "date d'embauche"])
    workbook.active.append(["a@example.org", "Anne", "Roy", datetime.date(2020, 1, 2)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(cut=st.integers(min_value=0, max_value=10_000), flips=st.lists(st.integers(), max_size=4))
def test_damaged_workbooks_read_as_a_table_or_a_problem(workbook_bytes, cut, flips):
    data = bytearray(workbook_bytes[: max(cut, 4)] if cut < len(workbook_bytes) else workbook_bytes)
    for position in flips:
        data[position % len(data)] ^= 0xFF
    read_or_problem(bytes(data), "import.xlsx")
    count_or_problem(bytes(data), "import.xlsx")


def test_a_workbook_whose_sheet_is_not_xml_is_a_damaged_spreadsheet(workbook_bytes):
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = b"<worksheet><sheetData><row r='1'><c"
            damaged.writestr(info, content)
    with pytest.raises(UnreadableFile) as caught:
        read_table(buffer.getvalue(), "import.xlsx")
    assert caught.value.problem.code == "damaged_spreadsheet"


# Cells

DATE_TEXTS = st.one_of(
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.strftime("%Y/%m/%d")),
    st.dates().map(lambda day: day.strftime("%m/%d/%y")),
    st.dates().map(lambda day: day.strftime("%d %B %Y")),
    st.dates().map(lambda day: day.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.from_regex(r"\A\d{1,5}[-/.]\d{1,3}[-/.]\d{1,5}\Z"),
    st.text(max_size=12),
)
CELL_VALUES = st.one_of(
    DATE_TEXTS,
    st.integers(),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.from_regex(r"\A-?[\d  .,]{1,12}(e-?\d{1,4})?\Z"),
)


def parsed_or_bad_cell(parser, value):
    try:
        return parser(value)
    except BadCell as bad:
        assert bad.code in MESSAGES
        return None


@FUZZ
@given(value=CELL_VALUES)
@example(value="0000-01-01")
@example(value="31/02/2024")
def test_any_cell_parses_as_a_date_or_a_bad_date(value):
    parsed = parsed_or_bad_cell(parse_date, value)
    assert parsed is None or isinstance(parsed, datetime.date)


@FUZZ
@given(value=CELL_VALUES)
@example(value=float("nan"))
@example(value=float("inf"))
@example(value=Decimal("sNaN"))
def test_any_cell_parses_as_a_finite_number_or_a_bad_number(value):
    parsed = parsed_or_bad_cell(parse_decimal, value)
    assert parsed is None or parsed.is_finite()


@FUZZ
@given(value=CELL_VALUES)
@example(value="1e300")
@example(value=1e300)
@example(value="1 000 000 000 000 000 000 000 000 000 000")
def test_any_cell_parses_as_a_session_length_or_a_bad_duration(value):
    for parser in (parse_minutes, parse_hours):
        minutes = parsed_or_bad_cell(parser, value)
        assert minutes is None or 5 <= minutes <= 12 * 60


@FUZZ
@given(value=CELL_VALUES)
def test_any_cell_is_a_known_choice_or_a_bad_one(value):
    choices = (LANGUAGES, ENROLMENT_STATUSES, PAIRING_STATUSES, FORMATS, SETTINGS)
    for synonyms in choices:
        parser = partial(parse_choice, synonyms=synonyms, code="bad_status")
        parsed = parsed_or_bad_cell(parser, value)
        assert parsed is None or parsed in synonyms.values()
    assert isinstance(cell_text(value), str)


@FUZZ
@given(headers=st.lists(HEADERS, max_size=10))
def test_any_header_row_maps_each_field_to_one_column(headers):
    positions, ignored, repeated = match_headers(headers, COLUMNS)
    assert set(positions) <= set(COLUMNS)
    assert len(set(positions.values())) == len(positions)
    assert len(positions) + len(ignored) + len(repeated) <= len(headers)
