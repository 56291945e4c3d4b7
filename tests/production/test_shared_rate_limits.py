"""Rate limits hold for the whole site when several app servers share one Redis.

Two real app servers (gunicorn processes, so nothing is shared in memory) take turns
answering sign-in attempts from one address. With ``RATELIMIT_STORAGE_URI`` pointing at
Redis, the limit counts the attempts of both; with the default in-process storage each
server would let the full limit through on its own, which the second test shows.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import DATA, free_port
from tests.web.helpers import csrf_from

LIMIT = 4  # sign-in attempts per minute and address, for these servers


def _wait_until_answering(port: int, path: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped at start (exit {process.returncode})")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    pytest.fail(f"{what} did not answer on port {port} within 30 s")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on loopback (scripts/setup installs it); never skipped."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.fail(
            "redis-server is not installed: run scripts/setup (scripts/debian-packages.txt)"
        )
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=tmp_path_factory.mktemp("redis"),
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
    client.close()
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


class AppServer:
    """The app under gunicorn in a process of its own."""

    def __init__(self, environment: dict[str, str], folder: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}"]
            + ["assessor:create_app()"],
            env=environment,
            cwd=folder,  # not the repository: its gunicorn.conf.py is for production
            stderr=subprocess.DEVNULL,
        )
        _wait_until_answering(self.port, "/health", self.process, "an app server")

    def request(
        self, method: str, path: str, cookie: str = "", body: str | None = None
    ) -> tuple[int, str | None, str]:
        """The status, the Set-Cookie header and the text of the answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Set-Cookie"), response.read().decode()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _sign_in_attempts(servers: list[AppServer], attempts: int) -> list[int]:
    """Wrong passwords from one address, each attempt on the next server; the statuses."""
    _, set_cookie, page = servers[0].request("GET", "/advisers/sign-in")
    cookie = set_cookie.split(";", 1)[0]
    token = csrf_from(page)
    statuses = []
    for attempt in range(attempts):
        body = urllib.parse.urlencode(
            {
                "csrf_token": token,
                "email": f"nobody{attempt}@example.org",  # so only the per-address limit counts
                "password": "wrong",
            }
        )
        status, _, _ = servers[attempt % len(servers)].request(
            "POST", "/advisers/sign-in", cookie, body
        )
        statuses.append(status)
    return statuses


@pytest.fixture
def two_servers(make_app, postgres_url: str, tmp_path: Path) -> Iterator:
    make_app(database="postgresql")  # the schema and the example clusters
    started: list[AppServer] = []

    def start(storage: str) -> list[AppServer]:
        environment = {
            **os.environ,
            "DATABASE_URL": postgres_url,
            "FLASK_SECRET_KEY": "shared by both servers",
            "FLASK_QUESTIONNAIRES_DIR": str(DATA),
            "FLASK_RATELIMIT_STORAGE_URI": storage,
            "FLASK_SIGN_IN_RATE_LIMIT": f"{LIMIT} per minute",
        }
        for _ in range(2):
            started.append(AppServer(environment, tmp_path))
        return started[-2:]

    yield start
    for server in started:
        server.stop()


def test_servers_sharing_redis_count_attempts_together(two_servers, redis_url: str) -> None:
    redis.Redis.from_url(redis_url).flushall()
    statuses = _sign_in_attempts(two_servers(redis_url), 2 * LIMIT)
    assert statuses == [400] * LIMIT + [429] * LIMIT


def test_servers_counting_in_memory_each_let_the_whole_limit_through(two_servers) -> None:
    """Why the setting matters (docs/deployment.md): each process counts alone."""
    statuses = _sign_in_attempts(two_servers("memory://"), 2 * LIMIT)
    assert statuses == [400] * (2 * LIMIT)
