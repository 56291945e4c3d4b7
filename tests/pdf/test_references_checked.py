"""The PDF plan says when the EU rules it names were checked, and lists each one's source and
month, in the plan's language (issue 13, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.pdf.test_plan_pdf import plan_text
from tests.web.helpers import every_type_with_references


@pytest.fixture
def app(make_app, tmp_path: Path) -> Flask:
    return make_app(questionnaires=every_type_with_references(tmp_path / "questionnaires"))


def test_the_plan_says_when_its_rules_were_checked(app: Flask) -> None:
    text = plan_text(app)
    assert "EU rules and standards in this plan" in text
    # The oldest month of the references the plan shows: not 2020-01, which it does not show.
    assert (
        "EU rules and standards in this plan As checked in November 2025. Rules change: check a"
        " date with your cluster before you rely on it." in text
    )
    assert "Source: EUR-Lex, Regulation (EU) 2020/1056; checked March 2026." in text
    assert "Source: ISO; checked November 2025." in text
    assert "Data Act" in text  # listed, with neither source nor month
    assert "Not in the plan" not in text
    assert "January 2020" not in text


def test_the_months_are_in_the_plans_language(app: Flask) -> None:
    text = plan_text(app, "/fr")
    assert "Vérifiées en novembre 2025. La réglementation évolue" in text
    assert "Source : EUR-Lex, Regulation (EU) 2020/1056 ; vérifié en mars 2026." in text
    assert "Source : ISO ; vérifié en novembre 2025." in text
