"""Chart geometry for inline SVG (pages and PDFs run no JavaScript). Plain Python.

The radar is laid out here, labels included: SVG text does not wrap, so each label is
wrapped on up to three lines and the viewBox is sized to hold every label whole. Text widths
are estimated from the characters (generously, for DejaVu Sans, the widest font the page
and the PDF fall back to); the browser tests check the estimate against real layout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pyphen  # type: ignore[import-untyped]

# Dark enough for text on white (WCAG AA), apart for the common colour-vision deficiencies:
# green, blue, orange-brown, then purple, crimson, olive for questionnaires with more.
DIMENSION_COLOURS = ("#0b5d4b", "#1f5fa8", "#a1480a", "#6b3fa0", "#a3245c", "#5c6b00")
PREVIOUS_COLOUR = "#4a5560"

_NARROW = set("iljtfrI.,;:'!|() -")
_WIDE = set("mwMWÄÖÅ@%")
_VOWELS = set("aeiouyäöåéèêàáâíìóòôúùüæøœąęó")


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of the width of ``text`` set in DejaVu Sans at ``font_size``."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.36
        elif char in _WIDE or char.isupper():
            em += 0.78
        else:
            em += 0.62
    return em * font_size


@cache
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    code = pyphen.language_fallback(language)
    return pyphen.Pyphen(lang=code) if code else None


def _syllable_breaks(word: str) -> list[int]:
    """Places a word may be hyphenated: before a consonant followed by a vowel (the rule of
    Finnish, and a fair guess elsewhere when no dictionary is at hand)."""
    lower = word.lower()
    return [
        i
        for i in range(2, len(word) - 2)
        if lower[i] not in _VOWELS and lower[i + 1] in _VOWELS and lower[i - 1].isalpha()
    ]


SOFT_HYPHEN = "\u00ad"


def soft_hyphenated(text: str, language: str, longer_than: int = 16) -> str:
    """``text`` with soft hyphens at the syllables of its long words, so that a browser
    that must break one (a German compound in a phone's table) breaks it where a
    typesetter would, and draws the hyphen; it never breaks a word that fits."""
    hyphenator = _hyphenator(language)
    words = []
    for word in text.split(" "):
        if len(word) > longer_than:
            breaks = hyphenator.positions(word) if hyphenator else _syllable_breaks(word)
            breaks = [b for b in breaks if 4 <= b <= len(word) - 4 and word[b - 1].isalpha()]
            for position in reversed(breaks):
                word = word[:position] + SOFT_HYPHEN + word[position:]
        words.append(word)
    return " ".join(words)


def _split_word(word: str, limit: float, font_size: float, language: str) -> list[str]:
    """A word too wide for a line, hyphenated at syllables into pieces that fit (a piece
    with no syllable break left stays whole: wider, never cut). Every piece but the last
    ends with the hyphen it was given."""
    hyphenator = _hyphenator(language)
    breaks = hyphenator.positions(word) if hyphenator else _syllable_breaks(word)
    pieces: list[str] = []
    start = 0
    while text_width(word[start:], font_size) > limit:
        later = [b for b in breaks if b > start]
        fitting = [b for b in later if text_width(word[start:b] + "-", font_size) <= limit]
        if not later:
            break
        end = (fitting or later)[-1 if fitting else 0]
        pieces.append(word[start:end] + "-")
        start = end
    pieces.append(word[start:])
    return pieces


def wrap_label(
    text: str, limit: float, font_size: float, language: str, lines: int = 3
) -> tuple[str, ...]:
    """``text`` on lines at most ``limit`` wide; widens the limit rather than use more than
    ``lines`` lines, so nothing is ever cut or elided."""
    while True:
        # (piece, whether it continues a word hyphenated here: joined without a space)
        pieces: list[tuple[str, bool]] = []
        for word in text.split():
            parts = _split_word(word, limit, font_size, language)
            pieces += [(part, index > 0) for index, part in enumerate(parts)]
        wrapped: list[str] = []
        for piece, continues in pieces:
            if wrapped:
                joined = wrapped[-1][:-1] + piece if continues else f"{wrapped[-1]} {piece}"
                if text_width(joined, font_size) <= limit:
                    wrapped[-1] = joined
                    continue
            wrapped.append(piece)
        if len(wrapped) <= lines:
            return tuple(wrapped)
        limit *= 1.15


@dataclass(frozen=True)
class RadarItem:
    """One axis as the caller hands it over."""

    label: str
    score: float | None
    previous: float | None = None  # the previous assessment's score, when there is one


@dataclass(frozen=True)
class RadarGroup:
    """A dimension: its axes sit together and share a colour."""

    label: str
    items: Sequence[RadarItem]


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float  # baseline
    text: str


@dataclass(frozen=True)
class RadarAxis:
    label: str
    lines: tuple[TextLine, ...]  # the label, wrapped
    score: float | None
    x: float  # end of the axis
    y: float
    anchor: str  # text-anchor of the label
    colour: str  # its dimension's


@dataclass(frozen=True)
class RadarSector:
    label: str
    colour: str
    wedge: str  # path: a pale sector behind the rings
    arc: str  # path: a coloured arc just outside the chart


@dataclass(frozen=True)
class LegendEntry:
    kind: str  # "dimension", "current" or "previous"
    colour: str
    x: float  # the swatch's left edge
    y: float  # the baseline of the text
    text: str


@dataclass(frozen=True)
class Radar:
    view_box: str
    width: float
    height: float
    font_size: float
    radius: float
    band_width: float
    axes: tuple[RadarAxis, ...]
    sectors: tuple[RadarSector, ...]
    rings: tuple[str, ...]  # polygon points of the 25/50/75/100 rings
    shape: str  # polygon points of the scores (no score: drawn at the centre)
    previous_shape: str | None  # the previous assessment's, when there is one
    legend: tuple[LegendEntry, ...]
    leaders: tuple[str, ...] = ()  # paths from each axis to its label (when beside the chart)


def _point(radius: float, angle: float) -> tuple[float, float]:
    return radius * math.cos(angle), radius * math.sin(angle)


def _points(values: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in values)


def _stack(wanted: list[tuple[float, float]], gap: float) -> list[float]:
    """Tops for boxes (wanted centre, height) in order down a column: each as near its
    wanted place as the boxes above it allow, the whole column then moved up as far as it
    was pushed down past its last box's wanted place (halved: above and below share it)."""
    tops: list[float] = []
    bottom = -math.inf
    for centre, height in wanted:
        top = max(centre - height / 2, bottom + gap)
        tops.append(top)
        bottom = top + height
    if wanted:
        last_centre, last_height = wanted[-1]
        pushed = bottom - (last_centre + last_height / 2)
        if pushed > 0:
            tops = [top - pushed / 2 for top in tops]
    return tops


def radar(
    groups: Sequence[RadarGroup],
    *,
    language: str = "en",
    font_size: float = 15,
    width: float = 640,
    min_radius: float = 90,
    max_radius: float = 260,
    label_width: float = 150,
    numbered: bool = False,
    legend: Sequence[str] = (),
) -> Radar:
    """A radar of the groups' axes, starting at the top, clockwise, each group in its colour.

    Labels sit in two columns beside the chart (the right half's axes on the right, top to
    bottom, the left half's on the left), each joined to its axis by a thin line, pushed
    apart so that none overlaps another however many axes there are. ``numbered``: the axes
    carry their numbers instead (for a phone; the table beside lists them in order).

    The chart is aimed at ``width`` units (so that, drawn ``width`` pixels wide, text is
    ``font_size`` pixels): the radius is as large as the labels leave room for, between
    ``min_radius`` and ``max_radius``; below the minimum the viewBox grows instead.
    ``legend`` names the current assessment and the previous one (shown when any item has
    a previous score)."""
    items = [(g_index, item) for g_index, g in enumerate(groups) for item in g.items]
    count = max(len(items), 3)
    step = 2 * math.pi / count
    angles = [-math.pi / 2 + step * i for i in range(count)]
    line_height = font_size * 1.2
    band_width = font_size * 0.45
    outer = 0.0  # set with the radius below
    wrapped: list[tuple[str, ...]]
    if numbered:
        wrapped = [(str(index + 1),) for index in range(len(items))]
    else:
        wrapped = [wrap_label(item.label, label_width, font_size, language) for _, item in items]
    widths = [max(text_width(line, font_size) for line in lines) for lines in wrapped]
    widest = max(widths, default=0.0)
    margin = font_size * 0.5
    if numbered:
        distance = band_width * 2 + font_size * 0.4
        reach = widest + distance
    else:
        distance = band_width * 2 + font_size * 1.5  # room for the leader lines
        reach = widest + distance
    radius = max(min_radius, min(max_radius, width / 2 - margin - reach))
    outer = radius + band_width * 1.2

    axes: list[RadarAxis] = []
    boxes: list[tuple[float, float, float, float]] = []
    leaders: list[str] = []
    if numbered:
        for (g_index, item), angle, lines, label_w in zip(
            items, angles, wrapped, widths, strict=False
        ):
            colour = DIMENSION_COLOURS[g_index % len(DIMENSION_COLOURS)]
            cx, cy = _point(radius + distance + label_w / 2, angle)
            baseline = cy + font_size * 0.35
            end_x, end_y = _point(radius, angle)
            axes.append(
                RadarAxis(
                    item.label,
                    (TextLine(round(cx, 1), round(baseline, 1), lines[0]),),
                    item.score,
                    round(end_x, 1),
                    round(end_y, 1),
                    "middle",
                    colour,
                )
            )
            boxes.append(
                (cx - label_w / 2, cy - line_height / 2, cx + label_w / 2, cy + line_height / 2)
            )
    else:
        half = (len(items) + 1) // 2  # the top axis and the right half, then the left half
        columns = [list(range(half)), list(range(len(items) - 1, half - 1, -1))]
        placed: dict[int, tuple[float, float]] = {}  # index -> (x of the text, top)
        for direction, column in zip((1, -1), columns, strict=True):
            wanted = [
                (math.sin(angles[i]) * (radius + distance), len(wrapped[i]) * line_height)
                for i in column
            ]
            tops = _stack(wanted, font_size * 0.35)
            for i, top in zip(column, tops, strict=True):
                placed[i] = (direction * (outer + distance - band_width * 1.2), top)
        for index, ((g_index, item), angle, lines, label_w) in enumerate(
            zip(items, angles, wrapped, widths, strict=False)
        ):
            colour = DIMENSION_COLOURS[g_index % len(DIMENSION_COLOURS)]
            x, top = placed[index]
            anchor = "start" if x > 0 else "end"
            text_lines = tuple(
                TextLine(round(x, 1), round(top + line_height * (i + 0.8), 1), line)
                for i, line in enumerate(lines)
            )
            left = x if anchor == "start" else x - label_w
            block = len(lines) * line_height
            boxes.append((left, top, left + label_w, top + block))
            # From just outside the band to the label's middle, stopping short of its text.
            sx, sy = _point(outer + band_width, angle)
            ex = x - font_size * 0.3 if x > 0 else x + font_size * 0.3
            leaders.append(f"M{sx:.1f},{sy:.1f} L{ex:.1f},{top + block / 2:.1f}")
            end_x, end_y = _point(radius, angle)
            axes.append(
                RadarAxis(
                    item.label,
                    text_lines,
                    item.score,
                    round(end_x, 1),
                    round(end_y, 1),
                    anchor,
                    colour,
                )
            )

    sectors: list[RadarSector] = []
    index = 0
    for g_index, group in enumerate(groups):
        if not group.items:
            continue
        first, last = index, index + len(group.items) - 1
        index += len(group.items)
        start = angles[first] - step / 2
        stop = angles[last] + step / 2
        large = 1 if stop - start > math.pi else 0
        sx, sy = _point(radius, start)
        ex, ey = _point(radius, stop)
        wedge = (
            f"M0,0 L{sx:.1f},{sy:.1f} A{radius:.1f},{radius:.1f} 0 {large} 1 {ex:.1f},{ey:.1f} Z"
        )
        gap = min(step * 0.12, 0.05)  # a little space between neighbouring arcs
        asx, asy = _point(outer, start + gap)
        aex, aey = _point(outer, stop - gap)
        arc = f"M{asx:.1f},{asy:.1f} A{outer:.1f},{outer:.1f} 0 {large} 1 {aex:.1f},{aey:.1f}"
        sectors.append(
            RadarSector(
                group.label, DIMENSION_COLOURS[g_index % len(DIMENSION_COLOURS)], wedge, arc
            )
        )

    rings = tuple(
        _points([_point(radius * level / 100, a) for a in angles]) for level in (25, 50, 75, 100)
    )
    shape = _points(
        [
            _point(radius * (item.score or 0) / 100, a)
            for (_, item), a in zip(items, angles, strict=False)
        ]
    )
    has_previous = any(item.previous is not None for _, item in items)
    previous_shape = (
        _points(
            [
                _point(radius * (item.previous or 0) / 100, a)
                for (_, item), a in zip(items, angles, strict=False)
            ]
        )
        if has_previous
        else None
    )

    extent = outer + band_width
    left = min([-extent, *(b[0] for b in boxes)]) - margin
    right = max([extent, *(b[2] for b in boxes)]) + margin
    top = min([-extent, *(b[1] for b in boxes)]) - margin
    bottom = max([extent, *(b[3] for b in boxes)]) + margin
    # Centred: as much room on the left as on the right.
    side = max(-left, right)
    left, right = -side, side

    # The legend below the chart, its entries flowing into rows as wide as the chart.
    entries: list[tuple[str, str, str]] = [
        ("dimension", DIMENSION_COLOURS[i % len(DIMENSION_COLOURS)], g.label)
        for i, g in enumerate(groups)
        if g.items
    ]
    if legend:
        entries.append(("current", "", legend[0]))
    if has_previous and len(legend) > 1:
        entries.append(("previous", PREVIOUS_COLOUR, legend[1]))
    swatch = font_size * 1.6
    legend_entries: list[LegendEntry] = []
    x, y = left + margin, bottom + line_height * 1.3
    for kind, colour, text in entries:
        entry_w = swatch + font_size * 0.4 + text_width(text, font_size)
        if x + entry_w > right - margin and x > left + margin:
            x, y = left + margin, y + line_height * 1.4
        legend_entries.append(LegendEntry(kind, colour, round(x, 1), round(y, 1), text))
        x += entry_w + font_size * 1.2
    if legend_entries:
        widest_row = max(
            e.x + swatch + font_size * 0.4 + text_width(e.text, font_size) for e in legend_entries
        )
        if widest_row + margin > right:  # an entry wider than the chart: widen it
            side = widest_row + margin
            left, right = -side, side
        bottom = y + line_height * 0.6

    view_width, view_height = right - left, bottom - top
    return Radar(
        view_box=f"{left:.1f} {top:.1f} {view_width:.1f} {view_height:.1f}",
        width=round(view_width, 1),
        height=round(view_height, 1),
        font_size=font_size,
        radius=round(radius, 1),
        band_width=round(band_width, 1),
        axes=tuple(axes),
        sectors=tuple(sectors),
        rings=rings,
        shape=shape,
        previous_shape=previous_shape,
        legend=tuple(legend_entries),
        leaders=tuple(leaders),
    )
