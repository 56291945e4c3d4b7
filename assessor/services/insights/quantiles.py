"""Medians and quartiles computed in the database, for many groups in one statement.

On SQLite each group's scores are numbered in order by a window function and only the
neighbours of each quartile's position come back: at most seven rows per group whatever
its size. PostgreSQL computes them itself (``percentile_cont``), one row per group. The definition is a spreadsheet's QUARTILE.INC (and
numpy's default), interpolating between neighbours, as the peer comparison's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal_column, or_, select

from assessor.services.insights.suppression import quantiles_shown
from assessor.storage.db import db

QUARTERS = (1, 2, 3)  # lower quartile, median, upper quartile


@dataclass(frozen=True)
class Spread:
    """How many scores a group has, and (from the minimum on) their quartiles."""

    count: int
    lower: float | None = None
    median: float | None = None
    upper: float | None = None


def spreads(
    source: Select[*tuple[Any, ...]], groups: int, minimum: int
) -> dict[tuple[Any, ...], Spread]:
    """Per group, the spread of ``score``. ``source`` selects the group's ``groups`` columns
    first, then a column named ``score`` (NULL scores are left out)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return _ordered_set_spreads(source, groups, minimum)
    inner = source.subquery()
    keys = list(inner.c)[:groups]
    score = inner.c.score
    ranked = (
        select(
            *keys,
            score,
            func.row_number().over(partition_by=keys, order_by=score).label("position"),
            func.count().over(partition_by=keys).label("scores"),
        )
        .where(score.is_not(None))
        .subquery()
    )
    # 1-based positions floor(q (n - 1) / 4) + 1 and the next one, for q = 1, 2, 3;
    # position 1 always, so that a group below the minimum still tells its count.
    # Constants written into the statement: its text stays the same, compiled once.
    wanted = [
        (ranked.c.scores - 1) * literal_column(str(q)) // literal_column("4")
        + literal_column(str(offset))
        for q in QUARTERS
        for offset in (1, 2)
    ]
    rows = db.session.execute(
        select(*list(ranked.c)[:groups], ranked.c.position, ranked.c.scores, ranked.c.score).where(
            or_(
                ranked.c.position == 1,
                (ranked.c.scores >= minimum) & ranked.c.position.in_(wanted),
            )
        )
    ).all()
    values: dict[tuple[Any, ...], dict[int, float]] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for row in rows:
        group = tuple(row[:groups])
        position, count, value = row[groups:]
        values.setdefault(group, {})[int(position)] = float(value)
        counts[group] = int(count)
    found: dict[tuple[Any, ...], Spread] = {}
    for group, count in counts.items():
        if not quantiles_shown(count, minimum):
            found[group] = Spread(count)
            continue
        lower, median, upper = (_quantile(values[group], count, q) for q in QUARTERS)
        found[group] = Spread(count, lower, median, upper)
    return found


def _ordered_set_spreads(
    source: Select[*tuple[Any, ...]], groups: int, minimum: int
) -> dict[tuple[Any, ...], Spread]:
    """PostgreSQL's own ``percentile_cont`` (the same definition): each group's scores
    sorted apart, rather than one sort of every score of the report for the windows
    (90 ms against 30 for a cluster's 40,000 scores)."""
    inner = source.subquery()
    keys = list(inner.c)[:groups]
    score = inner.c.score
    quartiles = func.percentile_cont(literal_column("ARRAY[0.25, 0.5, 0.75]")).within_group(score)
    rows = db.session.execute(
        select(*keys, func.count(score), quartiles.label("quartiles"))
        .where(score.is_not(None))
        .group_by(*keys)
    ).all()
    found: dict[tuple[Any, ...], Spread] = {}
    for row in rows:
        group, count, values = tuple(row[:groups]), int(row[groups]), row[groups + 1]
        if quantiles_shown(count, minimum):
            found[group] = Spread(count, *(float(v) for v in values))
        else:
            found[group] = Spread(count)
    return found


def _quantile(values: dict[int, float], count: int, quarters: int) -> float:
    low = (count - 1) * quarters // 4 + 1
    fraction = ((count - 1) * quarters % 4) / 4
    below = values[low]
    above = values.get(low + 1, below)
    return below + fraction * (above - below)
