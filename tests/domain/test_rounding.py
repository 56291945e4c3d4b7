"""Scores are rounded halves away from zero, in decimal, the same everywhere."""

from __future__ import annotations

import pytest

from assessor.domain.rounding import rounded, whole


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.5, 13),
        (52.5, 53),
        (28.75, 29),
        (12.4999, 12),
        (0.5, 1),
        (0.0, 0),
        (100.0, 100),
        (-2.5, -3),
        (2.4, 2),
        (28.749999999999996, 29),
        (49.99999999999999, 50),
    ],
)
def test_whole_numbers_round_halves_up(value: float, expected: int) -> None:
    assert whole(value) == expected
    assert isinstance(whole(value), int)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (23.75, 23.8),
        (12.25, 12.3),
        (0.05, 0.1),
        (0.15, 0.2),
        (1.45, 1.5),
        (38.75, 38.8),
        (12.5, 12.5),
        (28.749999999999996, 28.8),
        (15.000000000000002, 15.0),
        (-0.25, -0.3),
    ],
)
def test_one_decimal_rounds_halves_up(value: float, expected: float) -> None:
    assert rounded(value, 1) == expected


def test_python_round_would_differ() -> None:
    """What the rule fixes: Python's round takes halves to even and sees binary floats."""
    assert (round(12.5), round(12.25, 1), round(0.15, 1)) == (12, 12.2, 0.1)
