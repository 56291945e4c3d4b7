"""API tests run on the shipped questionnaires (the quick check is quick to submit; the
full assessment has plans with services)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.conftest import SHIPPED


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=SHIPPED)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Flask:
    return make_app(database=request.param, questionnaires=SHIPPED)
