"""The adviser area in Chromium: its own navigation at the top, a home that says what is on,
companies by questionnaire, and a workshop dashboard that asks before closing and shows the
projector's state. At a laptop's width and a phone's.

Set ``ADVISER_SCREENSHOTS`` to a folder to keep full-page screenshots of the pages seen."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from assessor.storage.models import Role
from tests.advisers.helpers import (
    PASSWORD,
    QUICK_CHECK_ANSWERS,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.advisers.test_companies import better
from tests.browser.test_accessibility import check_page
from tests.conftest import RELEASED_V2
from tests.web.helpers import csrf_from

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}
SHOTS = os.environ.get("ADVISER_SCREENSHOTS")


@dataclass(frozen=True)
class Scene:
    url: str
    app: Flask
    workshop: str  # public id of the workshop the room has finished
    upcoming: str  # public id of a workshop next week, nobody joined yet


def _scene(live_server) -> Scene:
    """A cluster admin, a workshop four companies finished (three share), one next week."""
    server = live_server(questionnaires=RELEASED_V2, WORKSHOP_GROUP_MINIMUM=3)
    app = server.server.app
    account = make_account(app, "anna@example.org", role=Role.CLUSTER_ADMIN)
    with app.app_context():  # a name as the review's adviser had
        from assessor.services.accounts import user_by_email
        from assessor.storage.db import db

        user_by_email(account.email).name = "Anna Virtanen"
        db.session.commit()
    client = signed_in_client(app, account)
    spring = create_workshop(client, "Spring quick check", held_on="2026-03-12")
    join_and_finish(app, join_code_of(client, spring), company="Kuljetus Aalto Oy", share=True)
    page = client.get(f"/advisers/workshops/{spring}").get_data(as_text=True)
    client.post(f"/advisers/workshops/{spring}/close", data={"csrf_token": csrf_from(page)})
    workshop = create_workshop(
        client, "Green & digital breakfast — Kotka, 6 Dec", held_on=date.today().isoformat()
    )
    code = join_code_of(client, workshop)
    for company in ("Kuljetus Aalto Oy", "Nordic Reefer Oy", "Kuljetus Mäkinen Oy"):
        improved = company != "Kuljetus Mäkinen Oy"
        answers = better(QUICK_CHECK_ANSWERS) if improved else None
        join_and_finish(app, code, company=company, share=True, answers=answers)
    join_and_finish(app, code, company="Private Oy", share=False)
    next_week = (date.today() + timedelta(days=7)).isoformat()
    upcoming = create_workshop(client, "Skills morning in Turku", held_on=next_week)
    return Scene(server.url, app, workshop, upcoming)


def _signed_in(browser: Browser, scene: Scene, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(scene.url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill("anna@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".adviser-bar")).to_be_visible()
    return page


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def _no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "375"])
def test_the_adviser_area_has_its_navigation_and_account_at_the_top(
    browser, live_server, viewport
) -> None:
    scene = _scene(live_server)
    page = _signed_in(browser, scene, viewport)
    pages = {
        "home": "/advisers/",
        "companies": "/advisers/companies",
        "dashboard": f"/advisers/workshops/{scene.workshop}",
        "services": "/advisers/cluster/services",
    }
    problems: list[str] = []
    for name, path in pages.items():
        page.goto(scene.url + path)
        header = page.locator("header.site-header")
        expect(header.get_by_text("Anna Virtanen")).to_be_visible()
        sign_out = header.get_by_role("button", name="Sign out")
        expect(sign_out).to_be_visible()
        menu = header.locator(".adviser-menu > summary")
        if viewport is PHONE:  # the links fold into a menu: one line, not a screen's third
            bar = header.locator(".adviser-bar").bounding_box()
            assert bar
            assert bar["height"] < 60, bar
            menu.click()
        else:
            expect(menu).to_be_hidden()  # every link in sight, no menu button
        nav = header.get_by_role("navigation", name="Adviser area")
        for link in ("Workshops", "Companies", "Assessment with a company", "Access log"):
            expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
        expect(header.get_by_role("link", name="Change my password")).to_be_visible()
        # At the top: within the first screen, above the page's heading.
        box, heading = sign_out.bounding_box(), page.locator("main h1").bounding_box()
        assert box
        assert heading
        assert box["y"] < heading["y"] < viewport["height"]
        footer = page.locator("footer.site-footer")
        for gone in ("Sign out", "Access log", "Change my password", "Anna Virtanen"):
            expect(footer).not_to_contain_text(gone)
        _no_horizontal_overflow(page)
        check_page(page, name, problems)  # axe, with data on the page and the menu open
        _shot(page, f"adviser-{name}")
    assert problems == []
    # The page one is on is marked in the navigation.
    page.goto(scene.url + "/advisers/companies")
    current = page.locator(".adviser-nav [aria-current=page]")
    expect(current).to_have_text("Companies")
    expect(current).to_have_count(1)
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.locator(".adviser-bar")).to_have_count(0)


def test_home_shows_what_is_on_and_the_newly_shared_results(browser, live_server) -> None:
    scene = _scene(live_server)
    page = _signed_in(browser, scene, LAPTOP)
    page.goto(scene.url + "/advisers/")
    current = page.locator("section", has=page.get_by_role("heading", name="Upcoming and open"))
    upcoming = current.locator("li", has_text="Skills morning in Turku")
    expect(upcoming).to_contain_text("0 joined")
    expect(upcoming).to_contain_text("open")
    room = current.locator("li", has_text="Green & digital breakfast")
    expect(room).to_contain_text("4 joined, 4 finished")
    expect(room).to_contain_text("today")
    expect(room).to_contain_text("Twin-transition quick check")
    expect(current).not_to_contain_text("Spring quick check")  # held and closed: past
    past = page.locator("section", has=page.get_by_role("heading", name="Past workshops"))
    expect(past.get_by_role("link", name="Spring quick check")).to_be_visible()
    # The soonest first: today's workshop before next week's.
    assert current.locator("li").first.inner_text().startswith("Green & digital breakfast")
    expect(page.get_by_role("link", name="New workshop")).to_be_visible()

    shared = page.locator("section", has=page.get_by_role("heading", name="Newly shared results"))
    expect(shared.locator("li")).to_have_count(4)  # the one who keeps them private is absent
    expect(shared).not_to_contain_text("Private Oy")
    _shot(page, "adviser-home-overview")
    shared.get_by_role("link", name="Nordic Reefer Oy").click()
    expect(page.get_by_role("heading", name="Nordic Reefer Oy", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="The company's action plan")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Your action plan")
    expect(page.locator("main")).not_to_contain_text("Delete my assessment")
    _shot(page, "adviser-shared-company")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "375"])
def test_companies_by_questionnaire_with_a_column_per_dimension(
    browser, live_server, viewport
) -> None:
    scene = _scene(live_server)
    page = _signed_in(browser, scene, viewport)
    page.goto(scene.url + "/advisers/companies")
    expect(page.get_by_role("heading", name="Twin-transition quick check", level=2)).to_be_visible()
    table = page.locator("table.companies-table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[3:6] == ["Decarbonisation", "Digitalisation", "Skills"], headers
    row = table.locator("tbody tr", has_text="Kuljetus Aalto Oy")
    cells = row.locator("td.num").all_inner_texts()
    # Its score, and the change since its spring assessment under it.
    assert re.match(r"\d+\s+\+\d+\s", cells[0].strip()), cells
    assert all(re.match(r"\d+", cell.strip()) for cell in cells[:3]), cells
    expect(row).not_to_contain_text(";")
    expect(row.locator("td.num").last).to_have_text("2")  # its two assessments
    _no_horizontal_overflow(page)
    row.get_by_role("link", name="Kuljetus Aalto Oy").click()
    expect(page.get_by_role("heading", name="Kuljetus Aalto Oy", level=1)).to_be_visible()


def test_the_dashboard_asks_before_closing_and_shows_the_projector_state(
    browser, live_server
) -> None:
    scene = _scene(live_server)
    page = _signed_in(browser, scene, LAPTOP)
    page.goto(scene.url + f"/advisers/workshops/{scene.workshop}")

    # People have joined: the join box is one line with the code, the results come first.
    join = page.locator("details.join-box")
    expect(join).not_to_have_attribute("open", "")
    expect(join.locator("summary .join-code")).to_be_visible()
    expect(page.locator("div.qr")).to_be_hidden()
    results = page.get_by_role("heading", name="The room's results").bounding_box()
    assert results
    assert results["y"] < LAPTOP["height"]

    # No table repeats its caption as its first column's header, and the columns line up.
    tables = page.locator("table.spreads")
    assert tables.count() == 4
    lefts = set()
    for index in range(tables.count()):
        table = tables.nth(index)
        caption = table.locator("caption").inner_text()
        assert table.locator("thead th").first.inner_text() != caption
        lefts.add(
            tuple(round(table.locator("thead th").nth(i).bounding_box()["x"]) for i in range(7))
        )
    assert len(lefts) == 1, lefts  # every table's columns start at the same places

    # Closing is neither the first control nor beside "hide", and it asks first.
    controls = page.locator(".workshop-controls")
    expect(controls.get_by_role("button", name=re.compile("Close"))).to_have_count(0)
    expect(page.get_by_role("button", name="Yes, close the workshop")).to_be_hidden()
    page.get_by_text("Close the workshop…").click()
    expect(page.get_by_text("those who have joined can still finish")).to_be_visible()
    _shot(page, "adviser-dashboard-close-asks")

    # Hiding says so, on the page, not only in the button's label.
    expect(page.get_by_text("Projector: results shown")).to_be_visible()
    page.get_by_role("button", name="Hide the results on the projector").click()
    expect(page.locator(".projector-state .state")).to_have_text("Projector: results hidden")
    expect(page.get_by_role("button", name="Show the results on the projector")).to_be_visible()
    _shot(page, "adviser-dashboard-hidden")

    page.get_by_text("Close the workshop…").click()
    page.get_by_role("button", name="Yes, close the workshop").click()
    expect(
        page.get_by_text("The workshop is closed: nobody can join any more.").first
    ).to_be_visible()
    expect(page.get_by_role("button", name="Open it again")).to_be_visible()


def test_a_new_workshop_shows_the_join_box_large(browser, live_server) -> None:
    scene = _scene(live_server)
    page = _signed_in(browser, scene, PHONE)
    page.goto(scene.url + f"/advisers/workshops/{scene.upcoming}")
    expect(page.locator("details.join-box")).to_have_attribute("open", "")
    expect(page.locator(".qr svg")).to_be_visible()
    _no_horizontal_overflow(page)
    _shot(page, "adviser-dashboard-empty")


def test_one_to_one_pages_do_not_speak_as_the_company(browser, live_server) -> None:
    scene = _scene(live_server)
    page = _signed_in(browser, scene, LAPTOP)
    page.goto(scene.url + "/advisers/one-to-one")
    page.get_by_label("Company name").fill("Lahti Warehousing Oy")
    page.locator("select#language").select_option("en")  # the cluster's own is Finnish
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-question]").first).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_role("link", name="Delete this assessment")).to_be_visible()
    expect(main.get_by_role("link", name="Download the company's answers")).to_be_visible()
    expect(main).not_to_contain_text("Delete my assessment")
    expect(main).not_to_contain_text("Download my data")
    _shot(page, "adviser-one-to-one-section")

    # The company on its own (nobody signed in) keeps its own wording.
    resume = page.locator("#resume-link").input_value()
    company = browser.new_context(viewport=LAPTOP).new_page()
    company.goto(resume)
    expect(company.locator("[data-question]").first).to_be_visible()
    expect(company.get_by_role("link", name="Delete my assessment")).to_be_visible()
