"""Files with accounts and answers are private to the account running the app (0600),
from their first byte; and the embedded default starts with nothing but a secret key."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from assessor.storage.db import db
from assessor.web.config import _instance_secret
from tests.conftest import DATA


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask, under which files are created readable by everyone (0644)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def instance(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The app's instance folder, not created yet; the app configured from the environment
    as on an operator's machine (no DATABASE_URL: the embedded SQLite default)."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_QUESTIONNAIRES_DIR", str(DATA))
    return folder


def _started(app: Flask) -> None:
    try:
        assert app.test_client().get("/health").json == {
            "status": "ok",
            "database": "ok",
            "queue": "embedded",
        }
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_embedded_default_starts_with_only_a_secret_key(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SECRET_KEY set, nothing created the instance folder: 'unable to open database
    file'."""
    from assessor import create_app

    monkeypatch.setenv("SECRET_KEY", "from the environment")
    app = create_app()
    _started(app)
    assert app.config["SECRET_KEY"] == "from the environment"
    assert not (instance / "secret_key").exists()
    assert mode(instance) == 0o700
    assert mode(instance / "assessor.sqlite") == 0o600


def test_the_embedded_default_keeps_its_database_and_key_private(instance: Path) -> None:
    from assessor import create_app

    app = create_app()
    _started(app)
    assert mode(instance) == 0o700
    assert mode(instance / "assessor.sqlite") == 0o600  # password hashes, every answer
    assert mode(instance / "secret_key") == 0o600
    assert app.config["SECRET_KEY"] == (instance / "secret_key").read_text().strip()
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept, not renewed


def test_an_existing_secret_key_is_used(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("chosen by the operator\n", encoding="utf-8")
    assert _instance_secret(tmp_path) == "chosen by the operator"


def test_processes_starting_together_agree_on_one_secret_key(tmp_path: Path) -> None:
    """gunicorn's workers start at once: a key each would sign each worker's sessions and
    form tokens differently ("the form has expired" on every other request)."""
    for attempt in range(20):
        folder = tmp_path / str(attempt)
        start = threading.Barrier(8)
        keys: list[str] = []

        def read_key(
            folder: Path = folder, start: threading.Barrier = start, keys: list[str] = keys
        ) -> None:
            start.wait()
            keys.append(_instance_secret(folder))

        threads = [threading.Thread(target=read_key) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 8
        assert len(set(keys)) == 1, attempt
        assert keys[0] == (folder / "secret_key").read_text().strip()
        assert len(keys[0]) == 64
        assert mode(folder / "secret_key") == 0o600
        assert sorted(p.name for p in folder.iterdir()) == ["secret_key"]  # nothing left over


def test_exported_backups_are_private(runner, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    result = runner.invoke(args=["export", str(backup)])
    assert result.exit_code == 0, result.output
    assert mode(backup) == 0o600
    assert backup.read_text(encoding="utf-8").startswith("{")

    older = tmp_path / "older.json"
    older.write_text("an earlier backup", encoding="utf-8")
    older.chmod(0o644)
    assert runner.invoke(args=["export", str(older)]).exit_code == 0
    assert mode(older) == 0o600  # overwritten, and no longer readable by others


def test_a_database_left_readable_by_an_earlier_version_is_made_private(instance: Path) -> None:
    from assessor import create_app

    _started(create_app())
    (instance / "assessor.sqlite").chmod(0o644)  # as versions before this one created it
    _started(create_app())
    assert mode(instance / "assessor.sqlite") == 0o600
