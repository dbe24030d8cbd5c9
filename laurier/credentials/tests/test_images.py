"""Badge images designed in Laurier: every design renders as a safe, self-contained SVG and a
512×512 PNG, with the label escaped and fitted. No database."""

import io
import re
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.utils import translation
from PIL import Image, ImageFont

from laurier.credentials.images import (
    LABEL_MAX_LENGTH,
    PALETTES,
    BadgeDesign,
    Emblem,
    Palette,
    Shape,
    render_png,
    render_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
DEJAVU_SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DESIGNS = [
    BadgeDesign(shape=shape, palette=palette, emblem=emblem, label=label)
    for index, (shape, palette) in enumerate(
        (shape, palette) for shape in Shape.values for palette in Palette.values
    )
    for emblem, label in [
        (
            Emblem.values[index % len(Emblem.values)],
            ["100 h", "5 ans", "Mentor de l'an", ""][index % 4],
        )
    ]
]


def label_text(svg: str):
    """The <text> element of the label (a rosette's sits in a group)."""
    return next(ElementTree.fromstring(svg).iter(f"{SVG}text"))


def font_size(svg: str) -> float:
    return float(label_text(svg).get("font-size"))


@pytest.mark.parametrize("design", DESIGNS, ids=lambda design: f"{design.shape}-{design.palette}")
def test_every_shape_and_palette_renders_a_well_formed_self_contained_svg(design):
    svg = render_svg(design)

    root = ElementTree.fromstring(svg, forbid_dtd=True)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 512 512"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert not re.search(r"<script|href=|url\((?!#)|@import|<foreignObject", svg)


@pytest.mark.parametrize(
    "design", DESIGNS[::5], ids=lambda design: f"{design.shape}-{design.palette}"
)
def test_a_design_renders_as_a_512_pixel_square_png(design):
    image = Image.open(io.BytesIO(render_png(render_svg(design))))

    assert image.format == "PNG"
    assert image.size == (512, 512)


def test_a_png_can_be_rendered_smaller():
    png = render_png(render_svg(BadgeDesign(label="2026")), size=128)

    assert Image.open(io.BytesIO(png)).size == (128, 128)


def test_every_emblem_is_drawn():
    drawings = {render_svg(BadgeDesign(emblem=emblem)) for emblem in Emblem.values}

    assert len(drawings) == len(Emblem.values)


def test_the_label_is_the_title_and_the_text_of_the_badge():
    root = ElementTree.fromstring(render_svg(BadgeDesign(label="100 h")))

    assert root.find(f"{SVG}title").text == "100 h"
    assert "".join(label_text(render_svg(BadgeDesign(label="100 h"))).itertext()) == "100 h"


def test_markup_in_a_label_stays_text():
    svg = render_svg(BadgeDesign(label="<script>&"))

    root = ElementTree.fromstring(svg)
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == "<script>&"
    assert list(root.iter(f"{SVG}script")) == []


def test_control_characters_are_removed_from_a_label():
    design = BadgeDesign(label="5\x00 a\x1bns\x7f")

    assert design.label == "5 ans"
    ElementTree.fromstring(render_svg(design))


def test_a_longer_label_gets_a_smaller_font():
    assert font_size(render_svg(BadgeDesign(label="Bénévole"))) < font_size(
        render_svg(BadgeDesign(label="5 ans"))
    )


@pytest.mark.parametrize(
    "label", ["W" * LABEL_MAX_LENGTH, "MMMMMMMMMMMMMM", "2026", "Bénévole émérite"[:14]]
)
@pytest.mark.parametrize("shape", Shape.values)
def test_every_line_of_a_label_fits_between_the_branches_of_the_wreath(label, shape):
    if not DEJAVU_SANS_BOLD.exists():
        pytest.skip("DejaVu Sans Bold is not installed, so text cannot be measured")
    text = label_text(render_svg(BadgeDesign(shape=shape, label=label)))
    font = ImageFont.truetype(str(DEJAVU_SANS_BOLD), size=float(text.get("font-size")))

    for line in text.iter(f"{SVG}tspan"):
        assert font.getlength(line.text) <= 250


def test_a_long_label_with_a_space_is_set_on_two_lines():
    text = label_text(render_svg(BadgeDesign(label="Mentor de l'an")))

    lines = [span.text for span in text.iter(f"{SVG}tspan")]
    assert lines == ["Mentor", "de l'an"]


def test_a_label_longer_than_the_limit_is_refused():
    with pytest.raises(ValueError):
        BadgeDesign(label="x" * (LABEL_MAX_LENGTH + 1))


def test_an_unknown_shape_palette_or_emblem_is_refused():
    for field in ("shape", "palette", "emblem"):
        with pytest.raises(ValueError):
            BadgeDesign(**{field: "sparkles"})


def test_a_design_survives_a_round_trip_through_a_dict():
    design = BadgeDesign(
        shape=Shape.SHIELD, palette=Palette.GOLD, emblem=Emblem.TROPHY, label="1er"
    )

    assert BadgeDesign.from_dict(design.as_dict()) == design
    assert design.as_dict() == {
        "shape": "shield",
        "palette": "gold",
        "emblem": "trophy",
        "label": "1er",
    }


def test_choices_have_translated_labels_for_a_form():
    with translation.override("en"):
        assert dict(Shape.choices)["rosette"] == "Ribbon rosette"
    assert len(Shape.choices) == 4
    assert len(Palette.choices) == 6
    assert len(Emblem.choices) >= 8


def relative_luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted([relative_luminance(first), relative_luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("palette", Palette.values)
def test_the_label_reads_on_every_part_of_the_field(palette):
    colours = PALETTES[palette]

    # WCAG AA for large bold text is 3:1; the field runs from "light" at the top to "body".
    assert contrast(colours["ink"], colours["body"]) >= 4.5
    assert contrast(colours["ink"], colours["light"]) >= 3
