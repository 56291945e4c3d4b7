"""A web worker loads only what pages need: the XLSX export's openpyxl and the PDF's
WeasyPrint are imported when first used (each adds megabytes to every worker's memory;
bench/worker_memory.py measures it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

HEAVY = ("openpyxl", "weasyprint")


def test_a_started_app_has_not_imported_the_export_and_pdf_libraries(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from assessor import create_app\n"
        f"create_app({{'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/a.sqlite'}})\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""
