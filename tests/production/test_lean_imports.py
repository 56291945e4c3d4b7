"""A web worker loads only what pages need: the XLSX export's openpyxl and the PDF's
WeasyPrint are imported when first used (each adds megabytes to every worker's memory;
bench/worker_memory.py measures it). Also once gunicorn's master has loaded, before
forking, what every worker's pages need (assessor.web.preload)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
