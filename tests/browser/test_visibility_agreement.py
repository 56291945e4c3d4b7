"""The page's script and the server agree on which questions are asked, also when an
answer is kept for a question that a later change on an earlier page has hidden."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.conftest import DATA

CHAIN = DATA / "chain"


def _next(page) -> None:
    page.locator("button[name=navigate][value=next]").click()
    page.wait_for_load_state()


def test_a_question_that_depends_on_a_hidden_answer_stays_hidden(browser, live_server) -> None:
    server = live_server(questionnaires=CHAIN)
    page = browser.new_page()
    page.goto(server.url + "/start")
    page.get_by_role("button", name="Start").click()
    token = re.search(r"/a/([A-Za-z0-9_-]+)", page.url).group(1)

    # Vehicles, electric: the chargers question is asked on the third page.
    page.get_by_label("Vehicles yes").check()
    _next(page)
    page.get_by_label("Electric").check()
    _next(page)
    assert page.url.endswith("/section/third")
    expect(page.locator("#question-q-chargers")).to_be_visible()

    # Back to the first page: no vehicles. The fuel page is no longer asked, but its stored
    # answer ("electric") stays until the assessment is submitted.
    page.goto(f"{server.url}/a/{token}/section/first")
    page.get_by_label("Vehicles no").check()
    _next(page)
    assert page.url.endswith("/section/third")  # the fuel page is skipped
    with server.app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.token == token))
        kept = {a.question_id for a in assessment.answers}
    assert "q-fuel" in kept

    # The server does not ask about chargers, so the script must not show the question.
    expect(page.locator("#question-q-chargers")).to_be_hidden()
    known = page.locator("#known-answers").text_content()
    assert "electric" not in known
    page.get_by_label("Training yes").check()
    _next(page)
    assert "/review" in page.url
    page.close()
