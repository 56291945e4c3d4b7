"""The layer contracts of pyproject.toml ([tool.importlinter]) hold: no import runs the
wrong way (a service reaching into the views, presentation into the services or storage,
the domain into Flask or the database), every package has its layer, and views reach the
database only through services."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT


def test_no_import_runs_the_wrong_way() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout
