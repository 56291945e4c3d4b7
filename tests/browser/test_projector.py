"""The projector in Chromium, at a beamer's 1280x720 and at 1920x1080: made for a room.

The size checks compare text with the height of the screen. The projector before issue 15,
measured with these tests' data, fails every one of them: its join code was 96 px (13 % of
720 px but 8.9 % of 1080 px: the threshold is 12 %), the join address 16 px (2.2 % / 1.5 %:
threshold 4 %), the results table 14.4 px (2.0 % / 1.3 %: threshold 3 %), and with results
the page was 1095 px tall at 1280x720, the results starting at 634 px and ending at 784 px.
It also showed the site header, and the footer with "Sign out (Anna Virtanen)".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from assessor.domain.languages import LANGUAGES
from assessor.services import workshops
from assessor.services.accounts import create_user
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Role, Workshop
from tests.advisers.helpers import (
    PASSWORD,
    QUICK_CHECK_ANSWERS,
    create_workshop,
    join_and_finish,
    sign_in,
)
from tests.conftest import RELEASED_V2

ADVISER = "Anna Virtanen"
TITLE = "Green & digital breakfast — Kotka, 6 Dec"
SCREENS = [(1280, 720), (1920, 1080)]

# Three companies further along than QUICK_CHECK_ANSWERS, so that the bars differ.
MIDDLE = {
    "company": {"p-activities": ["own-fleet"], "p-size": "small"},
    "decarbonisation": {
        "q-energy-data": "monthly",
        "q-footprint": "yearly",
        "q-target": "target",
        "q-efficiency": ["eco-driving", "planning"],
    },
    "digitalisation": {
        "q-digital-plan": "priorities",
        "q-systems": ["tms-wms", "telematics"],
        "q-efti": "some-ecmr",
        "q-data": "dashboards",
    },
    "skills": {"q-training-plan": "yearly", "q-staff-skills": "4"},
}
AHEAD = {
    "company": {"p-activities": ["own-fleet"], "p-size": "small"},
    "decarbonisation": {
        "q-energy-data": "per-trip",
        "q-footprint": "iso-14083",
        "q-target": "plan",
        "q-efficiency": ["eco-driving", "planning", "alternative"],
    },
    "digitalisation": {
        "q-digital-plan": "priorities",
        "q-systems": ["tms-wms", "telematics", "portal"],
        "q-efti": "ecmr-efti",
        "q-data": "dashboards",
    },
    "skills": {"q-training-plan": "ad-hoc", "q-staff-skills": "2"},
}
A_ROOM = (MIDDLE, AHEAD, QUICK_CHECK_ANSWERS, MIDDLE)


@dataclass
class Room:
    """A workshop run by Anna Virtanen on a live server; participants join from here."""

    app: Flask
    url: str
    public_id: str
    code: str
    open_page: Callable[..., Page]

    @property
    def projector_url(self) -> str:
        return f"{self.url}/advisers/workshops/{self.public_id}/projector"

    def finish(self, *answer_sets: dict) -> None:
        for answers in answer_sets:
            join_and_finish(self.app, self.code, answers=answers)

    def workshop(self) -> Workshop:
        with self.app.app_context():
            found = db.session.scalar(select(Workshop).where(Workshop.public_id == self.public_id))
            assert found is not None
            db.session.expunge(found)
            return found

    def board(self) -> workshops.Dashboard:
        with self.app.app_context():
            workshop = db.session.scalar(
                select(Workshop).where(Workshop.public_id == self.public_id)
            )
            questionnaire = workshops.questionnaire_of(workshop)
            return workshops.dashboard(workshop, questionnaire)


@pytest.fixture
def room(browser: Browser, live_server) -> Iterator[Room]:
    server = live_server(questionnaires=RELEASED_V2, WORKSHOP_GROUP_MINIMUM=3)
    app = server.server.app
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        create_user("anna@example.org", ADVISER, Role.ADVISER, cluster, PASSWORD)
    client = app.test_client()
    sign_in(client, "anna@example.org")
    public_id = create_workshop(client, title=TITLE)
    with app.app_context():
        code = db.session.scalar(select(Workshop.join_code).where(Workshop.public_id == public_id))

    contexts: list[BrowserContext] = []

    def open_page(width: int = 1280, height: int = 720, javascript: bool = True) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(server.url + "/advisers/sign-in")
        page.get_by_label("E-mail address").fill("anna@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{server.url}/advisers/workshops/{public_id}/projector")
        return page

    yield Room(app, server.url, public_id, code, open_page)
    for context in contexts:
        context.close()


def font_share(page: Page, selector: str) -> list[float]:
    """Font size of each match as a share of the window's height."""
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) / innerHeight)",
    )


def scroll_overflow(page: Page) -> tuple[int, int]:
    """How far the page scrolls vertically and horizontally (0, 0: it fits the screen)."""
    return tuple(
        page.evaluate(
            "() => [document.documentElement.scrollHeight - innerHeight,"
            " document.documentElement.scrollWidth - innerWidth]"
        )
    )


def outside_the_screen(page: Page, selector: str) -> list[str]:
    """Texts of the matches that are not wholly inside the window."""
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => { const r = e.getBoundingClientRect();
            return r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth; })
          .map(e => e.textContent.trim())""",
    )


def assert_nothing_of_the_adviser(page: Page) -> None:
    assert page.locator(".site-header, .site-footer, footer, .adviser-nav").count() == 0
    assert ADVISER not in page.locator("body").inner_text()
    assert ADVISER not in page.content()  # nor in a title, label or hidden text
    assert "Sign out" not in page.content()


def save_screen(page: Page, name: str) -> None:
    folder = os.environ.get("ASSESSOR_SCREENS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def wait_for_bars(page: Page) -> None:
    page.wait_for_timeout(1000)  # the bars grow in for 0.9 s


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=["1280x720", "1920x1080"])
def test_before_results_the_join_details_fill_the_screen(
    room: Room, width: int, height: int
) -> None:
    page = room.open_page(width, height)
    assert_nothing_of_the_adviser(page)
    assert scroll_overflow(page) == (0, 0)
    code = page.locator(".join-code")
    expect(code).to_have_text(workshops.spaced(room.code))
    assert min(font_share(page, ".join-code")) >= 0.12
    host = room.url.split("://", 1)[1]
    expect(page.locator(".join-address").first).to_have_text(f"{host}/join")
    expect(page.locator(".join-link")).to_have_text(f"{host}/j/{room.code}")
    assert min(font_share(page, ".join-instruction")) >= 0.04
    qr = page.locator(".join-qr svg").bounding_box()
    assert qr is not None
    assert qr["height"] >= 0.4 * height
    assert min(font_share(page, ".counts .count")) >= 0.08
    expect(
        page.get_by_text("The group's results appear when at least 3 participants")
    ).to_be_visible()
    assert outside_the_screen(page, ".join-code, .join-instruction, .counts p") == []
    save_screen(page, f"projector-joining-{width}x{height}")


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=["1280x720", "1920x1080"])
def test_results_take_the_screen_without_scrolling(room: Room, width: int, height: int) -> None:
    room.finish(*A_ROOM)
    board = room.board()
    page = room.open_page(width, height)
    wait_for_bars(page)
    assert_nothing_of_the_adviser(page)
    assert scroll_overflow(page) == (0, 0)
    assert outside_the_screen(page, ".dimension-bar, .projector-actions li, .results-key") == []

    # The numbers are the group's, and only the group's.
    labels = page.locator(".dimension-label").all_inner_texts()
    assert labels == [d.label for d in board.dimensions]
    shown = [t.split()[-1] for t in page.locator(".score-value").all_inner_texts()]
    assert shown == [str(round(d.mean)) for d in board.dimensions]
    for index, dimension in enumerate(board.dimensions):
        counts = page.locator(".dimension-bar").nth(index).locator(".level-count")
        assert sum(int(c) for c in counts.all_text_contents()) == board.counted
        assert counts.count() == sum(1 for level in dimension.levels if level[2])
    expect(page.locator(".results-count")).to_have_text(
        f"Figures from {board.counted} participants"
    )

    # Readable from the back of the room.
    for selector in (".dimension-label", ".score-value", ".level-count", ".results-key"):
        assert min(font_share(page, selector)) >= 0.03, selector
    bar = page.locator(".score-bar").first.bounding_box()
    assert bar is not None
    assert bar["width"] >= 0.4 * width
    assert bar["height"] >= 0.04 * height

    # The join details are now a strip at the top, still readable for latecomers.
    top = page.locator(".projector-top").bounding_box()
    assert top is not None
    assert top["y"] + top["height"] <= 0.22 * height
    expect(page.locator(".join-strip .join-code")).to_have_text(workshops.spaced(room.code))
    expect(page.locator(".join-strip .join-link")).to_contain_text(f"/j/{room.code}")
    assert min(font_share(page, ".join-strip .join-code")) >= 0.04
    assert page.locator(".join-qr").count() == 0
    save_screen(page, f"projector-results-{width}x{height}")


# The languages with the longest words and texts that the site speaks (issue 18, item 7).
LONGEST = [code for code in ("de", "fi", "hu", "el") if code in LANGUAGES]


@pytest.mark.parametrize("language", LONGEST)
def test_the_join_screen_fits_a_beamer_in_longer_languages(room: Room, language: str) -> None:
    page = room.open_page()
    page.goto(f"{room.url}/{language}/advisers/workshops/{room.public_id}/projector")
    assert page.locator("html").get_attribute("lang") == language
    assert scroll_overflow(page) == (0, 0)
    assert outside_the_screen(page, ".join-code, .join-instruction, .counts p") == []
    assert min(font_share(page, ".join-instruction")) >= 0.04
    save_screen(page, f"projector-joining-{language}-1280x720")


@pytest.mark.parametrize("language", LONGEST)
def test_results_fit_a_beamer_in_longer_languages(room: Room, language: str) -> None:
    """Longer words wrap the strip and the key onto more lines: the bars make room."""
    room.finish(*A_ROOM)
    page = room.open_page()
    page.goto(f"{room.url}/{language}/advisers/workshops/{room.public_id}/projector")
    wait_for_bars(page)
    assert page.locator("html").get_attribute("lang") == language
    assert scroll_overflow(page) == (0, 0)
    assert outside_the_screen(page, ".dimension-bar, .projector-actions li, .results-key") == []
    for selector in (".dimension-label", ".score-value", ".level-count"):
        assert min(font_share(page, selector)) >= 0.03, selector
    save_screen(page, f"projector-results-{language}-1280x720")


def test_hiding_and_showing_from_the_projector_by_button_and_key(room: Room) -> None:
    room.finish(*A_ROOM)
    page = room.open_page()
    page.evaluate("window.notReloaded = true")
    controls = page.locator(".projector-controls")
    expect(page.locator(".dimension-bar")).to_have_count(3)

    page.mouse.move(640, 360)  # the presenter moves the mouse: the controls show
    expect(controls).to_have_css("opacity", "1")
    page.get_by_role("button", name="Hide the results").click()
    hidden = page.locator(".projector-hidden")
    expect(hidden).to_have_text("The results are hidden for now.")
    expect(page.locator(".dimension-bar")).to_have_count(0)
    assert min(font_share(page, ".projector-hidden")) >= 0.06  # said to the room, big
    assert room.workshop().results_shown is False
    expect(page.get_by_role("button", name="Show the results")).to_be_visible()
    page.mouse.move(200, 300)  # off the controls, and then left alone:
    page.wait_for_timeout(3500)  # the controls step out of the picture
    expect(controls).to_have_css("opacity", "0")
    save_screen(page, "projector-hidden-1280x720")

    page.keyboard.press("h")
    expect(page.locator(".dimension-bar")).to_have_count(3)
    expect(hidden).to_have_count(0)
    assert room.workshop().results_shown is True
    page.keyboard.press("Shift+H")
    expect(hidden).to_be_visible()
    assert room.workshop().results_shown is False
    page.keyboard.press("h")
    expect(page.locator(".dimension-bar")).to_have_count(3)
    assert page.evaluate("window.notReloaded") is True  # never reloaded (full screen stays)

    page.reload()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the first control: keyboard focus shows the strip
    expect(page.get_by_role("button", name="Hide the results")).to_be_focused()
    expect(controls).to_have_css("opacity", "1")


def test_closing_from_the_projector_asks_first(room: Room) -> None:
    room.finish(*A_ROOM)
    page = room.open_page()
    page.evaluate("window.notReloaded = true")
    page.mouse.move(640, 360)
    page.get_by_text("Close the workshop…").click()
    question = page.get_by_text("Close the workshop now?")
    expect(question).to_be_visible()
    expect(page.get_by_role("button", name="Keep it open")).to_be_focused()  # the safe answer
    page.keyboard.press("Escape")  # steps back, closes nothing
    expect(question).to_be_hidden()
    assert room.workshop().is_open is True
    page.keyboard.press("h")  # and hides nothing either: Esc was not taken for a shortcut
    page.keyboard.press("Escape")
    expect(page.locator(".projector-hidden")).to_be_visible()
    assert room.workshop().is_open is True

    page.get_by_text("Close the workshop…").click()
    save_screen(page, "projector-close-question-1280x720")
    page.get_by_role("button", name="Close the workshop", exact=True).click()
    expect(page.locator(".projector-closed")).to_have_text("This workshop is closed.")
    expect(page.locator(".join-code")).to_have_count(0)
    expect(page.get_by_text("Close the workshop…")).to_be_hidden()
    assert room.workshop().is_open is False
    assert page.evaluate("window.notReloaded") is True


def test_the_projector_follows_the_room_without_a_reload(room: Room) -> None:
    page = room.open_page()
    page.evaluate("window.notReloaded = true")
    expect(page.locator(".is-joining")).to_have_count(1)
    room.finish(MIDDLE)
    expect(page.locator(".counts .count").nth(1)).to_have_text("1", timeout=10_000)
    room.finish(AHEAD, QUICK_CHECK_ANSWERS)
    expect(page.locator(".dimension-bar")).to_have_count(3, timeout=10_000)
    expect(page.locator(".is-compact")).to_have_count(1)

    # Hidden from the dashboard: the projector says so, and its button follows.
    with room.app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.public_id == room.public_id))
        workshops.set_results_shown(workshop, False)
    expect(page.locator(".projector-hidden")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Show the results")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True


def test_the_projector_says_when_it_stops_following(room: Room) -> None:
    page = room.open_page()
    stale = page.get_by_text("Not updating: check the connection, or sign in again.")
    expect(stale).to_be_hidden()
    other_tab = page.context.new_page()  # the adviser signs out elsewhere
    other_tab.goto(f"{room.url}/advisers/")
    other_tab.get_by_role("button", name="Sign out").click()
    expect(stale).to_be_visible(timeout=10_000)
    assert ADVISER not in page.content()  # the sign-in page was not swapped in
    expect(page.locator(".join-code")).to_have_text(workshops.spaced(room.code))
    # A control used now is not silently lost: the ordinary post shows what went wrong.
    projector = page.url
    page.keyboard.press("h")
    page.wait_for_url(lambda url: url != projector, timeout=10_000)


def test_full_screen_with_the_f_key(room: Room) -> None:
    page = room.open_page()
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement !== null")
    page.mouse.move(640, 360)
    expect(page.get_by_role("button", name="Leave full screen")).to_be_visible()
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")
    expect(page.get_by_role("button", name="Full screen")).to_be_visible()


def test_without_javascript_the_projector_reloads_and_its_controls_post(room: Room) -> None:
    room.finish(*A_ROOM)
    page = room.open_page(javascript=False)
    refresh = page.locator("meta[http-equiv=refresh]")
    expect(refresh).to_have_count(1)
    assert refresh.get_attribute("content") == "15"
    assert_nothing_of_the_adviser(page)
    expect(page.locator(".dimension-bar")).to_have_count(3)
    page.get_by_role("button", name="Hide the results").click()
    assert page.url == room.projector_url
    expect(page.locator(".projector-hidden")).to_be_visible()
    page.get_by_text("Close the workshop…").click()
    page.get_by_role("button", name="Close the workshop", exact=True).click()
    assert page.url == room.projector_url
    expect(page.locator(".projector-closed")).to_be_visible()
    assert room.workshop().is_open is False
