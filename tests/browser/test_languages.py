"""Every language of the site in Chromium (issue 18): the language menu, real glyphs for
every letter, and pages that hold at 375 px, long words and all."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from assessor.domain.languages import LANGUAGES
from assessor.services import assessments
from assessor.services.clusters import cluster_by_slug
from tests.browser.conftest import LiveServer
from tests.conftest import SHIPPED
from tests.glyphs import missing_glyphs_on_page

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}
HAULIER = Path(__file__).parents[1] / "personas" / "logistics-maturity" / "haulier-40.json"

# Visible elements whose content is cut off: wider than the screen (outside a scrolling
# box made for it, such as a wide table's), or clipped by their own overflow.
CUT_OFF = """() => {
  const cut = [];
  const scrolls = e => { for (let a = e; a; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX; if (x === 'auto' || x === 'scroll') return true; }
    return false; };
  const hidden = e => e.closest('.visually-hidden, .skip-link, svg, script, style, head');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement, text = node.nodeValue.trim();
    if (!text || !parent || hidden(parent) || scrolls(parent)) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > innerWidth + 1 || r.left < -1) cut.push('off screen: ' + text.slice(0, 60));
  }
  for (const e of document.querySelectorAll('body *')) {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || hidden(e)) continue;
    const text = (e.innerText || '').trim().slice(0, 60);
    if (text && (['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis')
        && e.scrollWidth > e.clientWidth + 1) cut.push('clipped: ' + text);
  }
  return [...new Set(cut)];
}"""


def submitted_in(app: Flask, language: str) -> str:
    """The example haulier's assessment, submitted in ``language``; its token."""
    answers = json.loads(HAULIER.read_text("utf-8"))
    with app.app_context():
        questionnaire = assessments.catalogue().get("logistics-maturity")
        assert questionnaire is not None
        cluster = cluster_by_slug("example-baltic-freight")
        assessment = assessments.start_assessment(questionnaire, cluster, language, "Ωμέγα Ltd")
        assessments.save_answers(
            assessment, {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
        )
        assessments.submit(assessment)
        return assessment.token


def layout_problems(page: Page, name: str) -> list[str]:
    problems = [f"{name}: {cut}" for cut in page.evaluate(CUT_OFF)]
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    if overflow > 0:
        problems.append(f"{name}: scrolls sideways by {overflow}px")
    missing = missing_glyphs_on_page(page)
    if missing:
        problems.append(f"{name}: no font has {''.join(missing)!r}")
    return problems


def test_every_language_shows_real_letters_and_fits_a_phone(
    browser: Browser, live_server: Callable[..., LiveServer]
) -> None:
    server = live_server(questionnaires=SHIPPED)
    page = browser.new_page(viewport=PHONE)
    problems: list[str] = []
    for language in LANGUAGES:
        token = submitted_in(server.app, language)
        page.goto(f"{server.url}/{language}/start")
        problems += layout_problems(page, f"{language} start")
        page.locator(".languages-menu summary").click()  # the open menu fits too
        problems += layout_problems(page, f"{language} language menu")
        page.goto(f"{server.url}/{language}/a/{token}/review")
        problems += layout_problems(page, f"{language} review")
        page.goto(f"{server.url}/{language}/a/{token}/results")
        assert page.locator("html").get_attribute("lang") == language
        problems += layout_problems(page, f"{language} results")
    page.close()
    assert problems == []


def test_the_menu_lists_every_language_and_the_choice_is_kept(
    browser: Browser, live_server: Callable[..., LiveServer]
) -> None:
    server = live_server()
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    page = context.new_page()
    page.goto(f"{server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"  # from Accept-Language
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 80
    links = page.locator(".languages-menu a")
    expect(links.first).to_be_hidden()  # folded until asked for
    page.locator(".languages-menu summary").click()
    assert [links.nth(i).get_attribute("hreflang") for i in range(links.count())] == list(LANGUAGES)
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= LAPTOP["width"]
        assert box["y"] + box["height"] <= LAPTOP["height"]
    last = list(LANGUAGES)[-1]
    links.nth(links.count() - 1).click()
    page.wait_for_url(f"**/{last}/")
    assert page.locator("html").get_attribute("lang") == last
    page.goto(f"{server.url}/start")  # no prefix: the choice, not the browser's English
    assert page.locator("html").get_attribute("lang") == last
    expect(page.locator(".languages-menu summary")).to_contain_text(LANGUAGES[last])
    context.close()


def test_a_first_visit_gets_the_browsers_language(
    browser: Browser, live_server: Callable[..., LiveServer]
) -> None:
    server = live_server()
    for language in LANGUAGES:
        context = browser.new_context(locale=f"{language}-XX" if language != "en" else "en-US")
        page = context.new_page()
        page.goto(f"{server.url}/")
        assert page.locator("html").get_attribute("lang") == language
        context.close()


def test_the_layout_check_sees_what_is_cut_off(browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.set_content("<p>Short words wrap on a phone, as they should.</p>")
    assert page.evaluate(CUT_OFF) == []
    page.set_content(
        "<p style='white-space: nowrap'>Kraftstoffverbrauchsmessung je Fahrzeug und Fahrt</p>"
        "<button style='width: 6rem; overflow: hidden; white-space: nowrap'>"
        "Reifegradanalyse herunterladen</button>"
    )
    cut = page.evaluate(CUT_OFF)
    assert any(c.startswith("off screen: Kraftstoff") for c in cut), cut
    assert any(c.startswith("clipped: Reifegrad") for c in cut), cut
    page.close()


def test_the_menu_closes_by_keyboard_click_or_focus_and_names_itself_plainly(
    browser: Browser, live_server: Callable[..., LiveServer]
) -> None:
    server = live_server()
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server.url}/de/")
    menu, summary = page.locator(".languages-menu"), page.locator(".languages-menu summary")
    # The arrow and the tick are drawn, not read out.
    names = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.languages-menu summary'), '::after')
                    .content]"""
    )
    assert names == ['"▾" / ""']
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # into the list
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    summary.click()
    page.mouse.click(20, PHONE["height"] - 20)  # a click elsewhere, below the open list
    expect(menu).not_to_have_attribute("open", "")
    summary.click()
    for _ in LANGUAGES:  # tabbing through every language and out of the menu
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu).not_to_have_attribute("open", "")
    page.close()
