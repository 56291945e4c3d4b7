"""Webhook tests: a real HTTP receiver on loopback, apps that may reach it, and the way
an assessment reaches a cluster (a workshop of the released quick check)."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Role, WebhookDelivery
from tests.advisers.helpers import (
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import PROJECT_ROOT, RELEASED_V2, wait_for_jobs
from tests.web.helpers import csrf_from

# The receiver listens on loopback, which the tests' apps may reach; retries come fast.
RECEIVER_CONFIG = {
    "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"],
    "WEBHOOK_RETRY_BACKOFF": 0.05,
    "WEBHOOK_RETRY_MAX_BACKOFF": 0.2,
    "WEBHOOK_TIMEOUT": 2,
    "WEBHOOK_ATTEMPTS": 4,
}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """What came in, and the statuses to answer with, in turn (then ``default``)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    default: int = 204
    lock: threading.Lock = field(default_factory=threading.Lock)

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} received"
            time.sleep(0.02)
        return list(self.received)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.lock:
                receiver.received.append(Received(self.path, dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else receiver.default
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.url.rsplit("/", 1)[0] + "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def running_receiver() -> Iterator[Receiver]:
    """A receiver listening on a free loopback port until the block ends."""
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/assessor"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def make_receiver() -> Iterator[Callable[[], Receiver]]:
    with contextlib.ExitStack() as stack:
        yield lambda: stack.enter_context(running_receiver())


@pytest.fixture
def receiver(make_receiver: Callable[[], Receiver]) -> Receiver:
    return make_receiver()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=RELEASED_V2, **RECEIVER_CONFIG)


def cluster_admin(app: Flask, cluster: str = "example-baltic-freight") -> FlaskClient:
    account = make_account(app, f"chief@{cluster}.example", cluster, Role.CLUSTER_ADMIN)
    return signed_in_client(app, account)


def save_webhook(client: FlaskClient, url: str, enabled: bool = True):
    page = client.get("/advisers/cluster/webhook").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "url": url}
    if enabled:
        data["enabled"] = "yes"
    return client.post("/advisers/cluster/webhook", data=data)


def post_button(client: FlaskClient, path: str):
    """Press a button of the webhook page (a POST with the page's CSRF token)."""
    page = client.get("/advisers/cluster/webhook").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_from(page)})


def shared_assessment(app: Flask, admin: FlaskClient, share: bool = True) -> str:
    """A participant of a workshop of the admin's cluster submits; the respondent token."""
    code = join_code_of(admin, create_workshop(admin))
    return join_and_finish(app, code, company="Baltic Haulage Oy", share=share)


def deliveries(app: Flask) -> list[WebhookDelivery]:
    """Every delivery, oldest first, once every queued attempt has run."""
    wait_for_jobs()
    with app.app_context():
        rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        db.session.expunge_all()
        return rows


def docs_verifier() -> Callable[..., bool]:
    """The receiver's check exactly as docs/webhooks.md shows it."""
    text = (PROJECT_ROOT / "docs" / "webhooks.md").read_text("utf-8")
    snippet = next(
        block
        for block in re.findall(r"```python\n(.*?)```", text, re.S)
        if "def verify_assessor_signature" in block
    )
    namespace: dict[str, Any] = {}
    exec(compile(snippet, str(Path("docs/webhooks.md")), "exec"), namespace)  # noqa: S102
    verifier: Callable[..., bool] = namespace["verify_assessor_signature"]
    return verifier
