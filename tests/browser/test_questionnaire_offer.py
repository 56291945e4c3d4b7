"""The cluster administrator chooses in Chromium what the cluster offers; its start page
then shows exactly that, and the page has no blocking accessibility problem."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from assessor.storage.models import Role
from tests.advisers.helpers import PASSWORD, make_account
from tests.browser.test_accessibility import check_page
from tests.conftest import RELEASED_V2


def test_unticking_a_questionnaire_and_choosing_the_default(browser: Browser, live_server) -> None:
    server = live_server(questionnaires=RELEASED_V2, CATALOGUE_REFRESH_SECONDS=0)
    make_account(server.app, "anna@example.org", role=Role.CLUSTER_ADMIN)
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(server.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(server.url + "/advisers/cluster/questionnaires/offer")
    problems: list[str] = []
    check_page(page, "questionnaire offer", problems)
    assert problems == []

    full = page.get_by_role("checkbox", name="Logistics twin-transition maturity assessment")
    expect(full).to_be_checked()
    full.uncheck()
    page.get_by_label("Offer new platform questionnaires automatically").uncheck()
    page.get_by_role("radio", name="Twin-transition quick check").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The questionnaires the cluster offers are saved.")).to_be_visible()
    expect(
        page.get_by_role("checkbox", name="Logistics twin-transition maturity assessment")
    ).not_to_be_checked()

    page.goto(server.url + "/c/example-baltic-freight")
    choices = page.locator('input[name="questionnaire"]')
    expect(choices).to_have_count(1)
    expect(choices.first).to_have_value("quick-check")
    expect(choices.first).to_be_checked()
