"""``flask --app assessor clusters validate|import|export|list``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, SHIPPED


@pytest.fixture
def runner(shipped_app):
    """On the shipped questionnaires, whose action topics the example catalogues use."""
    return shipped_app.test_cli_runner()


BAD = """\
slug: Bad Slug
name: X
country: be
languages: [en]
colour: green
services:
  - id: s1
    category: marketing
    title: {en: T}
    description: {en: D}
    topics: []
"""


def test_validate_reports_every_error_with_its_line(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["clusters", "validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:1: cluster: 'slug' 'Bad Slug' must match ^[a-z0-9][a-z0-9-]{{1,62}}$",
        f"{bad}:3: cluster: 'country' 'be' must match ^[A-Z]{{2}}$",
        f"{bad}:5: cluster: 'colour' must be like '#0b5d4b', found 'green'",
        f"{bad}:8: service s1: 'category' must be one of innovation, finance, regulation, internationalisation, training, process, found 'marketing'",
        f"{bad}:11: service s1: 'topics' must not be empty",
    ]


def test_import_refuses_everything_when_one_file_is_bad(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    good = PROJECT_ROOT / "clusters" / "example-baltic-freight.yaml"
    before = runner.invoke(args=["clusters", "list"]).output
    result = runner.invoke(args=["clusters", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert runner.invoke(args=["clusters", "list"]).output == before


def _version(output: str) -> int:
    return int(output.rsplit("catalogue version ", 1)[1].rstrip(")\n"))


def test_only_a_changed_catalogue_gets_a_new_version(runner, tmp_path: Path) -> None:
    original = PROJECT_ROOT / "clusters" / "example-baltic-freight.yaml"
    first = _version(runner.invoke(args=["clusters", "import", str(original)]).output)
    unchanged = runner.invoke(args=["clusters", "import", str(original)])
    assert _version(unchanged.output) == first  # cached plans stay valid
    edited = tmp_path / "example-baltic-freight.yaml"
    edited.write_text(
        original.read_text(encoding="utf-8").replace("adviser@", "new-adviser@", 1),
        encoding="utf-8",
    )
    shutil.copytree(PROJECT_ROOT / "clusters" / "logos", tmp_path / "logos")
    changed = runner.invoke(args=["clusters", "import", str(edited)])
    assert changed.exit_code == 0, changed.output
    assert _version(changed.output) == first + 1


TYPOS = """\
slug: typo-cluster
name: Typo Cluster
country: BE
languages: [en]
services:
  - id: driving-course
    category: training
    title: Eco-driving course
    description: Two days on the road with a trainer.
    topics: [eco-drivng, energy]
    levels: [expert, beginner]
"""


def test_a_topic_or_level_that_no_questionnaire_uses_is_an_error(runner, tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(TYPOS, encoding="utf-8")
    result = runner.invoke(
        args=["clusters", "validate", "--questionnaires", str(SHIPPED), str(path)]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:10: service driving-course: 'eco-drivng' is a topic no questionnaire action uses; did you mean 'eco-driving'?",
        f"{path}:11: service driving-course: 'expert' is a level no questionnaire defines",
    ]
    imported = runner.invoke(args=["clusters", "import", str(path)])
    assert imported.exit_code == 1
    assert "typo-cluster" not in runner.invoke(args=["clusters", "list"]).output


def test_validate_runs_when_the_app_cannot_start(tmp_path: Path) -> None:
    """A broken questionnaire stops the app, not the catalogue validator."""
    broken = tmp_path / "questionnaires"
    broken.mkdir()
    (broken / "broken.yaml").write_text("format: 1\nid: [\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "assessor",
            "clusters",
            "validate",
            str(PROJECT_ROOT / "clusters"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "FLASK_QUESTIONNAIRES_DIR": str(broken)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok") == len(list((PROJECT_ROOT / "clusters").glob("*.yaml")))
    assert "are not checked" in result.stderr
