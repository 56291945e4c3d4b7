"""Following companies over time: what a cluster's advisers may see, company by company.

Only assessments the company shared with the cluster, or filled in with one of its
advisers, are listed. Companies are told apart by the name they gave (case and spacing
ignored); their latest finished assessment is compared with the one before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import or_, select

from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet


@dataclass(frozen=True)
class DimensionChange:
    dimension_id: str
    score: float | None
    level_id: str | None
    change: float | None  # since the previous assessment; None without one


@dataclass(frozen=True)
class CompanyRecord:
    name: str
    assessments: int
    latest_public_id: str
    latest_questionnaire: str
    latest_submitted: datetime
    adviser_assisted: bool
    overall_level: str | None
    dimensions: tuple[DimensionChange, ...]


def _company_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def companies_of(cluster: Cluster) -> list[CompanyRecord]:
    shared = list(
        db.session.execute(
            select(
                Assessment.id,
                Assessment.public_id,
                Assessment.company_name,
                Assessment.questionnaire_id,
                Assessment.submitted_at,
                Assessment.assisted_by_id,
            )
            .where(
                Assessment.cluster_id == cluster.id,
                Assessment.submitted_at.is_not(None),
                Assessment.is_preview.is_(False),
                or_(
                    Assessment.share_with_cluster.is_(True), Assessment.assisted_by_id.is_not(None)
                ),
            )
            .order_by(Assessment.submitted_at)
        )
    )
    if not shared:
        return []
    scores: dict[int, dict[str, tuple[float | None, str | None]]] = defaultdict(dict)
    for assessment_id, key, score, level in db.session.execute(
        select(
            ResultFacet.assessment_id, ResultFacet.key, ResultFacet.score, ResultFacet.value
        ).where(
            ResultFacet.assessment_id.in_([row.id for row in shared]),
            ResultFacet.kind == "score",
            or_(ResultFacet.key == "overall", ResultFacet.key.startswith("dimension:")),
        )
    ):
        scores[assessment_id][key] = (score, level)
    by_company = _grouped(shared, lambda row: _company_key(row.company_name) or f"#{row.public_id}")
    records = []
    for rows in by_company.values():
        latest = rows[-1]
        before = next(
            (r for r in reversed(rows[:-1]) if r.questionnaire_id == latest.questionnaire_id), None
        )
        now, then = scores[latest.id], scores[before.id] if before else {}
        dimensions = tuple(
            DimensionChange(key.split(":", 1)[1], score, level, _change(score, then.get(key)))
            for key, (score, level) in sorted(now.items())
            if key.startswith("dimension:")
        )
        records.append(
            CompanyRecord(
                latest.company_name or "",
                len(rows),
                latest.public_id,
                latest.questionnaire_id,
                latest.submitted_at,
                latest.assisted_by_id is not None,
                now.get("overall", (None, None))[1],
                dimensions,
            )
        )
    return sorted(records, key=lambda r: (r.name.casefold(), r.latest_public_id))


def _change(score: float | None, before: tuple[float | None, str | None] | None) -> float | None:
    """How far a score moved since the assessment before; None when one of them has none."""
    if score is None or before is None or before[0] is None:
        return None
    return score - before[0]


_Row = TypeVar("_Row")


def _grouped(rows: Iterable[_Row], key: Callable[[_Row], str]) -> dict[str, list[_Row]]:
    """The rows by key, each group in the rows' order."""
    groups: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups
