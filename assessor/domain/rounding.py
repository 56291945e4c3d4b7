"""How scores are rounded wherever they are shown: halves away from zero ("half up").

Pages and PDFs show whole numbers (12.5 -> 13, 52.5 -> 53, -2.5 -> -3); the command line's
JSON and the exports keep one decimal (23.75 -> 23.8, 12.25 -> 12.3). Python's ``round``
rounds halves to even (12.5 -> 12) and works on binary floats, where 12.25 is exact but 0.15
is a little less than 0.15; so we round in decimal, after dropping what lies below
``SCORE_TOLERANCE`` (a mean such as 28.749999999999996 is taken as the 28.75 it stands for).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from assessor.domain.numbers import SCORE_TOLERANCE

_NOISE = Decimal(str(SCORE_TOLERANCE))


def _half_up(value: float, decimals: int) -> Decimal:
    settled = Decimal(value).quantize(_NOISE, rounding=ROUND_HALF_EVEN)
    return settled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rounded(value: float, decimals: int = 1) -> float:
    """``value`` rounded to ``decimals`` places, halves away from zero: 23.75 -> 23.8."""
    return float(_half_up(value, decimals))


def whole(value: float) -> int:
    """``value`` as the whole number pages show, halves away from zero: 12.5 -> 13."""
    return int(_half_up(value, 0))
