"""Scale-out: several app servers and job workers on one PostgreSQL database and one Redis.

A respondent moves between two app servers on every request, as behind a load balancer
without sticky sessions, and loses nothing. With the job queue on Redis (issue 14), the
servers only queue PDF renders and separate worker processes (``flask --app assessor jobs
work``) run them: a plan asked on one server is rendered by a worker and downloaded from
the other, and a worker killed in the middle of a render does not lose it.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import Engine, create_engine, text

from assessor import create_app
from assessor.storage.db import db
from tests.browser.conftest import LiveServer
from tests.conftest import DATA
from tests.production.conftest import AppServer, clean_environment
from tests.web.helpers import csrf_from


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 3xx answer itself, raised as an HTTPError


class Browser:
    """One cookie jar for both servers (cookies do not care about ports)."""

    def __init__(self) -> None:
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar)
        self.not_following = urllib.request.build_opener(jar, _NoRedirects)

    def get(self, url: str, accept: str = "text/html") -> tuple[str, str]:
        request = urllib.request.Request(url, headers={"Accept": accept})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, url: str, fields: dict) -> tuple[str, str]:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        with self.opener.open(url, data=body, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def answer(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """The status, headers and body of one GET, redirects not followed."""
        try:
            with self.not_following.open(url, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as answer:
            with answer:
                return answer.code, dict(answer.headers), answer.read()


def fill_in(browser: Browser, servers: list[str], company: str) -> str:
    """Start and submit an every-type assessment, each request on the next of ``servers``
    (base URLs); its token."""
    turn = itertools.cycle(servers)
    _, page = browser.get(f"{next(turn)}/start?questionnaire=every-type")
    token_field = csrf_from(page)
    where, page = browser.post(
        f"{next(turn)}/start", {"csrf_token": token_field, "questionnaire": "every-type"}
    )
    token = re.search(r"/a/([A-Za-z0-9_-]+)/", where).group(1)
    steps = [
        ("profile", {"activities": ["haulage"], "company": company}),
        ("fleet-section", {"vehicles": "12", "euro6": "50", "eco": "4"}),
        ("data-section", {"fuel": "yes", "method": "primary", "tools": ["tms"], "budget": ["a"]}),
    ]
    for section, fields in steps:
        where, page = browser.post(
            f"{next(turn)}/a/{token}/section/{section}",
            {"csrf_token": token_field, "navigate": "next", **fields},
        )
        assert "error-summary" not in page, section
    assert where.endswith(f"/a/{token}/review")
    where, _ = browser.post(f"{next(turn)}/a/{token}/submit", {"csrf_token": token_field})
    assert where.endswith("/results")
    return token


def test_a_respondent_alternating_between_two_servers(make_app, postgres_url: str) -> None:
    first: Flask = make_app(database="postgresql", SERVER_NAME=None)
    second = create_app({**first.config, "SQLALCHEMY_ENGINE_OPTIONS": {}})  # same database
    a, b = LiveServer(first), LiveServer(second)
    try:
        browser = Browser()
        token = fill_in(browser, [a.url, b.url], "Both Servers Ltd")
        results = [
            json.loads(browser.get(f"{server.url}/a/{token}/results", "application/json")[1])
            for server in (a, b)
        ]
        assert results[0] == results[1]  # one state, in the database
        assert results[0]["overall"]["score"] is not None
        assert "missing" not in results[0]  # every page, saved on either server, is there
    finally:
        a.stop()
        b.stop()
        with second.app_context():
            db.session.remove()
            db.engine.dispose()  # the first app is cleaned up by make_app


# The job queue on Redis: app servers and workers as real processes.

NAMESPACE = "scale-out"  # the queue's keys in Redis
HEARTBEAT_TIMEOUT_S = 3  # a worker silent this long is dead: its messages go back
DELIVERY_BOUND_S = 60  # a plan whose worker was killed is delivered within this


class JobsWorker:
    """``flask --app assessor jobs work`` in a process of its own, its output in a file."""

    def __init__(self, environment: dict[str, str], folder: Path, name: str) -> None:
        self.log = folder / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "assessor", "jobs", "work"],
                env=environment,
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 30
        while "waiting for jobs" not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the jobs worker did not start:\n{self.output()}")
            time.sleep(0.05)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no chance to finish or to put anything back on the queue."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def terminate(self, timeout_s: float = 30) -> int:
        self.process.terminate()
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise


class Site:
    """App servers and workers sharing one database and one Redis, started on demand and
    all stopped when the test ends, whatever happened."""

    def __init__(
        self, environment: dict[str, str], folder: Path, database: Engine, redis_url: str
    ) -> None:
        self.environment = environment
        self.redis_url = redis_url
        self.folder = folder
        self.database = database
        self.servers: list[AppServer] = []
        self.workers: list[JobsWorker] = []

    def server(self) -> str:
        self.servers.append(AppServer(self.environment, self.folder, production_config=True))
        return self.servers[-1].url

    def worker(self, **settings: str) -> JobsWorker:
        """A worker process; ``settings`` are its own FLASK_* settings beside the site's."""
        environment = {**self.environment, **{f"FLASK_{k}": v for k, v in settings.items()}}
        self.workers.append(JobsWorker(environment, self.folder, f"worker{len(self.workers)}"))
        return self.workers[-1]

    def plan_job(self, token: str) -> tuple[str | None, int] | None:
        """The plan's job state and attempts, as in its ``plan_document`` row."""
        with self.database.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT d.job_state, d.job_attempts FROM plan_document d "
                    "JOIN assessment a ON a.id = d.assessment_id WHERE a.token = :token"
                ),
                {"token": token},
            ).one_or_none()
        return None if row is None else (row.job_state, row.job_attempts)

    def wait_for_job(self, token: str, state: str, timeout_s: float = 30) -> tuple[str, int]:
        """Poll the row every 10 ms (a render takes about a second) until the job is in
        ``state``."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.plan_job(token)
            if job is not None and job[0] == state:
                return job  # type: ignore[return-value]  # state is a str
            if time.monotonic() > deadline:
                pytest.fail(f"the plan's job never reached {state!r} (last: {job}){self.logs()}")
            time.sleep(0.01)

    def logs(self) -> str:
        """Every process's output, for a failure's message."""
        parts = [f"\n--- {w.log.name}\n{w.output()}" for w in self.workers]
        parts += [f"\n--- {s.log.name}\n{s.log.read_text(errors='replace')}" for s in self.servers]
        return "".join(parts)

    def stop(self) -> None:
        for worker in self.workers:
            worker.kill()
        for server in self.servers:
            server.stop()
        self.database.dispose()


@pytest.fixture
def site(make_app, postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Site]:
    make_app(database="postgresql")  # a fresh database, migrated once, here
    with redis.Redis.from_url(redis_url) as client:
        client.flushall()  # nothing left by another test
    environment = clean_environment(
        DATABASE_URL=postgres_url,
        FLASK_SECRET_KEY="shared by every server",
        FLASK_QUESTIONNAIRES_DIR=str(DATA),
        FLASK_QUEUE_URL=f"{redis_url}/0",
        FLASK_QUEUE_NAMESPACE=NAMESPACE,
        FLASK_RATELIMIT_STORAGE_URI=redis_url,
        FLASK_QUEUE_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT_S),
        FLASK_QUEUE_MAINTENANCE_CHANCE="1",  # every broker command looks for dead workers
        # A plan is queued when first asked for, not at submission: so that the first ask
        # finds it not ready whatever the worker's speed.
        FLASK_PLAN_PREPARE_ON_SUBMIT="false",
    )
    started = Site(environment, tmp_path, create_engine(postgres_url), f"{redis_url}/0")
    try:
        yield started
    finally:
        started.stop()


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def ask_for_plan(browser: Browser, server: str, token: str) -> None:
    """The plan is not ready: the download sends to the page that follows its render."""
    status, headers, _ = browser.answer(f"{server}/a/{token}/plan.pdf")
    assert status == 303
    assert headers["Location"].endswith(f"/a/{token}/plan")


def plan_state(browser: Browser, server: str, token: str) -> str:
    status, _, body = browser.answer(f"{server}/a/{token}/plan/status")
    state: str = json.loads(body)["state"]
    assert status == (202 if state == "preparing" else 200)
    return state


def wait_for_plan(
    browser: Browser,
    site: Site,
    server: str,
    token: str,
    timeout_s: float,
    meanwhile: Callable[[], None] = lambda: None,
) -> bytes:
    """Poll the plan's status on ``server`` until it is ready, then download it there;
    ``meanwhile`` runs between polls."""
    deadline = time.monotonic() + timeout_s
    next_poll = 0.0
    while True:
        meanwhile()
        if time.monotonic() >= next_poll:
            state = plan_state(browser, server, token)
            if state == "ready":
                break
            assert state == "preparing", site.logs()
            next_poll = time.monotonic() + 0.25  # well within the status rate limit
        if time.monotonic() > deadline:
            pytest.fail(f"the plan was not ready within {timeout_s} s{site.logs()}")
        time.sleep(0.01)
    status, headers, pdf = browser.answer(f"{server}/a/{token}/plan.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    return pdf


def test_a_plan_asked_on_one_server_is_rendered_by_a_worker_and_downloaded_from_another(
    site: Site,
) -> None:
    a, b = site.server(), site.server()
    browser = Browser()
    _, health = browser.get(f"{b}/health", accept="application/json")
    assert json.loads(health) == {"status": "ok", "database": "ok", "queue": "ok"}  # Redis
    token = fill_in(browser, [a], "Two Servers Haulage Ltd")
    ask_for_plan(browser, a, token)
    assert site.plan_job(token) == ("queued", 0)
    # No worker yet: neither server renders anything itself, the plan waits on the queue.
    time.sleep(1)
    assert plan_state(browser, b, token) == "preparing"
    assert site.plan_job(token) == ("queued", 0)
    site.worker()
    pdf = wait_for_plan(browser, site, b, token, timeout_s=30)
    assert "Two Servers Haulage Ltd" in pdf_text(pdf)
    assert site.plan_job(token) == (None, 0)  # done: nothing under way


def test_a_render_whose_worker_is_killed_is_delivered_by_the_next_worker(site: Site) -> None:
    a, b = site.server(), site.server()
    first = site.worker()
    browser = Browser()
    token = fill_in(browser, [a, b], "Killed Worker Freight Ltd")
    ask_for_plan(browser, a, token)
    assert site.wait_for_job(token, "rendering") == ("rendering", 1)
    first.kill()
    assert first.process.returncode == -signal.SIGKILL
    assert site.plan_job(token) == ("rendering", 1)  # lost with its worker
    killed_at = time.monotonic()
    # The only copy of its message is held by the dead worker, among the messages it took
    # and never acknowledged (Dramatiq's Redis layout: a set per worker and queue); none
    # waits on the queue itself.
    broker = redis.Redis.from_url(site.redis_url)
    taken = broker.keys(f"{NAMESPACE}:__acks__.*.pdf")
    assert len(taken) == 1
    assert broker.scard(taken[0]) == 1
    assert broker.llen(f"{NAMESPACE}:pdf") == 0

    attempts_seen: set[int] = set()

    def watch_attempts() -> None:
        job = site.plan_job(token)
        if job is not None and job[0] == "rendering":
            attempts_seen.add(job[1])

    site.worker()
    pdf = wait_for_plan(
        browser, site, b, token, timeout_s=DELIVERY_BOUND_S, meanwhile=watch_attempts
    )
    # Delivered by the broker: the dead worker's heartbeat stopped, and once it is older
    # than QUEUE_HEARTBEAT_TIMEOUT, Redis maintenance (run by the new worker's fetches)
    # puts the message it had taken back on the queue. Not by the app's own recovery by
    # age: a render counts as lost only after PDF_TIME_LIMIT + 30 s (90 s), beyond the
    # bound, and only when a request asks then.
    assert time.monotonic() - killed_at < DELIVERY_BOUND_S
    assert "Killed Worker Freight Ltd" in pdf_text(pdf)
    # The row showed the killed attempt (1) until the second one (2) began, which the
    # new worker rendered: the killed attempt counted, and no third was needed.
    assert sorted(attempts_seen) == [1, 2], site.logs()
    assert broker.keys(f"{NAMESPACE}:__acks__.*.pdf") == []  # given back, and done
    broker.close()
    assert site.plan_job(token) == (None, 0)


def test_a_worker_stopped_with_sigterm_finishes_its_render_and_exits_cleanly(
    site: Site,
) -> None:
    a = site.server()
    worker = site.worker()
    browser = Browser()
    token = fill_in(browser, [a], "Graceful Stop Ltd")
    ask_for_plan(browser, a, token)
    site.wait_for_job(token, "rendering")
    assert worker.terminate() == 0, worker.output()
    assert "stopping" in worker.output()
    # The render under way was finished before the worker exited: nothing left to do.
    assert site.plan_job(token) == (None, 0), worker.output()
    status, headers, pdf = browser.answer(f"{a}/a/{token}/plan.pdf")
    assert status == 200
    assert "Graceful Stop Ltd" in pdf_text(pdf)


def test_a_worker_process_stops_a_render_at_its_time_limit(site: Site) -> None:
    """The time limit's watchdog runs in worker processes too: with a limit far shorter
    than a render, every attempt is stopped and the plan is marked failed."""
    a = site.server()
    site.worker(PDF_TIME_LIMIT="0.05", PDF_ATTEMPTS="2", PDF_RETRY_BACKOFF="0.05")
    browser = Browser()
    token = fill_in(browser, [a], "Too Slow Ltd")
    ask_for_plan(browser, a, token)
    deadline = time.monotonic() + 60
    while site.plan_job(token) != ("failed", 2):
        assert time.monotonic() < deadline, site.plan_job(token)
        time.sleep(0.1)
    with site.database.connect() as connection:
        error = connection.execute(text("SELECT job_error FROM plan_document")).scalar_one()
    assert "TimeLimitExceeded" in error
    assert plan_state(browser, a, token) == "failed"


def test_a_worker_without_a_queue_url_refuses_to_start(tmp_path: Path) -> None:
    """Without a broker, a worker would wait forever for jobs that the app runs itself."""
    environment = clean_environment(
        FLASK_SECRET_KEY="test",
        FLASK_QUESTIONNAIRES_DIR=str(DATA),
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.sqlite'}",
    )
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "assessor", "jobs", "work"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    assert "QUEUE_URL is not set" in finished.stderr
    assert "FLASK_QUEUE_URL=redis://" in finished.stderr
