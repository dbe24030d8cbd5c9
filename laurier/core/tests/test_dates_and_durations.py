import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import formats, timezone, translation

from laurier.core.dates import organisation_today
from laurier.core.durations import minutes_to_hours


def test_organisation_today_follows_the_organisations_time_zone(organisation, monkeypatch):
    # 02:00 UTC on July 1st is still June 30th in Toronto.
    instant = datetime.datetime(2026, 7, 1, 2, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    organisation.time_zone = "America/Toronto"
    assert organisation_today(organisation) == datetime.date(2026, 6, 30)
    organisation.time_zone = "Europe/Paris"
    assert organisation_today(organisation) == datetime.date(2026, 7, 1)


def test_minutes_to_hours_rounds_to_a_tenth():
    assert minutes_to_hours(100) == Decimal("1.7")
    assert str(minutes_to_hours(90 + 30)) == "2.0"


def test_minutes_to_hours_counts_nothing_as_zero():
    assert str(minutes_to_hours(None)) == "0.0"


def test_as_hours_filter_rounds_like_the_exports():
    with translation.override("en"):
        rendered = Template("{% load durations %}{{ minutes|as_hours }}").render(
            Context({"minutes": 100})
        )
    assert rendered == str(minutes_to_hours(100))


def test_as_hours_filter_writes_the_readers_decimal_separator():
    with translation.override("fr-ca"):
        rendered = Template("{% load durations %}{{ minutes|as_hours }}").render(
            Context({"minutes": 100})
        )
    assert rendered == "1,7"


def render_date(value, date_format="DATE_FORMAT"):
    return Template("{{ value|date:format }}").render(
        Context({"value": value, "format": date_format})
    )


def test_french_writes_the_first_of_the_month_as_1er():
    with translation.override("fr-ca"):
        assert render_date(datetime.date(2026, 10, 1)) == "1er octobre 2026"
        assert formats.date_format(datetime.date(2026, 10, 1), "MONTH_DAY_FORMAT") == "1er octobre"


def test_french_writes_the_other_days_as_plain_numbers():
    with translation.override("fr-ca"):
        assert render_date(datetime.date(2026, 10, 2)) == "2 octobre 2026"
        assert render_date(datetime.date(2026, 10, 1), "SHORT_DATE_FORMAT") == "2026-10-01"


def test_english_keeps_its_own_first_of_the_month():
    with translation.override("en"):
        assert "1er" not in render_date(datetime.date(2026, 10, 1))
