"""The results page says when the EU rules of the plan were checked, in the page's language
(issue 13, item 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from tests.pdf.test_plan_pdf import submit_warehouse
from tests.web.helpers import every_type_with_references, start


def page_text(app: Flask, prefix: str = "") -> str:
    client = app.test_client()
    token = start(client)
    submit_warehouse(client, token, company="Acme")
    response = client.get(f"{prefix}/a/{token}/results")
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", "EU rules and standards as checked in November 2025."),
        ("/de", "EU-Vorschriften und Normen: Stand November 2025."),
    ],
)
def test_the_results_page_says_when_the_rules_were_checked(
    make_app, tmp_path: Path, prefix: str, expected: str
) -> None:
    app = make_app(questionnaires=every_type_with_references(tmp_path / "questionnaires"))
    text = page_text(app, prefix)
    assert expected in text
    assert "2020" not in text  # the reference checked then is in no action of this plan


def test_no_line_when_the_plan_names_no_checked_rule(app: Flask) -> None:
    # every-type.yaml as shipped with the tests has no references.
    assert "as checked in" not in page_text(app)
