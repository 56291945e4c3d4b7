"""Shared fixtures: questionnaires built from text, the app, its client and runner."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assessor.domain.loader import LoadResult, load_questionnaire
from assessor.domain.model import Questionnaire

DATA = Path(__file__).parent / "data"
PROJECT_ROOT = Path(__file__).parent.parent
SHIPPED = PROJECT_ROOT / "questionnaires"


@pytest.fixture
def every_type() -> Questionnaire:
    result = load_questionnaire(DATA / "every-type.yaml")
    assert result.errors == ()
    assert result.questionnaire is not None
    return result.questionnaire


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "q.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load_text(write_yaml: Callable[[str, str], Path]) -> Callable[[str], LoadResult]:
    """Load dedented YAML text; errors show the path as 'q.yaml'."""

    def load(text: str) -> LoadResult:
        return load_questionnaire(write_yaml(text, "q.yaml"), "q.yaml")

    return load


@pytest.fixture
def app(tmp_path: Path):
    from assessor import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test", "QUESTIONNAIRES_DIR": str(SHIPPED)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
