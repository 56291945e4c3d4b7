"""What the tests of the job queue look at: the messages still waiting in ``outgoing_mail``."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import OutgoingMail


def waiting_mail(app: Flask) -> list[tuple[str, str, int]]:
    """(purpose, recipient, attempts) of every message not sent yet, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(OutgoingMail.purpose, OutgoingMail.recipient, OutgoingMail.attempts).order_by(
                OutgoingMail.id
            )
        )
        return [(row[0], row[1], row[2]) for row in rows]


def wait_for_failed_attempts(app: Flask, count: int, timeout: float = 10.0) -> None:
    """Every waiting message has been tried ``count`` times (and is still waiting): the
    relay really was down when the worker tried, not merely late for the test."""
    deadline = time.monotonic() + timeout
    while True:
        waiting = waiting_mail(app)
        if waiting and all(attempts >= count for _, _, attempts in waiting):
            return
        assert time.monotonic() < deadline, f"still waiting for {count} attempts: {waiting}"
        time.sleep(0.05)
