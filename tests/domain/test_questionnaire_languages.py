"""A questionnaire's `languages`: the languages it is offered in (issue 16)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assessor.domain.languages import LANGUAGES
from assessor.domain.loading import LoadResult
from tests.domain.test_loader import BASE

Load = Callable[[str], LoadResult]


def with_languages(line: str) -> str:
    return BASE.replace("language: en\n", f"language: en\n{line}\n")


def test_absent_means_the_files_own_language(load_text: Load) -> None:
    questionnaire = load_text(BASE).questionnaire
    assert questionnaire is not None
    assert questionnaire.languages == ("en",)


def test_the_declared_languages_in_their_order(load_text: Load) -> None:
    questionnaire = load_text(with_languages("languages: [nl, en]")).questionnaire
    assert questionnaire is not None
    assert questionnaire.languages == ("nl", "en")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "languages: [en, xx]",
            "q.yaml:5: questionnaire: 'languages' entry 'xx' is not a language this assessor "
            f"speaks ({', '.join(LANGUAGES)})",
        ),
        (
            "languages:\n  - en\n  - nl\n  - nl",
            "q.yaml:8: questionnaire: language 'nl' listed twice (first on line 7)",
        ),
        (
            "languages: [nl, fr]",
            "q.yaml:5: questionnaire: 'languages' must include the file's own language 'en' "
            "(add it to the list)",
        ),
        ("languages: []", "q.yaml:5: questionnaire: 'languages' must not be empty"),
        ("languages: en", "q.yaml:5: questionnaire: 'languages' must be a list, found 'en'"),
    ],
)
def test_language_errors(load_text: Load, line: str, expected: str) -> None:
    result = load_text(with_languages(line))
    assert [str(e) for e in result.errors] == [expected]
    assert result.questionnaire is None
