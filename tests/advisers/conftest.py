"""Adviser tests run on both questionnaires as released in version 2 (workshops use the
quick check): they are written against its ids and answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.conftest import RELEASED_V2


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=RELEASED_V2)
