"""Following companies: shared and adviser-assisted assessments, and their change over time."""

from __future__ import annotations

import re
import subprocess

from flask import Flask
from sqlalchemy import select

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
from tests.conftest import fetch_pdf
from tests.web.helpers import csrf_from


def better(answers: dict) -> dict:
    improved = {section: dict(values) for section, values in answers.items()}
    improved["decarbonisation"]["q-footprint"] = "iso-14083"
    improved["decarbonisation"]["q-target"] = "plan"
    return improved


def test_the_company_list_shows_levels_and_change(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    code = join_code_of(adviser, create_workshop(adviser))
    join_and_finish(app, code, company="Kuljetus Oy", share=True)
    join_and_finish(
        app, code, company="  kuljetus   OY ", share=True, answers=better(QUICK_CHECK_ANSWERS)
    )
    join_and_finish(app, code, company="Silent Oy", share=False)
    page = adviser.get("/advisers/companies").get_data(as_text=True)
    assert "Silent Oy" not in page
    row = re.search(r"<tr>(?:(?!<tr>).)*?kuljetus\s+OY.*?</tr>", page, re.S | re.I).group(0)
    # One column per dimension, in the questionnaire's order, the change under the score.
    header = re.search(r"<thead>.*?</thead>", page, re.S).group(0)
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', header) == [
        "Decarbonisation",
        "Digitalisation",
        "Skills",
        "Assessments",
    ]
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert re.match(r'\d+\s*<span class="change change-up">\+\d+<', cells[0])  # improved
    assert "; " not in row  # no more "Decarbonisation: 34; Digitalisation: 30" string
    assert cells[-1] == "2"  # two assessments of the same company
    assert "<h2" in page
    assert "Twin-transition quick check</h2>" in page
    # The company's name is the link to its latest results.
    link = re.search(r'<a href="(/advisers/assessments/[^"]+)">kuljetus\s+OY</a>', row).group(1)
    result = adviser.get(link).get_data(as_text=True)
    assert "Decarbonisation" in result
    assert "The company's action plan" in result.replace("&#39;", "'")
    assert "Your action plan" not in result
    pdf = fetch_pdf(adviser, link + "/plan.pdf")
    assert pdf.mimetype == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"kuljetus\s+OY", text)  # the plan of the latest one, named as typed


def test_a_one_to_one_assessment_belongs_to_the_cluster(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    page = adviser.get("/advisers/one-to-one").get_data(as_text=True)
    empty = adviser.post(
        "/advisers/one-to-one", data={"csrf_token": csrf_from(page), "company": ""}
    )
    assert empty.status_code == 400
    assert "Give the company&#39;s name" in empty.get_data(as_text=True)
    started = adviser.post(
        "/advisers/one-to-one",
        data={
            "csrf_token": csrf_from(page),
            "company": "Meeting Oy",
            "questionnaire": "quick-check",
            "language": "pl",
        },
    )
    assert started.status_code == 302
    location = started.headers["Location"]
    assert location.startswith("/pl/a/")  # in the language chosen for the meeting
    token = re.search(r"/a/([A-Za-z0-9_-]+)", location).group(1)
    for section, values in QUICK_CHECK_ANSWERS.items():
        url = f"/a/{token}/section/{section}"
        csrf = csrf_from(adviser.get(url).get_data(as_text=True))
        adviser.post(url, data={"csrf_token": csrf, "navigate": "next", **values})
    csrf = csrf_from(adviser.get(f"/a/{token}/review").get_data(as_text=True))
    adviser.post(f"/a/{token}/submit", data={"csrf_token": csrf, "share": "no"})
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.token == token))
        assert assessment.is_adviser_assisted
        assert assessment.cluster.slug == "example-baltic-freight"
        assert assessment.visible_to_cluster  # without the share consent: made with the cluster
    listed = adviser.get("/advisers/companies").get_data(as_text=True)
    assert "Meeting Oy" in listed
    assert "with an adviser" in listed
    other = signed_in_client(app, make_account(app, "bob@example.org", "example-rhine-scheldt"))
    assert "Meeting Oy" not in other.get("/advisers/companies").get_data(as_text=True)


def test_a_shared_follow_up_shows_its_change_to_the_adviser(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    code = join_code_of(adviser, create_workshop(adviser))
    token = join_and_finish(app, code, company="Kuljetus Oy", share=True)
    company = app.test_client()
    csrf = csrf_from(company.get(f"/a/{token}/results").get_data(as_text=True))
    started = company.post(f"/a/{token}/follow-up", data={"csrf_token": csrf})
    follow = re.search(r"/a/([A-Za-z0-9_-]+)", started.headers["Location"]).group(1)
    for section, values in better(QUICK_CHECK_ANSWERS).items():
        url = f"/a/{follow}/section/{section}"
        csrf = csrf_from(company.get(url).get_data(as_text=True))
        company.post(url, data={"csrf_token": csrf, "navigate": "next", **values})
    csrf = csrf_from(company.get(f"/a/{follow}/review").get_data(as_text=True))
    company.post(f"/a/{follow}/submit", data={"csrf_token": csrf, "share": "yes"})

    listing = adviser.get("/advisers/companies").get_data(as_text=True)
    link = re.search(r'<a href="(/advisers/assessments/[^"]+)">Kuljetus Oy</a>', listing).group(1)
    page = adviser.get(link).get_data(as_text=True)
    assert re.search(r'change-up">\+\d+ since the previous assessment<', page)
    assert "compared with the company" in page
