"""Reading spreadsheets as French-Canadian offices write them.

CSV files come with `,`, `;` or tab between cells, in UTF-8 (with or without
the BOM Excel adds) or in Windows-1252; XLSX files come from Excel or
LibreOffice with real date cells. Headers may be French or English, in any
case, with or without accents. Cell values use `DD/MM/YYYY` or ISO dates and
a decimal comma or point. Everything here is pure: bytes in, Python values out.
"""

import codecs
import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .problems import Problem

XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"
DELIMITERS = (";", "\t", ",")
# A million rows is already more than a person checks in a spreadsheet; beyond, split the file.
MAX_ROWS = 1_000_000
# An XLSX is a zip: a few MB can unpack into gigabytes (a "zip bomb") that would fill the memory.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
# A row element in a worksheet, whatever the XML prefix the writer uses: <row r="2">, <x:row>.
XLSX_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
XLSX_ROW_LONGEST_MATCH = 64


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


def read_table(data, name="", *, max_rows=None):
    """Read CSV or XLSX bytes into a Table; raise UnreadableFile when that cannot be done.

    A file with more than `max_rows` (by default MAX_ROWS) data rows is refused as
    soon as the row after the last allowed one is read, so that it never sits whole
    in memory.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    read = _read_xlsx if _is_xlsx(data, name) else _read_csv
    table = read(data, max_rows)
    if table is None:
        raise UnreadableFile("empty_file")
    return table


def count_rows(data, name=""):
    """How many data rows a file holds at most, counted without reading its cells.

    Cheap enough for a web request whatever the file: line breaks for a CSV (blank
    lines and line breaks inside cells make it count a little more than there are),
    row elements of the first worksheet for an XLSX. None when an XLSX does not say
    where its first worksheet is. Raises UnreadableFile like read_table for files it
    can tell are unreadable (old Excel, damaged or oversized workbook).
    """
    if not _is_xlsx(data, name):
        breaks = max(data.count(b"\n"), data.count(b"\r"))
        lines = breaks + (0 if data.endswith((b"\n", b"\r")) else 1)
        return max(lines - 1, 0)
    with _open_xlsx_archive(data) as archive:
        path = _first_worksheet_path(archive)
        if path is None:
            return None
        try:
            stream = archive.open(path)
        except (KeyError, zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
            raise UnreadableFile("damaged_spreadsheet") from error
        with stream:
            return max(_count_xlsx_rows(stream) - 1, 0)


def _is_xlsx(data, name):
    if data.startswith(XLSX_SIGNATURE):
        return True
    if data.startswith(OLD_EXCEL_SIGNATURE) or name.lower().endswith(".xls"):
        raise UnreadableFile("old_excel")
    return False


def _open_xlsx_archive(data):
    """The XLSX as a zip archive, refused when it is damaged or unpacks into too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise UnreadableFile("damaged_spreadsheet") from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        archive.close()
        raise UnreadableFile(
            "spreadsheet_too_large", limit_mb=MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)
        )
    return archive


def _first_worksheet_path(archive):
    """The path in the archive of the first worksheet, the one the import reads; or None."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile):
        return None
    sheet = re.search(rb"<(?:[\w.-]+:)?sheet\b[^>]*?\b[\w.-]+:id=\"([^\"]+)\"", workbook)
    if sheet is None:
        return None
    for relation in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", relations):
        tag = relation.group(0)
        if re.search(rb'\bId="' + re.escape(sheet.group(1)) + rb'"', tag):
            target = re.search(rb'\bTarget="([^"]+)"', tag)
            if target is None:
                return None
            target = target.group(1).decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _count_xlsx_rows(stream):
    count, carried = 0, b""
    while chunk := stream.read(1 << 20):
        text = carried + chunk
        # A match starting near the end may run into the next chunk: count it there.
        edge = max(len(text) - XLSX_ROW_LONGEST_MATCH, 0)
        count += sum(1 for match in XLSX_ROW.finditer(text, 0, len(text)) if match.start() < edge)
        carried = text[edge:]
    return count + len(XLSX_ROW.findall(carried))


def decode_text(data):
    """UTF-16 when it starts with its BOM (Excel's "Unicode text"); else UTF-8 (BOM or not),
    because it fails loudly on anything else; then Windows-1252. The end-of-file mark (Ctrl-Z)
    that old DOS and payroll programs write after the last line is dropped."""
    return DOS_END_OF_FILE.sub("", _decoded(data))


# Ctrl-Z after the last line, sometimes several, sometimes followed by a line break.
DOS_END_OF_FILE = re.compile(r"\x1a+\s*\Z")


def _decoded(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
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


def _read_csv(data, max_rows):
    text = decode_text(data)
    if "\x00" in text:
        # No spreadsheet writes NUL in its text (and PostgreSQL refuses it): a binary file.
        raise UnreadableFile("unreadable_text")
    first_line = next((line for line in text.splitlines() if line.strip()), None)
    if first_line is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    try:
        return _table_from_rows(enumerate(reader, start=1), max_rows)
    except csv.Error as error:
        # A cell over the csv module's size limit or a NUL byte: not a spreadsheet's text.
        raise UnreadableFile("unreadable_text") from error


def _read_xlsx(data, max_rows):
    from openpyxl import load_workbook

    _open_xlsx_archive(data).close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("damaged_spreadsheet") from error
    try:
        sheet = workbook.worksheets[0]
        return _table_from_rows(enumerate(sheet.iter_rows(values_only=True), start=1), max_rows)
    except UnreadableFile:
        raise
    except Exception as error:  # a damaged sheet shows only as its rows are read
        raise UnreadableFile("damaged_spreadsheet") from error
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


def _table_from_rows(numbered_rows, max_rows):
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
            if len(table.rows) >= max_rows:
                raise UnreadableFile("too_many_rows", limit=max_rows)
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
        number = Decimal(str(value))
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise BadCell("not_a_number", value=str(value)) from error
    # A workbook's cell may hold NaN or infinity as well as text may.
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
