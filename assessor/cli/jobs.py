"""``flask --app assessor jobs work``: a worker process of the job queue (docs/deployment.md)."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from assessor.jobs.queue import MAIL_QUEUE, PDF_QUEUE, WEBHOOK_QUEUE, job_queue

jobs_cli = AppGroup("jobs", help="Background jobs: PDF renders and e-mail.")


@jobs_cli.command("work")
@click.option(
    "--threads",
    default=1,
    show_default=True,
    help="Jobs at once in this process. PDF renders are CPU work: run one process per core "
    "given to them rather than more threads.",
)
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice([PDF_QUEUE, MAIL_QUEUE, WEBHOOK_QUEUE]),
    help="Only these queues (repeatable); by default all.",
)
def work(threads: int, queues: tuple[str, ...]) -> None:
    """Take jobs from the queue at QUEUE_URL until stopped (SIGTERM or Ctrl-C: the jobs under
    way finish, the ones taken and not started go back on the queue)."""
    queue = job_queue()
    if queue.settings.embedded:
        raise click.ClickException(
            "QUEUE_URL is not set: without a broker, jobs run in the app's own processes and a "
            "separate worker would never see them. Set FLASK_QUEUE_URL=redis://HOST:6379/0."
        )
    stop = threading.Event()

    def stop_on(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)
    if not queues or PDF_QUEUE in queues:
        # Loaded now, not by the first render: that render's time limit would count the
        # import, and could interrupt it half done.
        import weasyprint  # noqa: F401
    worker = queue.worker(threads, set(queues) or None)
    worker.start()
    current_app.logger.info(
        "jobs worker started: %s thread(s), queues %s",
        threads,
        ", ".join(queues or (PDF_QUEUE, MAIL_QUEUE, WEBHOOK_QUEUE)),
    )
    click.echo(f"assessor jobs worker: {threads} thread(s), waiting for jobs", err=True)
    stop.wait()
    click.echo("assessor jobs worker: stopping", err=True)
    worker.stop(timeout=int(queue.settings.pdf_time_limit_s * 1000) + 5000)
