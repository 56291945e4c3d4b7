"""Fixtures of the web tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """The app, with its application context pushed (the database is reachable)."""
    with app.app_context():
        yield app
