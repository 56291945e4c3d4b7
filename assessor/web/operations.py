"""For operators: a health check that asks the database, and one JSON log line a request.

Paths are never logged, only the route they matched (``/a/<token>/review``): resume
links, invitations and password-reset links carry keys, and a log file must not hold
them. The development server's own access log (Werkzeug's) is rewritten the same way.
"""

from __future__ import annotations

import json
import logging
import re
import time
from urllib.parse import unquote

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from assessor.domain.languages import LANGUAGES
from assessor.jobs.queue import job_queue
from assessor.services.health import ask_database

blueprint = Blueprint("operations", __name__)
request_log = logging.getLogger("assessor.requests")
UNMATCHED = "<unmatched>"


@blueprint.get("/health")
def health() -> tuple[Response, int]:
    try:
        ask_database()
    except Exception:  # noqa: BLE001 - any failure means "not healthy", said without details
        current_app.logger.exception("health check: the database does not answer")
        return jsonify(status="unavailable", database="unreachable"), 503
    # Pages work without the queue (PDFs and e-mail wait, and pages say so): a broker down
    # makes the site "degraded", still 200, so that a load balancer keeps serving it.
    queue = job_queue().state()
    if queue == "unreachable":
        current_app.logger.error("health check: the job queue does not answer")
        return jsonify(status="degraded", database="ok", queue=queue), 200
    return jsonify(status="ok", database="ok", queue=queue), 200


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


def logged_route() -> str:
    """The route rule this request matched, or ``<unmatched>`` (never the path)."""
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


class RoutesNotPaths(logging.Filter):
    """Rewrites the development server's access lines (``"GET /a/<key>/review HTTP/1.1"
    200 -``): the path becomes the route it matches, with its language prefix, and the
    query goes. The line is logged after the response, outside the request, so the route
    is found again from the path in the app's URL map."""

    _REQUEST = re.compile(r"(?P<method>[A-Z]+) (?P<target>\S*) (?P<version>HTTP/[\d.]+)")

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.url_map = app.url_map

    def route(self, method: str, target: str) -> str:
        path = unquote(target.split("?", 1)[0])
        prefix = ""
        first, _, rest = path[1:].partition("/")
        if first in LANGUAGES:
            prefix, path = f"/{first}", f"/{rest}"
        try:
            rule, _ = self.url_map.bind("localhost").match(path, method, return_rule=True)
        except (HTTPException, RequestRedirect):  # 404, 405, a redirect to add a slash
            return UNMATCHED
        if rule.endpoint == "static":  # files of the site itself: no key, and useful to see
            return prefix + path
        return prefix + rule.rule

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: logging reports it itself
            return True
        line = self._REQUEST.sub(
            lambda m: f"{m['method']} {self.route(m['method'], m['target'])} {m['version']}",
            message,
        )
        record.msg, record.args = line, None
        return True


def _rewrite_development_server_log(app: Flask) -> None:
    """One filter on Werkzeug's logger, for the newest app (a process serves one)."""
    werkzeug_log = logging.getLogger("werkzeug")
    for old in [f for f in werkzeug_log.filters if isinstance(f, RoutesNotPaths)]:
        werkzeug_log.removeFilter(old)
    werkzeug_log.addFilter(RoutesNotPaths(app))


def init_operations(app: Flask) -> None:
    app.register_blueprint(blueprint)
    _rewrite_development_server_log(app)
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
                        "path": logged_route(),
                        "language": request.environ.get("assessor.url_language"),
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "remote": request.remote_addr,
                    }
                },
            )
        return response
