"""Services and servers the production tests run as real processes: a private redis-server,
the app under gunicorn. Every process is stopped by the fixture or test that started it."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import PROJECT_ROOT, free_port


def wait_until_answering(port: int, path: str, process: subprocess.Popen, what: str) -> None:
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
    """The app under gunicorn in a process of its own, one worker.

    Started in ``folder``, not the repository, whose gunicorn.conf.py would be read
    otherwise; ``production_config`` reads it on purpose (JSON logs, timeouts), with the
    bind address and the single worker still given on the command line. gunicorn's own
    output goes to a log file in ``folder``, for a failing test to show.
    """

    def __init__(
        self, environment: dict[str, str], folder: Path, production_config: bool = False
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"gunicorn-{self.port}.log"
        config = ["-c", str(PROJECT_ROOT / "gunicorn.conf.py")] if production_config else []
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", *config, "-w", "1"]
                + ["-b", f"127.0.0.1:{self.port}", "assessor:create_app()"],
                env=environment,
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        try:
            wait_until_answering(self.port, "/health", self.process, "an app server")
        except BaseException:
            self.stop()
            raise

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
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without the app's and gunicorn's own settings (a
    developer's shell may set some), plus ``settings``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "GUNICORN_")) and key not in ("DATABASE_URL", "SECRET_KEY")
    }
    return {**environment, **settings}
