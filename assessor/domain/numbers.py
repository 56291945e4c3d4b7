"""What counts as a number in a questionnaire file, an answer or a condition, and how near a
score must come to a threshold to reach it."""

from __future__ import annotations

import math
from typing import TypeGuard

# Scores are averages of floats: 49.99999999999999 must reach a level or condition at 50.
SCORE_TOLERANCE = 1e-9


def is_number(value: object) -> TypeGuard[int | float]:
    """A finite int or float; true and false are not numbers, though Python's bool is an int."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
