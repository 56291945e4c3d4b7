"""A result recomputed from stored answers is the result of the answers as given: answers go
through the real storage path (normalised, written as JSON, read back and checked again),
on generated questionnaires, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, example, given, settings

from assessor.domain.actions import triggered_actions
from assessor.domain.answers import check_answers
from assessor.domain.loading import load_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import score_answers
from assessor.domain.summary import result_summary
from assessor.services import assessments as service
from assessor.services.questionnaires.catalogue import (
    _STATE as CATALOGUE_STATE,
)
from assessor.services.questionnaires.catalogue import Served, ServedCatalogue, _State
from assessor.storage.db import db
from tests.conftest import DATA
from tests.domain.test_properties import fingerprint, questionnaire_and_answers

# The app is built once per database and shared by the examples: each stores its own
# assessment of its own questionnaire.
STORED = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


EVERY_TYPE = load_questionnaire(DATA / "every-type.yaml").questionnaire
# Always tried, whatever the generator draws: several options of one question, every type.
EVERY_TYPE_ANSWERS = {
    "activities": ["haulage", "warehouse"],
    "company": "Acme",
    "vehicles": 12,
    "euro6": 50.5,
    "eco": 4,
    "fuel": "yes",
    "method": "primary",
    "tools": ["tms", "wms"],
    "certs": ["iso14001", "iso50001"],
    "budget": ["a", "b"],
}


@STORED
@given(case=questionnaire_and_answers())
@example(case=(EVERY_TYPE, EVERY_TYPE_ANSWERS))
def test_a_result_recomputed_from_stored_answers_is_identical(
    any_app: Flask, case: tuple[Questionnaire, dict[str, Any]]
) -> None:
    questionnaire, answers = case
    first = score_answers(questionnaire, answers)
    # As the section pages do: answers are checked (multiple choices become tuples), then saved.
    checked, problems = check_answers(questionnaire, answers)
    assert problems == []
    # Serve only the generated questionnaire (it has no stored source to be read from).
    installed = any_app.extensions.get(CATALOGUE_STATE)
    any_app.extensions[CATALOGUE_STATE] = _State(
        ServedCatalogue(
            MappingProxyType({questionnaire.id: Served(questionnaire, None, "file", False)}),
            MappingProxyType({questionnaire.source_sha256: questionnaire}),
        ),
        checked_at=float("inf"),  # never read again from the database during the test
    )
    try:
        with any_app.test_request_context("/"):
            assessment = service.start_assessment(questionnaire, None, "en")
            service.save_answers(assessment, checked)
            db.session.expire_all()  # read back from the database, not the session
            assert service.stored_answers(assessment) == checked
            again = service.result_of(assessment)
    finally:
        any_app.extensions[CATALOGUE_STATE] = installed
    assert fingerprint(again) == fingerprint(first)
    summary = result_summary(first, triggered_actions(first))
    assert json.loads(json.dumps(summary)) == result_summary(again, triggered_actions(again))
