"""Work that never runs inside a web request: PDF renders and e-mail, on a job queue.

``queue`` chooses the broker (Redis, or the embedded in-process default) and runs the
workers; ``documents`` asks for and renders PDF plans and workshop summaries; ``mail``
sends e-mail with retries; ``webhooks`` POSTs clusters' webhook deliveries. The web and
the command line call these; the work itself is done by the services.
"""

from __future__ import annotations

from flask import Flask

from assessor.jobs.queue import JobQueue, JobSettings


def init_jobs(app: Flask) -> JobQueue:
    """Give ``app`` its queue and declare every job on it."""
    from assessor.jobs import documents, mail, webhooks

    queue = JobQueue(app, JobSettings.from_config(app.config))
    documents.register(queue)
    mail.register(queue)
    webhooks.register(queue)
    app.extensions["assessor.jobs"] = queue
    if queue.settings.embedded and int(app.config.get("APP_PROCESSES") or 1) > 1:
        # It works (each process renders and sends its own), but every web worker then
        # loads WeasyPrint and renders PDFs between pages: production wants Redis.
        app.logger.warning(
            "assessor: %s app processes and no QUEUE_URL: each renders PDFs and sends e-mail "
            "in a thread of its own; set FLASK_QUEUE_URL=redis://... and run "
            "`flask --app assessor jobs work` (docs/deployment.md, section 4)",
            app.config["APP_PROCESSES"],
        )
    return queue
