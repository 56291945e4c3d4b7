"""PDFs rendered by the queue's worker, never by a web request: the pages that follow a
render, its time limit and retries, "try again", lost renders, and plans prepared at
submission. The embedded queue (no QUEUE_URL): a worker thread of the app's process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import dramatiq.middleware.time_limit as time_limit_module
import pytest
from flask import Flask
from sqlalchemy import select

import assessor.pdf.render as render_module
from assessor.services import assessments as service
from assessor.storage.db import db
from assessor.storage.models import PlanDocument, RenderJob, utcnow
from tests.pdf.test_pdf_caches import submitted
from tests.web.helpers import csrf_from


def jobs_of(app: Flask):  # noqa: ANN201 - the app's JobQueue
    return app.extensions["assessor.jobs"]


def plan_row(app: Flask, token: str) -> PlanDocument | None:
    with app.app_context():
        assessment = service.find_assessment(token)
        row = db.session.scalar(
            select(PlanDocument).where(PlanDocument.assessment_id == assessment.id)
        )
        if row is not None:
            db.session.expunge(row)
        return row


@pytest.fixture
def render_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread of every render from now on."""
    names: list[str] = []
    original = render_module.render_pdf

    def recording(html: str, static_dir: Path):  # noqa: ANN202 - the wrapped function's result
        names.append(threading.current_thread().name)
        return original(html, static_dir)

    monkeypatch.setattr(render_module, "render_pdf", recording)
    return names


def test_a_plan_is_prepared_in_the_background_and_then_downloaded(
    any_app: Flask, render_threads: list[str]
) -> None:
    token = submitted(any_app)
    client = any_app.test_client()
    asked = client.get(f"/a/{token}/plan.pdf")
    assert asked.status_code == 303  # not rendered in this request
    assert asked.headers["Location"].endswith(f"/a/{token}/plan")
    waiting = client.get(f"/a/{token}/plan")
    html = waiting.get_data(as_text=True)
    if waiting.status_code == 202:  # the worker may already be done on a fast machine
        assert '<meta http-equiv="refresh" content="3">' in html
        assert "We are preparing your PDF." in html
    jobs_of(any_app).wait_until_idle()
    ready = client.get(f"/a/{token}/plan")
    assert ready.status_code == 200
    assert "Your PDF is ready." in ready.get_data(as_text=True)
    assert f'href="/a/{token}/plan.pdf"' in ready.get_data(as_text=True)
    assert "http-equiv" not in ready.get_data(as_text=True)  # it stops refreshing
    pdf = client.get(f"/a/{token}/plan.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert len(render_threads) == 1
    assert render_threads[0] != threading.current_thread().name  # the worker's thread


def test_the_status_for_the_pages_script(app: Flask) -> None:
    token = submitted(app)
    client = app.test_client()
    first = client.get(f"/a/{token}/plan/status")
    assert first.status_code in (200, 202)
    assert first.json["download"] == f"/a/{token}/plan.pdf"
    assert first.headers["Cache-Control"] == "no-store"
    jobs_of(app).wait_until_idle()
    ready = client.get(f"/a/{token}/plan/status")
    assert (ready.status_code, ready.json["state"]) == (200, "ready")
    # Another language is another PDF, queued on its own.
    french = client.get(f"/fr/a/{token}/plan/status")
    assert french.json["state"] in ("preparing", "ready")
    assert french.json["download"] == f"/fr/a/{token}/plan.pdf"


def test_an_open_assessment_has_no_plan_to_follow(app: Flask) -> None:
    from tests.web.helpers import start

    client = app.test_client()
    token = start(client)
    assert client.get(f"/a/{token}/plan").status_code == 404
    assert client.get(f"/a/{token}/plan/status").status_code == 404
    assert client.get(f"/a/{token}/plan.pdf").headers["Location"].endswith("/review")
    assert plan_row(app, token) is None  # nothing was queued


def _failing_render(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    attempts: list[float] = []

    def failing(html: str, static_dir: Path):  # noqa: ANN202 - never returns
        attempts.append(time.monotonic())
        raise RuntimeError("fonts are gone")

    monkeypatch.setattr(render_module, "render_pdf", failing)
    return attempts


def test_a_render_that_fails_is_tried_again_then_offered_to_try_again(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(PDF_ATTEMPTS=3, PDF_RETRY_BACKOFF=0.05)
    token = submitted(app)
    client = app.test_client()
    attempts = _failing_render(monkeypatch)
    client.get(f"/a/{token}/plan.pdf")
    jobs_of(app).wait_until_idle()
    assert len(attempts) == 3  # the first and two retries
    assert attempts[1] - attempts[0] >= 0.05  # after a back-off
    row = plan_row(app, token)
    assert (row.job_state, row.job_attempts, row.pdf) == (RenderJob.FAILED, 3, None)
    assert "fonts are gone" in row.job_error
    page = client.get(f"/a/{token}/plan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200  # a clear message, never a server error
    assert "We could not prepare the PDF this time." in html
    assert "http-equiv" not in html  # it does not refresh for ever
    assert client.get(f"/a/{token}/plan/status").json["state"] == "failed"
    # Asking again does not queue another round of attempts: the person decides.
    assert client.get(f"/a/{token}/plan.pdf").status_code == 303
    jobs_of(app).wait_until_idle()
    assert len(attempts) == 3

    monkeypatch.undo()  # the fault is mended; the respondent tries again
    retried = client.post(f"/a/{token}/plan/retry", data={"csrf_token": csrf_from(html)})
    assert retried.status_code == 303
    jobs_of(app).wait_until_idle()
    assert client.get(f"/a/{token}/plan.pdf").mimetype == "application/pdf"
    row = plan_row(app, token)
    assert (row.job_state, row.job_attempts) == (None, 0)


def test_try_again_needs_the_forms_token(app: Flask) -> None:
    token = submitted(app)
    assert app.test_client().post(f"/a/{token}/plan/retry").status_code == 400


def test_a_render_is_stopped_at_its_time_limit(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(PDF_TIME_LIMIT=0.5, PDF_ATTEMPTS=2, PDF_RETRY_BACKOFF=0.05)
    token = submitted(app)
    stopped: list[float] = []

    def endless(html: str, static_dir: Path):  # noqa: ANN202 - never returns
        started = time.monotonic()
        try:
            while True:  # pure Python, as WeasyPrint's layout mostly is: it can be interrupted
                time.sleep(0.01)
        finally:
            stopped.append(time.monotonic() - started)

    monkeypatch.setattr(render_module, "render_pdf", endless)
    app.test_client().get(f"/a/{token}/plan.pdf")
    jobs_of(app).wait_until_idle()
    # The limit counts from the job's start: on a loaded machine the first attempt's
    # preparation (templates compiled cold) may use it all before the render begins. The
    # second attempt, warm, gets to its render.
    assert 1 <= len(stopped) <= 2
    # Stopped soon after the limit.
    assert all(seconds < 2.0 for seconds in stopped), stopped
    assert plan_row(app, token).job_attempts == 2
    assert plan_row(app, token).job_state == RenderJob.FAILED
    assert "TimeLimitExceeded" in plan_row(app, token).job_error


def test_a_render_that_swallows_its_interrupt_still_fails_past_its_limit(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watchdog interrupts once; an interrupt landing in a finalizer is ignored by
    Python (seen with WeasyPrint's FontConfiguration.__del__) and the render finishes
    late. It counts as failed all the same, and nothing past the limit is stored.

    The lost interrupt is the watchdog's own call made to do nothing: waiting for a real
    one to land inside the render depended on how long the job took to get there."""
    app = make_app(PDF_TIME_LIMIT=0.2, PDF_ATTEMPTS=1)
    token = submitted(app)
    lost_interrupts: list[int] = []
    monkeypatch.setattr(
        time_limit_module,
        "raise_thread_exception",
        lambda thread_id, _: lost_interrupts.append(thread_id),
    )
    original = render_module.render_pdf

    def late(html: str, static_dir: Path):  # noqa: ANN202 - the wrapped function's result
        time.sleep(0.6)
        return original(html, static_dir)

    monkeypatch.setattr(render_module, "render_pdf", late)
    app.test_client().get(f"/a/{token}/plan.pdf")
    jobs_of(app).wait_until_idle()
    assert len(lost_interrupts) == 1  # the watchdog did fire, and its interrupt was lost
    row = plan_row(app, token)
    assert (row.job_state, row.pdf) == (RenderJob.FAILED, None)
    assert "TimeLimitExceeded" in row.job_error


def test_a_lost_render_is_queued_again_by_the_next_request(any_app: Flask) -> None:
    """A worker killed mid-render leaves its row "rendering": once older than any attempt
    may take, the next request queues it again."""
    token = submitted(any_app)
    with any_app.app_context():
        assessment = service.find_assessment(token)
        db.session.add(
            PlanDocument(
                assessment_id=assessment.id,
                language="en",
                job_state=RenderJob.RENDERING.value,
                job_attempts=1,
                job_queued_at=utcnow() - timedelta(minutes=2),
                job_started_at=utcnow() - timedelta(seconds=20),
            )
        )
        db.session.commit()
    client = any_app.test_client()
    client.get(f"/a/{token}/plan.pdf")  # rendering for 20 s: still under way
    jobs_of(any_app).wait_until_idle()
    assert plan_row(any_app, token).pdf is None
    with any_app.app_context():
        row = db.session.scalar(select(PlanDocument))
        row.job_started_at = utcnow() - timedelta(seconds=200)  # longer than the limit + 30 s
        db.session.commit()
    assert client.get(f"/a/{token}/plan.pdf").status_code == 303
    jobs_of(any_app).wait_until_idle()
    assert client.get(f"/a/{token}/plan.pdf").mimetype == "application/pdf"


def test_an_embedded_queue_recovers_what_a_stopped_process_left(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    """The embedded queue lives in its process: renders queued in a process that stopped are
    found in the database and queued again when the next process starts its worker."""
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first = make_app(SQLALCHEMY_DATABASE_URI=database)
    token = submitted(first)
    with first.app_context():
        from assessor.services import documents

        assessment = service.find_assessment(token)
        documents.mark_queued(PlanDocument, assessment.id, "de", None)  # never sent
    second = make_app(SQLALCHEMY_DATABASE_URI=database)
    other = submitted(second, company="Other")
    fetch = second.test_client().get(f"/a/{other}/plan.pdf")  # starts this process's worker
    assert fetch.status_code == 303
    jobs_of(second).wait_until_idle()
    with second.app_context():
        rows = db.session.scalars(select(PlanDocument).where(PlanDocument.pdf.is_not(None)))
        assert sorted(row.language for row in rows) == ["de", "en"]


def test_a_submitted_assessment_has_its_plan_prepared_in_its_language(
    make_app: Callable[..., Flask], render_threads: list[str]
) -> None:
    import re

    from tests.pdf.test_plan_pdf import submit_warehouse
    from tests.web.helpers import post_form

    app = make_app(PLAN_PREPARE_ON_SUBMIT=True)
    client = app.test_client()
    started = post_form(client, "/fi/start", {"questionnaire": "every-type"})
    token = re.search(r"/a/([A-Za-z0-9_-]+)", started.headers["Location"]).group(1)
    submit_warehouse(client, token, company="Oy Ab")
    jobs_of(app).wait_until_idle()
    row = plan_row(app, token)
    assert row is not None
    assert row.pdf is not None
    assert row.language == "fi"  # the assessment's language
    assert render_threads
    assert threading.current_thread().name not in render_threads
    assert app.test_client().get(f"/fi/a/{token}/plan.pdf").mimetype == "application/pdf"


def test_a_queue_that_cannot_take_the_render_is_a_clear_message(
    make_app: Callable[..., Flask],
) -> None:
    """A broker down: the page says the PDF could not be prepared and offers to try again;
    the app's process renders nothing itself."""
    from tests.conftest import free_port

    app = make_app(QUEUE_URL=f"redis://127.0.0.1:{free_port()}/0")
    token = submitted(app)
    client = app.test_client()
    asked = client.get(f"/a/{token}/plan.pdf")
    assert asked.status_code == 303
    page = client.get(f"/a/{token}/plan")
    assert page.status_code == 200
    assert "We could not prepare the PDF this time." in page.get_data(as_text=True)
    assert client.get(f"/a/{token}/plan/status").json["state"] == "failed"
    assert plan_row(app, token).job_state == RenderJob.FAILED


def test_with_a_broker_the_web_process_never_loads_weasyprint(tmp_path: Path) -> None:
    """Asking for plans in every way a page can: the process that serves pages neither
    renders nor imports WeasyPrint (its memory stays lean; workers render)."""
    import subprocess
    import sys

    from tests.conftest import DATA, PROJECT_ROOT, free_port

    script = f"""
import sys
from assessor import create_app
from tests.pdf.test_pdf_caches import submitted
app = create_app({{
    "TESTING": True, "SECRET_KEY": "x", "SERVER_NAME": "assessor.test",
    "QUESTIONNAIRES_DIR": {str(DATA)!r},
    "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/a.sqlite",
    "RATELIMIT_ENABLED": False, "PLAN_PREPARE_ON_SUBMIT": True,
    "QUEUE_URL": "redis://127.0.0.1:{free_port()}/0",
}})
token = submitted(app)
client = app.test_client()
for path in ["plan.pdf", "plan", "plan/status"]:
    assert client.get(f"/a/{{token}}/{{path}}").status_code in (200, 303), path
print("weasyprint" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_the_pages_that_follow_a_render_are_rate_limited(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, PLAN_STATUS_RATE_LIMIT="3 per minute")
    token = submitted(app)
    client = app.test_client()
    # The page and its script share one count per address.
    statuses = [client.get(f"/a/{token}/plan/status").status_code for _ in range(3)]
    statuses += [client.get(f"/a/{token}/plan").status_code]
    assert statuses[:3] != [429] * 3
    assert statuses[3] == 429
    elsewhere = client.get(f"/a/{token}/plan/status", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert elsewhere.status_code in (200, 202)


def test_a_redis_that_never_answers_does_not_hang_the_page(
    make_app: Callable[..., Flask],
) -> None:
    """A broker that takes the connection and then says nothing: the page gives up after
    the client's socket timeout and says so, instead of hanging its worker for ever."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepted by the kernel, never read nor answered
    try:
        app = make_app(QUEUE_URL=f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        token = submitted(app)
        client = app.test_client()
        began = time.monotonic()
        assert client.get(f"/a/{token}/plan.pdf").status_code == 303
        assert time.monotonic() - began < 15
        assert "We could not prepare the PDF this time." in client.get(f"/a/{token}/plan").get_data(
            as_text=True
        )
    finally:
        silent.close()


def test_a_poll_while_the_plan_is_prepared_reads_one_row(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The results page's script asks every few seconds: while a render is under way the
    answer needs neither the answers nor the peer groups (most of a poll's cost)."""
    import assessor.jobs.documents as jobs_documents
    from assessor.services import documents

    token = submitted(app)
    with app.app_context():
        documents.mark_queued(PlanDocument, service.find_assessment(token).id, "en", None)
    computed: list[str] = []
    original = jobs_documents.plan_state

    def counting(assessment, language):  # noqa: ANN001, ANN202 - the wrapped function's
        computed.append(language)
        return original(assessment, language)

    monkeypatch.setattr(jobs_documents, "plan_state", counting)
    client = app.test_client()
    for _ in range(3):
        assert client.get(f"/a/{token}/plan/status").json["state"] == "preparing"
    assert computed == []
    with app.app_context():  # the render is done (by a worker elsewhere)
        row = db.session.scalar(select(PlanDocument))
        row.job_state = None
        db.session.commit()
    client.get(f"/a/{token}/plan/status")
    assert computed == ["en"]  # now the key tells whether a stored PDF is current
