"""Adviser tests run on the shipped questionnaires (workshops use the quick check)."""

from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture
def app(shipped_app: Flask) -> Flask:
    return shipped_app
