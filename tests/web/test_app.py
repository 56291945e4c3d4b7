"""The application factory: it starts on valid questionnaires and refuses invalid ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import url_for
from markupsafe import escape

from assessor import create_app
from assessor.services.assessments import questionnaires_offered
from assessor.services.clusters import all_clusters
from tests.conftest import DATA


def test_front_page_offers_every_questionnaire_and_cluster(shipped_app) -> None:
    response = shipped_app.test_client().get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    with shipped_app.test_request_context():
        offered = list(questionnaires_offered(None))
        starts = {q.id: url_for("assessment.start", questionnaire=q.id) for q in offered}
        entries = {c.slug: url_for("assessment.cluster_entry", slug=c.slug) for c in all_clusters()}
    assert {q.id for q in offered} >= {"logistics-maturity", "quick-check"}
    for questionnaire in offered:
        assert f'<h2 id="q-{questionnaire.id}">{escape(questionnaire.title)}</h2>' in page
        assert f'href="{starts[questionnaire.id]}"' in page
    assert "example-baltic-freight" in entries
    for slug, entry in entries.items():
        assert f'href="{entry}"' in page, slug


def test_refuses_to_start_with_an_invalid_questionnaire(tmp_path: Path) -> None:
    shutil.copy(DATA / "every-type.yaml", tmp_path / "good.yaml")
    (tmp_path / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        create_app({"QUESTIONNAIRES_DIR": str(tmp_path)})
    message = str(caught.value.code)
    assert f"{tmp_path / 'broken.yaml'}:1: questionnaire: missing required key 'version'" in message
    assert message.endswith("assessor: refusing to start with invalid questionnaires")


def _flask(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """``flask --app assessor COMMAND`` in a fresh process, on the questionnaires of folder."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "assessor", *command],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=60,
        env={"FLASK_QUESTIONNAIRES_DIR": str(folder), "PATH": "/usr/bin:/bin"},
    )


def test_flask_run_prints_the_errors_and_fails(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("format: 1\nid: broken\nversion: 0\n", encoding="utf-8")
    completed = _flask(tmp_path, "routes")
    assert completed.returncode == 1
    assert (
        "broken.yaml:3: questionnaire: 'version' must be a whole number at least 1, found 0"
        in completed.stderr
    )
    assert "Traceback" not in completed.stderr + completed.stdout
    # the validator itself still works while the app refuses to start
    validated = _flask(tmp_path, "questionnaires", "validate")
    assert validated.returncode == 1
    assert validated.stdout.startswith("broken.yaml:1: questionnaire: missing required key")
