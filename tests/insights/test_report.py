"""Every figure of a cluster's report against a hand computation on seven companies, with
the group minimum at 3 (see conftest.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

from flask import Flask
from sqlalchemy import select

from assessor.services.insights.figures import (
    CountRow,
    ServiceSource,
    Suppressed,
)
from assessor.services.insights.filters import InsightFilters
from assessor.services.insights.report import (
    cluster_report,
    questionnaires_answered,
    report_questionnaire,
)
from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.insights.conftest import (
    company,
    make_cluster,
    overall,
    questionnaire,
    set_network_services,
)

S, D, L = "starting", "developing", "leading"


def level(score: float | None) -> str | None:
    if score is None:
        return None
    return L if score >= 70 else D if score >= 40 else S


def scores(**values: float | None) -> dict[str, tuple[float | None, str | None]]:
    """overall=10, theme_energy=0, dimension_green=... as score facets."""
    return {
        key.replace("theme_", "theme:").replace("dimension_", "dimension:"): (v, level(v))
        for key, v in values.items()
    }


def seven_companies():
    """The data set of the figures below; returns the cluster."""
    question = questionnaire().questions_by_id["efti"]
    # The ``rule:`` key arrives with the facets work; until then it is set on the content.
    object.__setattr__(question, "rule", "efti")
    north = make_cluster(
        "north",
        [
            ("svc-efti", ["efti", "energy-data"], []),
            ("svc-efti-2", ["efti", "e-documents"], []),
            ("svc-fleet-start", ["fleet-transition"], [S]),
            ("svc-energy", ["energy-data"], [D]),
            ("svc-unused", ["cybersecurity"], []),
        ],
    )
    set_network_services([("net-fleet", ["fleet-transition"], [])])
    rows = {
        # name: profile, overall, energy, fleet, systems, green, actions, focus, dma, ready
        "A": (
            "road",
            "small",
            "fi",
            10,
            0,
            0,
            0,
            0,
            [("measure-energy", S), ("renew-fleet", S), ("prepare-efti", S), ("no-one-helps", S)],
            ["measure-energy", "prepare-efti"],
            {"data-management": 0, "digital-business-strategy": 0},
            "unaware",
        ),
        "B": (
            ["road", "warehouse"],
            "small",
            "fi",
            30,
            0,
            0,
            50,
            0,
            [("measure-energy", S), ("renew-fleet", S), ("prepare-efti", D), ("no-one-helps", D)],
            ["measure-energy", "prepare-efti"],
            {"data-management": 50, "digital-business-strategy": 100},
            "preparing",
        ),
        "C": (
            "road",
            "small",
            "ee",
            45,
            50,
            0,
            50,
            25,
            [("renew-fleet", S), ("prepare-efti", D), ("no-one-helps", D)],
            ["prepare-efti", "renew-fleet"],
            {"data-management": 50},
            "preparing",
        ),
        "D": (
            "warehouse",
            "medium",
            "fi",
            55,
            50,
            50,
            50,
            50,
            [("renew-fleet", D), ("prepare-efti", D), ("no-one-helps", D)],
            ["prepare-efti"],
            {"data-management": 50},
            "preparing",
        ),
        "E": (
            "road",
            "micro",
            "fi",
            70,
            100,
            50,
            50,
            75,
            [("renew-fleet", D), ("no-one-helps", D)],
            ["renew-fleet"],
            {"data-management": 100},
            "ready",
        ),
        "F": (
            "road",
            "small",
            "fi",
            80,
            100,
            100,
            100,
            100,
            [("no-one-helps", L)],
            ["no-one-helps"],
            {"data-management": 100},
            "ready",
        ),
        "G": (
            "warehouse",
            "medium",
            "ee",
            95,
            100,
            None,
            100,
            100,
            [],
            [],
            {"data-management": 100},
            None,
        ),
    }
    for name, (
        activity,
        size,
        country,
        total,
        energy,
        fleet,
        systems,
        green,
        actions,
        focus,
        dma,
        ready,
    ) in rows.items():
        company(
            north,
            f"2026-06-0{ord(name) - ord('A') + 1}",
            profile={"activity": activity, "size": size, "country": country},
            scores=scores(
                overall=total,
                dimension_green=green,
                theme_energy=energy,
                theme_fleet=fleet,
                dimension_digital=systems,
                theme_systems=systems,
            ),
            actions=actions,
            focus=focus,
            dma=dma,
            readiness={"efti": ready} if ready else {},
        )
    # In no figure: not shared, a preview, not submitted, and another cluster's.
    company(north, scores=scores(overall=5), shared=False)
    company(north, scores=scores(overall=5), preview=True)
    company(north, scores=scores(overall=5), done=False)
    south = make_cluster("south")
    for _ in range(4):
        company(south, profile={"size": "micro"}, scores=scores(overall=99))
    db.session.commit()
    return north


def rows(cells: tuple[CountRow, ...]) -> list[tuple[str, int | None]]:
    return [(cell.key, cell.count) for cell in cells]


def test_every_figure_of_a_cluster_report_by_hand(insights_app: Flask) -> None:
    north = seven_companies()
    report = cluster_report(north, InsightFilters())

    assert report.shown
    assert report.suppressed is None
    assert (report.cluster_id, report.questionnaire_id, report.versions) == (
        north.id,
        "insights",
        (2,),
    )
    assert report.filters.questionnaire_id == "insights"
    assert (report.minimum, report.companies) == (3, 7)
    assert report_questionnaire(report).source_sha256 == questionnaire().source_sha256

    # Companies by profile: activity is a multi question (B counts twice); micro (1) and
    # medium (2) are hidden; Estonia (2) is hidden, so Finland is too, or 7 - 5 gives it.
    activity, size, country = report.breakdowns
    assert (activity.key, activity.answered, rows(activity.rows)) == (
        "activity",
        7,
        [("road", 5), ("warehouse", 3)],
    )
    assert activity.rows[0].share == 5 / 7
    assert (size.answered, rows(size.rows)) == (
        7,
        [("micro", None), ("small", 4), ("medium", None)],
    )
    assert [r.share for r in size.rows] == [None, 4 / 7, None]
    assert rows(country.rows) == [("fi", None), ("ee", None)]

    by_key = {d.key: d for d in report.distributions}
    assert list(by_key) == [
        "overall",
        "dimension:green",
        "theme:energy",
        "theme:fleet",
        "dimension:digital",
        "theme:systems",
    ]
    # overall 10 30 45 55 70 80 95: starting 2 and developing 2 hidden, leading 3.
    whole = by_key["overall"]
    assert (whole.scored, rows(whole.levels)) == (7, [(S, None), (D, None), (L, 3)])
    assert whole.levels[2].share == 3 / 7
    # QUARTILE.INC: positions 2.5, 4 and 5.5 of seven.
    assert (whole.lower_quartile, whole.median, whole.upper_quartile) == (37.5, 55.0, 75.0)
    # green 0 0 25 50 75 100 100: developing (1) hidden, then the first of the two
    # smallest others (starting, 3).
    assert rows(by_key["dimension:green"].levels) == [(S, None), (D, None), (L, 3)]
    # fleet: G has no score: six scored, 3 starting; 2 and 1 hidden.
    fleet = by_key["theme:fleet"]
    assert (fleet.scored, rows(fleet.levels)) == (6, [(S, 3), (D, None), (L, None)])
    assert fleet.median == 25.0  # 0 0 0 50 50 100
    # systems 0 50 50 50 50 100 100
    assert rows(by_key["theme:systems"].levels) == [(S, None), (D, 4), (L, None)]

    # Gaps: themes by companies at the first level, most first, hidden ones after.
    assert [(g.key, g.count, g.share) for g in report.gaps] == [
        ("fleet", 3, 0.5),
        ("energy", None, None),
        ("systems", None, None),
    ]

    assert [(a.action_id, a.count) for a in report.triggered_actions] == [
        ("no-one-helps", 6),
        ("renew-fleet", 5),
        ("prepare-efti", 4),
        ("measure-energy", None),
    ]
    assert report.triggered_actions[0].share == 6 / 7
    assert [(a.action_id, a.count) for a in report.focus_actions] == [
        ("prepare-efti", 4),
        ("measure-energy", None),
        ("renew-fleet", None),
        ("no-one-helps", None),
    ]

    # svc-efti lists prepare-efti and measure-energy: A and B count once each.
    assert [(s.service_key, s.count) for s in report.service_demand] == [
        ("svc-efti", 4),
        ("svc-efti-2", 4),
        ("svc-fleet-start", 3),
        ("svc-energy", 0),
        ("svc-unused", 0),
    ]
    assert report.service_demand[0].share == 4 / 7
    # renew-fleet about "developing" (D, E) only the network serves; no-one-helps nobody.
    assert [(u.action_id, u.source, u.count) for u in report.unserved] == [
        ("no-one-helps", ServiceSource.NONE, 6),
        ("renew-fleet", ServiceSource.NETWORK, None),
    ]

    # Readiness: G gave no applicable answer; ready 2 and unaware 1 hidden.
    (efti,) = report.readiness
    assert (efti.reference_id, efti.question_id, efti.answered) == ("efti", "efti", 6)
    assert [(c.key, c.count) for c in efti.states] == [
        ("ready", None),
        ("preparing", 3),
        ("unaware", None),
        ("unknown", 0),
    ]
    assert efti.states[1].share == 0.5

    # DMA: the six dimensions in order; data-management 0 50 50 50 100 100 100.
    assert [d.dimension for d in report.dma][:2] == [
        "digital-business-strategy",
        "digital-readiness",
    ]
    dma = {d.dimension: d for d in report.dma}
    assert astuple(dma["data-management"])[1:] == (1, 7, 50.0, 50.0, 100.0)
    assert astuple(dma["digital-business-strategy"])[1:] == (1, None, None, None, None)
    assert astuple(dma["automation-ai"])[1:] == (0, 0, None, None, None)

    # No follow-up in this data set.
    assert report.follow_ups == 0
    assert all(p.companies == 0 and p.median_change is None for p in report.progress)

    assert questionnaires_answered(north) == [("insights", (2,))]


def test_filters_and_differencing(insights_app: Flask) -> None:
    north = seven_companies()
    # size=small: 4 companies, 3 more without the filter (the minimum): shown.
    small = cluster_report(north, InsightFilters(size="small"))
    assert (small.suppressed, small.companies) == (None, 4)
    assert [(d.key, d.scored, d.median) for d in small.distributions[:1]] == [
        ("overall", 4, 37.5)  # A B C F: 10 30 45 80
    ]
    # activity=road: 5 companies, but 2 more without it: those 2 would be the difference.
    road = cluster_report(north, InsightFilters(activity="road"))
    assert (road.suppressed, road.suppressed_by) == (Suppressed.DIFFERENCING, "activity")
    assert road.companies is None
    assert road.distributions == ()
    assert road.breakdowns == ()
    # A period includes both its days: A to D were submitted 1 to 4 June.
    until = cluster_report(north, InsightFilters(until=date(2026, 6, 4)))
    assert (until.suppressed, until.companies) == (None, 4)
    since = cluster_report(north, InsightFilters(since=date(2026, 6, 3)))
    assert (since.suppressed, since.suppressed_by) == (Suppressed.DIFFERENCING, "since")
    # Two filters: each one unset in turn must add 0 or at least 3 companies.
    both = cluster_report(north, InsightFilters(size="small", until=date(2026, 6, 4)))
    # small and until 4 June: A B C (3); without until: A B C F (1 more).
    assert (both.suppressed, both.suppressed_by) == (Suppressed.DIFFERENCING, "until")
    # Too few: Estonia has two companies; nothing at all is shown of them.
    estonia = cluster_report(north, InsightFilters(country="ee"))
    assert (estonia.suppressed, estonia.companies, estonia.distributions) == (
        Suppressed.TOO_FEW,
        None,
        (),
    )
    # No micro company in Estonia: the zero would tell that Estonia's two are not micro
    # (and that E is not in Estonia). The first filter that would reveal is named.
    nobody = cluster_report(north, InsightFilters(size="micro", country="ee"))
    assert (nobody.suppressed, nobody.suppressed_by, nobody.companies) == (
        Suppressed.DIFFERENCING,
        "size",
        None,
    )
    # Nobody: a count of zero is no company's.
    for nobody in (InsightFilters(questionnaire_id="unknown"), InsightFilters(version=1)):
        report = cluster_report(north, nobody)
        assert (report.suppressed, report.companies, report.shown) == (Suppressed.TOO_FEW, 0, False)
    # The filters are kept, with the questionnaire they defaulted to.
    assert small.filters == InsightFilters(size="small", questionnaire_id="insights")


def test_the_most_answered_questionnaire_is_the_default(insights_app: Flask) -> None:
    north = seven_companies()
    # Eight companies answered another questionnaire, whose content is not stored: the
    # report counts them, and gives no figure it could not label.
    for _ in range(8):
        other = company(north, scores=scores(overall=50))
        other.questionnaire_id, other.questionnaire_version = "other", 3
        other.questionnaire_sha256 = "0" * 64
    db.session.commit()
    assert questionnaires_answered(north) == [("other", (3,)), ("insights", (2,))]
    report = cluster_report(north, InsightFilters())
    assert (report.questionnaire_id, report.versions, report.companies) == ("other", (3,), 8)
    assert report_questionnaire(report) is None
    assert (report.distributions, report.breakdowns) == ((), ())
    chosen = cluster_report(north, InsightFilters(questionnaire_id="insights"))
    assert (chosen.questionnaire_id, chosen.companies) == ("insights", 7)


def test_a_cluster_whose_services_no_plan_lists(insights_app: Flask) -> None:
    lonely = make_cluster("lonely", [("svc-cyber", ["cybersecurity"], [])])
    for _ in range(3):
        company(lonely, scores=scores(overall=20), actions=[("prepare-efti", None)])
    db.session.commit()
    report = cluster_report(lonely, InsightFilters())
    assert [(d.service_key, d.count) for d in report.service_demand] == [("svc-cyber", 0)]
    # The network catalogue of the example data has an eFTI service (for its own level
    # ids, so for an action about no level: a facet written before levels were).
    assert [(u.action_id, u.source, u.count) for u in report.unserved] == [
        ("prepare-efti", ServiceSource.NETWORK, 3)
    ]


def test_a_period_that_swaps_one_companys_latest_assessment_is_differencing(
    insights_app: Flask,
) -> None:
    """Every company stays, but until a date one of them is shown by its earlier
    assessment: the two reports would differ by exactly that company's scores."""
    north = make_cluster("north")
    assessed = [company(north, "2026-06-01", scores=overall(s)) for s in (10, 12, 14, 16)][0]
    for score in (50, 52, 54, 56):
        company(north, "2026-06-01", scores=overall(score))
    company(north, "2026-09-01", scores=overall(58), previous=assessed)
    db.session.commit()
    whole = cluster_report(north, InsightFilters())
    assert (whole.suppressed, whole.companies) == (None, 8)
    before = cluster_report(north, InsightFilters(until=date(2026, 7, 1)))
    assert (before.suppressed, before.suppressed_by) == (Suppressed.DIFFERENCING, "until")
    assert before.distributions == ()
    # Since the follow-up: the company's first assessment there changes too (progress).
    since = cluster_report(north, InsightFilters(since=date(2026, 6, 1)))
    assert since.suppressed is None  # the same assessments: nothing changes
    # Three companies followed up: a change of three is a group, not a company.
    for row in db.session.scalars(
        select(Assessment)
        .where(Assessment.cluster_id == north.id, Assessment.id != assessed.id)
        .order_by(Assessment.id)
        .limit(2)
    ):
        company(north, "2026-09-02", scores=overall(60), previous=row)
    db.session.commit()
    three = cluster_report(north, InsightFilters(until=date(2026, 7, 1)))
    assert (three.suppressed, three.companies) == (None, 8)
