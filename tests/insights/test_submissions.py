"""The report over assessments answered and submitted as respondents do (the facets a
submission writes today: profile, scores, triggered actions)."""

from __future__ import annotations

import io
import subprocess

from flask import Flask
from openpyxl import load_workbook

from assessor.services.api_tokens import create_token
from assessor.services.assessments import (
    delete_assessment,
    save_answers,
    set_sharing,
    start_assessment,
    submit,
)
from assessor.services.insights.exports.sheets import VIEWS
from assessor.services.insights.filters import InsightFilters
from assessor.services.insights.report import cluster_report, platform_insights
from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.advisers.helpers import make_account, signed_in_client
from tests.insights.conftest import make_cluster, questionnaire


def test_a_report_over_real_submissions(insights_app: Flask) -> None:
    north = make_cluster("north", [("svc-efti", ["efti"], [])])
    answers = [
        # energy, fleet, eFTI, TMS -> overall
        ("none", "old", "paper", "no"),  # 0: every action
        ("some", "mixed", "planning", "yes"),  # energy 50, fleet 50, systems 75
        ("all", "new", "planning", "yes"),  # green 100, systems 75: 87.5
        ("all", "new", "ready", "yes"),  # not shared: in no figure
    ]
    for index, (energy, fleet, efti, tms) in enumerate(answers):
        assessment = start_assessment(questionnaire(), north, "en", f"Company {index}")
        save_answers(
            assessment,
            {
                "activities": ("road",),
                "size": "small" if index else "micro",
                "country": "fi",
                "energy-data": energy,
                "fleet-age": fleet,
                "efti": efti,
                "tms": tms,
            },
        )
        submit(assessment)
        set_sharing(assessment, index < 3)

    report = cluster_report(north, InsightFilters())
    assert report.companies == 3
    size = next(b for b in report.breakdowns if b.key == "size")
    # micro 1 is hidden, and so is small (2), or 3 - 2 would give it.
    assert [(r.key, r.count) for r in size.rows] == [
        ("micro", None),
        ("small", None),
        ("medium", 0),
    ]
    overall = report.distributions[0]
    assert (overall.scored, overall.median) == (3, 62.5)  # 0, (50 + 75) / 2, 87.5
    energy = next(d for d in report.distributions if d.key == "theme:energy")
    assert (energy.lower_quartile, energy.median, energy.upper_quartile) == (25.0, 50.0, 75.0)
    (demand,) = report.service_demand
    assert (demand.service_key, demand.count, demand.share) == ("svc-efti", 3, 1.0)
    # Digital below 100 and eFTI on paper or planned: all three; energy below 50: the
    # first; fleet below 70: the first two.
    assert [(a.action_id, a.count) for a in report.triggered_actions] == [
        ("prepare-efti", 3),
        ("no-one-helps", 3),
        ("measure-energy", None),
        ("renew-fleet", None),
    ]


def test_the_platform_view_is_kept_until_an_assessment_enters_or_leaves(
    insights_app: Flask,
) -> None:
    """Over every company it takes seconds: kept, but never past a change to the figures."""
    north = make_cluster("north")

    def submitted(index: int, shared: bool = True) -> Assessment:
        assessment = start_assessment(questionnaire(), north, "en", f"Company {index}")
        save_answers(
            assessment,
            {
                "activities": ("road",),
                "size": "small",
                "country": "fi",
                "energy-data": "some",
                "fleet-age": "new",
                "efti": "paper",
                "tms": "yes",
            },
        )
        submit(assessment)
        set_sharing(assessment, shared)
        return assessment

    companies = [submitted(index) for index in range(5)]
    first = platform_insights(InsightFilters())
    assert first.total.companies == 5
    assert platform_insights(InsightFilters()) is first  # kept
    late = submitted(5, shared=False)
    assert platform_insights(InsightFilters()) is not first  # a submission: computed again
    assert platform_insights(InsightFilters()).total.companies == 5  # not shared: not in it
    set_sharing(late, True)
    assert platform_insights(InsightFilters()).total.companies == 6
    set_sharing(companies[0], False)
    assert platform_insights(InsightFilters()).total.companies == 5
    delete_assessment(companies[1])
    assert platform_insights(InsightFilters()).total.companies == 4


def test_the_page_the_workbook_and_the_api_show_the_same_real_figures(
    insights_app: Flask,
) -> None:
    """No figure monkeypatched: three companies answer, share, and their cluster's adviser
    reads the same counts on the page, in the workbook and through the API."""
    north = make_cluster("north", [("svc-efti", ["efti"], [])])
    for index, efti in enumerate(("paper", "planning", "paper")):
        assessment = start_assessment(questionnaire(), north, "en", f"Company {index}")
        save_answers(
            assessment,
            {
                "activities": ("road",),
                "size": "small",
                "country": "fi",
                "energy-data": "some",
                "fleet-age": "new",
                "efti": efti,
                "tms": "yes",
            },
        )
        submit(assessment)
        set_sharing(assessment, True)
    db.session.commit()
    adviser = signed_in_client(insights_app, make_account(insights_app, "ada@example.org", "north"))
    page = adviser.get("/advisers/cluster/insights")
    assert page.status_code == 200
    text = " ".join(page.get_data(as_text=True).split())
    assert "svc-efti" in text  # service demand: the cluster's one service
    assert "No company: Micro; Medium." in text  # every company is small: one line
    pdf = adviser.get("/advisers/cluster/insights/report.pdf")
    assert pdf.status_code == 200
    read = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf.data, capture_output=True, check=True
    )
    assert "No company: Micro; Medium." in " ".join(read.stdout.decode().split())
    book = load_workbook(io.BytesIO(adviser.get("/advisers/cluster/insights/export.xlsx").data))
    sheet = book.worksheets[VIEWS.index("services")]  # titled in the reader's language
    columns = [cell.value for cell in sheet[1]]  # row 1: the codes of the columns
    rows = [
        dict(zip(columns, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=3)
    ]
    assert [(row["service"], row["plans"]) for row in rows] == [("svc-efti", 3)], rows
    _, token = create_token(north, "CRM", None)
    api = insights_app.test_client().get(
        "/api/v1/insights", headers={"Authorization": f"Bearer {token}"}
    )
    demand = api.get_json()["service_demand"]
    assert [(d["service_key"], d["count"]) for d in demand] == [("svc-efti", 3)]
