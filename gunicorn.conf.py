"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py 'assessor:create_app()'``.

Page requests take milliseconds; a PDF plan takes about a second of CPU (WeasyPrint), and
is cached afterwards. Workers are processes (no shared state: everything is in PostgreSQL,
and rate-limit counts in Redis), one or two per core. See docs/deployment.md.

The app is built once, in the master, and the workers are forked from it (preload_app):
they share its code and data instead of each loading its own (a worker's PSS with 4
workers: 83 MiB without, 42 MiB with; bench/worker_memory.py). GUNICORN_PRELOAD=false
builds the app in each worker instead, as before.
"""

import gc
import multiprocessing
import os

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no", "off")
# gunicorn 27's control socket (gunicornc) sits at one path per user: two servers of one
# user (app servers on one machine, tests, benchmarks) would take it from each other.
# systemd and signals manage the server instead.
control_socket_disable = True
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A cold PDF of the flagship plan takes ~0.85 s here; the timeout leaves room for a slow
# machine and a busy database without letting a stuck worker live long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Caches grow slowly: recycle workers now and then. A new worker is a fork of the master
# (without preload it costs about 0.9 s of CPU building the app; after 10,000 requests of
# ~5 ms that is under 2%).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 1000
accesslog = None  # the app logs every request as JSON itself
errorlog = "-"
# The app refuses to count rate limits in each worker's memory when there are several
# workers: with FLASK_RATELIMIT_STORAGE_URI=memory:// (the default) each would let the
# whole limit through. Set it to redis://... for more than one worker (docs/deployment.md).
# The worker count reaches the app as FLASK_APP_PROCESSES (nworkers_changed below).
raw_env = [
    "FLASK_LOG_REQUESTS=true",
    "FLASK_JSON_LOGS=true",
]


def nworkers_changed(server: Arbiter, new_value: int, old_value: int | None) -> None:
    """The worker count as finally set (``-w`` on the command line wins over this file),
    for the app's check of its rate-limit storage. gunicorn calls this while it sets itself
    up, after reading the command line and before it builds the app (preload) or forks a
    worker: the only hook early enough. (raw_env is applied after it, and would overwrite
    the variable with this file's count; on_starting comes after the preloaded app.)
    TTIN and TTOU signals call it too: the configured count stays the one the app knows."""
    os.environ["FLASK_APP_PROCESSES"] = str(server.cfg.workers)


def on_starting(server: Arbiter) -> None:
    """In the master, once, before the first worker is forked: with the app preloaded, what
    every worker would load alone is loaded here to be shared, and the connections the
    app's start-up opened (its database checks) are closed, so that no worker inherits one."""
    app = server.app.callable  # the app when preloaded, None otherwise
    if app is not None:
        from assessor.storage.db import drop_connections
        from assessor.web.preload import load_for_workers

        load_for_workers(app)
        drop_connections(app, close=True)


def pre_fork(server: Arbiter, worker: Worker) -> None:
    """Everything the master holds is set aside from the garbage collector before each fork:
    a collection in a worker would otherwise write to every shared object's header, copying
    the pages the worker shares with the master."""
    gc.freeze()


class AppRefusedToStart(RuntimeError):
    """The app's own refusal to start, as a boot failure gunicorn stops on."""


def post_fork(server: Arbiter, worker: Worker) -> None:
    """In a new worker. With the app preloaded, the connection pools are emptied of anything
    inherited from the master, without closing it (the master's sockets are not the
    worker's to use or close); the worker opens its own connections.

    Without preload, the worker builds the app, which may refuse to start with SystemExit
    (an invalid questionnaire, a setting that cannot hold); gunicorn would restart a worker
    that exits so, again and again. As an error while booting, it stops the whole server
    instead, with the app's message. (A preloaded app refuses in the master, before any
    worker: gunicorn exits with the message.)"""
    app = server.app.callable
    if app is not None:
        from assessor.storage.db import drop_connections

        drop_connections(app, close=False)
    load = worker.load_wsgi

    def load_or_fail() -> None:
        try:
            load()
        except SystemExit as refusal:
            raise AppRefusedToStart(str(refusal.code)) from None

    worker.load_wsgi = load_or_fail
