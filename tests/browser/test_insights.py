"""The cluster's insights page in Chromium, from the adviser's menu on a phone: axe finds no
serious problem, nothing scrolls sideways at 375 px, the filters narrow the figures, and
the figures' tables scroll in their own boxes. The report is built by hand
(tests/advisers/insights_reports.py) until the insights service computes it.

With ASSESSOR_SCREENS_DIR set (scripts/screens), the page at a laptop's width is saved as
insights.png: the picture of docs/advisers.md and the README."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from assessor.services.insights import report as insights
from assessor.storage.models import Role
from tests.advisers.helpers import PASSWORD, make_account
from tests.advisers.insights_reports import ANSWERED, sample_report
from tests.browser.test_accessibility import check_page
from tests.browser.test_screens import SCREENS_VARIABLE, save_screen
from tests.conftest import SHIPPED

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}


def test_the_insights_page_on_a_phone(
    browser: Browser, live_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = []

    def report(cluster, filters):
        asked.append(filters)
        return sample_report(cluster.id, filters)

    monkeypatch.setattr(insights, "questionnaires_answered", lambda cluster: list(ANSWERED))
    monkeypatch.setattr(insights, "cluster_report", report)
    server = live_server(questionnaires=SHIPPED)
    make_account(server.app, "anna@example.org", role=Role.CLUSTER_ADMIN)

    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(server.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".adviser-menu > summary").click()
    page.get_by_role("navigation", name="Adviser area").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()

    page.get_by_role("combobox", name="Size").select_option(label="10 to 49")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{server.url}/advisers/cluster/insights?" + _query(page.url))
    assert asked[-1].size == "small"
    expect(page.get_by_role("combobox", name="Size")).to_have_value("small")
    levels = page.get_by_role("region", name="Companies per level, for each score")
    expect(levels.get_by_role("row", name="Overall")).to_contain_text("fewer than 5")
    page.locator("summary", has_text="Every action the plans recommend").click()
    page.locator("section.dma details summary").first.click()
    problems: list[str] = []
    check_page(page, "insights at 375 px", problems)  # axe, and no sideways scrolling
    assert problems == []
    # The wide table scrolls in its own box, which keyboards reach too.
    box_width = levels.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert box_width[0] > box_width[1], box_width
    expect(levels).to_have_attribute("tabindex", "0")

    folder = os.environ.get(SCREENS_VARIABLE)
    if folder:
        page.set_viewport_size(LAPTOP)
        page.goto(server.url + "/advisers/cluster/insights")
        page.locator("summary", has_text="Every action the plans recommend").click()
        save_screen(Path(folder), page, "insights", tallest=2600)


def _query(url: str) -> str:
    return url.split("?", 1)[1]
