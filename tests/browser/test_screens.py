"""The main screens in Chromium with real data, the example companies of tests/personas/:
a section of the self-assessment (laptop and phone), the results, the PDF plan, the
projector of a workshop whose room has finished, and the workshop's summary PDF. Each
screen is checked for what stays true whatever its design: its heading, its data, no
horizontal scrolling, the PDF's first page naming the company.

With ASSESSOR_SCREENS_DIR set (scripts/screens sets it), each step also saves its picture
there: the README's gallery, made from what these tests saw so that it stays true.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, expect

from assessor.services import assessments
from assessor.services import workshops as workshop_service
from assessor.services.accounts import user_by_email
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Workshop
from tests.advisers.helpers import PASSWORD, make_account
from tests.browser.conftest import LiveServer
from tests.conftest import SHIPPED, wait_for_jobs
from tests.domain.test_personas import PERSONAS, answers_of
from tests.web.helpers import csrf_from

SCREENS_VARIABLE = "ASSESSOR_SCREENS_DIR"
# Pictures for a README: one CSS pixel per pixel, PNGs of a few hundred kilobytes at most.
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}
PROJECTOR = {"width": 1920, "height": 1080}
PDF_RESOLUTION = 70  # dots per inch: an A4 page about 580 pixels wide
# Long pages are cut: their top tells what they are like, and a README shows them small.
TALLEST = {"laptop": 1800, "phone": 1400}

# A German family haulier, 120 staff, 40 trucks: the company whose results are shown.
COMPANY_PERSONA = "haulier-40"
COMPANY_NAME = "Brandt Transporte GmbH"
FLAGSHIP = "logistics-maturity"
QUICK_CHECK = "quick-check"
SECTION = "energy-emissions"  # the first section of the flagship after the company profile
# The room of the workshop: four companies on their phones.
ROOM = {
    "micro-haulier": "Wisła Trans",
    "forwarder": "Maas Forwarding",
    "warehouse": "Schelde Warehousing",
    "mixed": "Vltava Logistics",
}
STILL_ANSWERING = "customs-broker"
WORKSHOP_TITLE = "Twin transition morning"
JOIN_CODE = "TWN24K"
# The address a deployed site has: links to copy and the projector's join address show it
# instead of the test server's loopback port.
PUBLIC_URL = "https://assess.cluster.example"


@pytest.fixture
def screens() -> Path | None:
    """Where pictures go (ASSESSOR_SCREENS_DIR), or None: then nothing is saved."""
    folder = os.environ.get(SCREENS_VARIABLE)
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_screen(screens: Path | None, page: Page, name: str, tallest: int | None = None) -> None:
    """The page as a PNG in ``screens`` (when set): from its top down to ``tallest`` pixels
    (or its end), or only what the window shows when ``tallest`` is None."""
    if screens is None:
        return
    options: dict[str, Any] = {"animations": "disabled", "caret": "hide", "scale": "css"}
    if tallest is not None:
        width, height = page.evaluate(
            "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
        )
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, tallest)}
        options.update(full_page=True, clip=clip)
    path = screens / f"{name}.png"
    page.screenshot(path=path, **options)
    compact(path)


def save_pdf_page(screens: Path | None, pdf: bytes, number: int, name: str) -> None:
    """Page ``number`` of the PDF as a PNG in ``screens`` (when set), drawn by pdftoppm."""
    if screens is None:
        return
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        stem = Path(work) / "page"
        command = ["pdftoppm", "-png", "-r", str(PDF_RESOLUTION), "-f", str(number)]
        command += ["-l", str(number), "-singlefile", str(source), str(stem)]
        subprocess.run(command, check=True, capture_output=True)
        path = screens / f"{name}.png"
        path.write_bytes(stem.with_suffix(".png").read_bytes())
    compact(path)


def compact(path: Path) -> None:
    """The PNG in 256 colours, about a third of its size: screens of flat colours and
    text lose nothing visible, and the repository stays small."""
    from PIL import Image

    with Image.open(path) as picture:
        palette = picture.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext ends each with a form feed), blanks folded."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    assert text.returncode == 0, text.stderr.decode()
    return [re.sub(r"\s+", " ", page) for page in text.stdout.decode().split("\f")[:-1]]


def fetch_pdf(page: Page, url: str) -> bytes:
    """A PDF through the browser's own session: the first answer may send to the page that
    follows the render; once the app's worker has rendered it, the PDF itself."""
    response = page.request.get(url, max_redirects=0)
    if response.status == 303:
        wait_for_jobs()
        response = page.request.get(url, max_redirects=0)
    assert response.status == 200, f"{url}: {response.status}"
    assert response.headers["content-type"].startswith("application/pdf")
    return response.body()


def shown_text(page: Page, text: str) -> Locator:
    """The first element showing ``text`` that is visible (a chart may also hold it hidden)."""
    return page.get_by_text(text).filter(visible=True).first


def assert_no_horizontal_overflow(page: Page) -> None:
    """Nothing on the page is wider than the window: it never scrolls sideways."""
    width, scroll_width = page.evaluate(
        "[document.documentElement.clientWidth, document.documentElement.scrollWidth]"
    )
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width} > {width} px"


def answered(
    app: Flask, persona: str, questionnaire_id: str, company: str, workshop: Workshop | None = None
) -> str:
    """An assessment answered as the example company ``persona`` would, not yet submitted;
    its token. Joined to ``workshop`` when given."""
    with app.app_context():
        questionnaire = app.extensions["assessor.questionnaires"].get(questionnaire_id)
        if workshop is not None:
            assessment = workshop_service.join(db.session.merge(workshop), "en", company)
        else:
            cluster = cluster_by_slug(PERSONAS[persona]["cluster"])
            assessment = assessments.start_assessment(questionnaire, cluster, "en", company)
        # Through JSON as the browser's answers come: numbers and lists as a form sends them.
        raw = json.loads(json.dumps(answers_of(persona, questionnaire_id)))
        assessments.save_answers(assessment, raw)
        return assessment.token


def submit_through_the_web(app: Flask, token: str, share: bool = False) -> None:
    """Submit from the review page as a browser does (the view admits a workshop's
    participant to the room's figures and files the result)."""
    client = app.test_client()
    review = client.get(f"/a/{token}/review").get_data(as_text=True)
    data = {"csrf_token": csrf_from(review), "share": "yes" if share else "no"}
    response = client.post(f"/a/{token}/submit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert response.headers["Location"].endswith("/results")


@pytest.fixture
def company_app(live_server: Callable[..., LiveServer]) -> LiveServer:
    """The shipped questionnaires and example clusters, where every example company has
    answered the flagship: the company of the pictures has peers to compare with."""
    server = live_server(questionnaires=SHIPPED, PUBLIC_URL=PUBLIC_URL)
    app = server.server.app
    for persona in PERSONAS:
        if persona != COMPANY_PERSONA:
            token = answered(app, persona, FLAGSHIP, persona.replace("-", " ").title())
            submit_through_the_web(app, token, share=True)
    return server


def test_a_section_of_the_self_assessment(
    browser: Browser, live_server: Callable[..., LiveServer], screens: Path | None
) -> None:
    """The second section of the flagship, on a laptop and on a phone: the section's title,
    its questions with the company's answers chosen, nothing wider than the screen."""
    server = live_server(questionnaires=SHIPPED, PUBLIC_URL=PUBLIC_URL)
    app = server.server.app
    with app.app_context():
        questionnaire = app.extensions["assessor.questionnaires"].get(FLAGSHIP)
        cluster = cluster_by_slug(PERSONAS[COMPANY_PERSONA]["cluster"])
        assessment = assessments.start_assessment(questionnaire, cluster, "en", COMPANY_NAME)
        # The company profile and this section answered, as the company would.
        answers = answers_of(COMPANY_PERSONA, FLAGSHIP)
        asked = {
            question.id
            for section_id in ("company", SECTION)
            for question in questionnaire.sections_by_id[section_id].questions
        }
        assessments.save_answers(assessment, {k: v for k, v in answers.items() if k in asked})
        token = assessment.token
        section = questionnaire.sections_by_id[SECTION]
    url = f"{server.url}/a/{token}/section/{SECTION}"

    for device, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(url)
        expect(page.get_by_role("heading", level=1, name=section.title)).to_be_visible()
        shown = page.locator("[data-question]")
        expect(shown.first).to_be_visible()
        assert shown.count() >= 3, "the section shows its questions"
        # The company's answers are there: at least one chosen option on the page.
        assert page.locator("[data-question] input:checked").count() >= 1
        assert_no_horizontal_overflow(page)
        save_screen(screens, page, f"self-assessment-{device}", TALLEST[device])
        context.close()


def test_the_results_and_the_pdf_plan(
    browser: Browser, company_app: LiveServer, screens: Path | None
) -> None:
    """Submitted from the review page: the results name the company and show each
    dimension; the plan downloaded from there names the company on its cover, speaks of
    each dimension and ends with the answers."""
    token = answered(company_app.server.app, COMPANY_PERSONA, FLAGSHIP, COMPANY_NAME)
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{company_app.url}/a/{token}/review")
    page.get_by_role("button", name=re.compile("submit", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/results$"))
    company_heading = re.compile(re.escape(COMPANY_NAME))
    expect(page.get_by_role("heading", level=1, name=company_heading)).to_be_visible()
    with company_app.server.app.app_context():
        questionnaire = company_app.server.app.extensions["assessor.questionnaires"].get(FLAGSHIP)
        dimensions = [dimension.label for dimension in questionnaire.dimensions]
    for title in dimensions:  # each dimension's score is on the page
        expect(shown_text(page, title)).to_be_visible()
    assert_no_horizontal_overflow(page)
    save_screen(screens, page, "results-laptop", TALLEST["laptop"])

    plan_link = page.get_by_role("link", name=re.compile(r"plan.*PDF", re.IGNORECASE))
    pdf = fetch_pdf(page, urljoin(page.url, plan_link.first.get_attribute("href")))
    context.close()
    pages = pdf_pages(pdf)
    assert COMPANY_NAME in pages[0], "the cover names the company"
    for title in dimensions:
        assert title in " ".join(pages[1:]), f"the plan speaks of {title}"
    # The answers close the plan, under their questions (issue 15, finding 1).
    appendix = next(n for n, text in enumerate(pages, 1) if n > 1 and "Appendix" in text)
    save_pdf_page(screens, pdf, 1, "plan-pdf-cover")
    save_pdf_page(screens, pdf, 2, "plan-pdf-summary")
    save_pdf_page(screens, pdf, appendix, "plan-pdf-answers")


def signed_in_adviser(browser: Browser, url: str, email: str, viewport: dict[str, int]) -> Page:
    """A new browser of the adviser ``email``, signed in through the sign-in form."""
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(url + "/advisers/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url, "signed in"
    return page


def test_the_projector_and_the_workshop_summary(
    browser: Browser, live_server: Callable[..., LiveServer], screens: Path | None
) -> None:
    """A room of five, four finished: the projector at 1920x1080 shows the workshop and the
    room's results per dimension; the summary PDF's first page names the workshop and the
    cluster."""
    server = live_server(questionnaires=SHIPPED, PUBLIC_URL=PUBLIC_URL)
    app = server.server.app
    account = make_account(app, "ada@example.org")  # of the Baltic Freight cluster
    with app.app_context():
        adviser = user_by_email(account.email)
        workshop = workshop_service.create_workshop(
            adviser.cluster, adviser, WORKSHOP_TITLE, date.today(), QUICK_CHECK, "en"
        )
        workshop.join_code = JOIN_CODE  # the same picture on every run
        db.session.commit()
        workshop_id = workshop.public_id
        cluster_name = workshop.cluster.name
        dimensions = [d.label for d in workshop_service.questionnaire_of(workshop).dimensions]
    for number, (persona, company) in enumerate(ROOM.items()):
        token = answered(app, persona, QUICK_CHECK, company, workshop)
        # One shares the result with the cluster; the other three enter the room's figures
        # as a group of the minimum size (WORKSHOP_GROUP_MINIMUM, 3).
        submit_through_the_web(app, token, share=number == 0)
    answered(app, STILL_ANSWERING, QUICK_CHECK, "", workshop)  # joined, not finished yet

    page = signed_in_adviser(browser, server.url, account.email, PROJECTOR)
    page.goto(f"{server.url}/advisers/workshops/{workshop_id}/projector")
    expect(page.get_by_role("heading", name=WORKSHOP_TITLE)).to_be_visible()
    for title in dimensions:  # the room's results, dimension by dimension
        expect(shown_text(page, title)).to_be_visible()
    assert_no_horizontal_overflow(page)
    save_screen(screens, page, "projector-1920x1080")  # what the room sees

    pdf = fetch_pdf(page, f"{server.url}/advisers/workshops/{workshop_id}/summary.pdf")
    page.context.close()
    pages = pdf_pages(pdf)
    assert WORKSHOP_TITLE in pages[0]
    assert cluster_name in pages[0], "the summary names the cluster"
    save_pdf_page(screens, pdf, 1, "workshop-summary-pdf")
