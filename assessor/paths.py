"""Where the project's folders are; shared by the app and the command line."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
CLUSTERS_DIR = PROJECT_ROOT / "clusters"


def questionnaires_dir() -> Path:
    """The shipped questionnaires, unless FLASK_QUESTIONNAIRES_DIR names another folder."""
    configured = os.environ.get("FLASK_QUESTIONNAIRES_DIR")
    return Path(configured) if configured else PROJECT_ROOT / "questionnaires"
