"""The results page read by an adviser (issue 15, item 6 renders it with viewer="adviser"):
it speaks of the company, never to "you", and leaves out the company's sharing choice."""

from __future__ import annotations

import re

import pytest
from flask import Flask, render_template

from assessor.services import assessments
from assessor.services.plans import plan_view_of
from assessor.web.forms import CsrfForm
from tests.browser.test_results_page import submit
from tests.conftest import SHIPPED


def rendered(app: Flask, token: str, **context: str) -> str:
    with app.test_request_context(f"/a/{token}/results"):
        assessment = assessments.find_assessment(token)
        assert assessment is not None
        doc = plan_view_of(assessment, "en")
        return render_template(
            "results/results.html",
            assessment=assessment,
            view=doc.view,
            doc=doc,
            form=CsrfForm(),
            **context,
        )


@pytest.fixture
def haulier(make_app) -> tuple[Flask, str]:
    app = make_app(questionnaires=SHIPPED)
    return app, submit(app, "haulier-40", "Spedition Weber")


def visible_text(page: str) -> str:
    body = page.split("<main", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_an_adviser_reads_about_the_company(haulier) -> None:
    app, token = haulier
    text = visible_text(rendered(app, token, viewer="adviser"))
    assert "Results of Spedition Weber" in text
    assert "The company's action plan" in text
    assert "Download the company's action plan (PDF)" in text
    assert "The company's overall level" in text
    for words in (
        "Your results",
        "Your action plan",
        "your scores",
        "Your overall level",
    ):
        assert words not in text
    # The sharing choice is the company's alone; at a one-to-one the adviser still hands
    # over the resume link, a follow-up and the delete link, worded for the company.
    assert "Share with your cluster" not in text
    assert "Delete my assessment" not in text
    assert "Delete this assessment" in text
    assert "Download the company's answers" in text
    assert "Start a follow-up assessment" in text


@pytest.mark.parametrize("viewer", [None, "company"])
def test_a_company_reads_about_itself(haulier, viewer: str | None) -> None:
    app, token = haulier
    context = {} if viewer is None else {"viewer": viewer}
    text = visible_text(rendered(app, token, **context))
    assert "Your results for Spedition Weber" in text
    assert "Your action plan" in text
    assert "Share with your cluster" in text
    assert "The company's action plan" not in text
