"""A workshop in Chromium: the adviser's dashboard fills up while participants finish,
each in their own browser, without the adviser reloading the page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.advisers.helpers import PASSWORD, make_account
from tests.browser.pages import answer_sections
from tests.conftest import RELEASED_V2


def test_a_room_of_participants_and_the_live_dashboard(browser, live_server) -> None:
    server = live_server(questionnaires=RELEASED_V2, WORKSHOP_GROUP_MINIMUM=3)
    make_account(server.server.app, "ada@example.org")

    adviser = browser.new_context().new_page()
    adviser.goto(server.url + "/advisers/sign-in")
    adviser.get_by_label("E-mail address").fill("ada@example.org")
    adviser.get_by_label("Password").fill(PASSWORD)
    adviser.get_by_role("button", name="Sign in").click()
    adviser.get_by_role("link", name="New workshop").click()
    adviser.get_by_label("Title").fill("Morning session")
    adviser.get_by_label("Language of the workshop").select_option("en")  # not the cluster's fi
    adviser.get_by_role("button", name="Create the workshop").click()
    code = adviser.locator(".join-code").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)
    dashboard_url = adviser.url
    finished = adviser.locator(".counts p").nth(2).locator(".count")
    expect(finished).to_have_text("0")

    participants = []
    for number in range(3):
        context = browser.new_context()  # each participant on their own phone
        page = context.new_page()
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(server.url + "/join")
        page.get_by_label("The code your adviser shows").fill(f"{code[:3].lower()} {code[3:]}")
        page.get_by_role("button", name="Join").click()
        page.get_by_label("Company name (optional)").fill(f"Participant {number}")
        page.get_by_role("button", name="Start").click()
        answer_sections(page)
        page.get_by_role("button", name="Submit and see my results").click()
        expect(page.get_by_role("heading", name=re.compile("Your results"))).to_be_visible()
        participants.append(context)
        # The dashboard follows on its own (it polls every few seconds).
        expect(finished).to_have_text(str(number + 1), timeout=10_000)

    assert adviser.url == dashboard_url  # never reloaded
    expect(adviser.get_by_role("heading", name="Most frequent priority actions")).to_be_visible(
        timeout=10_000
    )
    expect(adviser.locator("table.spreads").first).to_be_visible()
    for context in participants:
        context.close()
