"""Charts drawn as SVG for the PDF report: well-formed XML, every kind of chart, axes, legend,
text escaped, series told apart without colour."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from laurier.insights import charts
from laurier.insights.svg import chart_svg, value_axis

SVG = "{http://www.w3.org/2000/svg}"


def titled(spec, title="Recognitions by month"):
    spec["title"] = title
    return spec


def parsed(spec, key="chart"):
    return ET.fromstring(chart_svg(spec, key=key))


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


def bars(root):
    # Legend swatches are 14 wide; bars are drawn with a thin outline and are the other rects.
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("stroke-width") == ".4"]


MONTHS = ["Apr", "May", "Jun"]


@pytest.mark.parametrize(
    "spec",
    [
        charts.bar(MONTHS, [charts.dataset("Given", [1, 4, 2])]),
        charts.bar(MONTHS, [charts.dataset("A", [1, 4, 2]), charts.dataset("B", [3, 0, 1])]),
        charts.bar(MONTHS, [charts.dataset("A", [1, 4, 2])], horizontal=True),
        charts.bar(
            MONTHS,
            [charts.dataset("A", [1, 4, 2]), charts.dataset("B", [3, 0, 1])],
            stacked=True,
        ),
        charts.bar(
            MONTHS,
            [charts.dataset("A", [1, 4, 2]), charts.dataset("B", [3, 0, 1])],
            horizontal=True,
            stacked=True,
        ),
        charts.line(MONTHS, [charts.dataset("Hours", [10.5, None, 12])]),
        charts.bar([], []),
        charts.line(MONTHS, [charts.dataset("Nothing", [None, None, None])]),
    ],
    ids=[
        "vertical",
        "grouped",
        "horizontal",
        "stacked",
        "horizontal-stacked",
        "line",
        "empty",
        "all-gaps",
    ],
)
def test_every_kind_of_chart_is_well_formed_svg_with_its_title(spec):
    root = parsed(titled(spec))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Recognitions by month"
    assert root.find(f"{SVG}title").text == "Recognitions by month"


def test_a_vertical_bar_chart_draws_one_bar_per_value_with_its_labels():
    root = parsed(titled(charts.bar(MONTHS, [charts.dataset("Given", [1, 4, 2])])))

    assert len(bars(root)) == 3
    assert {"Apr", "May", "Jun"} <= set(texts(root))
    # Each bar's value is written at its end.
    assert {"1", "4", "2"} <= set(texts(root))


def test_bars_are_as_tall_as_their_values():
    root = parsed(titled(charts.bar(["a", "b"], [charts.dataset("Given", [2, 4])], max=4)))

    short, tall = (float(rect.get("height")) for rect in bars(root))
    assert tall == pytest.approx(2 * short, rel=0.01)


def test_grouped_bars_sit_side_by_side_and_stacked_bars_on_top_of_each_other():
    datasets = [charts.dataset("A", [1, 2]), charts.dataset("B", [3, 4])]
    grouped = bars(parsed(titled(charts.bar(["x", "y"], datasets))))
    stacked = bars(parsed(titled(charts.bar(["x", "y"], datasets, stacked=True))))

    assert grouped[0].get("x") != grouped[1].get("x")
    assert stacked[0].get("x") == stacked[1].get("x")
    # The second series starts where the first ends.
    first, second = stacked[0], stacked[1]
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(
        float(first.get("y")), abs=0.2
    )


def test_horizontal_bars_grow_to_the_right():
    root = parsed(
        titled(charts.bar(["a", "b"], [charts.dataset("Given", [1, 3])], horizontal=True, max=3))
    )

    narrow, wide = (float(rect.get("width")) for rect in bars(root))
    assert wide == pytest.approx(3 * narrow, rel=0.01)


def test_a_percent_axis_goes_to_100_and_says_percent():
    with translation.override("en"):
        root = parsed(titled(charts.bar(["a"], [charts.dataset("Share", [41.7])], percent=True)))

    labels = texts(root)
    assert "100 %" in labels
    assert "0 %" in labels
    assert "41.7 %" in labels


def test_numbers_are_written_as_the_reader_writes_them():
    with translation.override("fr-ca"):
        labels = texts(parsed(titled(charts.bar(["a"], [charts.dataset("Cost", [1234.5])]))))

    assert "1\xa0234,5" in labels or "1 234,5" in labels


def test_a_line_chart_breaks_at_a_gap_and_marks_each_point():
    root = parsed(titled(charts.line(["a", "b", "c", "d"], [charts.dataset("H", [1, 2, None, 4])])))

    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1  # a-b; d alone is only a point
    assert len(lines[0].get("points").split()) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_lines_differ_by_dash_and_marker_not_only_colour():
    root = parsed(
        titled(
            charts.line(
                ["a", "b"], [charts.dataset("This year", [1, 2]), charts.dataset("Last", [2, 3])]
            )
        )
    )

    dashes = [line.get("stroke-dasharray") for line in root.iter(f"{SVG}polyline")]
    assert dashes[0] is None and dashes[1]
    assert list(root.iter(f"{SVG}circle")) and list(root.iter(f"{SVG}rect"))


def test_bar_series_differ_by_pattern_for_black_and_white_printing():
    root = parsed(
        titled(charts.bar(["a"], [charts.dataset("A", [1]), charts.dataset("B", [2])])),
        key="impact-1",
    )

    fills = {rect.get("fill") for rect in bars(root)}
    assert fills == {"url(#c-impact-1-fill-0)", "url(#c-impact-1-fill-1)"}
    hatch = root.find(f".//{SVG}pattern[@id='c-impact-1-fill-1']")
    assert hatch.find(f"{SVG}path") is not None


def test_a_legend_names_the_series_when_there_are_several():
    two = texts(
        parsed(
            titled(
                charts.bar(
                    ["a"],
                    [charts.dataset("Recognised", [1]), charts.dataset("Not recognised", [2])],
                )
            )
        )
    )
    one = texts(parsed(titled(charts.bar(["a"], [charts.dataset("Recognised", [1])]))))

    assert {"Recognised", "Not recognised"} <= set(two)
    assert "Recognised" not in one


def test_text_is_escaped():
    spec = titled(
        charts.bar(['<script>"x"</script> & co'], [charts.dataset("A & <B>", [1, 2])]),
        title="Tom & Jerry <3",
    )
    spec["legend"] = True

    markup = chart_svg(spec)
    root = ET.fromstring(markup)

    assert "<script>" not in markup
    assert root.get("aria-label") == "Tom & Jerry <3"
    assert "A & <B>" in texts(root)


def test_many_turned_labels_are_shortened():
    labels = [f"A very long department name {n}" for n in range(12)]
    root = parsed(titled(charts.bar(labels, [charts.dataset("A", list(range(12)))])))

    assert any(text.endswith("…") for text in texts(root))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0, 0], (0, 1)),
        ([3, 7], (0, 8)),
        ([12], (0, 12)),
        ([-3, 17], (-5, 20)),
        ([1234], (0, 1250)),
    ],
)
def test_the_value_axis_runs_from_zero_to_a_round_number(values, expected):
    low, high, ticks = value_axis({}, values)

    assert (low, high) == expected
    assert ticks[0] == low and ticks[-1] == high


def test_count_axes_have_whole_number_ticks():
    _low, _high, ticks = value_axis({}, [12])

    assert all(float(tick).is_integer() for tick in ticks)


def test_the_axis_follows_the_specs_bounds():
    assert value_axis({"min": 1, "max": 5}, [2, 3])[:2] == (1, 5)
