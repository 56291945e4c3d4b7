"""Assessments: start, save answers page by page, submit, share, delete, follow up.

Views call these functions; they never touch ``request``. Every write bumps
the assessment's ``revision`` so that concurrent saves are detected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from assessor.domain.answers import AnswerValue, check_answers
from assessor.domain.catalogue import Catalogue
from assessor.domain.facets import Facet, facets_of
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import Result, evaluate
from assessor.services.questionnaires.catalogue import (
    current_catalogue,
    offered_to,
    served,
    visible_to,
)
from assessor.services.questionnaires.translated import localise_for
from assessor.services.questionnaires.versions import questionnaire_by_hash
from assessor.services.webhooks import cluster_sees, record_visibility
from assessor.storage.db import db
from assessor.storage.models import (
    Answer,
    Assessment,
    Cluster,
    PlanDocument,
    ResultFacet,
    User,
    Workshop,
    utcnow,
)


def catalogue() -> Catalogue:
    """The questionnaires new assessments may start on, every cluster's."""
    return current_catalogue()


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    """The questionnaire an assessment was answered on (that very content, even after a newer
    version was published), in the current language."""
    questionnaire = _content_of(assessment)
    if questionnaire is None:
        current = catalogue().get(assessment.questionnaire_id)
        if current is None:
            raise LookupError(f"questionnaire {assessment.questionnaire_id!r} is not installed")
        current_app.logger.warning(
            "assessment %s: content %s of %r is not stored; using the current one",
            assessment.id,
            assessment.questionnaire_sha256[:12],
            assessment.questionnaire_id,
        )
        questionnaire = current
    return localise_for(questionnaire, assessment.cluster)


def _content_of(assessment: Assessment) -> Questionnaire | None:
    """The content an assessment was answered on, as written (not localised)."""
    questionnaire = served().by_hash.get(assessment.questionnaire_sha256)
    if questionnaire is None:
        questionnaire = questionnaire_by_hash(assessment.questionnaire_sha256)
    return questionnaire


def questionnaires_visible(cluster: Cluster | None) -> list[Questionnaire]:
    """The questionnaires ``cluster``'s advisers may find assessments of, in the current
    language (withdrawn ones too)."""
    return [localise_for(q, cluster) for q in visible_to(cluster)]


def questionnaires_offered(cluster: Cluster | None) -> list[Questionnaire]:
    """What a company of ``cluster`` (or of none) may start, in the current language: the
    cluster's own questionnaires first, each group shortest first (the quick check, which
    workshops usually use, before the full assessment)."""
    return [localise_for(q, cluster) for q in offered_to(cluster)]


def start_assessment(
    questionnaire: Questionnaire,
    cluster: Cluster | None,
    language: str,
    company_name: str | None = None,
    previous: Assessment | None = None,
    workshop: Workshop | None = None,
    assisted_by: User | None = None,
    *,
    is_preview: bool = False,
    reads: Sequence[str] = (),
) -> Assessment:
    """``is_preview``: an administrator answering a questionnaire before publishing it; it
    is never counted (no peer figures are written for it, every figure leaves it out) and
    never shared. ``reads``: the languages the respondent reads, best first (their
    browser's), for service texts missing in ``language``."""
    assessment = _new_assessment(
        questionnaire, cluster, language, company_name, previous, workshop, assisted_by, reads
    )
    assessment.is_preview = is_preview
    db.session.commit()
    return assessment


def _new_assessment(
    questionnaire: Questionnaire,
    cluster: Cluster | None,
    language: str,
    company_name: str | None = None,
    previous: Assessment | None = None,
    workshop: Workshop | None = None,
    assisted_by: User | None = None,
    reads: Sequence[str] = (),
) -> Assessment:
    """Added to the session, not committed. A follow-up keeps the languages its respondent
    reads."""
    assessment = Assessment(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_sha256=questionnaire.source_sha256,
        cluster=cluster,
        language=language,
        reader_languages=list(reads)
        or (previous.reader_languages if previous is not None else None),
        company_name=(company_name or "").strip() or None,
        previous_id=previous.id if previous is not None else None,
        share_with_cluster=previous.share_with_cluster if previous is not None else False,
        workshop=workshop,
        assisted_by=assisted_by,
        # A preview's follow-up is a preview too: answering it again counts no more.
        is_preview=previous.is_preview if previous is not None else False,
    )
    db.session.add(assessment)
    return assessment


def find_assessment(token: str) -> Assessment | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        # The cluster comes in the same query: every page of an assessment needs it.
        select(Assessment).options(joinedload(Assessment.cluster)).where(Assessment.token == token)
    )


def stored_answers(assessment: Assessment) -> dict[str, AnswerValue]:
    """The assessment's answers, normalised; answers that no longer fit are left out."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(Answer.assessment_id == assessment.id)
    )
    raw = {question_id: value for question_id, value in rows}
    questionnaire = questionnaire_of(assessment)
    known = {k: v for k, v in raw.items() if k in questionnaire.questions_by_id}
    # An earlier answer may since have hidden an option of a later one: scoring ignores it.
    answers, problems = check_answers(questionnaire, known, allow_hidden_options=True)
    for problem in problems:
        current_app.logger.warning("assessment %s: stored %s", assessment.id, problem)
    return answers


def save_answers(assessment: Assessment, changes: Mapping[str, AnswerValue | None]) -> None:
    """Store checked answers (None clears one) in one transaction.

    The transaction starts by bumping the revision of an assessment that is still open:
    on PostgreSQL that locks its row, so a save and a submission of the same assessment
    (two tabs, a double click) run one after the other and a save never lands after the
    submission.
    """
    if not _lock_open(assessment):
        raise AssessmentClosed(assessment)
    cleared = [question_id for question_id, value in changes.items() if value is None]
    if cleared:
        db.session.execute(
            delete(Answer).where(
                Answer.assessment_id == assessment.id, Answer.question_id.in_(cleared)
            )
        )
    rows = _answer_rows(assessment.id, changes)
    if rows:
        # New and changed answers alike: one statement, the same for every page (so it is
        # compiled once), sent for all rows at once. A parallel request that inserted the same
        # answer first is overwritten; the row lock above already orders saves.
        db.session.execute(_upsert_answer(), rows)
    db.session.commit()


def _answer_rows(
    assessment_id: int, changes: Mapping[str, AnswerValue | None]
) -> list[dict[str, object]]:
    now = utcnow()
    return [
        {
            "assessment_id": assessment_id,
            "question_id": question_id,
            "value": _json_value(value),
            "updated_at": now,
        }
        for question_id, value in changes.items()
        if value is not None
    ]


def _upsert_answer() -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT DO UPDATE of one answer, for the database in use (built once:
    building it costs more than sending it)."""
    name = db.session.get_bind().dialect.name
    statement = _UPSERT_ANSWER.get(name)
    if statement is None:
        insert = (postgresql if name == "postgresql" else sqlite).insert(Answer)
        statement = _UPSERT_ANSWER[name] = insert.on_conflict_do_update(
            index_elements=[Answer.assessment_id, Answer.question_id],
            set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at},
        )
    return statement


_UPSERT_ANSWER: dict[str, postgresql.Insert | sqlite.Insert] = {}


def _json_value(value: AnswerValue | None) -> object:
    return list(value) if isinstance(value, tuple) else value


def result_of(assessment: Assessment, answers: Mapping[str, AnswerValue] | None = None) -> Result:
    """Recompute the result from the stored answers."""
    questionnaire = questionnaire_of(assessment)
    return evaluate(questionnaire, stored_answers(assessment) if answers is None else answers)


def plan_date(assessment: Assessment) -> date:
    """The date a plan's deadlines are measured from: the day the assessment was submitted,
    or today while it is open (docs/action-plans.md, section 3)."""
    return (assessment.submitted_at or utcnow()).date()


def _lock_open(assessment: Assessment, submitting: bool = False) -> bool:
    """Bump the revision (and close the assessment when submitting) if it is still open."""
    assessment_id = assessment.id  # known even once a rollback expired the object
    values: dict[str, object] = {"revision": Assessment.revision + 1, "updated_at": utcnow()}
    if submitting:
        values["submitted_at"] = utcnow()
    changed = db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment_id, Assessment.submitted_at.is_(None))
        .values(**values)
        .returning(Assessment.revision, Assessment.updated_at, Assessment.submitted_at)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if changed is None:
        db.session.rollback()
        # Closed by another request, or deleted from another tab meanwhile (the delete
        # locks the row first too, so this runs once it has committed).
        if db.session.scalar(select(Assessment.id).where(Assessment.id == assessment_id)) is None:
            raise AssessmentGone(assessment_id)
        db.session.refresh(assessment)  # see who closed it
        return False
    for name, value in changed._mapping.items():
        set_committed_value(assessment, name, value)
    return True


def submit(assessment: Assessment) -> Result:
    """Close the assessment; submitting twice (or from two tabs) changes nothing."""
    if assessment.is_submitted:
        return result_of(assessment)
    missing = result_of(assessment).missing
    if missing:  # checked before locking, so that an incomplete submission changes nothing
        raise IncompleteAssessment(missing)
    if not _lock_open(assessment, submitting=True):
        return result_of(assessment)  # another request submitted it just now
    result = result_of(assessment)  # the answers as they are under the lock
    if result.missing:  # a parallel save cleared an answer in between
        db.session.rollback()
        raise IncompleteAssessment(result.missing)
    if not assessment.is_preview:  # a preview is in no figure: no peers, no workshop, no mean
        _write_facets(assessment, result)
    record_visibility(assessment, before=False, after=cluster_sees(assessment), result=result)
    db.session.commit()
    return result


def _write_facets(assessment: Assessment, result: Result) -> None:
    """Derived figures for peer statistics, workshop dashboards and cluster insights
    (recomputable: ``flask facets refresh``); see assessor.domain.facets."""
    db.session.execute(delete(ResultFacet).where(ResultFacet.assessment_id == assessment.id))
    rows = _facet_rows(assessment.id, facets_of(result, plan_date(assessment)))
    if rows:
        db.session.execute(insert(ResultFacet), rows)


def _facet_rows(assessment_id: int, facets: Iterable[Facet]) -> list[dict[str, object]]:
    return [
        {
            "assessment_id": assessment_id,
            "kind": facet.kind,
            "key": facet.key,
            # The column's size: ids are at most 100 characters, a number answer may be more.
            "value": facet.value[:120] if facet.value is not None else None,
            "score": facet.score,
        }
        for facet in facets
    ]


def refresh_facets(batch_size: int = 500) -> Iterator[FacetsRefreshed]:
    """Compute the facets of every submitted assessment (previews have none) again, from
    its answers and the questionnaire content it was answered on: for a database whose
    assessments were submitted before a kind of facet existed. One transaction per batch of
    ``batch_size`` assessments, each batch reported once committed; running it again
    writes the same rows."""
    total = db.session.scalar(select(func.count()).select_from(Assessment).where(_COUNTED)) or 0
    done = skipped = 0
    after = 0
    while True:
        batch = list(
            db.session.scalars(
                select(Assessment)
                .where(_COUNTED, Assessment.id > after)
                .order_by(Assessment.id)
                .limit(batch_size)
                # Locked for the batch's transaction: an assessment deleted meanwhile (whose
                # delete locks it first) is either gone before or deleted after.
                .with_for_update(of=Assessment)
            )
        )
        if not batch:
            break
        after = batch[-1].id
        ids = [a.id for a in batch]
        answers: dict[int, dict[str, object]] = {i: {} for i in ids}
        for assessment_id, question_id, value in db.session.execute(
            select(Answer.assessment_id, Answer.question_id, Answer.value).where(
                Answer.assessment_id.in_(ids)
            )
        ):
            answers[assessment_id][question_id] = value
        rows: list[dict[str, object]] = []
        refreshed: list[int] = []
        for assessment in batch:
            questionnaire = _content_of(assessment)
            if questionnaire is None:
                skipped += 1
                current_app.logger.warning(
                    "assessment %s: content %s of %r is not stored; its facets are kept",
                    assessment.id,
                    assessment.questionnaire_sha256[:12],
                    assessment.questionnaire_id,
                )
                continue
            known = {
                k: v
                for k, v in answers[assessment.id].items()
                if k in questionnaire.questions_by_id
            }
            checked, _problems = check_answers(questionnaire, known, allow_hidden_options=True)
            result = evaluate(questionnaire, checked)
            rows.extend(_facet_rows(assessment.id, facets_of(result, plan_date(assessment))))
            refreshed.append(assessment.id)
        if refreshed:
            db.session.execute(delete(ResultFacet).where(ResultFacet.assessment_id.in_(refreshed)))
        if rows:
            db.session.execute(insert(ResultFacet), rows)
        db.session.commit()
        done += len(refreshed)
        yield FacetsRefreshed(done, skipped, total)


# The assessments that have facets: submitted, not a preview.
_COUNTED = Assessment.submitted_at.is_not(None) & Assessment.is_preview.is_(False)


@dataclass(frozen=True)
class FacetsRefreshed:
    """How far a refresh of the facets is: assessments refreshed and skipped so far (their
    questionnaire content is not stored), of ``total``."""

    refreshed: int
    skipped: int
    total: int


def set_sharing(assessment: Assessment, share: bool) -> None:
    assessment_id = assessment.id
    was_visible = cluster_sees(assessment)  # read before the UPDATE, which a reload would see
    # A preview is never shared: nobody but the administrator previewing sees it.
    shared = share and assessment.cluster_id is not None and not assessment.is_preview
    changed = db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment_id)
        .values(share_with_cluster=shared, revision=Assessment.revision + 1)
        .returning(Assessment.revision)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if changed is None:  # deleted from another tab meanwhile
        db.session.rollback()
        raise AssessmentGone(assessment_id)
    record_visibility(assessment, before=was_visible, after=cluster_sees(assessment, shared))
    db.session.commit()
    set_committed_value(assessment, "share_with_cluster", shared)
    set_committed_value(assessment, "revision", changed.revision)


def delete_assessment(assessment: Assessment) -> None:
    """Remove the assessment with its answers and derived figures.

    Its row is locked first, as a save or a submission does (``_lock_open``): on PostgreSQL
    a save running in another tab finishes before, or finds the assessment gone after,
    never holding the row while the delete holds its answers (a deadlock). Deleting an
    assessment that another request deleted just now changes nothing.
    """
    locked = db.session.scalar(
        select(Assessment.id).where(Assessment.id == assessment.id).with_for_update()
    )
    if locked is None:
        db.session.rollback()
        return
    record_visibility(assessment, before=cluster_sees(assessment), after=False)
    db.session.execute(delete(ResultFacet).where(ResultFacet.assessment_id == assessment.id))
    db.session.execute(delete(PlanDocument).where(PlanDocument.assessment_id == assessment.id))
    db.session.execute(delete(Answer).where(Answer.assessment_id == assessment.id))
    db.session.execute(
        Assessment.__table__.update()
        .where(Assessment.previous_id == assessment.id)
        .values(previous_id=None)
    )
    db.session.delete(assessment)
    db.session.commit()


def set_language(assessment: Assessment, language: str) -> None:
    """The respondent switched language while saving: pages and the plan follow from now on.

    A plain UPDATE: an assessment deleted from another tab meanwhile is simply not changed
    (its request ends in a 404 where it next needs the row)."""
    db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(language=language)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    set_committed_value(assessment, "language", language)


def start_follow_up(previous: Assessment, reads: Sequence[str] = ()) -> Assessment:
    """A new assessment on the newest questionnaire version, linked to the earlier one;
    ``reads``: the languages the respondent's browser lists now (else the earlier ones).

    A double click (or two tabs) gets the same follow-up: the earlier assessment's row is
    locked by a write first, so on both databases the second request waits for the first
    to commit and then finds its follow-up. A follow-up still open is reused later too."""
    previous_id = previous.id
    # An UPDATE without RETURNING gives a CursorResult, which Session.execute's type cannot
    # promise for every statement (sqlalchemy/sqlalchemy#12913).
    lock = cast(
        CursorResult[Any],
        db.session.execute(
            update(Assessment)
            .where(Assessment.id == previous_id)
            # Changes nothing (not even updated_at, which onupdate would set); takes the row lock.
            .values(revision=Assessment.revision, updated_at=Assessment.updated_at)
            .execution_options(synchronize_session=False)
        ),
    )
    locked = lock.rowcount
    if not locked:
        db.session.rollback()
        raise AssessmentGone(previous_id)
    open_follow_up: Assessment | None = db.session.scalar(
        select(Assessment)
        .where(Assessment.previous_id == previous.id, Assessment.submitted_at.is_(None))
        .order_by(Assessment.id)
        .limit(1)
    )
    if open_follow_up is not None:
        db.session.commit()
        return open_follow_up
    questionnaire = catalogue().get(previous.questionnaire_id) or questionnaire_of(previous)
    follow_up = _new_assessment(
        questionnaire,
        previous.cluster,
        previous.language,
        previous.company_name,
        previous,
        reads=reads,
    )
    db.session.flush()  # its id, still under the earlier assessment's lock
    rows = _answer_rows(follow_up.id, answers_carried_over(previous, questionnaire))
    if rows:
        db.session.execute(_upsert_answer(), rows)
    # The follow-up and the answers it starts from in one commit, which releases the lock:
    # a second tab waiting on it finds them both, and a failure leaves neither.
    db.session.commit()
    return follow_up


def answers_carried_over(
    previous: Assessment, questionnaire: Questionnaire
) -> dict[str, AnswerValue | None]:
    """The earlier assessment's answers that still fit ``questionnaire``: questions that
    still exist, with answers its checks accept (an option since removed drops the answer,
    a number now out of range too). The respondent changes what moved, not everything."""
    earlier = stored_answers(previous)
    raw = {
        question_id: _json_value(value)
        for question_id, value in earlier.items()
        if question_id in questionnaire.questions_by_id
    }
    kept, _problems = check_answers(questionnaire, raw, allow_hidden_options=True)
    return dict(kept)


def changes_since_previous(
    assessment: Assessment, answers: Mapping[str, AnswerValue]
) -> dict[str, AnswerValue | None]:
    """For a follow-up: the questions whose answer differs from last time, each with the
    answer given then (None: not answered then). Empty without an earlier assessment;
    questions the earlier questionnaire did not ask are not compared."""
    previous = previous_of(assessment)
    if previous is None:
        return {}
    earlier = result_of(previous).answers  # as they applied then
    asked_then = questionnaire_of(previous).questions_by_id
    asked_now = questionnaire_of(assessment).questions_by_id
    return {
        question_id: earlier.get(question_id)
        for question_id in asked_then
        if question_id in asked_now and earlier.get(question_id) != answers.get(question_id)
    }


def previous_of(assessment: Assessment) -> Assessment | None:
    if assessment.previous_id is None:
        return None
    previous = db.session.get(Assessment, assessment.previous_id)
    return previous if previous is not None and previous.is_submitted else None


class AssessmentClosed(Exception):
    """The assessment was submitted; its answers no longer change."""

    def __init__(self, assessment: Assessment) -> None:
        super().__init__(f"assessment {assessment.id} is submitted")


class AssessmentGone(Exception):
    """The assessment was deleted (from another tab) while this request used it."""

    def __init__(self, assessment_id: int) -> None:
        super().__init__(f"assessment {assessment_id} is deleted")


class IncompleteAssessment(Exception):
    def __init__(self, missing: tuple[str, ...]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing
