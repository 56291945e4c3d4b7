"""Feedback while answering, in headless Chromium at a phone's and a laptop's width (issue 15,
item 9): the chosen option's card, the saved state, the warning before leaving unsaved
answers, focus after an error link, progress that never grows, welcome back, the glossary
and the header's language menu."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import DATA

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}
WIDTHS = [pytest.param(PHONE, id="375px"), pytest.param(LAPTOP, id="1366px")]


@pytest.fixture
def server(live_server: Callable[..., object]):
    return live_server(questionnaires=DATA / "answering")


def start(page: Page, base: str, company: str = "Kuljetus Mäkinen Oy", cluster: str = "") -> None:
    page.goto(f"{base}/en/start?questionnaire=answering")
    if cluster:
        page.select_option("#cluster", cluster)
    page.fill("#company", company)
    page.get_by_role("button", name="Start").click()
    assert "/section/profile" in page.url


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_chosen_options_card_stands_out(browser: Browser, server, viewport) -> None:
    page = browser.new_page(viewport=viewport)
    start(page, server.url)
    chosen = page.locator("#question-activities .option").nth(0)
    other = page.locator("#question-activities .option").nth(1)
    before = chosen.evaluate("e => getComputedStyle(e).backgroundColor")
    chosen.locator("input").check()
    # The card's tint fades in over 0.1 s: wait for it rather than read it mid-way.
    expect(chosen).not_to_have_css("background-color", before)
    assert other.evaluate("e => getComputedStyle(e).backgroundColor") == before
    page.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_saved_after_next_and_a_warning_only_for_unsaved_answers(
    browser: Browser, server, viewport
) -> None:
    page = browser.new_page(viewport=viewport)
    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", dismiss)
    start(page, server.url)
    state = page.locator("#save-state")
    expect(state).to_have_text("")
    # Nothing typed yet: leaving asks nothing.
    page.get_by_role("link", name="Privacy: what we store and why").click()
    page.wait_for_url("**/privacy")
    assert dialogs == []
    page.go_back()
    page.locator("input[value=warehousing]").check()
    expect(state).to_contain_text("saved when you press “Next”")
    # Unsaved answers: leaving by a link asks first (and stays when told to).
    page.get_by_role("link", name="Privacy: what we store and why").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert "/section/profile" in page.url
    # Next saves, and leaves without asking.
    page.locator("#question-country input[value=de]").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/section/documents")
    assert dialogs == ["beforeunload"]
    expect(page.locator("#save-state")).to_have_text("✓ Saved: your answers on “About you”.")
    page.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_an_error_link_puts_the_focus_on_its_first_input(
    browser: Browser, server, viewport
) -> None:
    page = browser.new_page(viewport=viewport)
    start(page, server.url)
    page.get_by_role("button", name="Next").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("In which country")).click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "country-0", focused
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    # The summary line keeps the question's own question mark, with no colon after it.
    assert "?:" not in summary.inner_text()
    page.close()


def test_progress_never_grows_when_a_condition_adds_a_page(browser: Browser, server) -> None:
    page = browser.new_page(viewport=LAPTOP)
    start(page, server.url, cluster="example-baltic-freight")
    label = page.locator("#progress-label")
    expect(label).to_have_text("Section 1 of 3")
    expect(page.locator(".time-left")).to_contain_text("About 12 minutes left")
    # The country comes from the cluster (Finland) until the respondent says otherwise.
    expect(page.locator("#question-country input[value=fi]")).to_be_checked()
    page.locator("input[value=own-fleet]").check()  # adds the fleet page
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/section/fleet")
    expect(label).to_have_text("Section 2 of 3")
    page.locator("#question-eco input[value='3']").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/section/documents")
    expect(label).to_have_text("Section 3 of 3")
    page.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_resuming_welcomes_the_company_back(browser: Browser, server, viewport) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    start(page, server.url)
    link = page.locator("#resume-link").input_value()
    page.locator("input[value=warehousing]").check()
    page.locator("#question-country input[value=de]").check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/section/documents")
    context.close()
    again = browser.new_context(viewport=viewport).new_page()
    again.goto(link)
    expect(again.locator(".flash")).to_have_text(
        "Welcome back, Kuljetus Mäkinen Oy. 2 of 3 sections done: you go on where you left off."
    )
    expect(again.locator(".for-company")).to_have_text("Assessment for Kuljetus Mäkinen Oy")
    again.context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_page_naming_eu_rules_explains_them(browser: Browser, server, viewport) -> None:
    page = browser.new_page(viewport=viewport)
    start(page, server.url)
    page.locator("input[value=warehousing]").check()
    page.locator("#question-country input[value=de]").check()
    page.get_by_role("button", name="Next").click()
    glossary = page.locator("#glossary-efti")
    definition = glossary.get_by_text("Authorities must accept freight information")
    expect(definition).to_be_hidden()
    glossary.locator("summary").click()
    expect(definition).to_be_visible()
    expect(page.locator("#question-remarks")).to_contain_text("(optional)")
    assert page.get_by_text("(required)").count() == 0
    page.close()


def test_the_language_menu_is_compact_on_a_phone(browser: Browser, server) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server.url}/pl/")
    header = page.locator(".site-header")
    height = header.bounding_box()["height"]
    assert height < 110, height  # 185 px in Polish (160 in English) with every language a link
    links = page.locator(".languages a")
    assert sum(links.nth(i).is_visible() for i in range(links.count())) == 0
    menu = page.locator(".languages-menu summary")
    expect(menu).to_contain_text("Polski")
    menu.click()
    expect(page.locator(".languages-menu a[hreflang=fi]")).to_be_visible()
    page.locator(".languages-menu a[hreflang=fi]").click()
    page.wait_for_url("**/fi/**")
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert no_overflow
    page.close()
