"""Reading spreadsheets as French-Canadian offices write them.

CSV files come with `,`, `;` or tab between cells, in UTF-8 (with or without
the BOM Excel adds) or in Windows-1252; XLSX files come from Excel or
LibreOffice with real date cells. Headers may be French or English, in any
case, with or without accents. Cell values use `DD/MM/YYYY` or ISO dates and
a decimal comma or point. Everything here is pure: bytes in, Python values out.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .problems import Problem

XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"
DELIMITERS = (";", "\t", ",")


class UnreadableFile(Exception):
    """The file as a whole cannot be read; `problem` says why, for the person who sent it."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.problem = Problem(code=code, row=None, params=params)


class BadCell(ValueError):
    """One cell holds a value that does not fit its column."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    """The header row and the non-empty data rows, each with the row number a spreadsheet shows."""

    headers: list
    rows: list = field(default_factory=list)  # [(row_number, [cell, ...]), ...]
    header_row: int = 1


def read_table(data, name=""):
    """Read CSV or XLSX bytes into a Table; raise UnreadableFile when that cannot be done."""
    if data.startswith(XLSX_SIGNATURE):
        table = _read_xlsx(data)
    elif data.startswith(OLD_EXCEL_SIGNATURE) or name.lower().endswith(".xls"):
        raise UnreadableFile("old_excel")
    else:
        table = _read_csv(data)
    if table is None:
        raise UnreadableFile("empty_file")
    return table


def decode_text(data):
    """UTF-8 (BOM or not) first, because it fails loudly on anything else; then Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # A few bytes are undefined in Windows-1252; Latin-1 reads them rather than refusing.
        return data.decode("latin-1")


def detect_delimiter(header_line):
    """The separator that splits the header row the most; a comma when nothing splits it."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(data):
    text = decode_text(data)
    first_line = next((line for line in text.splitlines() if line.strip()), None)
    if first_line is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    return _table_from_rows(enumerate(reader, start=1))


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("damaged_spreadsheet") from error
    try:
        sheet = workbook.worksheets[0]
        return _table_from_rows(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _clean_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    return value


def _table_from_rows(numbered_rows):
    table = None
    for number, raw in numbered_rows:
        cells = [_clean_cell(value) for value in raw]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if table is None:
            table = Table(headers=[str(cell) for cell in cells], header_row=number)
        else:
            table.rows.append((number, cells))
    return table


@functools.lru_cache(maxsize=4096)
def normalise_text(text):
    """Lower case, no accents, words separated by one space: 'Durée (minutes)' → 'duree minutes'."""
    text = str(text).replace("’", "'").replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def match_headers(headers, columns):
    """Map each known field to its column index.

    `columns` maps a field to the header names that mean it. Returns
    (positions, ignored headers, fields named by two columns).
    """
    lookup = {normalise_text(alias): name for name, aliases in columns.items() for alias in aliases}
    positions, ignored, repeated = {}, [], []
    for index, header in enumerate(headers):
        name = lookup.get(normalise_text(header))
        if name is None:
            if header.strip():
                ignored.append(header)
        elif name in positions:
            repeated.append(header)
        else:
            positions[name] = index
    return positions, ignored, repeated


# Cell parsers: each takes a non-empty cell and returns a Python value or raises BadCell.

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
DAY_FIRST_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
SLASHED_ISO_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


def parse_date(value):
    """A date cell, or text as YYYY-MM-DD or DD/MM/YYYY (the order Québec writes)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    match = ISO_DATE.match(text) or SLASHED_ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
    else:
        match = DAY_FIRST_DATE.match(text)
        if not match:
            raise BadCell("bad_date", value=text)
        day, month, year = match.groups()
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise BadCell("bad_date", value=text) from error


def parse_decimal(value):
    """A number cell, or text with a decimal comma or point and perhaps spaces between thousands."""
    if isinstance(value, bool):
        raise BadCell("not_a_number", value=str(value))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise BadCell("not_a_number", value=str(value)) from error
    if not number.is_finite():
        raise BadCell("not_a_number", value=str(value))
    return number


def parse_choice(value, synonyms, code):
    """One of a few values, whatever the language: `synonyms` maps normalised words to a value."""
    choice = synonyms.get(normalise_text(value))
    if choice is None:
        raise BadCell(code, value=str(value))
    return choice


def synonyms_for(extra):
    """Normalised words that mean each value: {value: [word, ...]} → {word: value}."""
    return {
        normalise_text(word): value for value, words in extra.items() for word in (value, *words)
    }


def cell_text(value):
    """A cell as text, with whole numbers from spreadsheets written without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
