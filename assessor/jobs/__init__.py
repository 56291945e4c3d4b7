"""Work that never runs inside a web request: PDF renders and e-mail, on a job queue.

``queue`` chooses the broker (Redis, or the embedded in-process default) and runs the
workers; ``documents`` asks for and renders PDF plans and workshop summaries; ``mail``
sends e-mail with retries. The web and the command line call these; the work itself is
done by the services.
"""

from __future__ import annotations

from flask import Flask

from assessor.jobs.queue import JobQueue, JobSettings


def init_jobs(app: Flask) -> JobQueue:
    """Give ``app`` its queue and declare every job on it."""
    from assessor.jobs import documents, mail

    queue = JobQueue(app, JobSettings.from_config(app.config))
    documents.register(queue)
    mail.register(queue)
    app.extensions["assessor.jobs"] = queue
    return queue
