"""The report over assessments answered and submitted as respondents do (the facets a
submission writes today: profile, scores, triggered actions)."""

from __future__ import annotations

from flask import Flask

from assessor.services.assessments import (
    delete_assessment,
    save_answers,
    set_sharing,
    start_assessment,
    submit,
)
from assessor.services.insights.filters import InsightFilters
from assessor.services.insights.report import cluster_report, platform_insights
from assessor.storage.models import Assessment
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
