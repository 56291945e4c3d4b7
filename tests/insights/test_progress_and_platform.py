"""Progress along follow-up chains, the platform's table, isolation between clusters and
the number of statements (on SQLite and PostgreSQL; group minimum 3)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import event

from assessor.domain.loading import parse_questionnaire
from assessor.services.insights.figures import Suppressed
from assessor.services.insights.filters import InsightFilters
from assessor.services.insights.report import cluster_report, platform_insights
from assessor.services.questionnaires.versions import store_source
from assessor.storage.db import db
from tests.insights.conftest import DATA, company, make_cluster
from tests.insights.test_report import scores, seven_companies


def older_content() -> str:
    """Version 1 of data/insights.yaml: the TMS question weighed twice, so the systems
    theme (and the digital dimension, and the overall score) are computed otherwise; the
    green dimension alike."""
    text = (DATA / "insights.yaml").read_text().replace("version: 2", "version: 1")
    text = text.replace(
        "        dma: digital-business-strategy\n",
        "        dma: digital-business-strategy\n        weight: 2\n",
    )
    parsed = parse_questionnaire(text, "insights-v1.yaml").questionnaire
    assert parsed is not None
    store_source(parsed, text)
    return parsed.source_sha256


def chains():
    """Six companies; four have a follow-up (F's first on version 1)."""
    north = make_cluster("north")
    v1 = older_content()

    def pair(first: dict, later: dict, **kwargs) -> None:
        before = company(north, first.pop("at"), scores=scores(**first), **kwargs)
        company(north, later.pop("at"), scores=scores(**later), previous=before)

    pair(
        {"at": "2026-01-01", "overall": 5, "dimension_green": 0},
        {"at": "2026-06-01", "overall": 10, "dimension_green": 10},
    )
    pair(
        {"at": "2026-01-02", "overall": 45, "dimension_green": 30},
        {"at": "2026-06-02", "overall": 45, "dimension_green": 40},
    )
    first = company(north, "2026-01-03", scores=scores(overall=60, dimension_green=60))
    middle = company(
        north, "2026-03-03", scores=scores(overall=50, dimension_green=50), previous=first
    )
    company(north, "2026-06-03", scores=scores(overall=55, dimension_green=70), previous=middle)
    pair(
        {"at": "2026-01-04", "overall": 50, "dimension_green": 20},
        {"at": "2026-06-04", "overall": 80, "dimension_green": 50},
        sha256=v1,
        version=1,
    )
    # E's first is not shared: E has no follow-up in the population.
    pair({"at": "2026-01-05", "overall": 20}, {"at": "2026-06-05", "overall": 70}, shared=False)
    db.session.flush()
    company(north, "2026-06-06", scores=scores(overall=95))
    db.session.commit()
    return north


def test_progress_from_the_first_to_the_latest_of_each_company(insights_app: Flask) -> None:
    north = chains()
    report = cluster_report(north, InsightFilters())
    # Each company once, by its latest assessment: A C D F E G.
    assert (report.companies, report.follow_ups) == (6, 4)
    assert report.distributions[0].scored == 6
    assert report.distributions[0].median == 62.5  # 10 45 55 70 80 95
    by_key = {p.key: p for p in report.progress}
    assert list(by_key) == ["overall", "dimension:green", "dimension:digital"]
    # Overall: F's two contents compute it otherwise; A +5, C 0, D -5 (from its first).
    overall = by_key["overall"]
    assert (overall.companies, overall.first_median, overall.latest_median) == (3, 45.0, 45.0)
    assert overall.median_change == 0.0
    assert (overall.improved, overall.declined) == (None, None)  # one each: hidden
    # Green is computed alike in both versions: +10 +10 +10 +30.
    green = by_key["dimension:green"]
    assert (green.companies, green.first_median, green.latest_median) == (4, 25.0, 45.0)
    assert (green.median_change, green.improved, green.declined) == (10.0, 4, 0)
    assert by_key["dimension:digital"].companies == 0

    # From March on, only D's last two are a chain: one follow-up, hidden; the companies
    # are the same six (D's latest is in the period), so no differencing.
    march = cluster_report(north, InsightFilters(since=date(2026, 3, 1)))
    assert (march.suppressed, march.companies, march.follow_ups) == (None, 6, None)
    assert all(p.companies is None or p.companies == 0 for p in march.progress)
    # Version 1 alone: F's first only.
    assert cluster_report(north, InsightFilters(version=1)).companies is None


def test_the_platform_table_and_isolation_between_clusters(insights_app: Flask) -> None:
    north = seven_companies()
    east = make_cluster("east")
    for score in (20, 40, 60):
        company(east, scores=scores(overall=score, dimension_green=score))
    west = make_cluster("west")
    company(west, scores=scores(overall=50))
    db.session.commit()
    south = db.session.query(type(north)).filter_by(slug="south").one()

    # Each cluster's report is about its own companies only.
    assert cluster_report(north, InsightFilters()).companies == 7
    assert cluster_report(east, InsightFilters()).companies == 3
    assert cluster_report(east, InsightFilters()).distributions[0].median == 40.0
    assert cluster_report(south, InsightFilters()).companies == 4
    assert cluster_report(west, InsightFilters()).suppressed is Suppressed.TOO_FEW

    platform = platform_insights(InsightFilters())
    assert (platform.total.cluster_id, platform.total.companies) == (None, 15)
    assert platform.total.distributions[0].scored == 15
    assert platform.total.service_demand == ()
    assert platform.total.unserved == ()
    rows = {row.slug: row for row in platform.clusters}
    # Every cluster but the network, by name (the example clusters have no assessment).
    assert [r.name for r in platform.clusters] == sorted(r.name for r in platform.clusters)
    assert "example-network" not in rows
    assert rows["example-baltic-freight"].companies == 0
    # west (1) is hidden, so the next smallest (east, 3) is too: 15 - 7 - 4 would give it.
    assert {slug: rows[slug].companies for slug in ("north", "south", "east", "west")} == {
        "north": 7,
        "south": 4,
        "east": None,
        "west": None,
    }
    assert rows["north"].medians["overall"] == 55.0
    assert rows["south"].medians == {
        "overall": 99.0,
        "dimension:green": None,
        "dimension:digital": None,
    }
    assert rows["east"].medians == {}
    # size=micro: north's E and south's four. North's one company is hidden; west has none,
    # but unsetting the filter would add its one company: its row is withheld too
    # (rule 5), so that the two hidden cells protect each other.
    micro = platform_insights(InsightFilters(size="micro"))
    assert micro.total.companies == 5
    assert {row.slug: row.companies for row in micro.clusters if row.slug in rows} == {
        **{slug: 0 for slug in rows},
        "north": None,
        "south": 4,
        "east": 0,
        "west": None,
    }


def test_statements_do_not_grow_with_the_companies(insights_app: Flask) -> None:
    north = seven_companies()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()  # as in a request: the cluster and its services read anew
        cluster_report(north, InsightFilters(size="small"))
        small = len(statements)
        for index in range(40):
            company(
                north,
                scores=scores(overall=index),
                profile={"size": "small"},
                actions=[("prepare-efti", "starting")],
            )
        db.session.commit()
        statements.clear()
        db.session.expire_all()
        cluster_report(north, InsightFilters(size="small"))
        assert len(statements) == small, "\n\n".join(s[:150] for s in statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The population's questionnaire, size and contents; counts (two), quartiles, service
    # demand, progress (one without follow-ups, three with); the cluster, its services and
    # the network's; on PostgreSQL two settings (the questionnaire is in memory).
    assert small <= 16, statements
