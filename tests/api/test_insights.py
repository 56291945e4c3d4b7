"""GET /api/v1/insights: the cluster's report as JSON (codes; hidden figures null), for
the token's cluster only; bad filters answered 400 with a message per field."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from assessor.services.insights import report as insights_report
from assessor.services.insights.figures import (
    ActionCount,
    Breakdown,
    CountRow,
    Distribution,
    InsightsReport,
    ServiceDemand,
    ServiceSource,
    Suppressed,
    UnservedAction,
)
from assessor.services.insights.filters import InsightFilters
from assessor.storage.models import Cluster
from tests.api.helpers import BALTIC, IBERIAN, api, new_token


def _report(cluster: Cluster, filters: InsightFilters) -> InsightsReport:
    """By hand: what the insights service answers (its own tests check the figures)."""
    if filters.activity == "rail":
        return InsightsReport(
            cluster.id, filters, "quick-check", (2,), 5, None, Suppressed.DIFFERENCING, "activity"
        )
    return InsightsReport(
        cluster_id=cluster.id,
        filters=filters,
        questionnaire_id="quick-check",
        versions=(2, 3),
        minimum=5,
        companies=12,
        breakdowns=(
            Breakdown("size", (CountRow("small", 7, 7 / 12), CountRow("large", None)), 12),
        ),
        distributions=(
            Distribution("overall", 12, (CountRow("beginner", 6, 0.5),), 41.5, 30.0, None),
        ),
        focus_actions=(ActionCount("a-footprint", 9, 0.75),),
        service_demand=(ServiceDemand(f"service-of-{cluster.slug}", 8, 8 / 12),),
        unserved=(UnservedAction("a-efti", ServiceSource.NETWORK, None, None),),
    )


@pytest.fixture
def by_hand(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, InsightFilters]]:
    asked: list[tuple[str, InsightFilters]] = []

    def report(cluster: Cluster, filters: InsightFilters) -> InsightsReport:
        asked.append((cluster.slug, filters))
        return _report(cluster, filters)

    monkeypatch.setattr(insights_report, "cluster_report", report)
    return asked


def test_the_report_as_json(app: Flask, by_hand) -> None:
    token = new_token(app)
    response = api(
        app.test_client(),
        "/insights?since=2026-01-01&questionnaire_id=quick-check&size=small",
        token,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert by_hand == [
        (
            BALTIC,
            InsightFilters(since=date(2026, 1, 1), questionnaire_id="quick-check", size="small"),
        )
    ]
    body = response.get_json()
    assert body["shown"] is True
    assert body["companies"] == 12
    assert body["minimum"] == 5
    assert body["filters"]["since"] == "2026-01-01"
    assert body["filters"]["until"] is None
    assert body["versions"] == [2, 3]
    assert body["breakdowns"][0]["rows"][1] == {"key": "large", "count": None, "share": None}
    overall = body["distributions"][0]
    assert (overall["median"], overall["upper_quartile"]) == (41.5, None)
    assert body["focus_actions"] == [{"action_id": "a-footprint", "count": 9, "share": 0.75}]
    assert body["unserved"][0]["source"] == "network"
    assert body["unserved"][0]["count"] is None
    assert body["suppressed"] is None


def test_a_suppressed_report_says_why(app: Flask, by_hand) -> None:
    body = api(app.test_client(), "/insights?activity=rail", new_token(app)).get_json()
    assert body["shown"] is False
    assert body["companies"] is None
    assert (body["suppressed"], body["suppressed_by"]) == ("differencing", "activity")


def test_bad_filters_are_answered_with_a_message_each(app: Flask, by_hand) -> None:
    response = api(
        app.test_client(),
        "/insights?since=yesterday&until=9999-12-31&version=two&country=" + "x" * 121,
        new_token(app),
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid-parameters"
    assert set(error["fields"]) == {"since", "until", "version", "country"}
    assert error["fields"]["since"] == "Enter a date as YYYY-MM-DD."
    # A period's end is the start of the day after: the last day there is has none.
    assert error["fields"]["until"] == "Enter a date between 1900 and 2999."
    assert by_hand == []  # nothing computed


def test_each_token_gets_its_own_clusters_report(any_app: Flask, by_hand) -> None:
    client = any_app.test_client()
    ours = api(client, "/insights", new_token(any_app, BALTIC)).get_json()
    theirs = api(client, "/insights", new_token(any_app, IBERIAN)).get_json()
    assert [slug for slug, _ in by_hand] == [BALTIC, IBERIAN]
    assert ours["service_demand"][0]["service_key"] == f"service-of-{BALTIC}"
    assert theirs["service_demand"][0]["service_key"] == f"service-of-{IBERIAN}"
    assert "cluster_id" not in ours
    assert api(client, "/insights", None).status_code == 401
    assert len(by_hand) == 2
