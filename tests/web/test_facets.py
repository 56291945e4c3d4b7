"""Facets written at submission, and ``flask facets refresh`` for assessments submitted
before a kind of facet existed; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from assessor.domain.answers import check_answers
from assessor.services import assessments
from assessor.storage.db import db
from assessor.storage.models import Assessment, ResultFacet
from tests.conftest import DATA
from tests.domain.test_facets import HAULIER, WAREHOUSE

NEW_KINDS = ("focus", "dma", "readiness")
# A multiset: a row written twice would count twice.
Rows = Counter[tuple[int, str, str, str | None, float | None]]


@pytest.fixture(params=["sqlite", "postgresql"])
def rules_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Flask:
    return make_app(database=request.param, questionnaires=DATA / "facets")


def answered(raw: dict[str, object], *, submit: bool = True, preview: bool = False) -> Assessment:
    questionnaire = assessments.catalogue().get("rules-check")
    assert questionnaire is not None
    answers, problems = check_answers(questionnaire, raw)
    assert not problems
    assessment = assessments.start_assessment(questionnaire, None, "en", is_preview=preview)
    assessments.save_answers(assessment, answers)
    if submit:
        assessments.submit(assessment)
    return assessment


def facet_rows() -> Rows:
    return Counter(
        (f.assessment_id, f.kind, f.key, f.value, f.score)
        for f in db.session.scalars(select(ResultFacet))
    )


def test_submission_writes_the_facets_insights_read(rules_app: Flask) -> None:
    with rules_app.app_context():
        haulier = answered(HAULIER)
        warehouse = answered(WAREHOUSE)
        answered(HAULIER, preview=True)  # a preview is in no figure
        answered(HAULIER, submit=False)
        rows = facet_rows()
    assert {r[0] for r in rows} == {haulier.id, warehouse.id}
    new = {(r[0], r[1], r[2], r[3]) for r in rows if r[1] in (*NEW_KINDS, "action")}
    assert new == {
        (haulier.id, "action", "e-documents", "developing"),
        (haulier.id, "action", "measure-emissions", "established"),
        (haulier.id, "focus", "e-documents", None),
        (haulier.id, "focus", "measure-emissions", None),
        (haulier.id, "dma", "digital-readiness", None),
        (haulier.id, "dma", "green-digitalisation", None),
        (haulier.id, "readiness", "efti", "preparing"),
        (haulier.id, "readiness", "ecmr", "unaware"),
        (haulier.id, "readiness", "ets2", "ready"),
        (warehouse.id, "action", "ets2-check", "advanced"),
        (warehouse.id, "focus", "ets2-check", None),
        (warehouse.id, "dma", "digital-readiness", None),
        (warehouse.id, "readiness", "ecmr", "preparing"),
        (warehouse.id, "readiness", "ets2", "unknown"),
    }
    scores = {(r[0], r[1], r[2]): r[4] for r in rows}
    assert scores[(haulier.id, "dma", "digital-readiness")] == pytest.approx(125 / 3)
    assert scores[(warehouse.id, "dma", "digital-readiness")] == 82.5
    assert scores[(haulier.id, "action", "measure-emissions")] == 2
    assert scores[(haulier.id, "focus", "measure-emissions")] == 2


def test_refresh_rewrites_every_submitted_assessments_facets(rules_app: Flask) -> None:
    """As after an upgrade: one assessment has no facets at all, another only those of
    before (no focus, DMA or readiness rows, actions without their level)."""
    with rules_app.app_context():
        haulier = answered(HAULIER)
        warehouse = answered(WAREHOUSE)
        preview = answered(WAREHOUSE, preview=True)
        expected = facet_rows()
        db.session.execute(delete(ResultFacet).where(ResultFacet.assessment_id == haulier.id))
        db.session.execute(delete(ResultFacet).where(ResultFacet.kind.in_(NEW_KINDS)))
        db.session.execute(
            update(ResultFacet).where(ResultFacet.kind == "action").values(value=None)
        )
        db.session.commit()
        assert facet_rows() != expected
    runner = rules_app.test_cli_runner()
    for _ in range(2):  # again: the same rows, no more
        result = runner.invoke(args=["facets", "refresh", "--batch-size", "1"])
        assert result.exit_code == 0, result.output
        assert result.stdout == "refreshed the facets of 2 submitted assessments\n"
        assert result.stderr == ("1 of 2 assessments refreshed\n2 of 2 assessments refreshed\n")
        with rules_app.app_context():
            assert facet_rows() == expected
    with rules_app.app_context():
        assert preview.id not in {r[0] for r in facet_rows()}
        # A content that is not stored cannot be scored again: its facets stay as they are.
        db.session.execute(
            update(Assessment)
            .where(Assessment.id == warehouse.id)
            .values(questionnaire_sha256="0" * 64)
        )
        db.session.execute(delete(ResultFacet).where(ResultFacet.kind == "focus"))
        db.session.commit()
    result = runner.invoke(args=["facets", "refresh"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "refreshed the facets of 1 submitted assessments\n"
        "skipped 1 assessments: the questionnaire content they were answered on is not "
        "stored (their facets are kept as they were)\n"
    )
    with rules_app.app_context():
        focus = {(r[0], r[2]) for r in facet_rows() if r[1] == "focus"}
    assert focus == {(haulier.id, "e-documents"), (haulier.id, "measure-emissions")}
