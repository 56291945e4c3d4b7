"""A cluster service's text in a language the reader reads (issue 15, item 5): the reader's
language, then SERVICE_LANGUAGE_FALLBACK (English by default), then the cluster's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from assessor.domain.offerings import LocalisedText
from assessor.services import assessments
from assessor.services.clusters import cluster_by_slug
from assessor.services.plans import plan_view_of
from tests.conftest import SHIPPED

BALTIC = {"fi": "Suomeksi", "en": "In English", "pl": "Po polsku"}  # written in fi, en, pl
HAULIER = Path(__file__).parents[1] / "personas" / "logistics-maturity" / "haulier-40.json"


@pytest.mark.parametrize(
    ("reader", "fallback", "shown"),
    [
        ("de", ("en",), "In English"),  # not the cluster's Finnish
        ("pl", ("en",), "Po polsku"),  # the reader's own language first
        ("pl-PL", ("en",), "Po polsku"),  # its main language
        ("de", (), "Suomeksi"),  # no fallback configured: the cluster's language
        ("de", ("sv", "pl", "en"), "Po polsku"),  # the first of the chain it is written in
    ],
)
def test_the_chain(reader: str, fallback: tuple[str, ...], shown: str) -> None:
    assert LocalisedText(BALTIC, "fi", fallback).get(reader) == shown


def test_the_default_chain_puts_english_before_the_clusters_language() -> None:
    assert LocalisedText(BALTIC, "fi").get("de") == "In English"
    assert LocalisedText({"fi": "Suomeksi", "pl": "Po polsku"}, "fi").get("de") == "Suomeksi"


def submitted_haulier(app: Flask) -> str:
    answers = json.loads(HAULIER.read_text("utf-8"))
    with app.app_context():
        questionnaire = assessments.catalogue().get("logistics-maturity")
        assert questionnaire is not None
        cluster = cluster_by_slug("example-baltic-freight")
        assessment = assessments.start_assessment(questionnaire, cluster, "de", "Spedition Weber")
        assessments.save_answers(
            assessment, {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
        )
        assessments.submit(assessment)
        return assessment.token


@pytest.mark.parametrize(
    ("setting", "expected", "instead_of"),
    [(None, "en", "fi"), ([], "fi", "en"), ("pl, en", "pl", "en")],
    ids=["default-english", "empty-cluster-language", "from-environment-polish"],
)
def test_a_german_reader_gets_the_chain_on_the_page_and_in_the_plan(
    make_app, setting, expected: str, instead_of: str
) -> None:
    config = {} if setting is None else {"SERVICE_LANGUAGE_FALLBACK": setting}
    app = make_app(questionnaires=SHIPPED, **config)
    token = submitted_haulier(app)
    page = app.test_client().get(f"/de/a/{token}/results").get_data(as_text=True)
    with app.app_context():
        assessment = assessments.find_assessment(token)
        assert assessment is not None
        # The PDF plan is drawn from the same view data.
        doc = plan_view_of(assessment, "de")
        shown = [
            s for item in doc.plan.actions for s in item.services if s.provider.startswith("Baltic")
        ]
        assert shown, "the haulier's plan names services of its cluster"
        for service in shown:
            texts = service.title.texts
            assert service.title.get(doc.language) == texts[expected]
            assert texts[expected] in page
            assert texts[instead_of] not in page
