"""Rate limits hold for the whole site when several app servers share one Redis.

Two real app servers (gunicorn processes, so nothing is shared in memory) take turns
answering sign-in attempts from one address. With ``RATELIMIT_STORAGE_URI`` pointing at
Redis, the limit counts the attempts of both; with the default in-process storage each
server would let the full limit through on its own, which the second test shows.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import DATA
from tests.production.conftest import AppServer
from tests.web.helpers import csrf_from

LIMIT = 4  # sign-in attempts per minute and address, for these servers


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
