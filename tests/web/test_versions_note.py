"""What a follow-up's page says when the questionnaire has a new version in between
(issue 16): which scores are not compared, or that all are."""

from __future__ import annotations

from datetime import date

from flask import Flask, render_template_string

from assessor.domain.comparability import compare
from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import score_answers
from assessor.presentation.results import ResultView, result_view
from tests.conftest import DATA

ANSWERS = {"activities": ["haulage"], "fuel": "yes"}
NOTE = '{% from "results/_charts.html" import versions_note %}{{ versions_note(view) }}'


def version_3(old: str, new: str) -> Questionnaire:
    text = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    loaded = parse_questionnaire(text.replace("version: 2", "version: 3").replace(old, new))
    assert loaded.questionnaire is not None, loaded.errors
    return loaded.questionnaire


def follow_up_view(earlier: Questionnaire, later: Questionnaire) -> tuple[ResultView, str]:
    view = result_view(
        score_answers(later, ANSWERS),
        before=score_answers(earlier, ANSWERS),
        previous_submitted=date(2026, 3, 2),
        peer_minimum=5,
        comparison=compare(earlier, later),
    )
    return view, " ".join(render_template_string(NOTE, view=view).split())


def test_a_reworded_version_compares_every_score_and_says_so(
    app: Flask, every_type: Questionnaire
) -> None:
    with app.test_request_context():
        view, note = follow_up_view(every_type, version_3("Fuel data?", "Do you record fuel?"))
    assert (view.previous_version, view.not_compared) == (2, ())
    assert view.overall.change == 0
    assert not view.overall.not_comparable
    assert "version 2 of the questionnaire, this one on version 3." in note
    assert "every score is compared" in note


def test_a_rescored_version_names_what_is_not_compared(
    app: Flask, every_type: Questionnaire
) -> None:
    later = version_3("{id: yes, label: Yes, score: 100}", "{id: yes, label: Yes, score: 90}")
    with app.test_request_context():
        view, note = follow_up_view(every_type, later)
    assert view.overall.change is None
    assert view.overall.not_comparable
    changed = [t for d in view.dimensions for t in d.themes if t.not_comparable]
    assert [t.id for t in changed] == ["data"]
    assert all(t.change is None for t in changed)
    assert "so they are not compared: the overall score;" in note
    assert "every score is compared" not in note


def test_the_same_content_says_nothing(app: Flask, every_type: Questionnaire) -> None:
    with app.test_request_context():
        view, note = follow_up_view(every_type, every_type)
    assert view.previous_version is None
    assert note == ""
