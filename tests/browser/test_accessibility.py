"""axe-core (shipped inside the axe-playwright-python wheel) on every page of the flow,
and no horizontal scrolling on a 375 px wide phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.pages import answer_page

BLOCKING = {"serious", "critical"}


def check_page(page: Page, name: str, problems: list[str]) -> None:
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [n["target"] for n in violation["nodes"]][:3]
            problems.append(
                f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{name}: scrolls horizontally by {overflow}px")


@pytest.mark.parametrize("width", [375, 1280])
def test_no_serious_violations_on_any_page(browser, live_server, width: int) -> None:
    server = live_server()
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    for path, name in [
        ("/", "landing"),
        ("/privacy", "privacy"),
        ("/start", "start"),
        ("/nope", "404"),
    ]:
        page.goto(server.url + path)
        check_page(page, name, problems)
    page.goto(server.url + "/start")
    page.get_by_role("button", name="Start").click()
    check_page(page, "first section", problems)
    page.locator("button[name=navigate][value=next]").click()  # nothing answered: errors
    check_page(page, "section with errors", problems)
    page.get_by_label("Own fleet").check()
    answer_page(page)
    check_page(page, "conditional section", problems)
    while "/section/" in page.url:
        answer_page(page)
    check_page(page, "review", problems)
    page.get_by_role("button", name="Submit and see my results").click()
    check_page(page, "results", problems)
    page.get_by_role("link", name="Delete my assessment").click()
    check_page(page, "delete", problems)
    context.close()
    assert problems == []


def test_the_check_itself_catches_problems(browser) -> None:
    """A control: a page with known faults must fail the same check."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.set_content(
        '<html><body><img src="data:,"><input type="text">'
        '<div style="width:600px">wide</div></body></html>'
    )
    problems: list[str] = []
    check_page(page, "bad", problems)
    assert any("image-alt" in p for p in problems)
    assert any("label" in p for p in problems)
    assert any("scrolls horizontally" in p for p in problems)
    page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_no_serious_violations_on_adviser_and_workshop_pages(
    browser, live_server, width: int
) -> None:
    from assessor.services.accounts import password_reset_token, user_by_email
    from assessor.storage.models import Role
    from tests.advisers.helpers import PASSWORD, make_account
    from tests.conftest import RELEASED_V2, free_port

    server = live_server(
        questionnaires=RELEASED_V2,
        WORKSHOP_GROUP_MINIMUM=1,
        # Mail is "configured" so that the forgotten-password form shows; nobody listens.
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=free_port(),
        MAIL_USE_TLS=False,
        PUBLIC_URL="https://assess.example",
    )
    app = server.server.app
    make_account(app, "ada@example.org", role=Role.CLUSTER_ADMIN)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.goto(server.url + "/advisers/sign-in")
    check_page(page, "sign-in", problems)
    page.get_by_role("link", name="Forgotten your password?").click()
    check_page(page, "forgotten password", problems)
    page.get_by_role("button", name="Send me a link").click()  # no address: error
    check_page(page, "forgotten password with an error", problems)
    with app.app_context():
        token = password_reset_token(user_by_email("ada@example.org"), app.config["SECRET_KEY"])
    page.goto(f"{server.url}/advisers/reset-password/{token}")
    page.get_by_role("button", name="Save the new password").click()  # empty: errors
    check_page(page, "new password with errors", problems)
    page.goto(server.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    check_page(page, "adviser home", problems)
    page.get_by_role("link", name="New workshop").click()
    check_page(page, "new workshop", problems)
    page.get_by_role("button", name="Create the workshop").click()  # no title: errors
    check_page(page, "new workshop with errors", problems)
    page.get_by_label("Title").fill("Accessible workshop")
    page.get_by_label("Language of the workshop").select_option("en")
    page.get_by_role("button", name="Create the workshop").click()
    code = page.locator(".join-code").inner_text().replace(" ", "")
    dashboard = page.url
    participant = context.new_page()
    participant.goto(server.url + "/join")
    check_page(participant, "join", problems)
    participant.get_by_label("The code your adviser shows").fill(code)
    participant.get_by_role("button", name="Join").click()
    check_page(participant, "join workshop", problems)
    participant.get_by_role("button", name="Start").click()
    while "/section/" in participant.url:
        answer_page(participant)
    participant.get_by_role("button", name="Submit and see my results").click()
    page.goto(dashboard)
    check_page(page, "workshop dashboard with results", problems)
    page.get_by_role("link", name="Projector view").click()
    check_page(page, "projector", problems)
    for path, name in [
        ("/advisers/companies", "companies"),
        ("/advisers/one-to-one", "one-to-one"),
        ("/advisers/cluster/services", "services"),
        ("/advisers/cluster/advisers", "advisers"),
        ("/advisers/cluster/profile", "cluster profile"),
        ("/advisers/cluster/log", "access log"),
    ]:
        page.goto(server.url + path)
        check_page(page, name, problems)
    page.goto(server.url + "/advisers/cluster/services/new")
    page.get_by_role("button", name="Save the service").click()  # empty: errors
    check_page(page, "service form with errors", problems)
    page.goto(server.url + "/advisers/cluster/api-tokens")  # issue 17: API tokens
    page.get_by_role("button", name="Create a token").click()  # no name: errors
    page.locator("#name-error").wait_for()  # each step waits for its page to be there
    check_page(page, "API tokens with errors", problems)
    page.get_by_label("What will use it").fill("Our CRM")
    page.get_by_role("button", name="Create a token").click()
    page.locator("#new-token").wait_for()
    check_page(page, "API token shown once", problems)
    page.get_by_role("button", name="Revoke Our CRM").click()
    page.get_by_role("button", name="Yes, revoke it").wait_for()
    check_page(page, "revoking an API token", problems)
    page.get_by_role("button", name="Yes, revoke it").click()
    page.get_by_text("revoked on").wait_for()
    check_page(page, "API tokens with a revoked one", problems)
    page.goto(server.url + "/advisers/password")
    page.get_by_role("button", name="Save the new password").click()  # empty: errors
    check_page(page, "change password with errors", problems)
    context.close()
    assert problems == []
