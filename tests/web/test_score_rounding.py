"""Scores are rounded the same everywhere, halves up: 12.5 shows as 13 on the results page
and in the PDF, and the command line's one decimal takes 23.75 to 23.8 and 12.25 to 12.3
(Python's round would give 12, 23.8 and 12.2)."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from tests.conftest import fetch_pdf
from tests.pdf.test_plan_pdf import pdf_text
from tests.web.helpers import csrf_from, post_form, start

HALVES = """\
format: 1
id: halves
version: 1
language: en
title: Halves
levels:
  - {id: low, label: Low, min: 0}
  - {id: high, label: High, min: 50}
dimensions:
  - id: d1
    label: First dimension
    themes:
      - {id: a, label: Theme Alpha}
      - {id: b, label: Theme Bravo}
  - id: d2
    label: Second dimension
    themes:
      - {id: c, label: Theme Charlie}
sections:
  - id: s
    title: The only page
    questions:
      - id: qa
        type: choice
        theme: a
        text: A?
        options: [{id: x, label: X, score: 35}, {id: y, label: Y, score: 100}]
      - id: qb
        type: choice
        theme: b
        text: B?
        options: [{id: x, label: X, score: 12.5}, {id: y, label: Y, score: 100}]
      - id: qc
        type: choice
        theme: c
        text: C?
        options: [{id: x, label: X, score: 24.5}, {id: y, label: Y, score: 100}]
      - id: qc2
        type: choice
        theme: c
        text: C again?
        options: [{id: x, label: X, score: 0}, {id: y, label: Y, score: 100}]
"""
ANSWERS = {"qa": "x", "qb": "x", "qc": "x", "qc2": "x"}


def halves_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "halves"
    folder.mkdir()
    (folder / "halves.yaml").write_text(HALVES, encoding="utf-8")
    return folder


def test_the_command_line_rounds_halves_up_to_one_decimal(make_app, tmp_path: Path) -> None:
    folder = halves_folder(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    runner = make_app(questionnaires=folder).test_cli_runner()
    result = runner.invoke(
        args=["questionnaires", "score", str(folder / "halves.yaml"), "--answers", str(answers)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    first, second = summary["dimensions"]
    assert [t["score"] for t in first["themes"]] == [35.0, 12.5]
    assert first["score"] == 23.8  # 23.75
    assert second["score"] == 12.3  # 12.25, exact in binary: round() would give 12.2
    assert summary["overall"]["score"] == 18.0


def test_pages_and_the_pdf_round_halves_up(make_app, tmp_path: Path) -> None:
    app: Flask = make_app(questionnaires=halves_folder(tmp_path))
    client = app.test_client()
    token = start(client, questionnaire="halves", company="Acme")
    assert post_form(client, f"/a/{token}/section/s", ANSWERS).status_code == 302
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    client.post(f"/a/{token}/submit", data={"csrf_token": csrf})

    page = client.get(f"/a/{token}/results").get_data(as_text=True)
    assert '<span class="theme-score">13 · Low</span>' in page  # Theme Bravo, 12.5
    assert '<span class="theme-score">12 · Low</span>' in page  # Theme Charlie, 12.25
    assert '<span class="score">24</span>' in page  # the first dimension, 23.75

    response = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert "Theme Bravo 13 Low" in text  # the theme table of the first dimension
    assert "Theme Bravo (13)" in text  # the summary's gaps
    assert "Theme Charlie 12 Low" in text
    assert "First dimension 24/100 Low" in text
