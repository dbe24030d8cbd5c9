"""Chart specs (`charts.py`) drawn as inline SVG, for the annual report's PDF.

The page draws the same specs with Chart.js; a PDF cannot run a script, so the report draws them
here: vertical and horizontal bars (grouped or stacked) and lines, with their value axis, labels
and legend. A report is often printed in black and white, so every series is told apart by more
than its colour: bars by a fill pattern (solid, hatched, dotted...), lines by a dash and a marker
shape. Every text is escaped: labels may hold names people typed.
"""

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape

# The palette of insights/charts.js: dark enough for text contrast, told apart by people with
# colour-blindness.
COLOURS = ["#2f6b3a", "#b8860b", "#1f5f8b", "#a4412c", "#6b4c9a", "#4d4d4d"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"]
MARKERS = ["circle", "square", "triangle", "diamond", "circle", "square"]
FONT = 'font-family="DejaVu Sans, sans-serif"'

WIDTH = 640
VERTICAL_HEIGHT = 300
BAR_ROW_HEIGHT = 22
LABEL_WIDTH = 190
LEGEND_ROW_HEIGHT = 18
TICK_COUNT = 5
# Beyond this many bars, numbers written at their ends would overlap: the axis and the table
# that follows each chart give them.
MOST_VALUE_LABELS = 24


@dataclass
class Area:
    """Where the plot goes inside the picture, in SVG units."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self):
        return self.right - self.left

    @property
    def height(self):
        return self.bottom - self.top


def _fmt(value, percent=False):
    """A number as the reader writes it ('1 234,5' in French), with ' %' on a percent axis."""
    if value is None:
        return ""
    rounded = round(value, 1)
    decimals = 0 if float(rounded).is_integer() else 1
    text = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{text} %" if percent else text


def _shorten(text, characters):
    return text if len(text) <= characters else text[: max(characters - 1, 1)] + "…"


def _nice_step(span):
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) cutting `span` into about TICK_COUNT parts."""
    raw = span / TICK_COUNT
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def value_axis(spec, values):
    """(low, high, ticks) of the value axis: from zero (or the lowest value below it) to a round
    number above the highest, or the spec's `min`/`max`; a percent axis goes to 100."""
    present = [value for value in values if value is not None]
    low = min([0, *present])
    high = max([0, *present])
    if spec.get("percent"):
        high = max(high, 100)
    if spec.get("min") is not None:
        low = spec["min"]
    if spec.get("max") is not None:
        high = spec["max"]
    elif spec.get("percent"):
        high = 100 if high <= 100 else high
    if high <= low:
        high = low + 1
    step = _nice_step(high - low)
    if not spec.get("percent") and all(float(value).is_integer() for value in present):
        # Counts: no tick between two whole numbers.
        step = max(1, step if float(step).is_integer() else math.floor(step))
    if spec.get("max") is None and not (spec.get("percent") and high == 100):
        high = math.ceil(high / step - 1e-9) * step
    if spec.get("min") is None:
        low = math.floor(low / step + 1e-9) * step
    ticks = []
    tick = low
    while tick <= high + step / 1000:
        ticks.append(round(tick, 10))
        tick += step
    return low, high, ticks


def _stack_totals(spec):
    """The highest and lowest end of each stacked bar (positives up, negatives down)."""
    ends = []
    for index in range(len(spec["labels"])):
        values = [ds["data"][index] for ds in spec["datasets"] if index < len(ds["data"])]
        ends.append(sum(v for v in values if v is not None and v > 0))
        ends.append(sum(v for v in values if v is not None and v < 0))
    return ends


def _all_values(spec):
    if spec.get("stacked") and spec["type"] == "bar":
        return _stack_totals(spec)
    return [value for dataset in spec["datasets"] for value in dataset["data"]]


def _value(dataset, index):
    data = dataset["data"]
    return data[index] if index < len(data) else None


# --- Drawing pieces --------------------------------------------------------------------------


def _patterns(prefix, count):
    """One fill per series, readable without colour: solid, hatched, crossed, dotted..."""
    shapes = [
        "",
        '<path d="M0 6 L6 0" stroke="#fff" stroke-width="1.6"/>',
        '<path d="M0 0 L6 6 M0 6 L6 0" stroke="#fff" stroke-width="1.2"/>',
        '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
        '<path d="M0 3 L6 3" stroke="#fff" stroke-width="1.6"/>',
        '<path d="M3 0 L3 6" stroke="#fff" stroke-width="1.6"/>',
    ]
    defs = []
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        defs.append(
            f'<pattern id="{prefix}-fill-{index}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{colour}"/>'
            f"{shapes[index % len(shapes)]}</pattern>"
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _fill(prefix, index, dataset):
    if dataset.get("colour"):
        return escape(dataset["colour"])
    return f"url(#{prefix}-fill-{index})"


def _marker(shape, x, y, colour):
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} '
            f'L{x - 4.5:.1f} {y + 3.5:.1f} Z" fill="{colour}"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y:.1f} L{x:.1f} {y + 4.5:.1f} '
            f'L{x - 4.5:.1f} {y:.1f} Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _text(x, y, text, *, anchor="start", size=11, colour="#222", extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{colour}" {FONT}{extra}>{escape(text)}</text>'
    )


def _legend(spec, prefix, top):
    """The series' names with their swatch, on as many rows as they need; returns (svg, height)."""
    parts = []
    x, y = 10.0, top
    for index, dataset in enumerate(spec["datasets"]):
        label = _shorten(str(dataset["label"]), 40)
        width = 36 + len(label) * 7
        if x + width > WIDTH - 10 and x > 10:
            x, y = 10.0, y + LEGEND_ROW_HEIGHT
        colour = dataset.get("colour") or COLOURS[index % len(COLOURS)]
        if spec["type"] == "line":
            dash = DASHES[index % len(DASHES)]
            parts.append(
                f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 18:.1f}" y2="{y:.1f}" '
                f'stroke="{escape(colour)}" stroke-width="2"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
            parts.append(_marker(MARKERS[index % len(MARKERS)], x + 9, y, escape(colour)))
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 6:.1f}" width="14" height="12" '
                f'fill="{_fill(prefix, index, dataset)}" stroke="#222" stroke-width=".5"/>'
            )
        parts.append(_text(x + 22, y + 4, label))
        x += width
    return "".join(parts), (y - top) + LEGEND_ROW_HEIGHT


def _shows_legend(spec):
    return spec.get("legend", len(spec["datasets"]) > 1)


# --- Charts ----------------------------------------------------------------------------------


def _vertical(spec, prefix, area, low, high, ticks):
    parts = []
    labels = spec["labels"]
    percent = spec.get("percent")

    def y_of(value):
        return area.bottom - (value - low) / (high - low) * area.height

    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{area.left:.1f}" y1="{y:.1f}" x2="{area.right:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width=".6"/>'
        )
        parts.append(_text(area.left - 6, y + 4, _fmt(tick, percent), anchor="end", size=10))
    slot = area.width / max(len(labels), 1)
    # Labels that would overlap are turned and shortened.
    turned = max((len(label) for label in labels), default=0) * 6 > slot
    for index, label in enumerate(labels):
        x = area.left + slot * (index + 0.5)
        if turned:
            parts.append(
                _text(
                    x,
                    area.bottom + 12,
                    _shorten(label, 18),
                    anchor="end",
                    size=10,
                    extra=f' transform="rotate(-35 {x:.1f} {area.bottom + 12:.1f})"',
                )
            )
        else:
            parts.append(_text(x, area.bottom + 16, label, anchor="middle", size=10))
    datasets = spec["datasets"]
    if spec["type"] == "line":
        parts.extend(_lines(spec, area, slot, y_of))
    else:
        parts.extend(_vertical_bars(spec, prefix, datasets, area, slot, y_of))
    zero = y_of(0 if low <= 0 <= high else low)
    parts.append(
        f'<line x1="{area.left:.1f}" y1="{zero:.1f}" x2="{area.right:.1f}" y2="{zero:.1f}" '
        f'stroke="#222" stroke-width="1"/>'
    )
    return parts


def _segments(datasets, index, stacked):
    """The bars of one label: (number, dataset, value, start, end, position), `position` being the
    bar's place beside the label's others (0 for all when stacked: they pile up instead, positive
    values upwards and negative ones downwards)."""
    positive = negative = 0.0
    for number, dataset in enumerate(datasets):
        value = _value(dataset, index)
        if value is None:
            continue
        if not stacked:
            yield number, dataset, value, 0, value, number
            continue
        start = positive if value >= 0 else negative
        end = start + value
        if value >= 0:
            positive = end
        else:
            negative = end
        yield number, dataset, value, start, end, 0


def _vertical_bars(spec, prefix, datasets, area, slot, y_of):
    parts = []
    stacked = spec.get("stacked")
    groups = 1 if stacked else max(len(datasets), 1)
    bar_width = slot * 0.75 / groups
    label_values = not stacked and len(spec["labels"]) * groups <= MOST_VALUE_LABELS
    for index in range(len(spec["labels"])):
        for number, dataset, value, start, end, position in _segments(datasets, index, stacked):
            x = area.left + slot * index + slot * 0.125 + bar_width * position
            top, bottom = sorted((y_of(start), y_of(end)))
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_width:.1f}" '
                f'height="{max(bottom - top, 0.5):.1f}" fill="{_fill(prefix, number, dataset)}" '
                f'stroke="#222" stroke-width=".4"/>'
            )
            if label_values:
                parts.append(
                    _text(
                        x + bar_width / 2,
                        top - 3 if value >= 0 else bottom + 11,
                        _fmt(value, spec.get("percent")),
                        anchor="middle",
                        size=9,
                    )
                )
    return parts


def _lines(spec, area, slot, y_of):
    parts = []
    for number, dataset in enumerate(spec["datasets"]):
        colour = escape(dataset.get("colour") or COLOURS[number % len(COLOURS)])
        dash = DASHES[number % len(DASHES)]
        segment = []
        segments = [segment]
        points = []
        for index in range(len(spec["labels"])):
            value = _value(dataset, index)
            if value is None:
                # A gap in the data is a gap in the line.
                segment = []
                segments.append(segment)
                continue
            point = (area.left + slot * (index + 0.5), y_of(value))
            segment.append(point)
            points.append(point)
        for piece in segments:
            if len(piece) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in piece)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
        for x, y in points:
            parts.append(_marker(MARKERS[number % len(MARKERS)], x, y, colour))
    return parts


def _horizontal(spec, prefix, area, low, high, ticks):
    parts = []
    labels = spec["labels"]
    percent = spec.get("percent")
    stacked = spec.get("stacked")
    datasets = spec["datasets"]

    def x_of(value):
        return area.left + (value - low) / (high - low) * area.width

    for tick in ticks:
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{area.top:.1f}" x2="{x:.1f}" y2="{area.bottom:.1f}" '
            f'stroke="#d0d0d0" stroke-width=".6"/>'
        )
        parts.append(_text(x, area.bottom + 14, _fmt(tick, percent), anchor="middle", size=10))
    slot = area.height / max(len(labels), 1)
    groups = 1 if stacked else max(len(datasets), 1)
    bar_height = slot * 0.75 / groups
    label_values = not stacked and len(labels) * groups <= MOST_VALUE_LABELS
    for index, label in enumerate(labels):
        y_middle = area.top + slot * (index + 0.5)
        parts.append(_text(area.left - 6, y_middle + 4, _shorten(label, 30), anchor="end", size=10))
        for number, dataset, value, start, end, position in _segments(datasets, index, stacked):
            y = area.top + slot * index + slot * 0.125 + bar_height * position
            x1, x2 = sorted((x_of(start), x_of(end)))
            parts.append(
                f'<rect x="{x1:.1f}" y="{y:.1f}" width="{max(x2 - x1, 0.5):.1f}" '
                f'height="{bar_height:.1f}" fill="{_fill(prefix, number, dataset)}" '
                f'stroke="#222" stroke-width=".4"/>'
            )
            if label_values:
                parts.append(
                    _text(
                        x2 + 4 if value >= 0 else x1 - 4,
                        y + bar_height / 2 + 4,
                        _fmt(value, percent),
                        anchor="start" if value >= 0 else "end",
                        size=9,
                    )
                )
    zero = x_of(0 if low <= 0 <= high else low)
    parts.append(
        f'<line x1="{zero:.1f}" y1="{area.top:.1f}" x2="{zero:.1f}" y2="{area.bottom:.1f}" '
        f'stroke="#222" stroke-width="1"/>'
    )
    return parts


def chart_svg(spec, *, key="chart"):
    """The chart `spec` as an `<svg>` element (a string safe to insert in HTML).

    `key` makes the ids of its fill patterns unique in a document that holds several charts.
    """
    prefix = "c-" + "".join(ch if ch.isalnum() else "-" for ch in str(key))
    title = str(spec.get("title", ""))
    horizontal = spec.get("horizontal") and spec["type"] == "bar"
    low, high, ticks = value_axis(spec, _all_values(spec))
    legend, legend_height = ("", 0)
    if _shows_legend(spec):
        legend, legend_height = _legend(spec, prefix, 12)
    top = legend_height + 14
    if horizontal:
        height = top + max(len(spec["labels"]), 1) * BAR_ROW_HEIGHT * (
            1 if spec.get("stacked") else max(len(spec["datasets"]), 1) ** 0.6
        )
        area = Area(left=LABEL_WIDTH, top=top, right=WIDTH - 46, bottom=height)
        height += 24
        body = _horizontal(spec, prefix, area, low, high, ticks)
    else:
        height = VERTICAL_HEIGHT + legend_height
        area = Area(left=56, top=top, right=WIDTH - 10, bottom=height - 58)
        body = _vertical(spec, prefix, area, low, high, ticks)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title)}" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}">'
        f"<title>{escape(title)}</title>"
        f"{_patterns(prefix, len(spec['datasets']))}"
        f"{legend}{''.join(body)}</svg>"
    )
