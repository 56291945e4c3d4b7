"""References carry their source and the month they were last checked: the loader reads and
checks both keys, and the warnings say which references need checking again (issue 13)."""

from __future__ import annotations

from datetime import date

import pytest

from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Month, Questionnaire
from assessor.domain.reference_dates import is_stale, oldest_check, reference_warnings
from tests.domain.test_loader import BASE

TODAY = date(2026, 12, 6)


def with_references(*entries: str) -> str:
    """BASE with a references list (the first entry starts on line 26)."""
    return BASE + "references:\n" + "".join(entries)  # "references:" is line 25


def reference(ref_id: str, *extra: str) -> str:
    return f"  - id: {ref_id}\n    title: T\n    text: X\n" + "".join(f"    {e}\n" for e in extra)


def load(text: str, today: date = TODAY) -> Questionnaire:
    result = parse_questionnaire(text, "q.yaml", today=today)
    assert [str(e) for e in result.errors] == []
    assert result.questionnaire is not None
    return result.questionnaire


def errors(text: str, today: date = TODAY) -> list[str]:
    return [str(e) for e in parse_questionnaire(text, "q.yaml", today=today).errors]


@pytest.mark.parametrize("written", ["2026-12", '"2026-12"', "'2026-12'"])
def test_a_checked_month_quoted_or_not(written: str) -> None:
    text = with_references(
        reference("efti", "source: EUR-Lex, OJ L 12.5.2026", f"checked: {written}")
    )
    (efti,) = load(text).references
    assert efti.source == "EUR-Lex, OJ L 12.5.2026"
    assert efti.checked == Month(2026, 12)
    assert str(efti.checked) == "2026-12"
    assert efti.line == 26


def test_source_and_checked_are_optional() -> None:
    (efti,) = load(with_references(reference("efti"))).references
    assert (efti.source, efti.checked) == (None, None)


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("2026-13", "'2026-13'"),
        ("2026-00", "'2026-00'"),
        ("2026-1", "'2026-1'"),
        ("2026-12-01", "'2026-12-01'"),
        ("12/2026", "'12/2026'"),
        ("0999-05", "'0999-05'"),
        ("202612", "202612"),
        ("December 2026", "'December 2026'"),
        ("", "null"),
    ],
)
def test_a_checked_month_must_be_a_real_month(written: str, found: str) -> None:
    text = with_references(reference("efti", f"checked: {written}"))
    assert errors(text) == [
        f"q.yaml:29: reference efti: 'checked' must be a month written YYYY-MM "
        f"(for example 2026-12), found {found}"
    ]


def test_a_checked_month_may_not_be_in_the_future() -> None:
    text = with_references(reference("efti", "checked: 2027-01"))
    assert errors(text) == [
        "q.yaml:29: reference efti: 'checked' 2027-01 is in the future (today is 2026-12-06)"
    ]
    # This month is fine from its first day on, and the next once it has come.
    assert load(text.replace("2027-01", "2026-12"), date(2026, 12, 1)).references
    assert load(text, date(2027, 1, 1)).references


def test_an_empty_source_is_an_error() -> None:
    text = with_references(reference("efti", 'source: " "'))
    assert errors(text) == [
        "q.yaml:29: reference efti: 'source' must be a non-empty text, found ' '"
    ]


@pytest.mark.parametrize(
    ("today", "stale"),
    [
        (date(2026, 12, 6), False),
        (date(2027, 12, 31), False),  # 12 months after the last day of 2026-12
        (date(2028, 1, 1), True),  # 12 months and a day
        (date(2030, 6, 1), True),
    ],
)
def test_stale_after_12_months_from_the_end_of_the_checked_month(today: date, stale: bool) -> None:
    assert is_stale(Month(2026, 12), today) is stale


def test_warnings_name_the_reference_and_its_line() -> None:
    text = with_references(
        reference("fresh", "source: S", "checked: 2025-12"),  # line 26
        reference("stale", "source: S", "checked: 2025-11"),  # line 31
        reference("bare"),  # line 36
    )
    questionnaire = load(text)
    assert [str(w) for w in reference_warnings(questionnaire, TODAY)] == [
        "q.yaml:31: warning: reference 'stale' was last checked in 2025-11, more than 12 months ago",
        "q.yaml:36: warning: reference 'bare' has no 'source': name what its facts were checked"
        " against",
        "q.yaml:36: warning: reference 'bare' has no 'checked' month: say when its facts were last"
        " checked (YYYY-MM)",
    ]
    # A month later the reference checked in 2025-12 is stale too.
    assert [w.line for w in reference_warnings(questionnaire, date(2027, 1, 1))] == [26, 31, 36, 36]


def test_no_references_no_warnings() -> None:
    assert reference_warnings(load(BASE), TODAY) == ()


def test_the_oldest_check_of_a_plan() -> None:
    text = with_references(
        reference("a", "checked: 2026-03"),
        reference("b", "checked: 2025-11"),
        reference("c"),
    )
    references = load(text).references
    assert oldest_check(references) == Month(2025, 11)
    assert oldest_check(references[:1]) == Month(2026, 3)
    assert oldest_check(references[2:]) is None
    assert oldest_check(()) is None
