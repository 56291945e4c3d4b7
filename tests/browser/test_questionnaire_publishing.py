"""A cluster administrator in Chromium takes a questionnaire from a file to a respondent's
results: upload, a mistake shown at its line, fixed in the text area, published, the start
link opened and the questionnaire answered."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from assessor.storage.models import Role
from tests.advisers.helpers import PASSWORD, make_account
from tests.advisers.test_questionnaire_publishing import COLD_CHAIN, with_mistakes
from tests.browser.pages import answer_sections
from tests.browser.test_accessibility import check_page
from tests.browser.test_screens import LAPTOP, SCREENS_VARIABLE


def save_screen(page: Page, name: str) -> None:
    """With ASSESSOR_SCREENS_DIR set (scripts/screens), the page as a README picture."""
    folder = os.environ.get(SCREENS_VARIABLE)
    if folder:
        page.set_viewport_size(LAPTOP)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def test_from_a_file_to_the_first_results(browser, live_server, tmp_path: Path) -> None:
    server = live_server()
    make_account(server.app, "chief@example.org", role=Role.CLUSTER_ADMIN)
    broken, mistakes = with_mistakes(COLD_CHAIN)
    file = tmp_path / "cold-chain-check.yaml"
    file.write_text(broken, encoding="utf-8")
    problems: list[str] = []

    page = browser.new_context().new_page()
    page.goto(server.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("chief@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".adviser-nav").get_by_role("link", name="Questionnaires").click()
    page.get_by_role("link", name="New questionnaire").click()
    page.get_by_label("Upload a questionnaire file").set_input_files(file)
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="2 problems", exact=False)).to_be_visible()
    level_line = min(mistakes)
    page.get_by_role("link", name=f"Line {level_line}", exact=True).click()
    marked = page.locator(f"#line-{level_line}")
    expect(marked).to_have_class("at-fault")
    expect(marked).to_be_in_viewport()
    expect(marked.locator(".line-message")).to_contain_text("'min' must be a number")
    # The link also selected that line in the text area, ready to be fixed.
    selected = page.locator("#source").evaluate(
        "area => area.value.slice(area.selectionStart, area.selectionEnd)"
    )
    assert selected == "  - {id: developing, label: Developing, min: 125}"
    check_page(page, "editor with problems", problems)
    save_screen(page, "questionnaire-editor-problems.png")

    text = page.locator("#source").input_value()
    page.locator("#source").fill(
        text.replace("min: 125", "min: 25").replace("max_length: lots", "max_length: 300")
    )
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("heading", name="No problems found")).to_be_visible()
    expect(page.get_by_role("heading", name="Actions and the cluster's services")).to_be_visible()
    save_screen(page, "questionnaire-editor-checked.png")
    page.get_by_role("button", name="Publish…").click()
    page.get_by_role("button", name="Yes, publish").click()
    expect(page.get_by_text("Published as version 1.")).to_be_visible()
    check_page(page, "questionnaires", problems)
    link = page.locator(".published-notice a")
    expect(link).to_have_attribute(
        "href", f"{server.url}/c/example-baltic-freight?questionnaire=cold-chain-check"
    )

    respondent = browser.new_context().new_page()
    respondent.goto(link.get_attribute("href") or "")
    expect(respondent.get_by_label("Cold-chain check", exact=False)).to_be_checked()
    respondent.get_by_role("button", name="Start").click()
    answer_sections(respondent)
    respondent.get_by_role("button", name="Submit and see my results").click()
    expect(respondent.get_by_role("heading", name="Your results")).to_be_visible()
    expect(respondent.get_by_text("Cold-chain check", exact=False).first).to_be_visible()
    assert problems == []
