"""The example companies of tests/personas/ in the app: through the real web flow, the plan
of the results JSON is the domain's; in the PDF, no service is described twice (issue 13,
item 10)."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessor.domain.planning import build_plan
from assessor.domain.scoring import score_answers
from assessor.services import assessments
from assessor.services.clusters import cluster_by_slug
from tests.conftest import fetch_pdf
from tests.domain.test_personas import (
    CASES,
    PERSONAS,
    answers_of,
    catalogues,
    questionnaire,
)
from tests.web.helpers import csrf_from, post_form, start


def answer_every_page(client: FlaskClient, token: str, answers: dict[str, Any]) -> list[str]:
    """Answer each page the app leads to with the company's answers; the pages seen."""
    pages = []
    location = client.get(f"/a/{token}").headers["Location"]
    while "/section/" in location:
        section_id = location.rsplit("/section/", 1)[1].split("?")[0]
        pages.append(section_id)
        section = questionnaire_of(token).sections_by_id[section_id]
        data = {
            q.id: [str(v) for v in answers[q.id]]
            if isinstance(answers[q.id], list)
            else str(answers[q.id])
            for q in section.questions
            if q.id in answers
        }
        response = post_form(client, location, data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        location = response.headers["Location"]
        assert len(pages) < 50, pages
    assert location.endswith("/review"), location
    return pages


def normalised(answers: Any) -> dict[str, Any]:
    """Answers with a multiple choice as a sorted list (the app keeps the options' order)."""
    return {k: sorted(v) if isinstance(v, (list, tuple)) else v for k, v in answers.items()}


def questionnaire_of(token: str) -> Any:
    return assessments.questionnaire_of(assessments.find_assessment(token))


@pytest.mark.parametrize(
    ("persona", "name"), [("last-mile-courier", "logistics-maturity"), ("warehouse", "quick-check")]
)
def test_a_company_through_the_web_gets_the_domains_plan(
    shipped_app: Flask, persona: str, name: str
) -> None:
    cluster = PERSONAS[persona]["cluster"]
    answers = answers_of(persona, name)
    client = shipped_app.test_client()
    with shipped_app.app_context():
        token = start(client, questionnaire=name, cluster=cluster, company=persona)
        pages = answer_every_page(client, token, answers)
        assert len(pages) > 1
        csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
        assert client.post(f"/a/{token}/submit", data={"csrf_token": csrf}).status_code == 302
        stored = assessments.stored_answers(assessments.find_assessment(token))
    assert normalised(stored) == normalised(answers)  # every answer reached the database
    response = client.get(f"/a/{token}/results", headers={"Accept": "application/json"})
    assert response.status_code == 200
    web_plan = response.get_json()["plan"]

    result = score_answers(questionnaire(name), answers)
    network = catalogues()["example-eu-network"]
    plan = build_plan(result, catalogues()[cluster].services, network.services, as_of=date.today())
    assert [(a["id"], a["horizon"]) for a in web_plan["focus"]] == [
        (a.action_id, a.triggered.action.horizon.value) for a in plan.focus
    ], persona
    assert [a["services"] for a in web_plan["focus"]] == [
        [s.id for s in a.services] for a in plan.focus
    ], persona
    assert any(a["services_from"] == "cluster" for a in web_plan["focus"]), persona
    assert web_plan["more"] == [a.action_id for a in plan.more], persona


@pytest.fixture(scope="module")
def descriptions() -> dict[str, str]:
    """Every English service description of the example catalogues, by service id."""
    return {
        f"{slug}/{s.id}": s.description.get("en") or ""
        for slug, profile in catalogues().items()
        for s in profile.services
    }


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("persona", "name"), CASES)
def test_no_service_is_described_twice_in_the_pdf(
    shipped_app: Flask, descriptions: dict[str, str], persona: str, name: str
) -> None:
    with shipped_app.app_context():
        questionnaire_ = shipped_app.extensions["assessor.questionnaires"].get(name)
        cluster = cluster_by_slug(PERSONAS[persona]["cluster"])
        assert cluster is not None
        assessment = assessments.start_assessment(questionnaire_, cluster, "en", persona)
        raw = json.loads(json.dumps(answers_of(persona, name)))
        assessments.save_answers(assessment, raw)
        assessments.submit(assessment)
        data = fetch_pdf(shipped_app.test_client(), f"/a/{assessment.token}/plan.pdf").data
    text = flat(
        subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
    )
    shown = 0
    for service, description in descriptions.items():
        # The start of a description, short enough to stay on one line of the PDF text.
        opening = flat(description)[:60]
        count = text.count(opening)
        assert count <= 1, f"{persona} ({name}): {service} described {count} times"
        shown += count
    if persona != "best-in-class":
        assert shown > 0, f"{persona} ({name}): no service described at all"
