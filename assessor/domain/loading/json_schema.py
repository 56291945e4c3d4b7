"""A JSON Schema of the questionnaire format, for authors' editors (completion, inline errors).

Built from the loader's own tables (the keys of each kind of node, the question types and
their keys, the condition operators, the id and language patterns), so it says what the
loader reads; ``docs/questionnaire.schema.json`` is its output, and a test fails when the
two differ. The schema checks the shape of a file: keys, types, enums, patterns and ranges.
What it cannot say (ids unique, levels and bands ascending, conditions naming earlier
questions of a suitable type, known themes and references) only ``flask questionnaires
validate`` checks, as before.

Regenerate with ``python -m assessor.domain.loading.json_schema > docs/questionnaire.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from assessor.domain.conditions import ScoreTarget
from assessor.domain.languages import LANGUAGE_CODE, LANGUAGES
from assessor.domain.loading.actions import ACTION_KEYS, ADDRESSED_OPTIONS_KEYS, DEADLINE_KEYS
from assessor.domain.loading.conditions import QUESTION_OPERATORS, SCORE_OPERATORS
from assessor.domain.loading.questions import (
    LAST_BAND_KEYS,
    OPTION_KEYS,
    QUESTION_KEYS,
    QUESTION_TYPE_KEYS,
)
from assessor.domain.loading.structure import (
    DIMENSION_KEYS,
    LEVEL_KEYS,
    MONTH,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_KEYS,
    REFERENCE_KEYS,
    SECTION_KEYS,
    SUPPORTED_FORMAT,
    THEME_KEYS,
)
from assessor.domain.loading.yaml_checks import ID_MAX_LENGTH, ITEM_ID, NodeKeys
from assessor.domain.model import (
    DmaDimension,
    Horizon,
    MultiScoring,
    OptionReadiness,
    QuestionType,
)

Schema = dict[str, Any]

TEXT: Schema = {"type": "string", "minLength": 1, "pattern": r"\S"}
ID: Schema = {"type": "string", "pattern": ITEM_ID.pattern, "maxLength": ID_MAX_LENGTH}
ID_LIST: Schema = {"type": "array", "items": ID}
NUMBER: Schema = {"type": "number"}
WHOLE: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
POSITIVE: Schema = {"type": "number", "exclusiveMinimum": 0}
PERCENT: Schema = {"type": "number", "minimum": 0, "maximum": 100}
SCORE: Schema = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
WEB_ADDRESS: Schema = {"type": "string", "pattern": "^https://"}
CONDITION: Schema = {"$ref": "#/$defs/condition"}


def _list_of(item: Schema, non_empty: bool = True) -> Schema:
    return {"type": "array", "items": item, **({"minItems": 1} if non_empty else {})}


def _node(keys: NodeKeys, values: Mapping[str, Schema], title: str) -> Schema:
    """A mapping with exactly the keys the loader allows (KeyError: a key has no schema)."""
    return {
        "title": title,
        "type": "object",
        "required": list(keys.required),
        "properties": {key: values[key] for key in (*keys.required, *keys.optional)},
        "additionalProperties": False,
    }


_OPTION = _node(
    OPTION_KEYS,
    {
        "id": ID,
        "label": TEXT,
        "score": SCORE,
        "exclusive": BOOLEAN,
        "help": TEXT,
        "visible_if": CONDITION,
        "readiness": {"enum": [r.value for r in OptionReadiness]},
    },
    "option",
)
# Every band but the last also needs up_to: a rule of order the loader's message says.
_BAND = _node(LAST_BAND_KEYS, {"up_to": NUMBER, "score": SCORE}, "band")
_QUESTION_VALUES: Mapping[str, Schema] = {
    "id": ID,
    "type": {"enum": [t.value for t in QuestionType]},
    "text": TEXT,
    "help": TEXT,
    "theme": ID,
    "weight": POSITIVE,
    "required": BOOLEAN,
    "visible_if": CONDITION,
    "profile": ID,
    "dma": {"enum": [d.value for d in DmaDimension]},
    "rule": ID,  # a reference of the file: only validate says which exist
    "options": _list_of({"$ref": "#/$defs/option"}),
    "scoring": {"enum": [s.value for s in MultiScoring]},
    "min": NUMBER,
    "max": NUMBER,
    "labels": {
        "type": "object",
        "patternProperties": {"^-?[0-9]+$": TEXT},
        "additionalProperties": False,
    },
    "bands": _list_of({"$ref": "#/$defs/band"}),
    "unit": TEXT,
    "max_length": {"type": "integer", "minimum": 1},
}
# A scale's ends are whole numbers; a number question's limits need not be.
_TYPE_VALUES: Mapping[QuestionType, Mapping[str, Schema]] = {
    QuestionType.SCALE: {"min": WHOLE, "max": WHOLE},
}


def _question() -> Schema:
    common = _node(QUESTION_KEYS, _QUESTION_VALUES, "question")
    by_type = []
    for question_type, type_keys in QUESTION_TYPE_KEYS.items():
        keys = NodeKeys(
            QUESTION_KEYS.required + type_keys.required,
            QUESTION_KEYS.optional + type_keys.optional,
        )
        values = {**_QUESTION_VALUES, **_TYPE_VALUES.get(question_type, {})}
        then = _node(keys, values, f"{question_type.value} question")
        by_type.append(
            {"if": {"properties": {"type": {"const": question_type.value}}}, "then": then}
        )
    # Which other keys are allowed depends on the type: each "then" says it.
    del common["additionalProperties"]
    return {**common, "allOf": by_type}


_OPERATOR_VALUES: Mapping[str, Schema] = {
    "equals": ID,
    "in": _list_of(ID),
    "includes": ID,
    "at_least": NUMBER,
    "at_most": NUMBER,
    "below": PERCENT,
}


def _condition() -> Schema:
    def exactly(properties: Mapping[str, Schema], required: str, title: str) -> Schema:
        return {
            "title": title,
            "type": "object",
            "required": [required],
            "properties": dict(properties),
            "additionalProperties": False,
            "minProperties": 2,
            "maxProperties": 2,
        }

    question_operators = {op: _OPERATOR_VALUES[op] for op in QUESTION_OPERATORS}
    score_operators = {op: PERCENT for op in SCORE_OPERATORS}
    return {
        "title": "condition",
        "anyOf": [
            *(
                {
                    "title": f"{key} of conditions",
                    "type": "object",
                    "required": [key],
                    "properties": {key: _list_of(CONDITION)},
                    "additionalProperties": False,
                }
                for key in ("all", "any")
            ),
            {
                "title": "not a condition",
                "type": "object",
                "required": ["not"],
                "properties": {"not": CONDITION},
                "additionalProperties": False,
            },
            exactly({"question": ID, **question_operators}, "question", "question condition"),
            *(
                exactly(
                    {target.value: ID, **score_operators},
                    target.value,
                    f"{target.value} condition (in an action's when only)",
                )
                for target in ScoreTarget
            ),
        ],
    }


def questionnaire_schema() -> Schema:
    """The schema, as ``docs/questionnaire.schema.json`` holds it."""
    level = _node(LEVEL_KEYS, {"id": ID, "label": TEXT, "min": PERCENT}, "level")
    theme = _node(THEME_KEYS, {"id": ID, "label": TEXT, "weight": POSITIVE}, "theme")
    dimension = _node(
        DIMENSION_KEYS,
        {"id": ID, "label": TEXT, "themes": _list_of(theme), "weight": POSITIVE},
        "dimension",
    )
    section = _node(
        SECTION_KEYS,
        {
            "id": ID,
            "title": TEXT,
            "questions": _list_of({"$ref": "#/$defs/question"}),
            "intro": TEXT,
            "visible_if": CONDITION,
        },
        "section",
    )
    reference = _node(
        REFERENCE_KEYS,
        {
            "id": ID,
            "title": TEXT,
            "text": TEXT,
            "url": WEB_ADDRESS,
            "source": TEXT,
            # The shape only: that the month is not in the future, only validate says.
            "checked": {"type": "string", "pattern": MONTH.pattern},
        },
        "reference",
    )
    action = _node(
        ACTION_KEYS,
        {
            "id": ID,
            "title": TEXT,
            "when": CONDITION,
            "text": TEXT,
            "horizon": {"enum": [h.value for h in Horizon]},
            "topics": ID_LIST,
            "references": ID_LIST,
            "deadline": _node(
                DEADLINE_KEYS,
                {"month": {"type": "string", "pattern": MONTH.pattern}, "applies_if": CONDITION},
                "deadline",
            ),
            # Which questions exist, are scored and are multi, only validate says.
            "addresses": _list_of(
                {
                    "anyOf": [
                        ID,
                        _node(
                            ADDRESSED_OPTIONS_KEYS,
                            {"question": ID, "options": {**_list_of(ID), "uniqueItems": True}},
                            "options of a multi question",
                        ),
                    ]
                }
            ),
        },
        "action",
    )
    top = _node(
        QUESTIONNAIRE_KEYS,
        {
            "format": {"const": SUPPORTED_FORMAT},
            "id": {
                "type": "string",
                "pattern": QUESTIONNAIRE_ID.pattern,
                "maxLength": ID_MAX_LENGTH,
            },
            "version": {"type": "integer", "minimum": 1},
            "language": {
                "type": "string",
                "pattern": LANGUAGE_CODE.pattern,
                "maxLength": ID_MAX_LENGTH,
            },
            "languages": {
                "type": "array",
                "items": {"enum": list(LANGUAGES)},
                "minItems": 1,
                "uniqueItems": True,
            },
            "title": TEXT,
            "intro": TEXT,
            "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
            "levels": _list_of(level),
            "dimensions": _list_of(dimension),
            "sections": _list_of(section),
            "actions": _list_of(action, non_empty=False),
            "references": _list_of(reference, non_empty=False),
        },
        "assessor questionnaire",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by assessor.domain.loading.json_schema; see docs/questionnaire-format.md",
        **top,
        "$defs": {
            "question": _question(),
            "option": _OPTION,
            "band": _BAND,
            "condition": _condition(),
        },
    }


if __name__ == "__main__":
    print(json.dumps(questionnaire_schema(), indent=2, ensure_ascii=False))
