"""The application factory: it starts on valid questionnaires and refuses invalid ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessor import create_app
from tests.conftest import DATA, PROJECT_ROOT


def test_front_page_lists_the_questionnaires(shipped_app) -> None:
    response = shipped_app.test_client().get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "quick" in page.lower()


def test_refuses_to_start_with_an_invalid_questionnaire(tmp_path: Path) -> None:
    shutil.copy(DATA / "every-type.yaml", tmp_path / "good.yaml")
    (tmp_path / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        create_app({"QUESTIONNAIRES_DIR": str(tmp_path)})
    message = str(caught.value.code)
    assert f"{tmp_path / 'broken.yaml'}:1: questionnaire: missing required key 'version'" in message
    assert message.endswith("assessor: refusing to start with invalid questionnaires")


def test_flask_run_prints_the_errors_and_fails(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("format: 1\nid: broken\nversion: 0\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "assessor", "routes"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"FLASK_QUESTIONNAIRES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 1
    assert (
        "broken.yaml:3: questionnaire: 'version' must be a whole number at least 1, found 0"
        in completed.stderr
    )
    assert "Traceback" not in completed.stderr + completed.stdout
    # the validator itself still works while the app refuses to start
    validated = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "assessor", "questionnaires", "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"FLASK_QUESTIONNAIRES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert validated.returncode == 1
    assert validated.stdout.startswith("broken.yaml:1: questionnaire: missing required key")


def test_project_root_is_where_the_questionnaires_are() -> None:
    assert (PROJECT_ROOT / "questionnaires").is_dir()
