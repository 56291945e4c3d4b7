"""Follow-ups across questionnaire versions (issue 16): a change is shown only for the scores
both versions compute alike, and the results page, the PDF, the companies list and the
workshop export say the same about the others."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from assessor.services.results import result_view_of
from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.advisers.helpers import (
    QUICK_CHECK_ANSWERS,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import RELEASED_V2, fetch_pdf
from tests.web.helpers import csrf_from

ORIGINAL = (RELEASED_V2 / "quick-check.yaml").read_text(encoding="utf-8")
# Version 3 scores one option of "Measuring energy and emissions" higher; nothing else of
# the scores changed, and a wording change elsewhere must not matter.
INVOICES = '- {id: invoices, label: "Annual totals from invoices", score: 35}'
assert ORIGINAL.count(INVOICES) == 1
assert ORIGINAL.count("version: 2\n") == 1
VERSION_3 = (
    ORIGINAL.replace("version: 2\n", "version: 3\n")
    .replace(INVOICES, INVOICES.replace("score: 35", "score: 60"))
    .replace("text: Has your company calculated", "text: Has your firm calculated")
)

# The same answers, except one better answer in "Electronic documents and data".
BETTER_DOCUMENTS = {section: dict(values) for section, values in QUICK_CHECK_ANSWERS.items()}
BETTER_DOCUMENTS["digitalisation"]["q-efti"] = "scanned"


Versions = tuple[Flask, Callable[[], Flask]]


def on_two_versions(make_app: Callable[..., Flask], folder: Path, database: str) -> Versions:
    """The app on version 2 of the quick check, and a way to restart it on version 3 with
    the same database."""
    folder.mkdir()
    (folder / "quick-check.yaml").write_text(ORIGINAL, encoding="utf-8")
    first = make_app(database=database, questionnaires=folder)
    uri = first.config["SQLALCHEMY_DATABASE_URI"]

    def on_version_3() -> Flask:
        (folder / "quick-check.yaml").write_text(VERSION_3, encoding="utf-8")
        return make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=uri)

    return first, on_version_3


@pytest.fixture(params=["sqlite", "postgresql"])
def versions(
    request: pytest.FixtureRequest, make_app: Callable[..., Flask], tmp_path: Path
) -> Versions:
    return on_two_versions(make_app, tmp_path / "questionnaires", request.param)


def answer_and_submit(client, token: str, answers: dict) -> None:
    for section, values in answers.items():
        url = f"/a/{token}/section/{section}"
        csrf = csrf_from(client.get(url).get_data(as_text=True))
        saved = client.post(url, data={"csrf_token": csrf, "navigate": "next", **values})
        assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    assert (
        client.post(f"/a/{token}/submit", data={"csrf_token": csrf, "share": "yes"}).status_code
        == 302
    )


def theme_item(page: str, label: str) -> str:
    """The results page's list item of a theme, tags and all."""
    found = re.search(rf'<span class="theme-label">{re.escape(label)}</span>(.*?)</li>', page, re.S)
    assert found, label
    return found.group(1)


def collapsed(text: str) -> str:
    return " ".join(text.split())


def test_a_follow_up_on_a_changed_version_compares_only_what_did_not_change(
    versions: Versions,
) -> None:
    first, on_version_3 = versions
    account = make_account(first, "ada@example.org")
    adviser = signed_in_client(first, account)
    code = join_code_of(adviser, create_workshop(adviser))
    earlier = join_and_finish(first, code, company="Kuljetus Oy", share=True)
    join_and_finish(first, code, company="Varasto Oy", share=True)

    second = on_version_3()
    company = second.test_client()
    csrf = csrf_from(company.get(f"/a/{earlier}/results").get_data(as_text=True))
    started = company.post(f"/a/{earlier}/follow-up", data={"csrf_token": csrf})
    follow = re.search(r"/a/([A-Za-z0-9_-]+)", started.headers["Location"]).group(1)
    answer_and_submit(company, follow, BETTER_DOCUMENTS)

    # The results page: no "+N" where the scoring changed, and why; the others as usual.
    page = company.get(f"/a/{follow}/results").get_data(as_text=True)
    text = collapsed(re.sub(r"<[^>]+>", " ", page))
    assert (
        "The previous assessment was answered on version 2 of the questionnaire, this one on "
        "version 3." in text
    )
    assert (
        "not compared: the overall score; Decarbonisation (Measuring energy and emissions)." in text
    )
    measuring = theme_item(page, "Measuring energy and emissions")
    assert "since last time" not in measuring
    assert "Not compared: the questionnaire changed" in measuring
    # 12.5: one of its two questions went from 0 to 25 (how a half rounds is not the point).
    documents = theme_item(page, "Electronic documents and data")
    assert re.search(r"\+1[23] since last time", documents)
    assert "+0 since last time" in theme_item(page, "Reducing emissions")  # same answers
    overall = page[page.index('id="overall-title"') : page.index('class="cards dimensions"')]
    assert "since last time" not in overall
    assert "Not compared" in overall
    # The table of every theme says it in its change column, and the radar draws no
    # earlier outline for the theme whose scoring changed.
    row = re.search(r"Measuring energy and emissions<span.*?</tr>", page, re.S).group(0)
    assert "questionnaire changed" in row
    assert "questionnaire changed: the previous assessment was answered on another" in text
    with second.test_request_context():
        view = result_view_of(
            db.session.scalar(select(Assessment).where(Assessment.token == follow))
        )
        outline = {item.label: item.previous for g in view.radar_groups for item in g.items}
    assert outline["Measuring energy and emissions"] is None
    assert outline["Reducing emissions"] is not None
    assert "Previous assessment (" in page  # in the legend: the other themes have one

    # The companies list: the same, in short, with the versions and a legend line.
    adviser = signed_in_client(second, account)
    listing = adviser.get("/advisers/companies").get_data(as_text=True)
    kuljetus = re.search(r"Kuljetus Oy</a>.*?</tr>", listing, re.S).group(0)
    cells = re.findall(r'<td class="num">(.*?)</td>', kuljetus, re.S)
    decarbonisation, digitalisation, skills = cells[:3]
    assert "questionnaire changed" in decarbonisation
    assert "+" not in decarbonisation
    assert re.search(r'change-up">\+6<', digitalisation)
    assert "±0" in skills
    assert "version 3; the previous one: version 2" in kuljetus
    assert "computed this score differently, so no change is shown" in listing

    # The company's page for the adviser.
    link = re.search(r'<a href="(/advisers/assessments/[^"]+)">Kuljetus Oy</a>', listing).group(1)
    one = collapsed(re.sub(r"<[^>]+>", " ", adviser.get(link).get_data(as_text=True)))
    assert "version 2 of the questionnaire, this one on version 3" in one
    assert "Not compared: the questionnaire changed" in one
    assert "+6 since the previous assessment" in one

    # A workshop on version 3: the export's changes agree with the companies list.
    workshop = create_workshop(adviser, "Second round")
    join_and_finish(second, join_code_of(adviser, workshop), "Varasto Oy", True, BETTER_DOCUMENTS)
    exported = adviser.get(f"/advisers/workshops/{workshop}/export.csv").data.decode("utf-8-sig")
    codes, labels, row = list(csv.reader(io.StringIO(exported)))
    cell = dict(zip(codes, row, strict=True))
    assert (cell["version"], cell["previous:version"]) == ("3", "2")
    assert cell["change:decarbonisation"] == cell["change:overall"] == ""
    assert cell["change:decarbonisation:measurement"] == ""
    assert cell["change:decarbonisation:reduction"] == "0.0"
    assert cell["change:digitalisation:documents-data"] == "12.5"
    assert cell["not_compared"] == "overall;decarbonisation;decarbonisation:measurement"
    assert cell["not_compared:label"] == (
        "The questionnaire changed between version 2 and version 3; not compared: the overall "
        "score; Decarbonisation (Measuring energy and emissions)."
    )
    listing = adviser.get("/advisers/companies").get_data(as_text=True)
    varasto = re.search(r"Varasto Oy</a>.*?</tr>", listing, re.S).group(0)
    listed = re.search(r'change-up">\+(\d+)<', varasto).group(1)
    assert round(float(cell["change:digitalisation"])) == int(listed)
    workbook = load_workbook(
        io.BytesIO(adviser.get(f"/advisers/workshops/{workshop}/export.xlsx").data)
    )
    sheet = [[c.value for c in r] for r in workbook.active.iter_rows()]
    xlsx = dict(zip(sheet[0], sheet[2], strict=True))
    assert xlsx["change:digitalisation"] == float(cell["change:digitalisation"])
    assert xlsx["change:decarbonisation"] is None  # an empty cell, as in the CSV
    assert xlsx["not_compared:label"] == cell["not_compared:label"]


def test_the_plan_says_it_too(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    # The PDF reads the view data the page reads: one database is enough for its text.
    first, on_version_3 = on_two_versions(make_app, tmp_path / "questionnaires", "sqlite")
    adviser = signed_in_client(first, make_account(first, "ada@example.org"))
    earlier = join_and_finish(first, join_code_of(adviser, create_workshop(adviser)), "K Oy", True)
    company = on_version_3().test_client()
    csrf = csrf_from(company.get(f"/a/{earlier}/results").get_data(as_text=True))
    started = company.post(f"/a/{earlier}/follow-up", data={"csrf_token": csrf})
    follow = re.search(r"/a/([A-Za-z0-9_-]+)", started.headers["Location"]).group(1)
    answer_and_submit(company, follow, BETTER_DOCUMENTS)
    response = fetch_pdf(company, f"/a/{follow}/plan.pdf")
    assert response.status_code == 200
    text = collapsed(
        subprocess.run(
            ["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True
        ).stdout.decode()
    )
    assert "answered on version 2 of the questionnaire, this one on version 3" in text
    assert "Decarbonisation (Measuring energy and emissions)" in text
    assert "Not compared: the questionnaire changed" in text
    assert "which computed this score differently, so no change is shown." in text
    assert re.search(r"\+1[23]\b", text)  # the theme whose scoring did not change
