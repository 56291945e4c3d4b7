"""Whether the database answers, for the operators' health check."""

from __future__ import annotations

from sqlalchemy import text

from assessor.storage.db import db


def ask_database() -> None:
    """Run a trivial statement; raises what the driver raises when the database does not
    answer, after rolling the session back so that it serves the next request."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        raise
