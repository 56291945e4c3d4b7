"""An applying deadline is shown with its action on the results page and in the PDF
("Applies to you from July 2027", the month in the page's language) and given in the
results JSON's focus items; one that does not apply to the company is not shown."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from assessor.domain.answers import check_answers
from assessor.services import assessments
from tests.conftest import FLAGSHIP_V2, fetch_pdf

FLAGSHIP = "logistics-maturity.yaml"


def _with_deadlines(folder: Path) -> Path:
    """The flagship (as released in version 2) with two deadlines: eFTI's for everyone, and one that applies
    only to fleets of 100,000 vehicles (to no company here)."""
    shutil.copy(FLAGSHIP_V2, folder / FLAGSHIP)
    path = folder / FLAGSHIP
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  - id: efti-readiness\n",
        '  - id: efti-readiness\n    deadline: {month: "2027-07"}\n',
    )
    text = text.replace(
        "  - id: ai-rules\n",
        "  - id: ai-rules\n"
        '    deadline: {month: "2027-12", applies_if: {question: p-fleet, at_least: 100000}}\n',
    )
    path.write_text(text, encoding="utf-8")
    return folder


def _submitted_beginner(app: Flask) -> str:
    """A submitted assessment whose every answer is the first option or lowest value."""
    questionnaire = app.extensions["assessor.questionnaires"].get("logistics-maturity")
    assert questionnaire.actions_by_id["efti-readiness"].deadline is not None
    raw: dict[str, object] = {}
    for question in questionnaire.questions:
        if question.options:
            first = question.options[0].id
            raw[question.id] = [first] if question.type.value == "multi" else first
        elif question.type.value in ("scale", "number"):
            raw[question.id] = question.min if question.min is not None else 0
    answers, problems = check_answers(questionnaire, raw)
    assert not problems, problems
    assessment = assessments.start_assessment(questionnaire, None, "en", "Paper Trail Oy")
    assessments.save_answers(assessment, answers)
    assessments.submit(assessment)
    return assessment.token


def test_the_page_the_pdf_and_the_json_show_an_applying_deadline(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(questionnaires=_with_deadlines(tmp_path))
    with app.app_context():
        token = _submitted_beginner(app)
        client = app.test_client()
        page = client.get(f"/a/{token}/results").get_data(as_text=True)
        french = client.get(f"/fr/a/{token}/results").get_data(as_text=True)
        summary = client.get(
            f"/a/{token}/results", headers={"Accept": "application/json"}
        ).get_json()
        data = fetch_pdf(client, f"/a/{token}/plan.pdf").data
    # The deadline is raised into the focus by its bonus (already within 12 months).
    focus = {item["id"]: item for item in summary["plan"]["focus"]}
    assert focus["efti-readiness"]["deadline"] == "2027-07"
    assert all("deadline" not in item for key, item in focus.items() if key != "efti-readiness")
    assert "ai-rules" not in focus
    # The contract's list keeps the priority order, of which the focus is a part.
    assert [a for a in summary["actions"] if a in focus] == list(focus)

    line = '<p class="meta deadline">Applies to you from July 2027</p>'
    assert page.count(line) == 1
    efti_title = "Get ready for electronic freight documents (eFTI and e-CMR)"
    assert page.index(efti_title) < page.index(line)
    assert "Applies to you from December 2027" not in page  # not for this company
    assert "S’applique à vous à partir de juillet 2027" in french.replace("&#39;", "’").replace(
        "'", "’"
    )

    text = re.sub(
        r"\s+",
        " ",
        subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode(),
    )
    assert text.count("Applies to you from July 2027") == 1
    assert text.index(efti_title) < text.index("Applies to you from July 2027")
