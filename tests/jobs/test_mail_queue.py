"""E-mail through the job queue: nothing is lost while the relay is down, a message that
cannot be delivered is given up without its address reaching the logs, a broker that is
down is said so on the page, and a restarted process sends what its predecessor left.

Real SMTP servers on loopback (aiosmtpd) that start late, on a port the app was given
before anything listened there; back-off in tenths of seconds instead of minutes."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessor.services.mail import store_outgoing
from assessor.storage.models import Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.conftest import SHIPPED, collected_log, free_port, smtp_relay, wait_for_jobs
from tests.jobs.helpers import wait_for_failed_attempts, waiting_mail
from tests.production.conftest import clean_environment
from tests.web.helpers import csrf_from, start

SENDER = "Baltic assessor <no-reply@baltic-freight.example>"
PUBLIC_URL = "https://assess.baltic-freight.example"
# A relay that is down is tried again after 0.2 to 0.4 s, then twice that, up to 0.5 to 1 s.
QUICK_RETRIES = {"MAIL_RETRY_BACKOFF": 0.2, "MAIL_RETRY_MAX_BACKOFF": 1}


def mail_config(port: int, **config: object) -> dict[str, object]:
    return {
        "questionnaires": SHIPPED,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_SENDER": SENDER,
        "PUBLIC_URL": PUBLIC_URL,
        **QUICK_RETRIES,
        **config,
    }


def invite(admin: FlaskClient, email: str) -> str:
    """The page that answers an invitation, as text."""
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    response = admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": email, "role": "adviser"},
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def ask_for_a_reset(client: FlaskClient, email: str) -> str:
    page = client.get("/advisers/forgot-password").get_data(as_text=True)
    response = client.post(
        "/advisers/forgot-password", data={"csrf_token": csrf_from(page), "email": email}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def ask_for_the_resume_link(client: FlaskClient, token: str, email: str) -> str:
    page = client.get(f"/a/{token}", follow_redirects=True).get_data(as_text=True)
    response = client.post(
        f"/a/{token}/email-link",
        data={"csrf_token": csrf_from(page), "email": email},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_mail_waits_for_a_relay_that_starts_late(
    make_app: Callable[..., Flask], database: str
) -> None:
    port = free_port()  # nothing listens here yet
    app = make_app(database=database, **mail_config(port))
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    make_account(app, "forgetful@example.org")

    started = time.monotonic()
    invited = invite(admin, "new.adviser@example.org")
    reset = ask_for_a_reset(app.test_client(), "forgetful@example.org")
    answered_in = time.monotonic() - started
    assert "The invitation is on its way by e-mail." in invited
    assert "could not be sent" not in invited
    assert "a link to choose a new password is on its way" in reset
    assert answered_in < 2, answered_in  # the pages did not wait for the relay

    with collected_log(logging.getLogger()) as records:
        wait_for_failed_attempts(app, 2)  # the worker has tried, and tries again
        time.sleep(1)
        with smtp_relay(port) as box:
            box.wait_for(2, timeout=15)
            delivered = box.wait_for_background_mail(timeout=15)
    # A relay down for a while is no error: a warning a try, no traceback.
    assert [r.getMessage() for r in records if r.levelno >= logging.ERROR] == []
    assert any("will try again" in r.getMessage() for r in records)
    assert sorted(message["To"] for message in delivered) == [
        "forgetful@example.org",
        "new.adviser@example.org",
    ]  # each once, not once per attempt
    for message in delivered:
        assert message["From"] == SENDER
        assert box.link_in(message).startswith(f"{PUBLIC_URL}/advisers/")
    assert waiting_mail(app) == []


def test_a_message_is_given_up_after_the_last_attempt(make_app: Callable[..., Flask]) -> None:
    app = make_app(**mail_config(free_port(), MAIL_ATTEMPTS=2))  # a relay that never comes
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    with collected_log(logging.getLogger()) as records:
        assert "The invitation is on its way by e-mail." in invite(admin, "lost@example.org")
        wait_for_jobs()
    [invitation_id] = [
        line.split("invitation ", 1)[1].split(":", 1)[0]
        for line in (record.getMessage() for record in records)
        if line.startswith("given up after 2 attempts: invitation ")
    ]
    assert invitation_id.isdigit()
    given_up = [record for record in records if "given up" in record.getMessage()]
    assert [record.levelno for record in given_up] == [logging.ERROR]
    logged = [logging.Formatter().format(record) for record in records]
    assert sum("attempt 1: ConnectionRefusedError" in line for line in logged) >= 1
    assert not any("lost@example.org" in line for line in logged)
    assert waiting_mail(app) == []  # deleted, address and all


def test_a_queue_that_cannot_take_the_message_is_said_so(make_app: Callable[..., Flask]) -> None:
    """Redis down: the pages answer (no 500) that the e-mail could not be sent, and keep
    nothing (the message would otherwise wait for a queue that never heard of it)."""
    app = make_app(
        **mail_config(free_port(), QUEUE_URL=f"redis://127.0.0.1:{free_port()}/0"),
    )
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    make_account(app, "forgetful@example.org")

    with collected_log(logging.getLogger()) as records:
        invited = invite(admin, "new.adviser@example.org")
        assert "The e-mail could not be sent." in invited
        assert f'readonly value="{PUBLIC_URL}/advisers/invitation/' in invited  # to pass on

        client = app.test_client()
        token = start(client, "quick-check")
        resume = ask_for_the_resume_link(client, token, "owner@haulier.example")
        assert "The e-mail could not be sent. Please copy the link instead." in resume
        assert "on its way" not in resume

        # The same page as for an unknown address: it tells nobody who has an account.
        known = ask_for_a_reset(client, "forgetful@example.org")
        unknown = ask_for_a_reset(client, "nobody@example.org")
        assert known.replace("forgetful", "nobody") == unknown

    assert waiting_mail(app) == []
    not_queued = [record.getMessage() for record in records if "not queued" in record.getMessage()]
    assert len(not_queued) == 3, not_queued
    assert any(line.startswith("invitation ") for line in not_queued)
    assert any(line.startswith("password reset mail for user ") for line in not_queued)
    assert any(line.startswith("resume link of assessment ") for line in not_queued)
    logged = [logging.Formatter().format(record) for record in records]
    for address in ("new.adviser@example.org", "owner@haulier.example", "forgetful@example"):
        assert not any(address in line for line in logged), address


def test_a_restarted_process_sends_what_was_left_unsent(
    make_app: Callable[..., Flask], tmp_path
) -> None:
    """A message stored by a process that stopped before sending it (an embedded queue
    keeps its jobs in memory) is sent by the next process on the same database, without
    waiting for some page to queue a job of its own."""
    port = free_port()
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    before = make_app(**mail_config(port, SQLALCHEMY_DATABASE_URI=database))
    with before.app_context():  # stored; its job never queued, as if the process died
        store_outgoing("left@example.org", "Left behind", "Sent after all.", "test mail 1")
    assert waiting_mail(before) == [("test mail 1", "left@example.org", 0)]

    with smtp_relay(port) as box:
        after = make_app(**mail_config(port, SQLALCHEMY_DATABASE_URI=database))
        # Any first page of the new process: a health check, a visitor's home page.
        assert after.test_client().get("/").status_code == 200
        [message] = box.wait_for(1)
        assert box.wait_for_background_mail() == [message]
    assert message["To"] == "left@example.org"
    assert message["Subject"] == "Left behind"
    assert waiting_mail(after) == []


def test_a_worker_process_on_redis_sends_once_the_relay_is_back(
    make_app: Callable[..., Flask], redis_url: str, tmp_path: Path
) -> None:
    """Production's arrangement: the app puts the message ids on Redis, a worker process
    (``flask --app assessor jobs work``) sends them, retrying while the relay is down."""
    port = free_port()
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    queue = {"QUEUE_URL": f"{redis_url}/0", "QUEUE_NAMESPACE": f"mailq-{uuid.uuid4().hex}"}
    app = make_app(**mail_config(port, SQLALCHEMY_DATABASE_URI=database, **queue))
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    make_account(app, "forgetful@example.org")

    worker_log = tmp_path / "worker.log"
    environment = clean_environment(
        DATABASE_URL=database,
        FLASK_SECRET_KEY="test",
        FLASK_QUESTIONNAIRES_DIR=str(SHIPPED),
        **{
            f"FLASK_{name}": str(value)
            for name, value in {
                **queue,
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "MAIL_USE_TLS": "false",
                "MAIL_SENDER": SENDER,
                "PUBLIC_URL": PUBLIC_URL,
                **QUICK_RETRIES,
            }.items()
        },
    )
    with worker_log.open("wb") as log_file:
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "assessor", "jobs", "work"],
            env=environment,
            cwd=tmp_path,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_line(worker, worker_log, "waiting for jobs")
        invited = invite(admin, "new.adviser@example.org")
        assert "The invitation is on its way by e-mail." in invited
        reset = ask_for_a_reset(app.test_client(), "forgetful@example.org")
        assert "a link to choose a new password is on its way" in reset

        wait_for_failed_attempts(app, 2, timeout=20)  # the worker process tried, and tries again
        with smtp_relay(port) as box:
            box.wait_for(2, timeout=20)
            deadline = time.monotonic() + 20
            while waiting_mail(app):  # sent, then deleted by the worker
                assert time.monotonic() < deadline, waiting_mail(app)
                time.sleep(0.05)
            time.sleep(1)  # a duplicate would come now
            delivered = list(box.messages)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            exit_code = worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
    assert sorted(message["To"] for message in delivered) == [
        "forgetful@example.org",
        "new.adviser@example.org",
    ]
    for message in delivered:
        assert box.link_in(message).startswith(f"{PUBLIC_URL}/advisers/")
    assert exit_code == 0, worker_log.read_text()
    logged = worker_log.read_text()
    assert "not sent yet, will try again" in logged  # the worker's log is here...
    assert "example.org" not in logged  # ...and names no address
    assert "Traceback" not in logged  # nor treats a relay that is down as a broken job


def _wait_for_line(process: subprocess.Popen, log: Path, line: str) -> None:
    deadline = time.monotonic() + 30
    while line not in log.read_text():
        assert process.poll() is None, f"the worker stopped: {log.read_text()}"
        assert time.monotonic() < deadline, f"the worker did not start: {log.read_text()}"
        time.sleep(0.05)
