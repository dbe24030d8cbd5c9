"""Chart specs: what a chart draws, the same on a page (insights/charts.js, Chart.js) and in the
PDF report (`svg.py`). A spec is a plain dict, so it goes through `json_script` unchanged.

Values are numbers or None (a gap); Decimals become floats here, once.
"""

from decimal import Decimal


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def dataset(label, values, colour=None):
    data = {"label": str(label), "data": [_number(value) for value in values]}
    if colour:
        data["colour"] = colour
    return data


def bar(labels, datasets, *, horizontal=False, stacked=False, percent=False, **axis):
    """A bar chart: one bar per label and dataset. `axis` may give `min` and `max`."""
    return {
        "type": "bar",
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "horizontal": horizontal,
        "stacked": stacked,
        "percent": percent,
        **axis,
    }


def line(labels, datasets, *, percent=False, **axis):
    """A line chart: one line per dataset, one point per label. `axis` may give `min`, `max`."""
    return {
        "type": "line",
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "horizontal": False,
        "stacked": False,
        "percent": percent,
        **axis,
    }
