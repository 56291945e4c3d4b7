"""Following companies over time: what a cluster's advisers may see, company by company.

Only assessments the company shared with the cluster, or filled in with one of its
advisers, are listed. Companies are told apart by the name they gave (case and spacing
ignored); their latest finished assessment is compared with the one before it on the
same questionnaire, on the scores the two versions compute alike (domain.comparability).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, or_, select

from assessor.domain.comparability import Comparison, compare, dimension_key
from assessor.domain.model import Questionnaire
from assessor.services.assessments import catalogue
from assessor.services.questionnaires.versions import questionnaire_by_hash
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet


@dataclass(frozen=True)
class DimensionChange:
    dimension_id: str
    score: float | None
    level_id: str | None
    change: float | None  # since the previous assessment; None without one
    # The previous assessment has a score here, but its questionnaire computed it otherwise.
    not_comparable: bool = False


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
    latest_version: int = 0
    # The assessment the change is measured from: its date and, when its questionnaire's
    # content differs from the latest's, its version.
    previous_submitted: datetime | None = None
    previous_version: int | None = None

    @property
    def questionnaire_changed(self) -> bool:
        """Whether some of the changes cannot be shown, the questionnaire having changed."""
        return any(d.not_comparable for d in self.dimensions)


def _company_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _visible_to(cluster: Cluster) -> list[Row[Any]]:
    """The finished assessments the cluster's advisers may see, oldest first."""
    return list(
        db.session.execute(
            select(
                Assessment.id,
                Assessment.public_id,
                Assessment.company_name,
                Assessment.questionnaire_id,
                Assessment.questionnaire_version,
                Assessment.questionnaire_sha256,
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
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )


def _by_company(rows: Iterable[Row[Any]]) -> dict[str, list[Row[Any]]]:
    return _grouped(rows, lambda row: _company_key(row.company_name) or f"#{row.public_id}")


def _before(rows: list[Row[Any]], index: int) -> Row[Any] | None:
    """The company's assessment that ``rows[index]`` is compared with: the last one before
    it on the same questionnaire (a quick check's scores are not a full assessment's)."""
    now = rows[index]
    return next(
        (r for r in reversed(rows[:index]) if r.questionnaire_id == now.questionnaire_id), None
    )


@dataclass(frozen=True)
class PreviousAssessment:
    """The assessment a later one of the same company is compared with."""

    id: int
    public_id: str
    submitted_at: datetime
    questionnaire_version: int
    questionnaire_sha256: str


def previous_assessments(cluster: Cluster) -> dict[int, PreviousAssessment]:
    """For each finished assessment the cluster's advisers may see, by id, the one the
    Companies page measures its change from (none for a company's first)."""
    found = {}
    for rows in _by_company(_visible_to(cluster)).values():
        for index, row in enumerate(rows):
            before = _before(rows, index)
            if before is not None:
                found[row.id] = PreviousAssessment(
                    before.id,
                    before.public_id,
                    before.submitted_at,
                    before.questionnaire_version,
                    before.questionnaire_sha256,
                )
    return found


def companies_of(cluster: Cluster) -> list[CompanyRecord]:
    shared = _visible_to(cluster)
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
    records = []
    for rows in _by_company(shared).values():
        latest = rows[-1]
        before = _before(rows, len(rows) - 1)
        now, then = scores[latest.id], scores[before.id] if before else {}
        comparison = (
            contents_compared(
                latest.questionnaire_id,
                (before.questionnaire_version, before.questionnaire_sha256),
                (latest.questionnaire_version, latest.questionnaire_sha256),
            )
            if before is not None
            else None
        )
        dimensions = []
        for key, (score, level) in sorted(now.items()):
            if not key.startswith("dimension:"):
                continue
            dimension_id = key.split(":", 1)[1]
            comparable = comparison is None or comparison.allows(dimension_key(dimension_id))
            was = then.get(key)
            dimensions.append(
                DimensionChange(
                    dimension_id,
                    score,
                    level,
                    _change(score, was) if comparable else None,
                    not_comparable=not comparable and was is not None and was[0] is not None,
                )
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
                tuple(dimensions),
                latest.questionnaire_version,
                before.submitted_at if before is not None else None,
                before.questionnaire_version
                if before is not None and before.questionnaire_sha256 != latest.questionnaire_sha256
                else None,
            )
        )
    return sorted(records, key=lambda r: (r.name.casefold(), r.latest_public_id))


# Comparisons by the two contents' hashes: a content never changes under its hash.
_COMPARISONS: dict[tuple[str, str], Comparison] = {}
_COMPARISONS_KEPT = 256


def comparison_of(earlier: Questionnaire, later: Questionnaire) -> Comparison:
    """Which scores of ``later`` compare with ``earlier``'s, computed once per pair of
    contents."""
    key = (earlier.source_sha256, later.source_sha256)
    if not all(key):
        return compare(earlier, later)
    found = _COMPARISONS.get(key)
    if found is None:
        if len(_COMPARISONS) >= _COMPARISONS_KEPT:
            _COMPARISONS.clear()
        found = _COMPARISONS[key] = compare(earlier, later)
    return found


def contents_compared(
    questionnaire_id: str, earlier: tuple[int, str], later: tuple[int, str]
) -> Comparison | None:
    """What two assessments of a questionnaire, each given as (version, content hash), can
    be compared on; None when they were answered on the same content (everything). A
    content no longer stored is compared on nothing: better no change than a wrong one."""
    if earlier[1] == later[1]:
        return None
    known = _COMPARISONS.get((earlier[1], later[1]))
    if known is not None:
        return known  # without reading the stored contents again
    then, now = _content(questionnaire_id, earlier[1]), _content(questionnaire_id, later[1])
    if then is None or now is None:
        return Comparison(earlier[0], later[0], frozenset())
    return comparison_of(then, now)


def _content(questionnaire_id: str, sha256: str) -> Questionnaire | None:
    current = catalogue().get(questionnaire_id)
    if current is not None and current.source_sha256 == sha256:
        return current
    return questionnaire_by_hash(sha256)


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
