"""The protection rules on their own (assessor/services/insights/suppression.py)."""

from __future__ import annotations

from assessor.services.insights.suppression import (
    differencing_filter,
    hidden,
    protect_row,
    report_hidden,
    share,
)


def test_small_counts_are_hidden_and_zeros_shown() -> None:
    assert [hidden(n, 5) for n in (0, 1, 4, 5, 50)] == [0, None, None, 5, 50]
    assert (share(None, 10), share(5, None), share(5, 0), share(5, 10)) == (None, None, None, 0.5)
    assert (report_hidden(4, 5), report_hidden(5, 5)) == (True, False)


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it() -> None:
    # 3 alone would be the total minus the others: the smallest other non-zero goes too.
    assert protect_row({"a": 3, "b": 0, "c": 9, "d": 6}, 5) == {
        "a": None,
        "b": 0,
        "c": 9,
        "d": None,
    }
    # Two hidden cells already protect each other.
    assert protect_row({"a": 3, "b": 2, "c": 9}, 5) == {"a": None, "b": None, "c": 9}
    # Between equal cells, the first in the row; a zero only when nothing else is left.
    assert protect_row({"a": 7, "b": 1, "c": 7}, 5) == {"a": None, "b": None, "c": 7}
    assert protect_row({"a": 1, "b": 0}, 5) == {"a": None, "b": None}
    assert protect_row({"a": 8, "b": 9}, 5) == {"a": 8, "b": 9}
    # A cell withheld for another reason counts as hidden.
    assert protect_row({"a": 8, "b": 9, "c": 20}, 5, {"c"}) == {"a": None, "b": 9, "c": None}


def test_differencing_names_the_filter_whose_unsetting_adds_a_few() -> None:
    assert differencing_filter(10, [("size", 10), ("since", 20)], 5) is None
    assert differencing_filter(10, [("size", 15), ("since", 14)], 5) == "since"
    assert differencing_filter(0, [("country", 3)], 5) == "country"
