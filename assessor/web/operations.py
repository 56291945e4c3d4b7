"""For operators: a health check that asks the database, and one JSON log line a request.

Respondent tokens are taken out of logged paths: a log file must not hold keys to
assessments.
"""

from __future__ import annotations

import json
import logging
import re
import time

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from sqlalchemy import text

from assessor.storage.db import db

blueprint = Blueprint("operations", __name__)
request_log = logging.getLogger("assessor.requests")
_SECRETS_IN_PATHS = re.compile(r"/(a|invitation)/[^/?]+")


@blueprint.get("/health")
def health() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy", said without details
        current_app.logger.exception("health check: the database does not answer")
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


class JsonLines(logging.Formatter):
    """One JSON object a line, with the fields a request log line carries."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def redact(path: str) -> str:
    return _SECRETS_IN_PATHS.sub(lambda m: f"/{m.group(1)}/…", path)


def init_operations(app: Flask) -> None:
    app.register_blueprint(blueprint)
    if app.config.get("JSON_LOGS"):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLines())
        for logger in (request_log, app.logger):
            logger.handlers[:] = [handler]
            logger.setLevel(logging.INFO)
            logger.propagate = False

    @app.before_request
    def _started() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None and app.config.get("LOG_REQUESTS"):
            request_log.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "path": redact(request.path),
                        "language": request.environ.get("assessor.url_language"),
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "remote": request.remote_addr,
                    }
                },
            )
        return response
