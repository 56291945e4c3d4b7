"""Rate limits hold for the whole site, or the app does not start.

With ``RATELIMIT_STORAGE_URI=memory://`` every process counts alone: gunicorn's four
workers let four times the limit through (37 of 50 wrong sign-ins a minute were accepted
where 10 were meant). The app is told how many processes serve it (gunicorn.conf.py
passes its worker count) and refuses memory:// for more than one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import DATA, PROJECT_ROOT, free_port
from tests.production.conftest import wait_until_answering


def test_several_processes_counting_alone_refuse_to_start(make_app) -> None:
    with pytest.raises(SystemExit) as caught:
        make_app(RATELIMIT_ENABLED=True, APP_PROCESSES=4)
    message = str(caught.value.code)
    assert "4 app processes" in message
    assert "FLASK_RATELIMIT_STORAGE_URI=redis://" in message
    assert "FLASK_ACCEPT_PER_PROCESS_RATE_LIMITS=true" in message


def test_one_process_counts_in_memory(make_app) -> None:
    """The embedded default (scripts/serve: flask run, one process) needs no Redis."""
    app = make_app(RATELIMIT_ENABLED=True)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.test_client().get("/advisers/sign-in").status_code == 200


@pytest.mark.parametrize(
    "setting",
    [
        {"ACCEPT_PER_PROCESS_RATE_LIMITS": True},  # the operator's informed choice
        {"RATELIMIT_ENABLED": False},
    ],
)
def test_several_processes_start_when_told_or_without_limits(make_app, setting) -> None:
    make_app(**{"RATELIMIT_ENABLED": True, "APP_PROCESSES": 4, **setting})


def test_several_processes_start_with_counts_shared_in_redis(make_app, request) -> None:
    shared = request.getfixturevalue("redis_url")  # a private redis-server
    app = make_app(RATELIMIT_ENABLED=True, APP_PROCESSES=4, RATELIMIT_STORAGE_URI=shared)
    assert app.test_client().get("/advisers/sign-in").status_code == 200


def _gunicorn(
    workers: int, tmp_path: Path, *arguments: str, log: IO[str] | None = None, **extra: str
) -> subprocess.Popen:
    """gunicorn with the production settings file (and ``arguments`` on its command line),
    on a fresh SQLite file unless ``extra`` says otherwise; its standard error piped, or
    written to the file ``log``."""
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    environment.update(
        {
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "FLASK_SECRET_KEY": "test",
            "FLASK_QUESTIONNAIRES_DIR": str(DATA),
            "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'g.sqlite'}",
            **extra,
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py")]
        + [*arguments, "assessor:create_app()"],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if log is None else log,
        text=True,
    )
    process.port = port  # type: ignore[attr-defined]
    return process


def test_gunicorn_with_two_workers_and_memory_counts_refuses_to_start(tmp_path: Path) -> None:
    process = _gunicorn(2, tmp_path)
    try:
        _, errors = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "2 app processes" in errors
    assert "FLASK_RATELIMIT_STORAGE_URI=redis://" in errors


def test_gunicorn_with_one_worker_starts_with_memory_counts(tmp_path: Path) -> None:
    process = _gunicorn(1, tmp_path)
    try:
        wait_until_answering(process.port, "/health", process, "gunicorn")  # type: ignore[attr-defined]
    finally:
        process.terminate()
        process.communicate(timeout=30)
