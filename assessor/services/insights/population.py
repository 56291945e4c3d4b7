"""Which assessments a report is about, as common table expressions every figure joins.

The population is the submitted assessments a cluster may see (shared with it, or filled
in with one of its advisers; never a preview), on one questionnaire, with the filters.
A **company** is a chain of follow-ups (``Assessment.previous_id``): the population
counts each company once, by its latest assessment in the population, and progress
compares that with the company's first one in the population. A chain's root is found
by walking ``previous_id`` up in the database (a recursive CTE, on SQLite and
PostgreSQL alike), so no assessment is ever loaded one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import (
    CTE,
    ColumnElement,
    and_,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from assessor.services.insights.filters import InsightFilters
from assessor.storage.models import Assessment, ResultFacet

# Deeper chains than this are cut there (a follow-up of a follow-up ... of 64 levels is
# not a company's history but a loop someone made in the database by hand).
MAX_CHAIN = 64


def visible_conditions(cluster_id: int | None) -> list[ColumnElement[bool]]:
    """Submitted, no preview, shared with the cluster or filled in with an adviser of it:
    ``Assessment.visible_to_cluster`` as SQL. ``cluster_id`` None: every cluster's."""
    return [
        Assessment.cluster_id.is_not(None)
        if cluster_id is None
        else Assessment.cluster_id == cluster_id,
        Assessment.submitted_at.is_not(None),
        Assessment.is_preview.is_(False),
        or_(Assessment.share_with_cluster.is_(True), Assessment.assisted_by_id.is_not(None)),
    ]


@dataclass(frozen=True)
class Population:
    """The CTEs of one report. ``chained``: every visible assessment of the questionnaire
    with its company (``root``) and whether each filter holds for it; ``members``: those
    the filters keep, numbered within their company; ``latest``: one row per company."""

    chained: CTE
    members: CTE
    latest: CTE
    conditions: dict[str, ColumnElement[bool]]  # per narrowing filter, over ``chained``


def population(
    cluster_id: int | None, questionnaire_id: str, filters: InsightFilters
) -> Population:
    visible = (
        select(
            Assessment.id,
            Assessment.previous_id,
            Assessment.cluster_id,
            Assessment.submitted_at,
            Assessment.questionnaire_version.label("version"),
            Assessment.questionnaire_sha256.label("sha256"),
        )
        .where(*visible_conditions(cluster_id), Assessment.questionnaire_id == questionnaire_id)
        .cte("visible")
    )
    walk = select(
        visible.c.id,
        visible.c.id.label("ancestor"),
        visible.c.previous_id.label("up"),
        literal(0).label("depth"),
    ).cte("walk", recursive=True)
    parent = aliased(Assessment)
    # The parent's link read by its primary key, one row at a time: as a join, PostgreSQL
    # hashed every assessment of every cluster for the few chains there are.
    walk = walk.union_all(
        select(
            walk.c.id,
            walk.c.up,
            select(parent.previous_id).where(parent.id == walk.c.up).scalar_subquery(),
            walk.c.depth + 1,
        ).where(walk.c.up.is_not(None), walk.c.depth < MAX_CHAIN)
    )
    roots = (
        select(walk.c.id, walk.c.ancestor.label("root"))
        .where(or_(walk.c.up.is_(None), walk.c.depth == MAX_CHAIN))
        .cte("roots")
    )
    chained = (
        select(
            visible.c.id,
            visible.c.cluster_id,
            visible.c.submitted_at,
            visible.c.version,
            visible.c.sha256,
            roots.c.root,
        )
        .join(roots, roots.c.id == visible.c.id)
        .cte("chained")
    )
    conditions = _conditions(chained, filters)
    kept = and_(true(), *conditions.values())
    members = (
        select(
            chained.c.id,
            chained.c.cluster_id,
            chained.c.root,
            chained.c.version,
            chained.c.sha256,
            chained.c.submitted_at,
            func.row_number()
            .over(
                partition_by=chained.c.root,
                order_by=(chained.c.submitted_at.desc(), chained.c.id.desc()),
            )
            .label("recency"),
            func.row_number()
            .over(partition_by=chained.c.root, order_by=(chained.c.submitted_at, chained.c.id))
            .label("seniority"),
            func.count().over(partition_by=chained.c.root).label("assessments"),
        )
        .where(kept)
        .cte("members")
    )
    latest = (
        select(
            members.c.id,
            members.c.cluster_id,
            members.c.root,
            members.c.version,
            members.c.sha256,
            members.c.submitted_at,
            members.c.assessments,
        )
        .where(members.c.recency == 1)
        .cte("latest")
    )
    return Population(chained, members, latest, conditions)


def _conditions(rows: CTE, filters: InsightFilters) -> dict[str, ColumnElement[bool]]:
    """One condition per narrowing filter set (``InsightFilters.narrowing``), by name."""
    conditions: dict[str, ColumnElement[bool]] = {}
    if filters.since is not None:
        conditions["since"] = rows.c.submitted_at >= datetime.combine(filters.since, time())
    if filters.until is not None:
        # Both days included: before the start of the day after.
        end = datetime.combine(filters.until + timedelta(days=1), time())
        conditions["until"] = rows.c.submitted_at < end
    if filters.version is not None:
        conditions["version"] = rows.c.version == filters.version
    for key, value in filters.profile.items():
        # Looked up per assessment (ix_result_facet_assessment_kind), not as a semi-join:
        # PostgreSQL, misjudging how many companies have an answer, hashed every answer
        # of every cluster to keep a few hundred (100 ms a statement).
        answers = (
            select(func.count())
            .select_from(ResultFacet)
            .where(
                ResultFacet.assessment_id == rows.c.id,
                ResultFacet.kind == "profile",
                ResultFacet.key == key,
                ResultFacet.value == value,
            )
            .scalar_subquery()
        )
        conditions[key] = answers > 0
    return conditions


def all_but(conditions: dict[str, ColumnElement[bool]], name: str) -> ColumnElement[bool]:
    return and_(true(), *(c for n, c in conditions.items() if n != name))
