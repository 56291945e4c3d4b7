"""What the page's script adds: live conditional questions and exclusive options."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import answer_page


def test_conditional_questions_appear_and_disappear_live(browser, live_server) -> None:
    server = live_server()
    page = browser.new_page()
    page.goto(server.url + "/start")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Warehousing").check()
    answer_page(page)
    assert page.url.endswith("/section/data-section")
    method = page.locator("#question-method")
    certs = page.locator("#question-certs")
    expect(method).to_be_hidden()
    expect(certs).to_be_visible()  # not(fuel equals no) holds while fuel is unanswered
    page.get_by_role("radio", name="Yes", exact=True).check()
    expect(method).to_be_visible()
    page.get_by_role("radio", name="No", exact=True).check()
    expect(method).to_be_hidden()
    expect(certs).to_be_hidden()
    page.get_by_role("checkbox", name="TMS").check()
    expect(certs).to_be_visible()  # any: tools includes tms
    page.close()


def test_an_exclusive_option_clears_the_others(browser, live_server) -> None:
    server = live_server()
    page = browser.new_page()
    page.goto(server.url + "/start")
    page.get_by_role("button", name="Start").click()
    own_fleet = page.get_by_label("Own fleet")
    warehousing = page.get_by_label("Warehousing")
    neither = page.get_by_label("Neither")
    own_fleet.check()
    warehousing.check()
    neither.check()
    expect(own_fleet).not_to_be_checked()
    expect(warehousing).not_to_be_checked()
    own_fleet.check()
    expect(neither).not_to_be_checked()
    page.close()
