"""Shared fixtures: questionnaires built from text, the app, its client and runner."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import socket
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from assessor.domain.loading import LoadResult, load_questionnaire
from assessor.domain.model import Questionnaire

# CI runs the property and fuzzing tests with a fixed seed, so that a landing never
# depends on luck; locally (and with HYPOTHESIS_PROFILE=explore) they search afresh.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=5000)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

DATA = Path(__file__).parent / "data"
PROJECT_ROOT = Path(__file__).parent.parent
SHIPPED = PROJECT_ROOT / "questionnaires"
# The flagship as released in version 2: for tests that need a rich real questionnaire
# with known ids, whatever the current version asks.
FLAGSHIP_V2 = SHIPPED / "released" / "logistics-maturity-v2.yaml"
# Both questionnaires as released in version 2 (links to questionnaires/released/), for
# tests written against their ids: workshops, exports, fuzzing. The current versions are
# tested by tests/test_shipped_questionnaires.py and the persona tests.
RELEASED_V2 = Path(__file__).parent / "data" / "v2"


@pytest.fixture
def every_type() -> Questionnaire:
    result = load_questionnaire(DATA / "every-type.yaml")
    assert result.errors == ()
    assert result.questionnaire is not None
    return result.questionnaire


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "q.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load_text(write_yaml: Callable[[str, str], Path]) -> Callable[[str], LoadResult]:
    """Load dedented YAML text; errors show the path as 'q.yaml'."""

    def load(text: str) -> LoadResult:
        return load_questionnaire(write_yaml(text, "q.yaml"), "q.yaml")

    return load


@contextlib.contextmanager
def collected_log(logger: str | logging.Logger) -> Iterator[list[logging.LogRecord]]:
    """The records one logger receives (INFO and up) while the block runs."""
    target = logging.getLogger(logger) if isinstance(logger, str) else logger
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = records.append  # type: ignore[method-assign]
    level = target.level
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    try:
        yield records
    finally:
        target.removeHandler(handler)
        target.setLevel(level)


def free_port() -> int:
    """A loopback port nobody listens on (for servers the tests start)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The apps of the running test (make_app), whose queues tests wait for.
LIVE_APPS: list[Flask] = []


def wait_for_jobs(timeout: float = 30.0) -> None:
    """Every job queued by the test's apps has run (their embedded workers are idle)."""
    for app in list(LIVE_APPS):
        app.extensions["assessor.jobs"].wait_until_idle(timeout)


def fetch_pdf(client: Any, url: str, **kwargs: Any) -> Any:
    """GET a PDF rendered in the background: the first answer sends to the page that
    follows the render; once the app's worker has rendered it, the PDF itself."""
    response = client.get(url, **kwargs)
    if response.status_code == 303:
        client.application.extensions["assessor.jobs"].wait_until_idle()
        response = client.get(url, **kwargs)
    return response


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # Cleared, the relay holds every message (a slow relay) until it is set again, or
        # for at most HOLD_TIMEOUT seconds, so that a sender that waits cannot hang a test
        # (shorter than the app's SMTP timeout, so that such a sender still gets its answer).
        self.accepting = threading.Event()
        self.accepting.set()

    HOLD_TIMEOUT = 5.0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if not self.accepting.is_set():
            await asyncio.get_running_loop().run_in_executor(
                None, self.accepting.wait, self.HOLD_TIMEOUT
            )
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once ``count`` have arrived (some are sent in the background)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} messages came"
            time.sleep(0.02)
        return self.messages

    def wait_for_background_mail(self, timeout: float = 10.0) -> list[EmailMessage]:
        """Every message sent in the background so far, once all of it has been sent: the
        apps' queues are idle, so nothing else is on its way afterwards."""
        wait_for_jobs(timeout)
        return self.messages

    def link_in(self, message: EmailMessage) -> str:
        return re.search(r"https?://\S+", message.get_content()).group(0)


@contextlib.contextmanager
def smtp_relay(port: int) -> Iterator[Inbox]:
    """A real SMTP server on loopback ``port`` (aiosmtpd) while the block runs: a relay
    that starts late, on the port an app was told about before anything listened."""
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on loopback (aiosmtpd) and what it received."""
    port = free_port()
    with smtp_relay(port) as box:
        yield box, port


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], inbox: tuple[Inbox, int]) -> Flask:
    """The shipped questionnaires, sending e-mail to the ``inbox`` relay."""
    _, port = inbox
    return make_app(
        questionnaires=SHIPPED,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_SENDER="Baltic assessor <no-reply@baltic-freight.example>",
        PUBLIC_URL="https://assess.baltic-freight.example/",
        SERVER_NAME=None,  # requests may name any host; links must still be PUBLIC_URL's
    )


POSTGRES_URL_VARIABLE = "ASSESSOR_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A real PostgreSQL server; scripts/test starts one. Never skipped: fails loudly."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.fail(
            f"{POSTGRES_URL_VARIABLE} is not set: run the suite with scripts/test, which starts "
            "PostgreSQL, or point the variable at an empty database you may wipe"
        )
    try:
        make_url(url)
    except ArgumentError:
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is not a database URL: {url!r}")
    return url


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


_MIGRATED_SQLITE: list[bytes] = []


def _migrated_sqlite(request: pytest.FixtureRequest) -> bytes:
    """An SQLite database at the newest migration with the example clusters and no
    questionnaire, made once a session: each app on SQLite starts from a copy of it, as a
    first start would leave it, instead of running every migration again (most of an app's
    start). Its questionnaires are imported at its own start, as always."""
    if not _MIGRATED_SQLITE:
        from assessor import create_app
        from assessor.storage.db import db

        folder = request.getfixturevalue("tmp_path_factory").mktemp("migrated")
        (folder / "questionnaires").mkdir()
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test",
                "QUESTIONNAIRES_DIR": str(folder / "questionnaires"),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'template.sqlite'}",
            }
        )
        app.extensions["assessor.jobs"].stop()
        with app.app_context():
            db.engine.dispose()
        _MIGRATED_SQLITE.append((folder / "template.sqlite").read_bytes())
    return _MIGRATED_SQLITE[0]


def _copy_private(data: bytes, path: Path) -> None:
    """Written readable by its owner only, as the app makes its SQLite file."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


@pytest.fixture
def make_app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Flask]]:
    """Build an app on a fresh database: ``make_app(database="postgresql", ...)``."""
    from assessor import create_app
    from assessor.storage.db import db

    apps: list[Flask] = []

    def make(database: str = "sqlite", questionnaires: Path = DATA, **config: Any) -> Flask:
        if database == "postgresql":
            uri = request.getfixturevalue("postgres_url")
            _reset_postgres(uri)
        else:
            path = tmp_path / f"app{len(apps)}.sqlite"
            uri = f"sqlite:///{path}"
            if not {"SQLALCHEMY_DATABASE_URI", "CLUSTERS_DIR", "AUTO_SETUP_DATABASE"} & set(config):
                _copy_private(_migrated_sqlite(request), path)
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test",
            "QUESTIONNAIRES_DIR": str(questionnaires),
            "SQLALCHEMY_DATABASE_URI": uri,
            "SERVER_NAME": "assessor.test",
            # Limits count per address across every app of this process; tests that check
            # them switch them on (and start from zero counts).
            "RATELIMIT_ENABLED": False,
            # Every submission would have its plan rendered in the background (a second of
            # CPU each); the tests of that switch it on.
            "PLAN_PREPARE_ON_SUBMIT": False,
            **config,
        }
        app = create_app(settings)
        if settings["RATELIMIT_ENABLED"]:
            from assessor.web.extensions import limiter

            limiter.reset()
        apps.append(app)
        LIVE_APPS.append(app)
        return app

    yield make
    for app in apps:
        LIVE_APPS.remove(app)
        app.extensions["assessor.jobs"].stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """SQLite, with tests/data/every-type.yaml as the only questionnaire."""
    return make_app()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Flask:
    """The same test on SQLite and on a real PostgreSQL server."""
    return make_app(database=request.param)


@pytest.fixture
def shipped_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=SHIPPED)


@pytest.fixture
def released_app(make_app: Callable[..., Flask]) -> Flask:
    """Both questionnaires as released in version 2 (see RELEASED_V2)."""
    return make_app(questionnaires=RELEASED_V2)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(shipped_app: Flask) -> FlaskCliRunner:
    return shipped_app.test_cli_runner()
