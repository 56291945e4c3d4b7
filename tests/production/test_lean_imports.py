"""A web worker loads only what pages need: the XLSX export's openpyxl and the PDF's
WeasyPrint are imported when first used (each adds megabytes to every worker's memory;
bench/worker_memory.py measures it). Also once gunicorn's master has loaded, before
forking, what every worker's pages need (assessor.web.preload)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from assessor.storage.db import db
from tests.conftest import PROJECT_ROOT

HEAVY = ("openpyxl", "weasyprint")


@pytest.mark.parametrize("preloaded", [False, True])
def test_a_started_app_has_not_imported_the_export_and_pdf_libraries(
    tmp_path: Path, preloaded: bool
) -> None:
    script = (
        "import sys\n"
        "from assessor import create_app\n"
        "from assessor.web.preload import load_for_workers\n"
        f"app = create_app({{'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/a.sqlite'}})\n"
        f"if {preloaded}: load_for_workers(app)\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_migrations_are_loaded_when_run_not_by_a_started_app(tmp_path: Path, make_app) -> None:
    """Flask-Migrate brings alembic, Mako and Pygments (about 11 MiB), and Pillow (3 MiB)
    checks uploaded logos: a started app on a database server has none of them; ``flask
    db`` loads Flask-Migrate and still works."""
    script = (
        "import sys\n"
        "from assessor import create_app\n"
        "create_app({'SECRET_KEY': 'x', 'AUTO_SETUP_DATABASE': False, "
        f"'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/a.sqlite'}})\n"
        "print(','.join(m for m in ('flask_migrate', 'alembic', 'mako', 'pygments', 'PIL') "
        "if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""
    app = make_app(AUTO_SETUP_DATABASE=False)  # as on a database server: no schema yet
    with app.app_context():
        assert "migrate" not in app.extensions
        assert app.test_cli_runner().invoke(args=["db", "nonsense"]).exit_code == 2
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert inspect(db.engine).has_table("assessment")
