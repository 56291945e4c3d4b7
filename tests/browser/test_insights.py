"""The cluster's insights page in Chromium, from the adviser's menu on a phone, over real
assessments (the example companies of tests/personas, each answered twice): axe finds no
serious problem, nothing scrolls sideways at 375 px, the filters narrow the figures, and
the figures' tables scroll in their own boxes.

With ASSESSOR_SCREENS_DIR set (scripts/screens), the page at a laptop's width is saved as
insights.png: the picture of docs/advisers.md and the README."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from assessor.storage.models import Role
from tests.advisers.helpers import PASSWORD, make_account
from tests.api.helpers import PERSONAS, submitted
from tests.browser.test_accessibility import check_page
from tests.browser.test_screens import SCREENS_VARIABLE, save_screen
from tests.conftest import SHIPPED

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}


def test_the_insights_page_on_a_phone(browser: Browser, live_server) -> None:
    server = live_server(questionnaires=SHIPPED)
    personas = sorted(path.stem for path in (PERSONAS / "logistics-maturity").glob("*.json"))
    start = datetime(2026, 9, 1, 9)
    for round_ in range(2):
        for index, persona in enumerate(personas):
            submitted(
                server.app,
                "example-baltic-freight",
                f"{persona.replace('-', ' ').title()} {round_ + 1}",
                questionnaire="logistics-maturity",
                persona=persona,
                at=start + timedelta(days=round_ * 30 + index),
            )
    make_account(server.app, "anna@example.org", role=Role.CLUSTER_ADMIN)

    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(server.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".adviser-menu > summary").click()
    page.get_by_role("navigation", name="Adviser area").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()

    text = page.locator("main").inner_text()
    assert f"{2 * len(personas)} companies" in text
    # Answers no company gave are one line, not thirty rows of zeros.
    countries = page.locator(".breakdown").filter(has_text="Country")
    expect(countries.get_by_role("row", name="Bulgaria")).to_have_count(0)
    expect(countries).to_contain_text("No company:")
    expect(countries).to_contain_text("Bulgaria")
    levels = page.get_by_role("region", name="Companies per level, for each score")
    expect(levels.get_by_role("row", name="Overall")).to_be_visible()
    page.locator("summary", has_text="Every action the plans recommend").click()
    page.locator("section.dma details summary").first.click()
    problems: list[str] = []
    check_page(page, "insights at 375 px", problems)  # axe, and no sideways scrolling
    assert problems == []
    # The wide table scrolls in its own box, which keyboards reach too.
    box_width = levels.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert box_width[0] > box_width[1], box_width
    expect(levels).to_have_attribute("tabindex", "0")

    # A filter: the same page, narrowed (or saying why it shows nothing), the choice kept.
    page.get_by_role("combobox", name="Size").select_option(label="10 to 49")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("combobox", name="Size")).to_have_value("small")
    assert "size=small" in page.url
    narrowed = page.locator("main").inner_text()
    assert f"{2 * len(personas)} companies" not in narrowed
    check_page(page, "insights filtered at 375 px", problems)
    assert problems == []

    folder = os.environ.get(SCREENS_VARIABLE)
    if folder:
        page.set_viewport_size(LAPTOP)
        page.goto(server.url + "/advisers/cluster/insights")
        page.locator("summary", has_text="Every action the plans recommend").click()
        save_screen(Path(folder), page, "insights", tallest=2600)
