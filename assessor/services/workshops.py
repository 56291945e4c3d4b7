"""Workshops: join codes, joining, and the live dashboard's figures, computed in the database.

The dashboard is polled every few seconds by the adviser's page and the projector; its
queries read only the derived rows written at submission (``result_facet``), grouped in
SQL, so their cost does not grow with the number of answers.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.exc import IntegrityError

from assessor.domain.model import Questionnaire
from assessor.services.assessments import catalogue, start_assessment
from assessor.services.questionnaires.catalogue import served
from assessor.services.questionnaires.versions import questionnaire_by_hash
from assessor.services.settings import Settings, current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet, User, Workshop, utcnow

# Easy to read aloud and to type: no 0/O, 1/I (and no lower case).
JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
_CODE_CHARACTERS = re.compile(rf"^[{JOIN_ALPHABET}]+$")
TOP_ACTIONS = 5
PRIORITY_RANKS = 3  # an action counts as a priority of a participant when in their top 3


class WorkshopError(ValueError):
    pass


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(typed: str) -> str | None:
    """The code as stored, from what a participant typed ("abc-234 " → "ABC234"); None if it
    cannot be a code (wrong length or a character codes never contain)."""
    code = re.sub(r"[\s-]", "", typed or "").upper()
    if len(code) != JOIN_CODE_LENGTH or not _CODE_CHARACTERS.match(code):
        return None
    return code


def spaced(code: str) -> str:
    """For reading aloud and for the projector: "ABC 234"."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def create_workshop(
    cluster: Cluster,
    adviser: User,
    title: str,
    held_on: date,
    questionnaire_id: str,
    language: str,
) -> Workshop:
    current = catalogue().get(questionnaire_id)
    for _ in range(20):  # 32^6 codes: a clash is rare, and then the next code is taken
        workshop = Workshop(
            cluster=cluster,
            created_by=adviser,
            title=title.strip(),
            held_on=held_on,
            questionnaire_id=questionnaire_id,
            # Every participant answers the version of the day, even if a newer one is
            # published during the workshop: the group's figures compare like with like.
            questionnaire_sha256=current.source_sha256 if current is not None else None,
            language=language,
            join_code=new_join_code(),
        )
        db.session.add(workshop)
        try:
            db.session.commit()
            return workshop
        except IntegrityError:
            db.session.rollback()
    raise WorkshopError("no free join code")  # pragma: no cover - 20 clashes in a row


def workshop_by_code(code: str) -> Workshop | None:
    return db.session.scalar(select(Workshop).where(Workshop.join_code == code))


def questionnaire_of(workshop: Workshop) -> Questionnaire | None:
    """The content the workshop's participants answer: the one of the day it was created."""
    if workshop.questionnaire_sha256 is not None:
        pinned = served().by_hash.get(workshop.questionnaire_sha256) or questionnaire_by_hash(
            workshop.questionnaire_sha256
        )
        if pinned is not None:
            return pinned
    return catalogue().get(workshop.questionnaire_id)


def join(
    workshop: Workshop, language: str, company_name: str | None, reads: Sequence[str] = ()
) -> Assessment:
    """``reads``: the languages the participant reads, best first (their browser's)."""
    questionnaire = questionnaire_of(workshop)
    if questionnaire is None or not workshop.is_open:
        raise WorkshopError("this workshop does not take participants")
    return start_assessment(
        questionnaire, workshop.cluster, language, company_name, workshop=workshop, reads=reads
    )


def set_results_shown(workshop: Workshop, shown: bool) -> None:
    workshop.results_shown = shown
    db.session.commit()


def close(workshop: Workshop) -> None:
    if workshop.is_open:
        workshop.is_open = False
        workshop.closed_at = utcnow()
        db.session.commit()


def reopen(workshop: Workshop) -> None:
    workshop.is_open = True
    workshop.closed_at = None
    db.session.commit()


@dataclass(frozen=True)
class WorkshopSummary:
    workshop: Workshop
    joined: int
    finished: int


def workshops_of(cluster_id: int) -> list[WorkshopSummary]:
    """The cluster's workshops, newest first, with their participant counts (one query)."""
    rows = db.session.execute(
        select(
            Workshop,
            func.count(Assessment.id),
            func.count(Assessment.submitted_at),
        )
        .outerjoin(
            Assessment,
            and_(Assessment.workshop_id == Workshop.id, Assessment.is_preview.is_(False)),
        )
        .where(Workshop.cluster_id == cluster_id)
        .group_by(Workshop.id)
        .order_by(Workshop.held_on.desc(), Workshop.id.desc())
    )
    return [WorkshopSummary(w, joined, finished) for w, joined, finished in rows]


@dataclass(frozen=True)
class ScoreSpread:
    """How one dimension or theme came out across the finished participants."""

    key: str  # "dimension:<id>" or "theme:<id>"
    label: str
    mean: float | None
    levels: tuple[tuple[str, str, int], ...]  # (level id, label, participants) ascending
    scored: int  # participants with a score for it


@dataclass(frozen=True)
class FrequentAction:
    action_id: str
    title: str
    participants: int  # for how many it is among their top priorities


@dataclass(frozen=True)
class Participant:
    """A participant who agreed to share; nobody else is ever listed."""

    public_id: str
    company: str | None
    finished: bool
    overall_level: str | None


@dataclass(frozen=True)
class Dashboard:
    joined: int
    in_progress: int
    finished: int
    minimum: int
    dimensions: tuple[ScoreSpread, ...] = ()
    themes: dict[str, tuple[ScoreSpread, ...]] = field(default_factory=dict)  # by dimension
    actions: tuple[FrequentAction, ...] = ()
    participants: tuple[Participant, ...] = ()
    counted: int = 0  # finished participants whose results are in the figures
    waiting: int = 0  # finished, not sharing, and not yet in the figures (see _counted_in)

    @property
    def aggregates_shown(self) -> bool:
        return self.counted >= self.minimum


def dashboard(
    workshop: Workshop, questionnaire: Questionnaire, settings: Settings | None = None
) -> Dashboard:
    """The live figures of a workshop; aggregates only from the minimum group size on
    (settings: by default the app's)."""
    minimum = (settings or current_settings()).workshop_group_minimum
    joined, finished = db.session.execute(
        select(func.count(Assessment.id), func.count(Assessment.submitted_at)).where(
            Assessment.workshop_id == workshop.id, Assessment.is_preview.is_(False)
        )
    ).one()
    participants = _sharing_participants(workshop)
    counted = _counted_in(workshop)
    waiting = finished - len(counted)
    if len(counted) < minimum:
        return Dashboard(
            joined,
            joined - finished,
            finished,
            minimum,
            participants=participants,
            counted=len(counted),
            waiting=waiting,
        )
    spreads = _score_spreads(counted, questionnaire)
    dimensions = tuple(
        spreads.get(f"dimension:{d.id}", _empty(f"dimension:{d.id}", d.label, questionnaire))
        for d in questionnaire.dimensions
    )
    themes = {
        d.id: tuple(
            spreads.get(f"theme:{t.id}", _empty(f"theme:{t.id}", t.label, questionnaire))
            for t in d.themes
        )
        for d in questionnaire.dimensions
    }
    return Dashboard(
        joined,
        joined - finished,
        finished,
        minimum,
        dimensions,
        themes,
        _frequent_actions(counted, questionnaire),
        participants,
        len(counted),
        waiting,
    )


def _labels(questionnaire: Questionnaire) -> dict[str, str]:
    labels = {f"dimension:{d.id}": d.label for d in questionnaire.dimensions}
    labels.update({f"theme:{t.id}": t.label for t in questionnaire.themes})
    return labels


def _empty(key: str, label: str, questionnaire: Questionnaire) -> ScoreSpread:
    levels = tuple((level.id, level.label, 0) for level in questionnaire.levels)
    return ScoreSpread(key, label, None, levels, 0)


def _counted_in(workshop: Workshop) -> list[int]:
    """The finished assessments in the figures (admitted by ``admit_to_figures``)."""
    return list(
        db.session.scalars(
            select(Assessment.id).where(
                Assessment.workshop_id == workshop.id,
                Assessment.submitted_at.is_not(None),
                Assessment.in_workshop_figures.is_(True),
                Assessment.is_preview.is_(False),
            )
        )
    )


def admit_to_figures(workshop_id: int, settings: Settings | None = None) -> None:
    """Admit what may now enter the workshop's figures; call after a participant submits
    or changes their sharing choice.

    An adviser who watches the figures change when one participant enters learns that
    participant's scores by difference. Those who share their results give nothing away
    that way and enter at once; those who do not enter only in groups of the minimum
    size, the earliest first. Admission is recorded and never undone, so that changing
    one's choice later can never move one participant alone in or out of the figures."""
    minimum = max((settings or current_settings()).workshop_group_minimum, 1)
    # A write to the workshop's row first: two submissions at once admit one group.
    db.session.execute(update(Workshop).where(Workshop.id == workshop_id).values(id=Workshop.id))
    waiting = db.session.execute(
        select(Assessment.id, Assessment.share_with_cluster)
        .where(
            Assessment.workshop_id == workshop_id,
            Assessment.submitted_at.is_not(None),
            Assessment.in_workshop_figures.is_(False),
            Assessment.is_preview.is_(False),
        )
        .order_by(Assessment.submitted_at, Assessment.id)
    ).all()
    sharing = [id_ for id_, shares in waiting if shares]
    private = [id_ for id_, shares in waiting if not shares]
    admitted = sharing + private[: len(private) - len(private) % minimum]
    if admitted:
        db.session.execute(
            update(Assessment)
            .where(Assessment.id.in_(admitted))
            .values(in_workshop_figures=True)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _score_spreads(counted: list[int], questionnaire: Questionnaire) -> dict[str, ScoreSpread]:
    rows = db.session.execute(
        select(
            ResultFacet.key,
            ResultFacet.value,
            func.count(),
            func.avg(ResultFacet.score),
        )
        .where(
            ResultFacet.assessment_id.in_(counted),
            ResultFacet.kind == "score",
            ResultFacet.key != "overall",
            ResultFacet.score.is_not(None),
        )
        .group_by(ResultFacet.key, ResultFacet.value)
    ).all()
    labels = _labels(questionnaire)
    counts: dict[str, dict[str, int]] = {}
    sums: dict[str, tuple[float, int]] = {}
    for key, level_id, count, mean in rows:
        if key not in labels:
            continue  # a theme of an older questionnaire version
        counts.setdefault(key, {})[level_id] = count
        total, n = sums.get(key, (0.0, 0))
        sums[key] = (total + float(mean) * count, n + count)
    spreads = {}
    for key, by_level in counts.items():
        total, n = sums[key]
        levels = tuple((lv.id, lv.label, by_level.get(lv.id, 0)) for lv in questionnaire.levels)
        spreads[key] = ScoreSpread(key, labels[key], total / n if n else None, levels, n)
    return spreads


def _frequent_actions(
    counted: list[int], questionnaire: Questionnaire
) -> tuple[FrequentAction, ...]:
    rows = db.session.execute(
        select(ResultFacet.key, func.count().label("participants"))
        .where(
            ResultFacet.assessment_id.in_(counted),
            ResultFacet.kind == "action",
            ResultFacet.score <= PRIORITY_RANKS,
        )
        .group_by(ResultFacet.key)
        .order_by(func.count().desc(), func.avg(ResultFacet.score), ResultFacet.key)
        .limit(TOP_ACTIONS)
    ).all()
    actions = questionnaire.actions_by_id
    return tuple(
        FrequentAction(key, actions[key].title if key in actions else key, count)
        for key, count in rows
    )


def _sharing_participants(workshop: Workshop) -> tuple[Participant, ...]:
    overall = (
        select(ResultFacet.value)
        .where(
            ResultFacet.assessment_id == Assessment.id,
            ResultFacet.kind == "score",
            ResultFacet.key == "overall",
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Assessment.public_id, Assessment.company_name, Assessment.submitted_at, overall)
        .where(
            Assessment.workshop_id == workshop.id,
            Assessment.share_with_cluster.is_(True),
            Assessment.is_preview.is_(False),
        )
        .order_by(
            case((Assessment.submitted_at.is_(None), 1), else_=0),
            func.lower(func.coalesce(Assessment.company_name, "")),
        )
    ).all()
    return tuple(
        Participant(public_id, company, submitted is not None, level)
        for public_id, company, submitted, level in rows
    )


def current_and_past(
    workshops: list[WorkshopSummary], today: date
) -> tuple[list[WorkshopSummary], list[WorkshopSummary]]:
    """The workshops still to come or still open, soonest first, and the others (held
    and closed), newest first, as ``workshops_of`` lists them."""
    current: list[WorkshopSummary] = []
    past: list[WorkshopSummary] = []
    for summary in workshops:
        still_on = summary.workshop.is_open or summary.workshop.held_on >= today
        (current if still_on else past).append(summary)
    current.sort(key=lambda s: (s.workshop.held_on, s.workshop.id))
    return current, past
