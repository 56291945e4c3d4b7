"""The domain core stays plain Python: no web framework, database or PDF library."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import assessor.domain

FORBIDDEN = ("flask", "werkzeug", "sqlalchemy", "flask_sqlalchemy", "weasyprint", "jinja2")


def test_domain_modules_import_no_framework() -> None:
    modules = [f"assessor.domain.{m.name}" for m in pkgutil.iter_modules(assessor.domain.__path__)]
    assert "assessor.domain.scoring" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
