"""The insights pages' view data (assessor/presentation/insights.py): the stacked bars say no
more than the cells beside them, codes the questionnaire does not know stay readable, and a
suppressed report says why."""

from __future__ import annotations

import pytest
from flask import Flask

from assessor.domain.loading import load_questionnaire
from assessor.presentation.insights import HIDDEN_COLOUR, insights_view, stacked_bar
from assessor.services.insights.figures import (
    ActionCount,
    CountRow,
    Distribution,
    InsightsReport,
    Suppressed,
)
from assessor.services.insights.filters import InsightFilters
from tests.advisers.insights_reports import differencing_report, sample_report, too_few_report
from tests.conftest import SHIPPED


def test_a_bar_is_drawn_from_the_cells_shown_and_hides_the_rest_together() -> None:
    bar = stacked_bar([6, 9, None, None], ["a", "b", "c", "d"], 23)
    assert bar is not None
    assert [(s.x, s.width, s.colour) for s in bar.segments] == [
        (0.0, 26.09, "a"),
        (26.09, 39.13, "b"),
        (65.22, 34.78, HIDDEN_COLOUR),
    ]
    # Every cell shown: no grey part, the bar full.
    whole = stacked_bar([3, 0, 2], ["a", "b", "c"], 5)
    assert whole is not None
    assert [(s.x, s.width) for s in whole.segments] == [(0.0, 60.0), (60.0, 40.0)]
    # Nothing counted, or the count itself hidden: nothing to draw.
    assert stacked_bar([None, None], ["a", "b"], None) is None
    assert stacked_bar([0, 0], ["a", "b"], 0) is None
    # Every cell hidden, the base shown: one grey bar.
    hidden = stacked_bar([None, None], ["a", "b"], 12)
    assert hidden is not None
    assert [(s.width, s.colour) for s in hidden.segments] == [(100.0, HIDDEN_COLOUR)]


@pytest.fixture
def flagship():
    result = load_questionnaire(SHIPPED / "logistics-maturity.yaml")
    assert result.questionnaire is not None
    return result.questionnaire


def test_codes_the_questionnaire_does_not_know_stay_as_codes(app: Flask, flagship) -> None:
    report = InsightsReport(
        1,
        InsightFilters(),
        "logistics-maturity",
        (1,),
        5,
        30,
        distributions=(
            Distribution("theme:retired-theme", 30, (CountRow("gone-level", 30),), 50, 40, 60),
        ),
        focus_actions=(ActionCount("retired-action", 12, 0.4),),
    )
    with app.test_request_context():
        view = insights_view(report, flagship)
        unlabelled = insights_view(report, None)
    assert view.distributions[0].label == "retired-theme"
    assert view.distributions[0].cells[0].label == "gone-level"
    assert view.focus_actions[0].label == "retired-action"
    assert view.focus_actions[0].share == "40%"
    assert unlabelled.questionnaire_title == "logistics-maturity"
    assert unlabelled.levels == ()


def test_suppressed_reports_say_why_and_whole_ones_say_nothing(app: Flask, flagship) -> None:
    filters = InsightFilters(size="small")
    with app.test_request_context():
        shown = insights_view(sample_report(1, filters), flagship)
        few = insights_view(too_few_report(1, filters), flagship)
        differencing = insights_view(differencing_report(1, filters), flagship)
        unfiltered = insights_view(too_few_report(1, InsightFilters()), flagship)
        # Only the questionnaire chosen: that is the subject, not a filter to widen.
        one_questionnaire = insights_view(
            too_few_report(1, InsightFilters(questionnaire_id="logistics-maturity")), flagship
        )
        unnamed = insights_view(
            InsightsReport(1, filters, None, (), 5, 9, Suppressed.DIFFERENCING, None), flagship
        )
    assert shown.shown
    assert shown.suppression is None
    assert shown.any_hidden
    assert not few.shown
    assert few.suppression is not None
    assert few.suppression.startswith("Fewer than 5 companies match these filters")
    assert unfiltered.suppression is not None
    assert unfiltered.suppression.startswith(
        "Fewer than 5 companies have shared their results on this questionnaire so far"
    )
    assert one_questionnaire.suppression == unfiltered.suppression
    assert differencing.suppression is not None
    assert "without the filter on size" in differencing.suppression
    assert unnamed.suppression == ("This filter would single out fewer than 5 companies: widen it.")
