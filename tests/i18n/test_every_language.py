"""A whole flagship assessment in each language: pages, results and PDF speak it."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask

from assessor.domain.languages import LANGUAGES
from assessor.domain.model import Question, Questionnaire, QuestionType
from assessor.domain.scoring import visible_questions
from tests.conftest import PROJECT_ROOT, fetch_pdf
from tests.glyphs import missing_glyphs_in_pdf
from tests.web.helpers import csrf_from

# English sentences that must not be left on a page in another language.
PAGE_SENTINELS = [
    "Keep this link to continue later",
    "Which services does your company provide?",
    "Delete my assessment",
    "Twin-transition check for logistics companies",
]
RESULT_SENTINELS = [
    "Download your action plan (PDF)",
    "Compared with similar companies",
    "Start a follow-up assessment",
    "Quick wins (0–3 months)",
    "Measure the fuel and electricity you use",  # an action title
]
PDF_SENTINELS = ["Appendix: your answers", "Your action plan", "Next steps", "Summary"]


def catalog(language: str) -> Catalog | None:
    if language == "en":
        return None
    path = PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    return read_po(io.BytesIO(path.read_bytes()))


def tr(messages: Catalog | None, text: str, context: str | None = None) -> str:
    """What the catalog says the text is in its language (the text itself for English)."""
    if messages is None:
        return text
    message = messages.get(text, context=context)
    assert message is not None, (context, text)
    assert message.string, (context, text)
    return message.string


def answer(question: Question) -> object:
    """A valid answer that shows as many questions as possible."""
    if question.profile == "activity":
        return [o.id for o in question.options if not o.exclusive]
    scored = [o for o in question.options if not o.exclusive and o.score is not None]
    match question.type:
        case QuestionType.CHOICE:
            return (scored or list(question.options))[0].id
        case QuestionType.MULTI:
            return [(scored or list(question.options))[0].id]
        case QuestionType.SCALE:
            return str(int(question.min))
        case QuestionType.NUMBER:
            return str(int(question.min or 0))
    return "Written in the language test"


def sections_answered(client, questionnaire: Questionnaire, location: str) -> Iterator[str]:
    """Answer page after page from ``location``; yields each page's HTML."""
    answers: dict[str, object] = {}
    for _ in range(len(questionnaire.sections) + 1):
        match = re.search(r"/section/([a-z0-9-]+)", location)
        if match is None:
            return
        html = client.get(location).get_data(as_text=True)
        yield html
        section = questionnaire.sections_by_id[match.group(1)]
        data: dict[str, object] = {"csrf_token": csrf_from(html), "navigate": "next"}
        for question in section.questions:
            if question.id in visible_questions(questionnaire, answers):
                answers[question.id] = data[question.id] = answer(question)
        response = client.post(location, data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        location = response.headers["Location"]
    raise AssertionError("the sections never ended")


def pdf_text(data: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


A4_WIDTH = 595.28  # points
SIDE_MARGIN = 18 / 25.4 * 72  # print.css: 18 mm left and right


def words_off_the_page(data: bytes) -> list[str]:
    """Words that cross the side margins (a column too wide, a word that does not wrap)."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    outside = []
    for x_min, x_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes
    ):
        if float(x_min) < SIDE_MARGIN - 1 or float(x_max) > A4_WIDTH - SIDE_MARGIN + 1:
            outside.append(word)
    return outside


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from assessor import create_app

    folder = tmp_path_factory.mktemp("languages")
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "QUESTIONNAIRES_DIR": str(PROJECT_ROOT / "questionnaires"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'app.sqlite'}",
        }
    )


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_whole_assessment_in_the_language(app: Flask, language: str) -> None:
    messages = catalog(language)
    questionnaire = app.extensions["assessor.questionnaires"].get("logistics-maturity")
    client = app.test_client()
    start = f"/{language}/start?questionnaire=logistics-maturity"
    token = csrf_from(client.get(start).get_data(as_text=True))
    started = client.post(
        f"/{language}/start",
        data={
            "csrf_token": token,
            "questionnaire": "logistics-maturity",
            "cluster": "example-rhine-scheldt",
            "company": "Språk & Co",
        },
    )
    location = client.get(started.headers["Location"]).headers["Location"]
    pages = list(sections_answered(client, questionnaire, location))
    assert len(pages) >= 8

    first = pages[0]
    assert f'<html lang="{language}">' in first
    q = "logistics-maturity:"
    for expected in [
        tr(
            messages, "Which services does your company provide?", q + "questions/p-activities/text"
        ),
        tr(
            messages,
            "Road haulage with our own vehicles",
            q + "questions/p-activities/options/own-fleet/label",
        ),
        tr(messages, "About your company", q + "sections/company/title"),
        tr(messages, "Next"),
        tr(messages, "Keep this link to continue later"),
    ]:
        assert expected in first.replace("&#39;", "'"), expected

    review = client.get(f"/{language}/a/{token_of(location)}/review").get_data(as_text=True)
    submitted = client.post(
        f"/{language}/a/{token_of(location)}/submit",
        data={"csrf_token": csrf_from(review), "share": "no"},
    )
    assert submitted.status_code == 302
    results = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert f'<html lang="{language}">' in results
    for expected in [
        tr(messages, "Your action plan"),
        tr(messages, "Decarbonisation", q + "dimensions/decarbonisation/label"),
        tr(
            messages, "Measure the fuel and electricity you use", q + "actions/measure-energy/title"
        ),
    ]:
        assert expected in results.replace("&#39;", "'"), expected

    pdf = fetch_pdf(
        client, f"/a/{token_of(location)}/plan.pdf"
    )  # no prefix: the assessment's language
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    for expected in [
        tr(messages, "Appendix: your answers"),
        tr(messages, "Your action plan"),
        tr(messages, "Skills", q + "dimensions/skills/label"),
    ]:
        assert " ".join(expected.split()) in text, expected
    assert words_off_the_page(pdf.data) == []
    assert missing_glyphs_in_pdf(pdf.data) == []  # every letter drawn, none a box
    # Dates as the language writes them ("7. Dezember 2026", "7 grudnia 2026").
    submitted_on = format_date(datetime.now(UTC).date(), format="long", locale=language)
    assert " ".join(submitted_on.split()) in text, submitted_on

    if language != "en":
        for sentinel in PAGE_SENTINELS:
            assert all(sentinel not in page for page in pages), sentinel
        for sentinel in RESULT_SENTINELS:
            assert sentinel not in results, sentinel
        for sentinel in PDF_SENTINELS:
            assert sentinel not in text, sentinel


def token_of(location: str) -> str:
    return re.search(r"/a/([A-Za-z0-9_-]+)", location).group(1)
