"""The published JSON Schema of the questionnaire format (docs/questionnaire.schema.json)
is the loader's own tables written out: it cannot drift from the loader, the questionnaires
we ship and test with pass it, and it refuses the shapes the loader refuses."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from assessor.domain.loading import parse_questionnaire
from assessor.domain.loading.json_schema import questionnaire_schema
from assessor.domain.loading.yaml_source import parse_yaml
from tests.conftest import FLAGSHIP_V2, PROJECT_ROOT, SHIPPED

PUBLISHED = PROJECT_ROOT / "docs" / "questionnaire.schema.json"
VALID = [
    *sorted(SHIPPED.glob("*.yaml")),
    *sorted((PROJECT_ROOT / "tests" / "data").rglob("*.yaml")),
]


def plain(path: Path) -> Any:
    """The file as JSON would hold it (a scale's label keys become texts)."""
    document = parse_yaml(path.read_text(encoding="utf-8"))
    assert document is not None
    return json.loads(json.dumps(document.root))


def schema_problems(data: Any) -> list[str]:
    validator = Draft202012Validator(questionnaire_schema())
    return [error.message for error in validator.iter_errors(data)]


def test_the_published_schema_is_the_generated_one() -> None:
    # Regenerate: python -m assessor.domain.loading.json_schema > docs/questionnaire.schema.json
    assert json.loads(PUBLISHED.read_text(encoding="utf-8")) == questionnaire_schema()
    Draft202012Validator.check_schema(questionnaire_schema())


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_questionnaire_passes_the_schema(path: Path) -> None:
    assert parse_questionnaire(path.read_text(encoding="utf-8"), str(path)).ok
    assert schema_problems(plain(path)) == []


def first_question(data: dict[str, Any], type_: str) -> dict[str, Any]:
    return next(q for s in data["sections"] for q in s["questions"] if q["type"] == type_)


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown top-level key": lambda d: d.update(colour="red"),
    "unknown level key": lambda d: d["levels"][0].update(colour="red"),
    "unknown theme key": lambda d: d["dimensions"][0]["themes"][0].update(colour="red"),
    "unknown section key": lambda d: d["sections"][0].update(colour="red"),
    "a key of another question type": lambda d: first_question(d, "choice").update(unit="t"),
    "unknown option key": lambda d: first_question(d, "choice")["options"][0].update(x=1),
    "unknown question type": lambda d: first_question(d, "choice").update(type="slider"),
    "a scale without max": lambda d: first_question(d, "scale").pop("max"),
    "a text where a number goes": lambda d: d["levels"][1].update(min="fifty"),
    "a score above 100": lambda d: first_question(d, "choice")["options"][0].update(score=101),
    "an unknown condition": lambda d: d["actions"][0].update(when={"always": True}),
    "two operators in a condition": lambda d: d["actions"][0].update(
        when={"theme": d["dimensions"][0]["themes"][0]["id"], "below": 50, "at_least": 1}
    ),
    "an unknown horizon": lambda d: d["actions"][0].update(horizon="soon"),
    "a reference that is not https": lambda d: d["references"][0].update(url="http://x.eu"),
    "a checked month that does not exist": lambda d: d["references"][0].update(checked="2026-13"),
    "a checked day instead of a month": lambda d: d["references"][0].update(checked="2026-12-01"),
    "a checked month as a number": lambda d: d["references"][0].update(checked=202612),
    "an empty source": lambda d: d["references"][0].update(source=" "),
    "a missing title": lambda d: d.pop("title"),
    "a format from the future": lambda d: d.update(format=2),
    "an unknown DMA dimension": lambda d: first_question(d, "choice").update(dma="ai"),
    "an option condition that is no condition": lambda d: first_question(d, "multi")["options"][
        0
    ].update(visible_if={"always": True}),
    "empty addresses": lambda d: d["actions"][0].update(addresses=[]),
    "a language assessor does not speak": lambda d: d.update(languages=["en", "ru"]),
    "a language listed twice": lambda d: d.update(languages=["en", "nl", "nl"]),
    "empty languages": lambda d: d.update(languages=[]),
    "addressed options with an unknown key": lambda d: d["actions"][0].update(
        addresses=[{"question": first_question(d, "multi")["id"], "options": ["x"], "all": 1}]
    ),
    "addressed options listed twice": lambda d: d["actions"][0].update(
        addresses=[
            {
                "question": first_question(d, "multi")["id"],
                "options": [first_question(d, "multi")["options"][0]["id"]] * 2,
            }
        ]
    ),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_the_schema_refuses_what_the_loader_refuses(mutation: str) -> None:
    data = copy.deepcopy(plain(FLAGSHIP_V2))  # it has every question type
    MUTATIONS[mutation](data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert not parse_questionnaire(text).ok
    assert schema_problems(data) != []
