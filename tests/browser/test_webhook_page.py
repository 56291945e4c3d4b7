"""The webhook page in Chromium, on a phone: reached from the menu, a private address
refused next to the field, a receiver saved, its secret shown on request, a test event
delivered and sent again, the log showing both attempts."""

from __future__ import annotations

from playwright.sync_api import expect

from assessor.storage.models import Role
from tests.advisers.helpers import PASSWORD, make_account
from tests.browser.test_accessibility import check_page
from tests.conftest import RELEASED_V2, wait_for_jobs
from tests.webhooks.conftest import RECEIVER_CONFIG, Receiver, running_receiver


def test_a_cluster_administrator_sets_up_and_tries_the_webhook(browser, live_server) -> None:
    with running_receiver() as receiver:
        _set_up_and_try(browser, live_server, receiver)


def _set_up_and_try(browser, live_server, receiver: Receiver) -> None:
    server = live_server(questionnaires=RELEASED_V2, **RECEIVER_CONFIG)
    make_account(server.app, "anna@example.org", role=Role.CLUSTER_ADMIN)
    page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    page.goto(server.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Connections").click()  # the API tokens, then the webhook
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Connections").get_by_role("link", name="Webhook").click()
    expect(page.get_by_role("heading", name="Webhook", level=1)).to_be_visible()

    address = page.get_by_label("Address the events are sent to")
    address.fill("http://192.168.1.20/hooks")
    page.get_by_role("button", name="Save the webhook").click()
    expect(page.locator("#url-error")).to_contain_text("This address cannot be used")
    expect(address).to_have_value("http://192.168.1.20/hooks")  # kept to mend

    address.fill(receiver.url)
    page.get_by_role("button", name="Save the webhook").click()
    expect(page.get_by_text("The webhook is saved and turned on.")).to_be_visible()
    expect(page.locator("#secret")).to_be_hidden()
    page.get_by_text("Show the secret").click()
    assert len(page.locator("#secret").inner_text()) == 64

    page.get_by_role("button", name="Send a test event").click()
    wait_for_jobs()
    page.reload()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Test event")
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("HTTP 204")
    problems: list[str] = []
    check_page(page, "webhook", problems)
    assert problems == []

    row.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("The event is sent again.")).to_be_visible()
    wait_for_jobs()
    page.reload()
    expect(page.locator("tbody tr").first.locator("td").nth(2)).to_have_text("2")
    assert len(receiver.received) == 2
