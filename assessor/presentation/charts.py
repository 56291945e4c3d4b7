"""Chart geometry for inline SVG (pages and PDFs run no JavaScript). Plain Python."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RadarAxis:
    label: str
    score: float | None
    x: float  # end of the axis
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor for the label


@dataclass(frozen=True)
class Radar:
    size: float
    centre: float
    radius: float
    axes: tuple[RadarAxis, ...]
    rings: tuple[str, ...]  # polygon points of the 25/50/75/100 rings
    shape: str  # polygon points of the scores (no score: drawn at the centre)


def radar(items: list[tuple[str, float | None]], size: float = 320) -> Radar:
    """Axes for (label, score 0..100 or None) pairs, starting at the top, clockwise."""
    centre = size / 2
    radius = size * 0.32
    count = max(len(items), 3)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return centre + radius * fraction * math.cos(angle), centre + radius * fraction * math.sin(
            angle
        )

    axes = []
    for index, (label, score) in enumerate(items):
        x, y = point(index, 1)
        lx, ly = point(index, 1.18)
        anchor = "middle" if abs(lx - centre) < 1 else ("start" if lx > centre else "end")
        axes.append(
            RadarAxis(label, score, round(x, 1), round(y, 1), round(lx, 1), round(ly, 1), anchor)
        )
    rings = tuple(
        " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level / 100) for i in range(count)))
        for level in (25, 50, 75, 100)
    )
    shape = " ".join(
        f"{x:.1f},{y:.1f}"
        for x, y in (point(i, (score or 0) / 100) for i, (_, score) in enumerate(items))
    )
    return Radar(size, centre, radius, tuple(axes), rings, shape)
