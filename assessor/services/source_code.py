"""The source code of the running site, offered to its users as the EUPL asks.

The footer's "… is open source" leads to a page that names the licence and offers this
archive; an operator who publishes the code elsewhere sets ``SOURCE_URL`` as well. The
archive is built from an allow-list of the project's own folders and files, so that the
instance folder (secret key, SQLite database, uploaded logos) can never be in it.
"""

from __future__ import annotations

import io
import tarfile
import threading
from importlib import metadata
from pathlib import Path

LICENCE = "EUPL-1.2"
SHIPPED_FOLDERS = (
    "assessor",
    "bench",
    "clusters",
    "docs",
    "migrations",
    "questionnaires",
    "scripts",
    "static",
    "templates",
    "tests",
    "translations",
)
SHIPPED_FILES = (
    "README.md",
    "pyproject.toml",
    "constraints.txt",
    "babel.cfg",
    "gunicorn.conf.py",
    ".ci/run",
)
# Built, not written: compiled catalogues and Python's caches come back from the rest.
LEFT_OUT_SUFFIXES = (".pyc", ".mo")
LEFT_OUT_FOLDERS = ("__pycache__",)

_lock = threading.Lock()
_archives: dict[Path, bytes] = {}


def version() -> str:
    try:
        return metadata.version("assessor")
    except metadata.PackageNotFoundError:
        return "unknown"


def source_archive(root: Path) -> bytes:
    """A .tar.gz of the project at ``root``, built once per process (the code does not
    change under a running site)."""
    with _lock:
        if root not in _archives:
            _archives[root] = _build(root)
        return _archives[root]


def _shipped(root: Path) -> list[Path]:
    paths = [root / name for name in SHIPPED_FILES if (root / name).is_file()]
    for folder in SHIPPED_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if (
                path.is_file()
                and not path.is_symlink()
                and path.suffix not in LEFT_OUT_SUFFIXES
                and not any(part in LEFT_OUT_FOLDERS for part in relative.parts)
                # A dotfile (an editor's backup, a stray .env) is nobody's source.
                and not any(part.startswith(".") for part in relative.parts)
            ):
                paths.append(path)
    return paths


def _build(root: Path) -> bytes:
    prefix = f"assessor-{version()}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
        for path in _shipped(root):
            info = archive.gettarinfo(str(path), arcname=f"{prefix}/{path.relative_to(root)}")
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with path.open("rb") as content:
                archive.addfile(info, content)
    return buffer.getvalue()
