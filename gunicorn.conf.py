"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py 'assessor:create_app()'``.

Page requests take milliseconds; a PDF plan takes about a second of CPU (WeasyPrint), and
is cached afterwards. Workers are processes (no shared state: everything is in PostgreSQL,
and rate-limit counts in Redis), one or two per core. See docs/deployment.md.
"""

import multiprocessing
import os

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A cold PDF of the flagship plan takes ~0.85 s here; the timeout leaves room for a slow
# machine and a busy database without letting a stuck worker live long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# WeasyPrint and font caches grow slowly: recycle workers now and then. A new worker costs
# about 0.9 s of CPU (building the app); after 10,000 requests of ~5 ms that is under 2%.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 1000
accesslog = None  # the app logs every request as JSON itself
errorlog = "-"
# The app refuses to count rate limits in each worker's memory when there are several
# workers: with FLASK_RATELIMIT_STORAGE_URI=memory:// (the default) each would let the
# whole limit through. Set it to redis://... for more than one worker (docs/deployment.md).
raw_env = [
    "FLASK_LOG_REQUESTS=true",
    "FLASK_JSON_LOGS=true",
    f"FLASK_APP_PROCESSES={workers}",
]


def on_starting(server: Arbiter) -> None:
    """The worker count as finally set (``-w`` on the command line wins over this file)."""
    os.environ["FLASK_APP_PROCESSES"] = str(server.cfg.workers)


class AppRefusedToStart(RuntimeError):
    """The app's own refusal to start, as a boot failure gunicorn stops on."""


def post_fork(server: Arbiter, worker: Worker) -> None:
    """The app refuses to start with SystemExit (an invalid questionnaire, a setting that
    cannot hold); gunicorn would restart a worker that exits so, again and again. As an
    error while booting, it stops the whole server instead, with the app's message."""
    load = worker.load_wsgi

    def load_or_fail() -> None:
        try:
            load()
        except SystemExit as refusal:
            raise AppRefusedToStart(str(refusal.code)) from None

    worker.load_wsgi = load_or_fail
