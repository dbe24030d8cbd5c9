"""Reading files and cells as French-Canadian spreadsheets write them."""

import datetime
from decimal import Decimal

import pytest

from laurier.imports.reading import (
    BadCell,
    UnreadableFile,
    decode_text,
    detect_delimiter,
    match_headers,
    normalise_text,
    parse_date,
    parse_decimal,
    read_table,
)


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("courriel;prénom;nom", ";"), ("email,first name", ","), ("a\tb\tc", "\t"), ("email", ",")],
)
def test_delimiter_is_the_one_that_splits_the_header(line, delimiter):
    assert detect_delimiter(line) == delimiter


def test_utf8_with_bom_is_read_without_the_bom():
    assert decode_text("\ufeffcourriel".encode()) == "courriel"


def test_windows_1252_is_read_when_utf8_fails():
    assert decode_text("Prénom;Durée".encode("cp1252")) == "Prénom;Durée"


def test_blank_lines_are_skipped_but_row_numbers_stay_those_of_the_sheet():
    table = read_table(b"courriel\n\na@example.org\n,\nb@example.org\n")
    assert table.rows == [(3, ["a@example.org"]), (5, ["b@example.org"])]


def test_quoted_cells_keep_their_separators():
    table = read_table('notes;durée\n"Un; deux";1,5\n'.encode())
    assert table.rows == [(2, ["Un; deux", "1,5"])]


def test_empty_file_cannot_be_read():
    with pytest.raises(UnreadableFile):
        read_table(b"\n \n")


def test_damaged_spreadsheet_cannot_be_read():
    with pytest.raises(UnreadableFile) as caught:
        read_table(b"PK\x03\x04 not really a workbook")
    assert caught.value.problem.code == "damaged_spreadsheet"


def test_old_excel_format_is_named():
    with pytest.raises(UnreadableFile) as caught:
        read_table(b"\xd0\xcf\x11\xe0" + b"\0" * 20)
    assert caught.value.problem.code == "old_excel"


@pytest.mark.parametrize(
    ("header", "normalised"),
    [
        ("Durée (minutes)", "duree minutes"),
        ("  DATE D’EMBAUCHE ", "date d embauche"),
        ("E-mail", "e mail"),
        ("Mentoré", "mentore"),
    ],
)
def test_headers_are_compared_without_case_accents_or_punctuation(header, normalised):
    assert normalise_text(header) == normalised


def test_headers_are_matched_through_their_aliases():
    columns = {"email": ("courriel", "e-mail"), "first_name": ("prénom", "first name")}
    positions, ignored, repeated = match_headers(["PRENOM", "Adresse", "E-Mail"], columns)
    assert positions == {"first_name": 0, "email": 2}
    assert ignored == ["Adresse"]
    assert repeated == []


def test_two_columns_meaning_the_same_are_reported():
    columns = {"email": ("courriel", "e-mail")}
    _, _, repeated = match_headers(["courriel", "e-mail"], columns)
    assert repeated == ["e-mail"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-02-28", datetime.date(2026, 2, 28)),
        ("28/02/2026", datetime.date(2026, 2, 28)),
        ("5/3/2026", datetime.date(2026, 3, 5)),
        ("2026-02-28 00:00:00", datetime.date(2026, 2, 28)),
        (datetime.datetime(2026, 2, 28, 9, 30), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 2, 28), datetime.date(2026, 2, 28)),
    ],
)
def test_dates_are_read_iso_or_day_first(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["31/02/2026", "02-28-2026", "demain", "2026-13-01"])
def test_impossible_dates_are_bad_cells(text):
    with pytest.raises(BadCell) as caught:
        parse_date(text)
    assert caught.value.code == "bad_date"


@pytest.mark.parametrize(
    ("text", "number"),
    [("1,5", Decimal("1.5")), ("1.5", Decimal("1.5")), ("1 234,5", Decimal("1234.5")),
     (2, Decimal("2")), (0.75, Decimal("0.75"))],
)  # fmt: skip
def test_decimals_take_a_comma_or_a_point(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize("text", ["une", "1,5,2", "NaN", "inf"])
def test_text_that_is_not_a_number_is_a_bad_cell(text):
    with pytest.raises(BadCell):
        parse_decimal(text)


def test_xlsx_cells_keep_their_types():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["date", "durée"])
    workbook.active.append([datetime.datetime(2026, 4, 7), 1.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "sessions.xlsx")
    assert table.headers == ["date", "durée"]
    assert table.rows == [(2, [datetime.date(2026, 4, 7), 1.5])]
