"""Peer groups computed in the database: sizes, medians (odd and even counts), the most
recent sample, and statements that stay small whatever the size of the group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event

from assessor.services.peers import peer_groups
from assessor.storage.db import db
from assessor.storage.models import Assessment, ResultFacet, utcnow


def submitted(country: str, scores: dict[str, float | None], minutes_ago: int) -> Assessment:
    assessment = Assessment(
        questionnaire_id="every-type",
        questionnaire_version=1,
        questionnaire_sha256="x" * 64,
        submitted_at=utcnow() - timedelta(minutes=minutes_ago),
    )
    assessment.facets = [ResultFacet(kind="profile", key="country", value=country)] + [
        ResultFacet(kind="score", key=key, score=score) for key, score in scores.items()
    ]
    db.session.add(assessment)
    return assessment


# Twelve peers, newest first: an even number of overall scores (sorted: 5, 10.5, 15, 20.25,
# 25, 35 | 45, 55, 65, 75, 85, 95, so the median is (35 + 45) / 2 = 40); once the oldest
# (20.25) leaves, eleven, and the median is the sixth: 45.
OVERALL = [5.0, 15.0, 25.0, 35.0, 45.0, 55.0, 65.0, 75.0, 85.0, 95.0, 10.5, 20.25]
NO = None


@pytest.mark.parametrize(
    ("theme_scores", "theme_median"),
    [
        # Five scores, the minimum: 10, 10, 30.5, 30.5, 30.5, so the median is 30.5.
        ([10.0, 30.5, NO, 10.0, 30.5, NO, 30.5, NO, NO, NO, NO, NO], 30.5),
        # Four scores are too few: no median at all, rather than one of four companies.
        ([10.0, NO, NO, 30.5, NO, NO, 10.0, NO, NO, 30.5, NO, NO], None),
    ],
    ids=["five-theme-scores", "four-theme-scores"],
)
def test_medians_are_those_of_the_group_and_ignore_missing_scores(
    any_app: Flask, theme_scores: list[float | None], theme_median: float | None
) -> None:
    assert any_app.config["PEER_GROUP_MINIMUM"] == 5
    with any_app.app_context():
        mine = submitted("fi", {"overall": 50.0}, minutes_ago=0)
        rows = [
            submitted("fi", {"overall": overall, "theme:a": theme}, minutes_ago=i)
            for i, (overall, theme) in enumerate(zip(OVERALL, theme_scores, strict=True), 1)
        ]
        submitted("ee", {"overall": 99.0}, minutes_ago=1)  # another country: not a peer
        unfinished = submitted("fi", {"overall": 0.0}, minutes_ago=1)
        unfinished.submitted_at = None
        db.session.commit()

        (group,) = peer_groups(mine)
        assert (group.key, group.values, group.size, group.sample) == ("country", ("fi",), 12, 12)
        assert group.medians["overall"] == 40.0
        assert group.medians.get("theme:a") == theme_median

        db.session.delete(rows[-1])  # the oldest peer leaves: an odd number
        db.session.commit()
        (group,) = peer_groups(mine)
        assert group.size == 11
        assert group.medians["overall"] == 45.0
        assert group.medians.get("theme:a") == theme_median


def test_medians_come_from_the_most_recent_assessments(any_app: Flask) -> None:
    any_app.config["PEER_MEDIAN_SAMPLE"] = 5
    with any_app.app_context():
        mine = submitted("fi", {"overall": 50.0}, minutes_ago=0)
        for minutes_ago, score in enumerate([10.0, 20.0, 30.0, 40.0, 50.0, 90.0, 95.0], start=1):
            submitted("fi", {"overall": score}, minutes_ago=minutes_ago)
        db.session.commit()
        (group,) = peer_groups(mine)
        assert (group.size, group.sample) == (7, 5)
        assert group.medians == {"overall": 30.0}  # of 10, 20, 30, 40, 50


def test_statements_do_not_grow_with_the_group(any_app: Flask) -> None:
    any_app.config["PEER_MEDIAN_SAMPLE"] = 10
    with any_app.app_context():
        mine = submitted("fi", {"overall": 50.0}, minutes_ago=0)
        for minutes_ago in range(1, 61):
            submitted("fi", {"overall": float(minutes_ago)}, minutes_ago=minutes_ago)
        db.session.commit()
        sizes: list[int] = []

        def count(_conn, _cursor, _statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
            sizes.append(len(parameters))

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            (group,) = peer_groups(mine)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert (group.size, group.sample) == (60, 10)
        assert group.medians["overall"] == 5.5  # of the 10 most recent: 1 to 10
        assert max(sizes) < 10 + 10  # the sample and a few constants, never the 60 peers


def test_quartiles_and_how_many_score_below(any_app: Flask) -> None:
    """The middle half of the group (first to third quartile, interpolated as a spreadsheet's
    QUARTILE.INC does) and how many of the group this company is ahead of (issue 15)."""
    with any_app.app_context():
        mine = submitted("fi", {"overall": 50.0, "dimension:d": 25.0}, minutes_ago=0)
        for i, overall in enumerate(OVERALL, 1):
            submitted("fi", {"overall": overall, "dimension:d": overall}, minutes_ago=i)
        db.session.commit()
        (group,) = peer_groups(mine)
        # Sorted: 5, 10.5, 15, 20.25, 25, 35, 45, 55, 65, 75, 85, 95. Q1 sits 2.75 places
        # in: 15 + 0.75 × (20.25 − 15); Q3 8.25 places in: 65 + 0.25 × (75 − 65).
        assert group.quartiles["overall"] == pytest.approx((18.9375, 67.5))
        assert group.medians["overall"] == 40.0
        assert group.scored["overall"] == 12
        assert group.below["overall"] == 7  # 5 … 45 are below 50
        assert group.below["dimension:d"] == 4  # 5, 10.5, 15, 20.25 are below 25 (not 25)

        # The five most recent, an exact place for each quartile: 5, 15, 25, 35, 45.
        any_app.config["PEER_MEDIAN_SAMPLE"] = 5
        (group,) = peer_groups(mine)
        assert group.sample == 5
        assert group.quartiles["overall"] == pytest.approx((15.0, 35.0))
        assert group.medians["overall"] == 25.0


def test_a_group_too_small_has_no_quartiles(any_app: Flask) -> None:
    with any_app.app_context():
        mine = submitted("fi", {"overall": 50.0}, minutes_ago=0)
        for i, overall in enumerate([10.0, 20.0, 30.0, 40.0], 1):
            submitted("fi", {"overall": overall}, minutes_ago=i)
        db.session.commit()
        (group,) = peer_groups(mine)
        assert not group.large_enough
        assert (group.quartiles, group.below, group.medians) == ({}, {}, {})
