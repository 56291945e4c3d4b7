"""A whole assessment in Chromium: stop halfway, resume elsewhere, reach the results."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import answer_sections
from tests.conftest import RELEASED_V2


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_flagship_stop_resume_and_results(browser, live_server, javascript: bool) -> None:
    server = live_server(questionnaires=RELEASED_V2)
    first = browser.new_context(java_script_enabled=javascript)
    page = first.new_page()
    page.goto(server.url + "/")
    page.get_by_role("link", name="Start: Logistics", exact=False).first.click()
    page.get_by_label("Your logistics cluster").select_option("example-baltic-freight")
    page.get_by_role("button", name="Start").click()
    assert "/section/" in page.url
    expect(page.get_by_text("Keep this link to continue later")).to_be_visible()
    resume_link = page.locator("#resume-link").input_value()
    assert resume_link.startswith(server.url + "/a/")
    answered = answer_sections(page, count=4)
    assert answered == 4
    first.close()  # the respondent closes the browser

    second = browser.new_context(java_script_enabled=javascript)
    page = second.new_page()
    page.goto(resume_link)
    assert "/section/" in page.url
    progress = page.locator(".progress-text").inner_text()
    # Picks up after the four saved pages; pages are counted over the whole questionnaire, so
    # the one these answers do not ask (passed over) counts too.
    assert progress.startswith("Section 6 of 10"), progress
    answer_sections(page)
    assert page.url.endswith("/review")
    page.get_by_role("button", name="Submit and see my results").click()
    assert page.url.endswith("/results")
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    assert page.locator("svg.radar-wide").count() == 1
    assert page.locator(".dimensions .card").count() == 3
    second.close()
