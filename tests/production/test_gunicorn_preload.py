"""gunicorn builds the app once, in its master, and forks the workers from it (preload_app
in gunicorn.conf.py): the workers share its memory (bench/worker_memory.py). What the
app opened at start must not be shared with them, the worker count must still reach the
app, and an app that refuses to start must still stop gunicorn."""

from __future__ import annotations

import http.client
import os
import runpy
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, PROJECT_ROOT, free_port
from tests.production.conftest import wait_until_answering
from tests.production.test_rate_limit_storage import _gunicorn


def _settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, object]:
    for key in list(os.environ):
        if key.startswith("GUNICORN_"):
            monkeypatch.delenv(key)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))


def test_the_app_is_preloaded_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _settings(monkeypatch)["preload_app"] is True
    assert _settings(monkeypatch, GUNICORN_PRELOAD="false")["preload_app"] is False
    assert _settings(monkeypatch, GUNICORN_PRELOAD="true")["preload_app"] is True


def _refusal(process: subprocess.Popen) -> str:
    try:
        _, errors = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode != 0
    return errors


def test_a_preloaded_app_refuses_in_the_master_before_any_worker(tmp_path: Path) -> None:
    """Two workers counting rate limits in memory: gunicorn exits with the app's message,
    without forking a worker (the app is built before)."""
    errors = _refusal(_gunicorn(2, tmp_path))
    assert "2 app processes" in errors
    assert "Booting worker" not in errors


def test_without_preload_a_worker_refusing_stops_gunicorn(tmp_path: Path) -> None:
    """The refusal in a worker (post_fork in gunicorn.conf.py): gunicorn stops with the
    app's message instead of restarting workers that exit."""
    errors = _refusal(_gunicorn(2, tmp_path, GUNICORN_PRELOAD="false"))
    assert "Booting worker" in errors
    assert "2 app processes" in errors
    assert "AppRefusedToStart" in errors


def test_the_worker_count_of_the_command_line_reaches_the_app(tmp_path: Path) -> None:
    """``-w`` wins over GUNICORN_WORKERS, also for the app's count (FLASK_APP_PROCESSES),
    which a preloaded app reads before gunicorn's on_starting."""
    errors = _refusal(_gunicorn(1, tmp_path, "-w", "3"))
    assert "3 app processes" in errors
    one = _gunicorn(4, tmp_path, "-w", "1")
    try:
        wait_until_answering(one.port, "/health", one, "gunicorn -w 1")  # type: ignore[attr-defined]
    finally:
        one.terminate()
        one.communicate(timeout=30)


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_workers_do_not_share_the_masters_database_connection(
    make_app, postgres_url: str, tmp_path: Path
) -> None:
    """The app's start-up reads PostgreSQL in the master (questionnaire versions). Workers
    forked with that connection in their pool would all use one socket: answers read by the
    wrong process, 'connection in transaction', 500s under concurrent requests. Three
    workers serve pages that read the database to six clients at once, without an error."""
    make_app(database="postgresql")  # the schema and the example clusters
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "GUNICORN_"))
    }
    environment.update(
        {
            "GUNICORN_WORKERS": "3",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "DATABASE_URL": postgres_url,
            "FLASK_SECRET_KEY": "test",
            "FLASK_QUESTIONNAIRES_DIR": str(DATA),
            "FLASK_ACCEPT_PER_PROCESS_RATE_LIMITS": "true",
            "FLASK_START_RATE_LIMIT": "100000 per minute",
        }
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py")]
            + ["assessor:create_app()"],
            env=environment,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        wait_until_answering(port, "/health", server, "gunicorn")
        statuses: list[int] = []

        def client() -> None:
            for _ in range(20):
                for path in ("/start", "/health"):
                    statuses.append(_get(port, path))

        clients = [threading.Thread(target=client) for _ in range(6)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [200] * 240, log.read_text()[-3000:]


@pytest.mark.parametrize(("preload", "starts"), [("true", 1), ("false", 3)])
def test_the_app_starts_once_in_the_master_when_preloaded(
    tmp_path: Path, preload: str, starts: int
) -> None:
    """The start-up (questionnaires loaded and checked, their versions recorded in the
    database) runs once, in the master, not in each of 3 workers. With the database
    down, each start of the app says so once in the log."""
    unreachable = f"postgresql://nobody@127.0.0.1:{free_port()}/nothing"
    log = tmp_path / "gunicorn.log"
    with log.open("w") as errors:
        server = _gunicorn(
            3,
            tmp_path,
            log=errors,
            DATABASE_URL=unreachable,
            GUNICORN_PRELOAD=preload,
            FLASK_ACCEPT_PER_PROCESS_RATE_LIMITS="true",
        )
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("Booting worker") < 3 or (
            log.read_text().count("versions not recorded") < starts
        ):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert _get(server.port, "/health") == 503  # type: ignore[attr-defined]  # workers answer
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert log.read_text().count("versions not recorded") == starts


def test_nothing_the_app_opens_at_start_outlives_it(make_app, postgres_url: str) -> None:
    """What a preloading master holds when it forks: the app built on PostgreSQL with its
    rate limits in Redis, what workers need loaded, the start-up's connections closed.
    No socket is left open (Redis is connected on first use), and no thread runs."""
    make_app(database="postgresql")  # the schema, so that the start-up reads the database
    script = (
        "import os, threading\n"
        "from assessor import create_app\n"
        "from assessor.storage.db import drop_connections\n"
        "from assessor.web.preload import load_for_workers\n"
        "app = create_app()\n"
        "load_for_workers(app)\n"
        "drop_connections(app, close=True)\n"
        "fds = [os.path.realpath(f'/proc/self/fd/{fd}') for fd in os.listdir('/proc/self/fd')]\n"
        "print(sum('socket:' in fd for fd in fds), threading.active_count())\n"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    environment.update(
        {
            "DATABASE_URL": postgres_url,
            "FLASK_SECRET_KEY": "test",
            "FLASK_QUESTIONNAIRES_DIR": str(DATA),
            "FLASK_APP_PROCESSES": "4",
            "FLASK_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}",
        }
    )
    opened = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert opened == ["0", "1"]  # sockets, threads
