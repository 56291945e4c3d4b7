"""A month and its year as each language writes them on their own ("checked in …")."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from assessor.domain.model import Month
from assessor.presentation.formatting import month_text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "December 2026"),
        ("pl", "grudzień 2026"),  # the stand-alone form, not "grudnia"
        ("lv", "2026. gada decembris"),  # CLDR's pattern would add a period after "gada"
        ("lt", "2026 m. gruodis"),
        ("el", "Δεκέμβριος 2026"),
        ("pt", "dezembro de 2026"),
    ],
)
def test_a_month_as_the_language_writes_it(app: Flask, language: str, expected: str) -> None:
    with app.test_request_context(), force_locale(language):
        assert month_text(Month(2026, 12)) == expected
