"""Exported spreadsheets never hand a spreadsheet program a formula from what people typed."""

from __future__ import annotations

import csv
import io

import pytest

from assessor.services.exports import Table, as_csv


def _exported(value: str | float | None) -> str:
    rows = list(csv.reader(io.StringIO(as_csv(Table(["a"], [[value]], 0)).decode("utf-8-sig"))))
    return rows[1][0]


@pytest.mark.parametrize(
    "typed",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example")',
        "+1+1",
        "-1+1",
        "@SUM(1)",
        " =1+1",  # importers that trim leading spaces evaluate what follows
        "   =1+1",
        "\n=1+1",
        "\r\n=1+1",
        "\t=1+1",
        "\u00a0=1+1",  # no-break space
        "\u3000=1+1",  # ideographic space
        "\u200b=1+1",  # zero-width space
        "\ufeff=1+1",  # a byte-order mark
        "\uff1d1+1",  # full-width equals sign
    ],
)
def test_a_text_that_could_be_read_as_a_formula_is_defused(typed: str) -> None:
    assert _exported(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["Sharing Oy", "", "  Oy = Ab", "e-mail: a@b.example", "1+1"])
def test_other_texts_are_exported_as_typed(typed: str) -> None:
    assert _exported(typed) == typed


def test_numbers_stay_numbers() -> None:
    assert _exported(-3.5) == "-3.5"
