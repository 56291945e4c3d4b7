"""What the page's script adds: live conditional questions and exclusive options."""

from __future__ import annotations

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
    assert method.is_hidden()
    assert certs.is_visible()  # not(fuel equals no) holds while fuel is unanswered
    page.get_by_role("radio", name="Yes", exact=True).check()
    assert method.is_visible()
    page.get_by_role("radio", name="No", exact=True).check()
    assert method.is_hidden()
    assert certs.is_hidden()
    page.get_by_role("checkbox", name="TMS").check()
    assert certs.is_visible()  # any: tools includes tms
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
    assert not own_fleet.is_checked()
    assert not warehousing.is_checked()
    own_fleet.check()
    assert not neither.is_checked()
    page.close()
