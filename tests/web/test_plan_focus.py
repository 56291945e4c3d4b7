"""The results page and the PDF open the plan with its focus ("Start here"); the other
recommendations follow, collapsed on the page and after the focus in the PDF."""

from __future__ import annotations

import re
import subprocess

from flask import Flask

from assessor.domain.answers import check_answers
from assessor.domain.planning import build_plan
from assessor.services import assessments
from tests.conftest import fetch_pdf


def _submitted_beginner(app: Flask) -> tuple[str, list[str], list[str]]:
    """A submitted flagship assessment whose every answer is its first option or lowest value;
    the ids of its focus and of its other recommendations."""
    questionnaire = app.extensions["assessor.questionnaires"].get("logistics-maturity")
    raw: dict[str, object] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            kind = question.type.value
            if question.options:
                first = question.options[0].id
                raw[question.id] = [first] if kind == "multi" else first
            elif kind in ("scale", "number"):
                raw[question.id] = question.min if question.min is not None else 0
    answers, problems = check_answers(questionnaire, raw)
    assert not problems, problems
    assessment = assessments.start_assessment(questionnaire, None, "en", "Slow Start Oy")
    assessments.save_answers(assessment, answers)
    assessments.submit(assessment)
    plan = build_plan(assessments.result_of(assessment))
    return (
        assessment.token,
        [a.triggered.action.title for a in plan.focus],
        [a.triggered.action.title for a in plan.more],
    )


def test_the_page_starts_with_the_focus_and_folds_the_rest(shipped_app: Flask) -> None:
    with shipped_app.app_context():
        token, focus, more = _submitted_beginner(shipped_app)
        page = shipped_app.test_client().get(f"/a/{token}/results").get_data(as_text=True)
    assert len(focus) == 5
    assert more  # a beginner gets more than five recommendations
    start = page.index(">Start here</h3>")
    folded = page.index('<details class="more-actions">')
    assert start < folded
    for title in focus:
        assert start < page.index(f"<h4>{title}</h4>") < folded, title
    summary = re.search(r"<summary>(\d+) more recommendations?</summary>", page)
    assert summary is not None
    assert int(summary.group(1)) == len(more)
    for title in more:
        assert page.index(f"<h5>{title}</h5>") > folded, title


def test_the_pdf_puts_the_focus_first(shipped_app: Flask) -> None:
    with shipped_app.app_context():
        token, focus, more = _submitted_beginner(shipped_app)
        data = fetch_pdf(shipped_app.test_client(), f"/a/{token}/plan.pdf").data
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    text = re.sub(r"\s+", " ", text)
    start = text.index("Start here")
    rest = text.index("More recommendations ·")
    assert start < rest
    for title in focus:
        assert start < text.index(title, start) < rest, title
    assert text.index(more[0], rest) > rest


def test_a_service_is_described_once_then_named(shipped_app: Flask) -> None:
    from assessor.services.plans import plan_of

    with shipped_app.app_context():
        token, _, _ = _submitted_beginner(shipped_app)
        assessment = assessments.find_assessment(token)
        plan = plan_of(assessment, assessments.result_of(assessment))
        client = shipped_app.test_client()
        page = client.get(f"/a/{token}/results").get_data(as_text=True)
        data = fetch_pdf(client, f"/a/{token}/plan.pdf").data
    # In the order both show the plan: the focus, then the rest by horizon.
    horizons = {"short": 0, "medium": 1, "long": 2}
    order = list(plan.focus) + sorted(
        plan.more, key=lambda a: horizons[a.triggered.action.horizon.value]
    )
    named = [s.title.get("en") for planned in order for s in planned.services]
    repeats = len(named) - len(set(named))
    assert repeats > 0  # this plan names some services for several steps
    for title in set(named):
        assert page.count(f">{title}</") == 1, title  # described in full once
    assert page.count("(described with an earlier step)") == repeats
    text = re.sub(
        r"\s+",
        " ",
        subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode(),
    )
    assert text.count("(described with an earlier step)") == repeats
