"""Badge images designed in Laurier: a manager picks a shape, a palette, an emblem and a short
label, and Laurier draws a self-contained SVG (and a PNG of it for baking and sharing)."""

import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from xml.sax.saxutils import escape, quoteattr

from django.db import models
from django.utils.translation import gettext_lazy as _

LABEL_MAX_LENGTH = 14
CANVAS = 512
CENTRE = CANVAS / 2
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Shape(models.TextChoices):
    MEDALLION = "medallion", _("Medallion")
    SHIELD = "shield", _("Shield")
    HEXAGON = "hexagon", _("Hexagon")
    ROSETTE = "rosette", _("Ribbon rosette")


class Palette(models.TextChoices):
    FOREST = "forest", _("Forest")
    MAPLE = "maple", _("Maple")
    RIVER = "river", _("River")
    GOLD = "gold", _("Gold")
    PLUM = "plum", _("Plum")
    SLATE = "slate", _("Slate")


class Emblem(models.TextChoices):
    LAUREL = "laurel", _("Laurel")
    STAR = "star", _("Star")
    HEART = "heart", _("Heart")
    HANDSHAKE = "handshake", _("Handshake")
    LIGHTBULB = "lightbulb", _("Light bulb")
    CLOCK = "clock", _("Clock (hours)")
    CALENDAR = "calendar", _("Calendar (years)")
    PEOPLE = "people", _("People (pairings)")
    TROPHY = "trophy", _("Trophy")


# body: the field (a gradient from light at the top to body at the bottom); trim: rims, rings and
# the wreath; ink: emblem and label, which must read on the field (tests check the contrast).
PALETTES = {
    Palette.FOREST: {"light": "#2f7a4f", "body": "#1b4d33", "trim": "#d9bc6a", "ink": "#ffffff"},
    Palette.MAPLE: {"light": "#b3322b", "body": "#7c1a1a", "trim": "#e8c77a", "ink": "#ffffff"},
    Palette.RIVER: {"light": "#23729e", "body": "#10466a", "trim": "#b9dceb", "ink": "#ffffff"},
    Palette.GOLD: {"light": "#f1d283", "body": "#d3a43c", "trim": "#6e4d0f", "ink": "#3b2805"},
    Palette.PLUM: {"light": "#7a4589", "body": "#45214f", "trim": "#e2c27d", "ink": "#ffffff"},
    Palette.SLATE: {"light": "#4f6478", "body": "#2a3947", "trim": "#cfd6dd", "ink": "#ffffff"},
}


@dataclass(frozen=True)
class BadgeDesign:
    shape: str = Shape.MEDALLION
    palette: str = Palette.FOREST
    emblem: str = Emblem.LAUREL
    label: str = ""

    def __post_init__(self):
        if self.shape not in Shape.values:
            raise ValueError(f"unknown badge shape {self.shape!r}")
        if self.palette not in Palette.values:
            raise ValueError(f"unknown badge palette {self.palette!r}")
        if self.emblem not in Emblem.values:
            raise ValueError(f"unknown badge emblem {self.emblem!r}")
        label = clean_label(self.label)
        if len(label) > LABEL_MAX_LENGTH:
            raise ValueError(f"a badge label has at most {LABEL_MAX_LENGTH} characters")
        # Store plain strings so a design compares and serialises the same however it was built.
        object.__setattr__(self, "shape", str(self.shape))
        object.__setattr__(self, "palette", str(self.palette))
        object.__setattr__(self, "emblem", str(self.emblem))
        object.__setattr__(self, "label", label)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "BadgeDesign":
        return cls(
            **{key: data[key] for key in ("shape", "palette", "emblem", "label") if key in data}
        )


def clean_label(label: str) -> str:
    return _CONTROL_CHARACTERS.sub("", label or "").strip()


# Emblems are line icons on a 24-unit grid, stroked with round caps and joins (drawn for Laurier).
def _star_points() -> str:
    points = []
    for index in range(10):
        radius = 10 if index % 2 == 0 else 4.2
        angle = math.radians(-90 + index * 36)
        points.append(f"{12 + radius * math.cos(angle):.2f},{12.6 + radius * math.sin(angle):.2f}")
    return " ".join(points)


def _leaf(x: float, y: float, angle: float, length: float, width: float) -> str:
    """A pointed leaf from (x, y) in direction angle (degrees), as a closed path."""
    radians = math.radians(angle)
    dx, dy = math.cos(radians), math.sin(radians)
    nx, ny = -dy, dx
    tip_x, tip_y = x + dx * length, y + dy * length
    mid_x, mid_y = x + dx * length / 2, y + dy * length / 2
    return (
        f"M{x:.2f} {y:.2f}"
        f"Q{mid_x + nx * width:.2f} {mid_y + ny * width:.2f} {tip_x:.2f} {tip_y:.2f}"
        f"Q{mid_x - nx * width:.2f} {mid_y - ny * width:.2f} {x:.2f} {y:.2f}Z"
    )


def _laurel_branch() -> str:
    """The left half of a small laurel wreath; the right half is its mirror image."""
    leaves = []
    for step in range(5):
        degrees = 104 + step * 25
        radians = math.radians(degrees)
        x, y = 12 + 9 * math.cos(radians), 11 + 9 * math.sin(radians)
        tangent = degrees + 90
        leaves.append(_leaf(x, y, tangent + 32, 4.6, 1.3))
        leaves.append(_leaf(x, y, tangent - 32, 4.6, 1.3))
    return (
        '<path d="M11.1 19.9A9 9 0 0 1 5.6 4.6"/>'
        f'<path d="{"".join(leaves)}" fill="currentColor" stroke="none"/>'
    )


def _laurel_wreath() -> str:
    branch = _laurel_branch()
    return f'{branch}<g transform="matrix(-1 0 0 1 24 0)">{branch}</g>'


EMBLEMS = {
    Emblem.LAUREL: _laurel_wreath(),
    Emblem.STAR: f'<polygon points="{_star_points()}"/>',
    Emblem.HEART: (
        '<path d="M12 20.5C7 17 2.8 13.6 2.8 9.2A4.7 4.7 0 0 1 12 7.4'
        'A4.7 4.7 0 0 1 21.2 9.2C21.2 13.6 17 17 12 20.5Z"/>'
    ),
    Emblem.HANDSHAKE: (
        '<path d="M1.5 8.5L5 7l4.5 1.2"/>'
        '<path d="M22.5 8.5L19 7l-4 1.4-4.3 3.3a1.6 1.6 0 0 0 2.1 2.3l2.9-1.8"/>'
        '<path d="M19 7l1.9 7.7-1.7 1.2"/>'
        '<path d="M5 7l-1.9 7.7 2.2 1.8"/>'
        '<path d="M15.6 13l3.6 2.9a1.3 1.3 0 0 1-1.7 2l-1.3-1"/>'
        '<path d="M16.2 16.9a1.3 1.3 0 0 1-1.8 1.8l-1.1-.9"/>'
        '<path d="M13.3 17.8a1.3 1.3 0 0 1-1.8 1.7l-1-.8"/>'
        '<path d="M5.3 16.2l1.2-1.3a1.2 1.2 0 0 1 1.8 1.6l-1.1 1.2a1.2 1.2 0 0 1-1.9-1.5Z'
        'M8.3 16.5l.9-1a1.2 1.2 0 0 1 1.8 1.6l-.9 1a1.2 1.2 0 0 1-1.8-1.6Z"/>'
    ),
    Emblem.LIGHTBULB: (
        '<path d="M9 17.5h6M9.6 20.5h4.8"/>'
        '<path d="M9 17.5c0-2.2-3.8-4.2-3.8-8.3a6.8 6.8 0 0 1 13.6 0c0 4.1-3.8 6.1-3.8 8.3"/>'
        '<path d="M10.5 13.5l1.5-3 1.5 3"/>'
    ),
    Emblem.CLOCK: '<circle cx="12" cy="12" r="9.5"/><path d="M12 6.5V12l3.8 2.3"/>',
    Emblem.CALENDAR: (
        '<rect x="3" y="5" width="18" height="16" rx="2.2"/>'
        '<path d="M3 10h18M8 3v4M16 3v4"/>'
        '<path d="M7.5 14h.01M12 14h.01M16.5 14h.01M7.5 17.5h.01M12 17.5h.01"/>'
    ),
    Emblem.PEOPLE: (
        '<circle cx="8.5" cy="8" r="3.3"/><circle cx="16.5" cy="9.3" r="2.7"/>'
        '<path d="M2.5 20c0-3.6 2.7-6.3 6-6.3s6 2.7 6 6.3"/>'
        '<path d="M15 14.3c.5-.2 1-.3 1.5-.3 2.8 0 5 2.2 5 5.3"/>'
    ),
    Emblem.TROPHY: (
        '<path d="M7 3.5h10v6a5 5 0 0 1-10 0Z"/>'
        '<path d="M7 5.5H4.2v1.6A3.6 3.6 0 0 0 7.6 10.7M17 5.5h2.8v1.6a3.6 3.6 0 0 1-3.4 3.6"/>'
        '<path d="M12 14.5v3.5M8 21h8M9.5 21c0-1.7 1.1-3 2.5-3s2.5 1.3 2.5 3"/>'
    ),
}


def _polygon(sides: int, radius: float, rotation: float = -90) -> str:
    points = []
    for index in range(sides):
        angle = math.radians(rotation + index * 360 / sides)
        x, y = CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)
        points.append(f"{x:.2f},{y:.2f}")
    return " ".join(points)


def _scalloped_circle(radius: float, bumps: int) -> str:
    step = 2 * math.pi / bumps
    bump_radius = radius * math.sin(step / 2) * 1.08
    parts = []
    for index in range(bumps + 1):
        angle = -math.pi / 2 + index * step
        x, y = CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)
        if index == 0:
            parts.append(f"M{x:.2f} {y:.2f}")
        else:
            parts.append(f"A{bump_radius:.2f} {bump_radius:.2f} 0 0 1 {x:.2f} {y:.2f}")
    return "".join(parts) + "Z"


_SHIELD = (
    "M256 34C318 62 380 72 440 70V236C440 352 362 428 256 478"
    "C150 428 72 352 72 236V70C132 72 194 62 256 34Z"
)


def _scaled(element: str, factor: float) -> str:
    offset = CENTRE * (1 - factor)
    return f'<g transform="translate({offset:.2f} {offset:.2f}) scale({factor})">{element}</g>'


def _shape_layers(shape: str) -> tuple[str, str, str]:
    """(rim, field, inner ring) elements; the caller sets their fill and stroke."""
    if shape == Shape.SHIELD:
        outline = f'<path d="{_SHIELD}"/>'
        return outline, _scaled(outline, 0.94), _scaled(outline, 0.87)
    if shape == Shape.HEXAGON:
        return (
            f'<polygon points="{_polygon(6, 236)}" stroke-width="28" stroke-linejoin="round"/>',
            f'<polygon points="{_polygon(6, 222)}" stroke-width="16" stroke-linejoin="round"/>',
            f'<polygon points="{_polygon(6, 196)}" stroke-linejoin="round"/>',
        )
    if shape == Shape.ROSETTE:
        return (
            f'<path d="{_scalloped_circle(214, 28)}"/>',
            f'<circle cx="{CENTRE}" cy="{CENTRE}" r="196"/>',
            f'<circle cx="{CENTRE}" cy="{CENTRE}" r="182"/>',
        )
    return (
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="240"/>',
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="226"/>',
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="208"/>',
    )


def _ribbon_tails(colours: dict) -> str:
    """Two ribbon tails with notched ends, behind a rosette."""
    tails = []
    for side in (-1, 1):
        tail = "M-34 0H34V210L0 182L-34 210Z"
        tails.append(
            f'<path d="{tail}"'
            f' transform="translate({CENTRE + side * 70} 330) rotate({side * -16})"/>'
        )
    return (
        f'<g fill="{colours["body"]}" stroke="{colours["trim"]}" stroke-width="4"'
        f' stroke-linejoin="round">{"".join(tails)}</g>'
    )


def _wreath(radius: float, colour: str) -> str:
    """Two laurel branches rising from the bottom along a circle, open at the top."""
    leaves = []
    first, last, steps = 100, 236, 10
    for step in range(steps):
        size = 30 - step * 0.9
        for side, shift in ((1, 0.0), (-1, 0.5)):
            degrees = first + (step + shift) * (last - first) / steps
            radians = math.radians(degrees)
            x, y = CENTRE + radius * math.cos(radians), CENTRE + radius * math.sin(radians)
            leaves.append(_leaf(x, y, degrees + 90 + side * 30, size, size * 0.34))
    end = math.radians(last)
    tip_x, tip_y = CENTRE + radius * math.cos(end), CENTRE + radius * math.sin(end)
    leaves.append(_leaf(tip_x, tip_y, last + 90, 24, 8))
    start = math.radians(first)
    stem = (
        f"M{CENTRE + radius * math.cos(start):.2f} {CENTRE + radius * math.sin(start):.2f}"
        f"A{radius} {radius} 0 0 1 {tip_x:.2f} {tip_y:.2f}"
    )
    branch = (
        f'<path d="{stem}" fill="none" stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
        f'<path d="{"".join(leaves)}" fill="{colour}"/>'
    )
    mirrored = f'<g transform="matrix(-1 0 0 1 {CANVAS} 0)">{branch}</g>'
    return f'<g opacity="0.85">{branch}{mirrored}</g>'


# Advance widths of DejaVu Sans Bold in ems (the widest of the fonts named), rounded up by group;
# accented letters count as their base letter and anything else as the widest, "W".
_ADVANCE_GROUPS = {
    0.38: "'ijl /\\|IJ,.:;",
    0.49: "-f!()[]tr",
    0.60: '_`"*?zcs',
    0.73: "LxvykaeTEFo0123456789$hnu{}bdgpqSYZPC",
    0.83: "BRXAVKUGD",
    0.87: "HN#+<=>^~OQ&",
    1.04: "wM@%m",
}
_ADVANCES = {character: width for width, group in _ADVANCE_GROUPS.items() for character in group}
_WIDEST = 1.12


def _label_width(label: str) -> float:
    return sum(
        _ADVANCES.get(character, _WIDEST)
        for character in unicodedata.normalize("NFD", label)
        if not unicodedata.combining(character)
    )


def _label_lines(label: str) -> list[str]:
    """One line, or two balanced lines when a long label has a space to break at."""
    if len(label) <= 9 or " " not in label:
        return [label] if label else []
    candidates = [
        [label[:index].rstrip(), label[index + 1 :].lstrip()]
        for index, character in enumerate(label)
        if character == " "
    ]
    best = min(candidates, key=lambda lines: max(_label_width(line) for line in lines))
    return best if all(best) else [label]


# Where the label may sit, per shape: (centre of the text block, width available).
_LABEL_BOX = {
    Shape.MEDALLION: (330, 250),
    Shape.SHIELD: (326, 240),
    Shape.HEXAGON: (328, 240),
    Shape.ROSETTE: (322, 226),
}


def _label_svg(lines: list[str], shape: str, colour: str) -> str:
    centre_y, available_width = _LABEL_BOX[shape]
    largest = 76.0 if len(lines) == 1 else 50.0
    font_size = min(largest, min(available_width / _label_width(line) for line in lines))
    line_height = font_size * 1.08
    # A baseline sits about 0.36 em below the middle of a line of capitals and digits.
    first_baseline = centre_y - line_height * (len(lines) - 1) / 2 + font_size * 0.36
    spans = "".join(
        f'<tspan x="{CENTRE}" y="{first_baseline + index * line_height:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="middle" font-family={quoteattr(FONT_FAMILY)} font-weight="bold"'
        f' font-size="{font_size:.1f}" fill="{colour}">{spans}</text>'
    )


def render_svg(design: BadgeDesign) -> str:
    """The badge as a standalone 512×512 SVG: no scripts, no external references, no web fonts."""
    colours = PALETTES[Palette(design.palette)]
    shape = Shape(design.shape)
    rim, field, ring = _shape_layers(shape)
    label = design.label
    lines = _label_lines(label)
    # The emblem takes the middle of a badge without a label, and makes room for two lines.
    emblem_size, emblem_centre_y = {0: (200, CENTRE), 1: (150, 206), 2: (124, 186)}[len(lines)]
    scale = emblem_size / 24
    emblem_x = CENTRE - emblem_size / 2
    emblem_y = emblem_centre_y - emblem_size / 2
    wreath_radius = {Shape.ROSETTE: 162, Shape.SHIELD: 170}.get(shape, 178)
    title = escape(label) if label else escape(str(Emblem(design.emblem).label))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS} {CANVAS}"'
        f' width="{CANVAS}" height="{CANVAS}" role="img">',
        f"<title>{title}</title>",
        "<defs>"
        '<linearGradient id="field" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{colours["light"]}"/>'
        f'<stop offset="1" stop-color="{colours["body"]}"/>'
        "</linearGradient>"
        '<radialGradient id="sheen" cx="0.5" cy="0.18" r="0.62">'
        '<stop offset="0" stop-color="#ffffff" stop-opacity="0.22"/>'
        '<stop offset="1" stop-color="#ffffff" stop-opacity="0"/>'
        "</radialGradient>"
        "</defs>",
    ]
    if shape == Shape.ROSETTE:
        parts.append(_ribbon_tails(colours))
    parts += [
        f'<g fill="{colours["trim"]}" stroke="{colours["trim"]}">{rim}</g>',
        f'<g fill="{colours["body"]}" stroke="{colours["body"]}">{field}</g>',
        f'<g fill="url(#field)">{field}</g>',
        f'<g fill="url(#sheen)">{field}</g>',
        f'<g fill="none" stroke="{colours["trim"]}" stroke-width="3">{ring}</g>',
        _wreath(wreath_radius, colours["trim"]),
        f'<g transform="translate({emblem_x:.2f} {emblem_y:.2f}) scale({scale:.4f})"'
        f' fill="none" color="{colours["ink"]}" stroke="{colours["ink"]}" stroke-width="1.5"'
        ' stroke-linecap="round"'
        f' stroke-linejoin="round">{EMBLEMS[Emblem(design.emblem)]}</g>',
    ]
    if lines:
        parts.append(_label_svg(lines, shape, colours["ink"]))
    if shape == Shape.ROSETTE:
        # The tails hang below the rosette: shrink the drawing so that all of it fits.
        parts[3:] = ['<g transform="translate(20.48 8) scale(0.92)">', *parts[3:], "</g>"]
    parts.append("</svg>")
    return "".join(parts)


def render_png(svg: str, size: int = 512) -> bytes:
    import cairosvg

    return cairosvg.svg2png(
        bytestring=svg.encode("utf-8"),
        output_width=size,
        output_height=size,
        # Our own SVG refers to nothing outside itself; unsafe=False keeps it that way.
        unsafe=False,
    )
