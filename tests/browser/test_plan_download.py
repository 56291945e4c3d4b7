"""The PDF plan in Chromium, rendered by the embedded worker while the respondent waits:
with JavaScript the results page holds the download back until the PDF is ready (or
offers "try again"); without it, the link leads to a page that refreshes itself."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import assessor.pdf.render as render_module
from tests.browser.pages import answer_sections
from tests.conftest import RELEASED_V2

PREPARING = "Preparing your PDF plan…"


@pytest.fixture
def held_renders(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the gate and the failures
    """Renders wait until ``gate`` is set; while ``failing`` holds True they fail."""
    gate = threading.Event()
    failing = [False]
    original = render_module.render_pdf

    def held(html: str, static_dir: Path):  # noqa: ANN202 - the wrapped function's result
        assert gate.wait(30), "the test never released the render"
        if failing[0]:
            raise RuntimeError("the render failed")
        return original(html, static_dir)

    monkeypatch.setattr(render_module, "render_pdf", held)
    yield gate, failing
    gate.set()  # never leave the worker waiting


def _submit_quick_check(page: Page, url: str) -> None:
    page.goto(url + "/")
    page.get_by_role("link", name="Start: Twin-transition quick check", exact=False).first.click()
    page.get_by_role("button", name="Start").click()
    answer_sections(page)
    page.get_by_role("button", name="Submit and see my results").click()
    assert page.url.endswith("/results")


def test_with_javascript_the_download_waits_for_the_pdf(browser, live_server, held_renders) -> None:
    gate, _ = held_renders
    server = live_server(questionnaires=RELEASED_V2, PLAN_PREPARE_ON_SUBMIT=True)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _submit_quick_check(page, server.url)
    link = page.get_by_role("link", name="Download your action plan (PDF)")
    expect(page.get_by_text(PREPARING)).to_be_visible()
    expect(link).to_have_attribute("aria-disabled", "true")
    link.dispatch_event("click")  # held back (aria-disabled): the page stays
    assert page.url.endswith("/results")
    gate.set()
    expect(page.get_by_text(PREPARING)).to_be_hidden(timeout=15_000)
    expect(link).not_to_have_attribute("aria-disabled", "true")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("action-plan-")
    context.close()


def test_without_javascript_a_page_follows_the_render(browser, live_server, held_renders) -> None:
    gate, _ = held_renders
    server = live_server(questionnaires=RELEASED_V2, PLAN_PREPARE_ON_SUBMIT=True)
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    _submit_quick_check(page, server.url)
    expect(page.get_by_text(PREPARING)).to_be_hidden()  # the script's part: hidden without it
    page.get_by_role("link", name="Download your action plan (PDF)").click()
    assert page.url.endswith("/plan")
    expect(page.get_by_text("We are preparing your PDF.", exact=False)).to_be_visible()
    gate.set()
    # The page refreshes itself (every 3 s) until the PDF is ready.
    expect(page.get_by_text("Your PDF is ready.")).to_be_visible(timeout=15_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    context.close()


def test_a_failed_render_offers_to_try_again(browser, live_server, held_renders) -> None:
    gate, failing = held_renders
    failing[0] = True
    gate.set()
    server = live_server(questionnaires=RELEASED_V2, PLAN_PREPARE_ON_SUBMIT=True, PDF_ATTEMPTS=1)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _submit_quick_check(page, server.url)
    expect(page.get_by_text("We could not prepare the PDF this time.")).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_role("link", name="Download your action plan (PDF)")).to_be_hidden()
    failing[0] = False  # mended
    page.get_by_role("button", name="Try again").click()
    assert page.url.endswith("/plan")
    expect(page.get_by_text("Your PDF is ready.")).to_be_visible(timeout=15_000)
    context.close()
