"""Options offered only for some earlier answers: the page's script shows and hides them as
an earlier answer on the same page changes, and a hidden option is unticked and not sent
(tests/data/options/options.yaml)."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Answer, Assessment
from tests.conftest import DATA


def test_an_option_appears_when_an_earlier_answer_on_the_page_changes(browser, live_server) -> None:
    server = live_server(questionnaires=DATA / "options")
    page = browser.new_page()
    page.goto(server.url + "/start")
    page.get_by_role("button", name="Start").click()
    token = re.search(r"/a/([A-Za-z0-9_-]+)", page.url).group(1)

    aero = page.get_by_label("Aerodynamic kits")
    e_trucks = page.get_by_label("Electric trucks in service")
    expect(aero).to_be_hidden()  # no heavy trucks yet
    expect(e_trucks).to_be_hidden()
    page.get_by_label("Heavy trucks").check()
    expect(aero).to_be_visible()
    expect(e_trucks).to_be_visible()
    aero.check()
    e_trucks.check()
    page.get_by_label("Low-rolling-resistance tyres").check()

    # Vans only: both options go, unticked, so that they are not sent.
    page.get_by_label("Heavy trucks").uncheck()
    page.get_by_label("Vans").check()
    expect(aero).to_be_hidden()
    expect(e_trucks).to_be_hidden()
    expect(aero).not_to_be_checked()
    expect(e_trucks).not_to_be_checked()
    page.get_by_label("A trial").check()
    page.locator("button[name=navigate][value=next]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/section/digital")
    with server.app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.token == token))
        saved = dict(
            db.session.execute(
                select(Answer.question_id, Answer.value).where(
                    Answer.assessment_id == assessment.id
                )
            ).all()
        )
    assert saved == {"vehicle-types": ["vans"], "measures": ["tyres"], "ev-plan": "trial"}

    # Back on the page, heavy trucks again: the option is offered again, not ticked.
    page.goto(f"{server.url}/a/{token}/section/fleet")
    expect(page.get_by_label("Aerodynamic kits")).to_be_hidden()
    page.get_by_label("Heavy trucks").check()
    expect(page.get_by_label("Aerodynamic kits")).to_be_visible()
    expect(page.get_by_label("Aerodynamic kits")).not_to_be_checked()
    page.close()
