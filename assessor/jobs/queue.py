"""The job queue (Dramatiq): a Redis broker in production, an in-process one by default.

With ``QUEUE_URL=redis://...`` the app only puts messages on Redis, and worker processes
(``flask --app assessor jobs work``, on this machine or others) take them. Without it, the
embedded default: messages stay in the process that sent them and a worker thread of that
same process runs them, started with the first message. Either way no job runs inside a
web request. Jobs run in an app context; each app has its own broker and actors, so that
two apps in one process (the tests) never share a queue.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dramatiq
from dramatiq.middleware import default_middleware
from flask import Flask, current_app

from assessor.storage.models import utcnow

log = logging.getLogger(__name__)

PDF_QUEUE = "pdf"
MAIL_QUEUE = "mail"
WEBHOOK_QUEUE = "webhooks"


class QueueUnavailable(RuntimeError):
    """The broker could not take the message (Redis unreachable)."""


@dataclass(frozen=True)
class JobSettings:
    """The ``QUEUE_*``, ``PDF_*`` and ``MAIL_RETRY_*`` settings (defaults in web/config.py)."""

    queue_url: str | None
    namespace: str
    heartbeat_timeout_s: float
    maintenance_chance: float
    embedded_threads: int
    pdf_time_limit_s: float
    pdf_attempts: int
    pdf_retry_backoff_s: float
    pdf_lost_after_s: float
    mail_attempts: int
    mail_retry_backoff_s: float
    mail_retry_max_backoff_s: float

    @classmethod
    def from_config(cls, config: Any) -> JobSettings:
        return cls(
            queue_url=config.get("QUEUE_URL") or None,
            namespace=config["QUEUE_NAMESPACE"],
            heartbeat_timeout_s=float(config["QUEUE_HEARTBEAT_TIMEOUT"]),
            maintenance_chance=float(config["QUEUE_MAINTENANCE_CHANCE"]),
            embedded_threads=int(config["EMBEDDED_WORKER_THREADS"]),
            pdf_time_limit_s=float(config["PDF_TIME_LIMIT"]),
            pdf_attempts=int(config["PDF_ATTEMPTS"]),
            pdf_retry_backoff_s=float(config["PDF_RETRY_BACKOFF"]),
            pdf_lost_after_s=float(config["PDF_LOST_AFTER"]),
            mail_attempts=int(config["MAIL_ATTEMPTS"]),
            mail_retry_backoff_s=float(config["MAIL_RETRY_BACKOFF"]),
            mail_retry_max_backoff_s=float(config["MAIL_RETRY_MAX_BACKOFF"]),
        )

    @property
    def embedded(self) -> bool:
        return self.queue_url is None


class JobQueue:
    """The app's broker, its actors, and (embedded) the worker thread of this process."""

    def __init__(self, app: Flask, settings: JobSettings) -> None:
        self.app = app
        self.settings = settings
        self.broker = _broker(settings)
        self.broker_errors = _broker_errors(settings)
        # Renders and mail queued before this moment were queued by processes gone since;
        # an embedded worker queues them again when it starts (on_embedded_start).
        self.created_at = utcnow()
        self.actors: dict[str, dramatiq.Actor[Any, Any]] = {}
        self._worker: dramatiq.Worker | None = None
        self._worker_pid: int | None = None
        self._lock = threading.Lock()
        self._booted_pid: int | None = None
        self._on_embedded_start: list[Callable[[datetime], None]] = []
        self._recovered_pid: int | None = None
        if settings.embedded:
            # A restarted process must not leave unsent mail and unfinished renders waiting
            # until some page happens to queue a job: it looks at its first request.
            app.before_request(self._recover_at_first_request)

    def actor(self, name: str, queue: str, fn: Callable[..., None], **options: Any) -> None:
        """Declare job ``name``: ``fn`` runs in an app context of this app; ``options`` are
        Dramatiq's actor options (time limit, retries, back-off), in milliseconds."""
        app = self.app

        def run_in_app(*args: Any) -> None:
            with app.app_context():
                fn(*args)

        run_in_app.__name__ = name
        self.actors[name] = dramatiq.Actor(
            run_in_app,
            broker=self.broker,
            actor_name=name,
            queue_name=queue,
            priority=0,
            # The actor's options, not the message's: the process that runs a job applies
            # its own settings (time limit, retries), whatever the sender's are.
            options=options,
        )

    def on_embedded_start(self, recover: Callable[[datetime], None]) -> None:
        """``recover(before)`` runs (in an app context of its own) once in each process, at
        its first request or its first job, whichever comes first: to queue again what
        processes gone since left unfinished before ``before`` (its sends start this
        process's embedded worker)."""
        self._on_embedded_start.append(recover)

    def send(self, name: str, *args: Any) -> None:
        """Put job ``name`` on its queue; raises QueueUnavailable when the broker cannot
        take it."""
        actor = self.actors[name]
        if self.settings.embedded:
            self._ensure_embedded_worker()
        try:
            actor.send(*args)
        except self.broker_errors as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def _ensure_embedded_worker(self) -> None:
        """One worker per process: a forked process (a gunicorn worker) starts its own."""
        if self._worker is not None and self._worker_pid == os.getpid():
            return
        with self._lock:
            if self._worker is not None and self._worker_pid == os.getpid():
                return
            # The middleware's own threads (the time limit's watchdog) start with the
            # process's first worker: started in a preloading master, they would not
            # survive the fork into the web workers.
            self._boot_process()
            worker = dramatiq.Worker(self.broker, worker_threads=self.settings.embedded_threads)
            worker.start()
            self._worker, self._worker_pid = worker, os.getpid()
        self._recover_once()

    def _recover_once(self) -> None:
        with self._lock:
            if self._recovered_pid == os.getpid():
                return
            self._recovered_pid = os.getpid()
        for recover in self._on_embedded_start:
            # An app context of its own: its reads are not part of the request's session.
            with self.app.app_context():
                recover(self.created_at)

    def _boot_process(self) -> None:
        """Once per process: Dramatiq's "process boot", which starts the middleware's
        threads (a thread can be started once only)."""
        if self._booted_pid != os.getpid():
            self.broker.emit_after("process_boot")
            self._booted_pid = os.getpid()

    def state(self) -> str:
        """For the health check: "embedded", "ok" when Redis answers, else "unreachable"."""
        if self.settings.embedded:
            return "embedded"
        client = getattr(self.broker, "client", None)
        try:
            client.ping()  # type: ignore[union-attr]  # the Redis broker's client
        except self.broker_errors:
            return "unreachable"
        return "ok"

    def _recover_at_first_request(self) -> None:
        if self._recovered_pid == os.getpid():
            return
        try:
            self._recover_once()
        except Exception:
            # The page itself may still work: tried again at the next request.
            self._recovered_pid = None
            log.exception("unfinished jobs of a previous process not queued again")

    def wait_until_idle(self, timeout_s: float = 60) -> None:
        """Embedded: return once every queued job (retries included) has run. For tests
        and commands; a job that failed for good is logged, not raised."""
        if self._worker is None:
            return
        from dramatiq.brokers.stub import StubBroker

        assert isinstance(self.broker, StubBroker)
        for queue in sorted(self.broker.queues):
            self.broker.join(queue, timeout=int(timeout_s * 1000), fail_fast=False)
        self._worker.join()

    def stop(self) -> None:
        """Stop this process's embedded worker (the tests' apps, a server shutting down)."""
        if self._worker is not None and self._worker_pid == os.getpid():
            self._worker.stop(timeout=5000)
        self._worker = None

    def worker(self, threads: int, queues: set[str] | None = None) -> dramatiq.Worker:
        """A worker for ``flask --app assessor jobs work`` (started by the caller), in a
        process booted for it: the middleware's threads (the time limit's watchdog) run."""
        self._boot_process()
        return dramatiq.Worker(self.broker, queues=queues, worker_threads=threads)


def _broker(settings: JobSettings) -> dramatiq.Broker:
    from dramatiq.middleware import TimeLimit

    # The time limit's watchdog looks every 100 ms rather than every second: a limit is
    # then kept to a tenth of a second, for a thread that sleeps nearly all the time.
    middleware = [
        TimeLimit(interval=100) if factory is TimeLimit else factory()
        for factory in default_middleware
    ]
    if settings.embedded:
        from dramatiq.brokers.stub import StubBroker

        broker: dramatiq.Broker = StubBroker(middleware=middleware)
        return broker
    import redis
    from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker

    # Sending must not hang a page on a Redis that accepts connections and never answers
    # (the client waits for ever by default); Dramatiq's fetches do not block, so a few
    # seconds is plenty. Options in QUEUE_URL's query win over these.
    pool = redis.ConnectionPool.from_url(
        settings.queue_url or "", socket_timeout=5, socket_connect_timeout=5
    )
    return RedisBroker(  # type: ignore[no-untyped-call]  # Dramatiq's Redis broker has no hints
        client=redis.Redis(connection_pool=pool),
        namespace=settings.namespace,
        middleware=middleware,
        # A worker that stopped sending heartbeats this long ago is dead: the messages it
        # had taken go back on the queue, found by the maintenance that runs on that share
        # of the broker's commands (Dramatiq's default, 0.1%, can take many minutes).
        heartbeat_timeout=int(settings.heartbeat_timeout_s * 1000),
        maintenance_chance=int(settings.maintenance_chance * MAINTENANCE_SCALE),
    )


def _broker_errors(settings: JobSettings) -> tuple[type[BaseException], ...]:
    """What sending raises when the broker is unreachable: Dramatiq's Redis broker lets the
    client's own errors through."""
    if settings.embedded:
        return (dramatiq.errors.BrokerError,)
    import redis

    return (dramatiq.errors.BrokerError, redis.RedisError, OSError)


def job_queue() -> JobQueue:
    """The running app's queue."""
    queue: JobQueue = current_app.extensions["assessor.jobs"]
    return queue
