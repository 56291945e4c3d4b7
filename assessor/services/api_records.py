"""What the read-only API tells a cluster's own systems about its assessments: which ones it
sees (the same rule as the advisers' pages), a page of them at a time, and each as JSON.

The figures come from the services the pages use (``result_of``, ``plan_of``) and are
shaped by ``result_summary``, the result JSON of the results page and the command line:
the API never computes a score, a level or a plan its own way. Texts (titles of levels,
dimensions, actions and services) are added in the language the caller asks for."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import force_locale
from sqlalchemy import ColumnElement, and_, or_, select

from assessor.domain.offerings import Service
from assessor.domain.planning import ActionPlan
from assessor.domain.scoring import Result
from assessor.domain.summary import result_summary
from assessor.services.assessments import result_of
from assessor.services.plans import plan_of
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster

MAX_PAGE = 100
DEFAULT_PAGE = 50


def visible_to(cluster_id: int) -> ColumnElement[bool]:
    """The assessments a cluster sees one by one (``Assessment.visible_to_cluster``),
    submitted and not previews: what its advisers find on their companies page."""
    return and_(
        Assessment.cluster_id == cluster_id,
        Assessment.submitted_at.is_not(None),
        Assessment.is_preview.is_(False),
        or_(Assessment.share_with_cluster.is_(True), Assessment.assisted_by_id.is_not(None)),
    )


class BadCursor(ValueError):
    """A ``cursor`` this API did not give out (or one cut short)."""


@dataclass(frozen=True)
class Position:
    """Where a page ends, in the list's order (newest submission first, then newest id)."""

    submitted_at: datetime
    assessment_id: int

    def encode(self) -> str:
        """Opaque to clients: they pass it back as it is."""
        text = f"{self.submitted_at.isoformat()}|{self.assessment_id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
            moment, _, number = text.partition("|")
            position = cls(datetime.fromisoformat(moment), int(number))
        except (ValueError, UnicodeError, binascii.Error):
            raise BadCursor(cursor) from None
        # Beyond the id column's range the database itself refuses the statement.
        if position.submitted_at.tzinfo is not None or not 0 < position.assessment_id < 2**31:
            raise BadCursor(cursor)
        return position


@dataclass(frozen=True)
class Page:
    assessments: tuple[Assessment, ...]
    next: Position | None  # None: this is the last page


def assessments_page(
    cluster: Cluster,
    *,
    limit: int = DEFAULT_PAGE,
    after: Position | None = None,
    since: date | None = None,
    questionnaire_id: str | None = None,
) -> Page:
    """The cluster's assessments, newest first, ``limit`` at a time from ``after``.

    Keyset pagination: a page starts right after the last row of the one before, so an
    assessment shared while a client pages through neither shifts nor repeats the others
    (one shared meanwhile is simply on an earlier page)."""
    query = select(Assessment).where(visible_to(cluster.id))
    if since is not None:
        query = query.where(Assessment.submitted_at >= datetime.combine(since, time.min))
    if questionnaire_id is not None:
        query = query.where(Assessment.questionnaire_id == questionnaire_id)
    if after is not None:
        query = query.where(
            or_(
                Assessment.submitted_at < after.submitted_at,
                and_(
                    Assessment.submitted_at == after.submitted_at,
                    Assessment.id < after.assessment_id,
                ),
            )
        )
    rows = list(
        db.session.scalars(
            query.order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(limit + 1)
        )
    )
    shown = tuple(rows[:limit])
    more = len(rows) > limit
    last = shown[-1] if shown else None
    following = (
        Position(last.submitted_at, last.id)
        if more and last is not None and last.submitted_at is not None
        else None
    )
    return Page(shown, following)


def cluster_record(cluster: Cluster, public_id: str) -> Assessment | None:
    """The assessment ``public_id`` if the cluster sees it (another cluster's: None)."""
    return db.session.scalar(
        select(Assessment).where(Assessment.public_id == public_id, visible_to(cluster.id))
    )


@dataclass(frozen=True)
class FollowUps:
    """The assessments before and after one, among those the cluster sees."""

    previous: dict[int, str]  # assessment id -> its previous one's public id
    following: dict[int, list[str]]  # assessment id -> its follow-ups' public ids, oldest first


def follow_ups(cluster: Cluster, assessments: Sequence[Assessment]) -> FollowUps:
    """In two queries for a whole page. A follow-up the company did not share (or not yet
    submitted) is not named, as the advisers' pages do not show it."""
    ids = [a.id for a in assessments]
    wanted = {a.previous_id for a in assessments if a.previous_id is not None}
    previous: dict[int, str] = {}
    if wanted:
        found: dict[int, str] = {
            row.id: row.public_id
            for row in db.session.execute(
                select(Assessment.id, Assessment.public_id).where(
                    Assessment.id.in_(wanted), visible_to(cluster.id)
                )
            )
        }
        previous = {a.id: found[a.previous_id] for a in assessments if a.previous_id in found}
    following: dict[int, list[str]] = {}
    if ids:
        rows = db.session.execute(
            select(Assessment.previous_id, Assessment.public_id)
            .where(Assessment.previous_id.in_(ids), visible_to(cluster.id))
            .order_by(Assessment.submitted_at, Assessment.id)
        )
        for earlier, public_id in rows:
            if earlier is not None:
                following.setdefault(earlier, []).append(public_id)
    return FollowUps(previous, following)


def assessment_record(
    assessment: Assessment,
    language: str,
    links: FollowUps,
    url_of: Callable[[str], str],
) -> dict[str, Any]:
    """One assessment as the API gives it; texts in ``language``; ``url_of`` gives the API
    address of an assessment by its public id."""
    with force_locale(language):
        result = result_of(assessment)
        plan = plan_of(assessment, result, reads=())  # the caller's ?lang=, not the respondent's
        # The plan is made of every triggered action, in priority order: the very list
        # triggered_actions gives the results page, without evaluating the rules twice.
        triggered = tuple(planned.triggered for planned in plan.actions)
        summary = result_summary(result, triggered, plan, with_services=True)
        return _record(assessment, result, plan, summary, language, links, url_of)


def _record(
    assessment: Assessment,
    result: Result,
    plan: ActionPlan,
    summary: dict[str, Any],
    language: str,
    links: FollowUps,
    url_of: Callable[[str], str],
) -> dict[str, Any]:
    questionnaire = result.questionnaire
    levels = {level.id: level.label for level in questionnaire.levels}
    dimensions = {d.id: d for d in questionnaire.dimensions}
    themes = {t.id: t.label for d in questionnaire.dimensions for t in d.themes}
    actions = {a.id: a.title for a in questionnaire.actions}
    services = {p.action_id: p.services for p in plan.focus}

    def level(scored: dict[str, Any]) -> dict[str, Any]:
        level_id = scored["level"]
        return {**scored, "level_label": levels.get(level_id) if level_id else None}

    def service(item: Service) -> dict[str, Any]:
        return {"key": item.id, "title": item.title.get(language), "provider": item.provider}

    submitted = assessment.submitted_at
    return {
        "id": assessment.public_id,
        "url": url_of(assessment.public_id),
        "company_name": assessment.company_name,
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": questionnaire.title,
        },
        "language": assessment.language,
        "submitted_at": submitted.isoformat(timespec="seconds") + "Z" if submitted else None,
        "shared": assessment.share_with_cluster,
        "one_to_one": assessment.assisted_by_id is not None,
        "overall": level(summary["overall"]),
        "dimensions": [
            {
                **level({"id": d["id"], "score": d["score"], "level": d["level"]}),
                "label": dimensions[d["id"]].label,
                "themes": [{**level(t), "label": themes.get(t["id"])} for t in d["themes"]],
            }
            for d in summary["dimensions"]
        ],
        "actions": summary["actions"],  # every triggered action, most urgent first
        "plan": {
            "focus": [
                {
                    **{k: v for k, v in item.items() if k not in ("services", "services_from")},
                    "title": actions.get(item["id"]),
                    "services_from": item["services_from"],
                    "services": [service(s) for s in services.get(item["id"], ())],
                }
                for item in summary["plan"]["focus"]
            ],
            "more": [{"id": a, "title": actions.get(a)} for a in summary["plan"]["more"]],
        },
        "follow_up": {
            "previous": _link(links.previous.get(assessment.id), url_of),
            "next": [_link(p, url_of) for p in links.following.get(assessment.id, [])],
        },
    }


def _link(public_id: str | None, url_of: Callable[[str], str]) -> dict[str, str] | None:
    return None if public_id is None else {"id": public_id, "url": url_of(public_id)}
