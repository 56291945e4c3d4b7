"""Load a questionnaire YAML file into a :class:`Questionnaire`, or say why not.

Every problem of a file is collected (not only the first) as a
:class:`LoadError` whose text is ``PATH:LINE: message``, LINE being the line of
the YAML node at fault. Loading never raises for bad content.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assessor.domain.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Not,
    QuestionCondition,
    QuestionOperator,
    ScoreCondition,
    ScoreOperator,
    ScoreTarget,
)
from assessor.domain.model import (
    Action,
    Band,
    Dimension,
    Horizon,
    Level,
    MultiScoring,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Reference,
    Section,
    Theme,
)
from assessor.domain.yaml_checks import (
    ITEM_ID,
    LoadError,
    YamlChecker,
    describe,
    is_number,
)
from assessor.domain.yaml_source import YamlError, YamlList, YamlMap, parse_yaml

SUPPORTED_FORMAT = 1
QUESTIONNAIRE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")

_TOP_REQUIRED = ("format", "id", "version", "language", "title", "levels", "dimensions", "sections")
_TOP_OPTIONAL = ("intro", "actions", "references", "minutes")
_QUESTION_COMMON = (
    "id",
    "type",
    "text",
    "help",
    "theme",
    "weight",
    "required",
    "visible_if",
    "profile",
)
_QUESTION_TYPE_KEYS: Mapping[QuestionType, tuple[str, ...]] = {
    QuestionType.CHOICE: ("options",),
    QuestionType.MULTI: ("options", "scoring"),
    QuestionType.SCALE: ("min", "max", "labels"),
    QuestionType.NUMBER: ("min", "max", "bands", "unit"),
    QuestionType.TEXT: ("max_length",),
}
_REQUIRED_BY_DEFAULT = frozenset(
    {QuestionType.CHOICE, QuestionType.MULTI, QuestionType.SCALE, QuestionType.NUMBER}
)
_QUESTION_OPERATORS: Mapping[str, frozenset[QuestionType]] = {
    "equals": frozenset({QuestionType.CHOICE}),
    "in": frozenset({QuestionType.CHOICE}),
    "includes": frozenset({QuestionType.MULTI}),
    "at_least": frozenset({QuestionType.NUMBER, QuestionType.SCALE}),
    "at_most": frozenset({QuestionType.NUMBER, QuestionType.SCALE}),
}
_SCORE_OPERATORS = ("below", "at_least")


@dataclass(frozen=True)
class LoadResult:
    path: str
    questionnaire: Questionnaire | None
    errors: tuple[LoadError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def load_questionnaire(path: str | Path, display_path: str | None = None) -> LoadResult:
    """Read, parse and validate one questionnaire file."""
    shown = display_path if display_path is not None else str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return _failure(shown, 1, f"cannot read the file: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _failure(shown, line, "the file is not UTF-8 text")
    return parse_questionnaire(text, shown, sha256=hashlib.sha256(raw).hexdigest())


def parse_questionnaire(text: str, path: str = "<string>", sha256: str = "") -> LoadResult:
    """Validate questionnaire YAML given as text (``path`` is only for messages)."""
    try:
        document = parse_yaml(text)
    except YamlError as exc:
        return _failure(path, exc.line, exc.message)
    if document is None:
        return _failure(path, 1, "the file is empty; expected a questionnaire (a YAML mapping)")
    if not isinstance(document.root, YamlMap):
        kind = "a list" if isinstance(document.root, YamlList) else "a single value"
        return _failure(
            path, document.line, f"expected a questionnaire (a YAML mapping), found {kind}"
        )
    builder = _Builder(path)
    questionnaire = builder.build(
        document.root, sha256 or hashlib.sha256(text.encode()).hexdigest()
    )
    # Keep each message once, in line order (stable: same-line errors keep their order).
    errors = tuple(sorted(dict.fromkeys(builder.errors), key=lambda e: e.line))
    return LoadResult(path, None if errors else questionnaire, errors)


def _failure(path: str, line: int, message: str) -> LoadResult:
    return LoadResult(path, None, (LoadError(path, line, message),))


class _Builder(YamlChecker):
    """Walks the questionnaire's YAML tree once, building objects and collecting errors."""

    # -- the questionnaire --

    def build(self, root: YamlMap, sha256: str) -> Questionnaire | None:
        self.check_keys(root, "questionnaire", _TOP_REQUIRED, _TOP_OPTIONAL)
        fmt = (
            self.number(root, "format", "questionnaire", integer=True) if "format" in root else None
        )
        if fmt is not None and fmt != SUPPORTED_FORMAT:
            self.error(
                root.line_of_value("format"),
                f"questionnaire: unsupported format {fmt} (this assessor reads format {SUPPORTED_FORMAT})",
            )
        qid = self.identifier(root, "id", "questionnaire", QUESTIONNAIRE_ID)
        version = (
            self.number(root, "version", "questionnaire", integer=True, low=1)
            if "version" in root
            else None
        )
        language = self.identifier(root, "language", "questionnaire", LANGUAGE)
        title = self.text(root, "title", "questionnaire")
        intro = self.text(root, "intro", "questionnaire")
        minutes = (
            self.number(root, "minutes", "questionnaire", integer=True, low=1, high=600)
            if "minutes" in root
            else None
        )

        levels = self.levels(root)
        dimensions = self.dimensions(root)
        themes = {t.id: t for d in dimensions for t in d.themes}
        all_question_ids = self.prescan_question_ids(root)
        sections = self.sections(root, themes, all_question_ids)
        questions = {q.id: q for s in sections for q in s.questions}
        references = self.references(root)
        actions = self.actions(root, questions, themes, {d.id: d for d in dimensions}, references)

        if self.errors or None in (fmt, qid, version, language, title):
            return None
        return Questionnaire(
            format=int(fmt),  # type: ignore[arg-type]
            id=qid,  # type: ignore[arg-type]
            version=int(version),  # type: ignore[arg-type]
            language=language,  # type: ignore[arg-type]
            title=title,  # type: ignore[arg-type]
            intro=intro,
            minutes=int(minutes) if minutes is not None else None,
            levels=levels,
            dimensions=dimensions,
            sections=sections,
            actions=actions,
            references=tuple(references.values()),
            source_path=self.path,
            source_sha256=sha256,
        )

    def levels(self, root: YamlMap) -> tuple[Level, ...]:
        levels: list[Level] = []
        seen: dict[str, int] = {}
        items = self.sequence(root, "levels", "questionnaire")
        previous: float | None = None
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            node = self.mapping(item, line, f"level {index + 1}")
            if node is None:
                continue
            where = f"level {node.get('id', index + 1)!s}"
            self.check_keys(node, where, ("id", "label", "min"))
            level_id = self.identifier(node, "id", where)
            self.unique(seen, level_id, line, "level")
            label = self.text(node, "label", where)
            minimum = self.number(node, "min", where, low=0, high=100) if "min" in node else None
            if minimum is not None:
                if index == 0 and minimum != 0:
                    self.error(
                        node.line_of_value("min"),
                        f"{where}: the first level's 'min' must be 0, found {minimum:g}",
                    )
                if previous is not None and minimum <= previous:
                    self.error(
                        node.line_of_value("min"),
                        f"{where}: 'min' {minimum:g} must be greater than the previous level's {previous:g} (levels ascend)",
                    )
                previous = minimum
            if level_id and label and minimum is not None:
                levels.append(Level(level_id, label, float(minimum)))
        return tuple(levels)

    def dimensions(self, root: YamlMap) -> tuple[Dimension, ...]:
        dimensions: list[Dimension] = []
        seen_dimensions: dict[str, int] = {}
        seen_themes: dict[str, int] = {}
        items = self.sequence(root, "dimensions", "questionnaire")
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            node = self.mapping(item, line, f"dimension {index + 1}")
            if node is None:
                continue
            where = f"dimension {node.get('id', index + 1)!s}"
            self.check_keys(node, where, ("id", "label", "themes"), ("weight",))
            dimension_id = self.identifier(node, "id", where)
            self.unique(seen_dimensions, dimension_id, line, "dimension")
            label = self.text(node, "label", where)
            weight = self.number(node, "weight", where, positive=True) if "weight" in node else 1.0
            themes: list[Theme] = []
            theme_items = self.sequence(node, "themes", where)
            for theme_index, theme_item in enumerate(theme_items):
                theme_line = theme_items.line_of_item(theme_index)
                theme_node = self.mapping(
                    theme_item, theme_line, f"{where}, theme {theme_index + 1}"
                )
                if theme_node is None:
                    continue
                theme_where = f"theme {theme_node.get('id', theme_index + 1)!s}"
                self.check_keys(theme_node, theme_where, ("id", "label"), ("weight",))
                theme_id = self.identifier(theme_node, "id", theme_where)
                self.unique(seen_themes, theme_id, theme_line, "theme")
                theme_label = self.text(theme_node, "label", theme_where)
                theme_weight = (
                    self.number(theme_node, "weight", theme_where, positive=True)
                    if "weight" in theme_node
                    else 1.0
                )
                if theme_id and theme_label and theme_weight is not None and dimension_id:
                    themes.append(Theme(theme_id, theme_label, dimension_id, float(theme_weight)))
            if dimension_id and label and weight is not None:
                dimensions.append(Dimension(dimension_id, label, tuple(themes), float(weight)))
        return tuple(dimensions)

    def prescan_question_ids(self, root: YamlMap) -> set[str]:
        """All question ids, so that a forward reference can be told from a typo."""
        ids: set[str] = set()
        sections = root.get("sections")
        for section in sections if isinstance(sections, list) else ():
            questions = section.get("questions") if isinstance(section, dict) else None
            for question in questions if isinstance(questions, list) else ():
                if isinstance(question, dict) and isinstance(question.get("id"), str):
                    ids.add(question["id"])
        return ids

    def sections(
        self, root: YamlMap, themes: Mapping[str, Theme], all_question_ids: set[str]
    ) -> tuple[Section, ...]:
        sections: list[Section] = []
        seen_sections: dict[str, int] = {}
        seen_questions: dict[str, int] = {}
        earlier: dict[str, Question] = {}
        items = self.sequence(root, "sections", "questionnaire")
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            node = self.mapping(item, line, f"section {index + 1}")
            if node is None:
                continue
            where = f"section {node.get('id', index + 1)!s}"
            self.check_keys(node, where, ("id", "title", "questions"), ("intro", "visible_if"))
            section_id = self.identifier(node, "id", where)
            self.unique(seen_sections, section_id, line, "section")
            title = self.text(node, "title", where)
            intro = self.text(node, "intro", where)
            visible_if = self.condition_at(node, "visible_if", where, earlier, all_question_ids)
            questions: list[Question] = []
            question_items = self.sequence(node, "questions", where)
            for question_index, question_item in enumerate(question_items):
                question_line = question_items.line_of_item(question_index)
                question = self.question(
                    question_item,
                    question_line,
                    section_id or "",
                    themes,
                    earlier,
                    all_question_ids,
                    seen_questions,
                )
                if question is not None:
                    questions.append(question)
                    earlier[question.id] = question
            if section_id and title:
                sections.append(Section(section_id, title, tuple(questions), intro, visible_if))
        return tuple(sections)

    def question(
        self,
        item: Any,
        line: int,
        section_id: str,
        themes: Mapping[str, Theme],
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
        seen: dict[str, int],
    ) -> Question | None:
        node = self.mapping(item, line, "question")
        if node is None:
            return None
        question_id = self.identifier(node, "id", "question")
        where = f"question {question_id or '?'}"
        self.unique(seen, question_id, line, "question")
        qtype: QuestionType | None = None
        raw_type = node.get("type")
        if "type" in node:
            try:
                qtype = QuestionType(raw_type)
            except ValueError:
                types = ", ".join(t.value for t in QuestionType)
                self.error(
                    node.line_of_value("type"),
                    f"{where}: unknown type {describe(raw_type)} (expected one of {types})",
                )
        extra = (
            _QUESTION_TYPE_KEYS.get(qtype, ())
            if qtype
            else tuple(k for keys in _QUESTION_TYPE_KEYS.values() for k in keys)
        )
        self.check_keys(node, where, ("id", "type", "text"), _QUESTION_COMMON[3:] + extra)
        text = self.text(node, "text", where)
        help_text = self.text(node, "help", where)
        theme = self.identifier(node, "theme", where)
        if theme is not None and theme not in themes:
            self.error(node.line_of_value("theme"), f"{where}: unknown theme {theme!r}")
        weight = self.number(node, "weight", where, positive=True) if "weight" in node else 1.0
        profile = self.identifier(node, "profile", where)
        visible_if = self.condition_at(node, "visible_if", where, earlier, all_question_ids)
        required = self.boolean(node, "required", where, qtype in _REQUIRED_BY_DEFAULT)
        if qtype is None or question_id is None:
            return None
        fields: dict[str, Any] = {}
        scored = theme is not None
        if qtype in (QuestionType.CHOICE, QuestionType.MULTI):
            fields["options"] = self.options(node, where, qtype, scored)
            if qtype is QuestionType.MULTI:
                fields["scoring"] = self.multi_scoring(node, where, fields["options"], scored)
        elif qtype is QuestionType.SCALE:
            fields.update(self.scale(node, where))
        elif qtype is QuestionType.NUMBER:
            fields.update(self.number_fields(node, where))
        else:
            length = (
                self.number(node, "max_length", where, integer=True, low=1)
                if "max_length" in node
                else 2000
            )
            fields["max_length"] = int(length) if length is not None else 2000
        if text is None or weight is None:
            return None
        return Question(
            id=question_id,
            type=qtype,
            text=text,
            section_id=section_id,
            help=help_text,
            theme=theme,
            weight=float(weight),
            required=required,
            visible_if=visible_if,
            profile=profile,
            **fields,
        )

    def options(
        self, node: YamlMap, where: str, qtype: QuestionType, scored: bool
    ) -> tuple[Option, ...]:
        if "options" not in node:
            self.error(node.line, f"{where}: missing required key 'options'")
            return ()
        options: list[Option] = []
        seen: dict[str, int] = {}
        items = self.sequence(node, "options", where)
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            option_node = self.mapping(item, line, f"{where}, option {index + 1}")
            if option_node is None:
                continue
            option_id = self.identifier(option_node, "id", f"{where}, option {index + 1}")
            option_where = f"{where}, option {option_id or index + 1}"
            self.check_keys(
                option_node, option_where, ("id", "label"), ("score", "exclusive", "help")
            )
            self.unique(seen, option_id, line, f"option (in {where})")
            label = self.text(option_node, "label", option_where)
            score = None
            if "score" in option_node:
                score = self.number(
                    option_node, "score", option_where, low=0, high=100, nullable=True
                )
            elif scored:
                self.error(
                    line,
                    f"{option_where}: missing 'score' (every option of a question with a theme needs a score, or score: null)",
                )
            # On a choice question 'exclusive' changes nothing: one option is all it takes.
            exclusive = self.boolean(option_node, "exclusive", option_where, False)
            help_text = self.text(option_node, "help", option_where)
            if option_id and label:
                options.append(
                    Option(
                        option_id,
                        label,
                        None if score is None else float(score),
                        exclusive,
                        help_text,
                    )
                )
        return tuple(options)

    def multi_scoring(
        self, node: YamlMap, where: str, options: tuple[Option, ...], scored: bool
    ) -> MultiScoring:
        scoring = MultiScoring.SUM
        if "scoring" in node:
            try:
                scoring = MultiScoring(node["scoring"])
            except ValueError:
                self.error(
                    node.line_of_value("scoring"),
                    f"{where}: 'scoring' must be sum, max or share, found {describe(node['scoring'])}",
                )
        if scoring is MultiScoring.SHARE and scored and options:
            if not any(o.score is not None and not o.exclusive for o in options):
                self.error(
                    node.line_of_value("scoring"),
                    f"{where}: share scoring needs at least one non-exclusive option with a score",
                )
        return scoring

    def scale(self, node: YamlMap, where: str) -> dict[str, Any]:
        for key in ("min", "max"):
            if key not in node:
                self.error(
                    node.line, f"{where}: missing required key {key!r} (a scale needs min and max)"
                )
        low = self.number(node, "min", where, integer=True) if "min" in node else None
        high = self.number(node, "max", where, integer=True) if "max" in node else None
        if low is not None and high is not None and low >= high:
            self.error(
                node.line_of_value("max"),
                f"{where}: 'max' ({high:g}) must be greater than 'min' ({low:g})",
            )
        labels: dict[int, str] = {}
        raw = node.get("labels")
        if "labels" in node:
            mapping = self.mapping(raw, node.line_of_value("labels"), f"{where}, labels")
            for value, label in (mapping or {}).items():
                line = mapping.line_of_key(value) if mapping is not None else node.line
                if not isinstance(value, int) or isinstance(value, bool):
                    self.error(
                        line,
                        f"{where}: label key {describe(value)} must be a whole number of the scale",
                    )
                elif low is not None and high is not None and not low <= value <= high:
                    self.error(
                        line, f"{where}: label key {value} is outside the scale {low:g}..{high:g}"
                    )
                elif not isinstance(label, str) or not label.strip():
                    self.error(line, f"{where}: the label of {value} must be a non-empty text")
                else:
                    labels[value] = label.strip()
        return {
            "min": low,
            "max": high,
            "labels": MappingProxyType(dict(sorted(labels.items()))),
        }

    def number_fields(self, node: YamlMap, where: str) -> dict[str, Any]:
        low = self.number(node, "min", where) if "min" in node else None
        high = self.number(node, "max", where) if "max" in node else None
        if low is not None and high is not None and low > high:
            self.error(
                node.line_of_value("max"),
                f"{where}: 'max' ({high:g}) must not be below 'min' ({low:g})",
            )
        unit = self.text(node, "unit", where)
        bands: list[Band] = []
        items = self.sequence(node, "bands", where)
        previous: float | None = None
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            band = self.mapping(item, line, f"{where}, band {index + 1}")
            if band is None:
                continue
            band_where = f"{where}, band {index + 1}"
            last = index == len(items) - 1
            self.check_keys(
                band,
                band_where,
                ("score",) if last else ("up_to", "score"),
                ("up_to",) if last else (),
            )
            if last and "up_to" in band:
                self.error(
                    band.line_of_key("up_to"),
                    f"{band_where}: the last band must have no 'up_to' (it takes every larger value)",
                )
            up_to = None
            if not last and "up_to" in band:
                up_to = self.number(band, "up_to", band_where)
                if up_to is not None and previous is not None and up_to <= previous:
                    self.error(
                        band.line_of_value("up_to"),
                        f"{band_where}: 'up_to' {up_to:g} must be greater than the previous band's {previous:g} (bands ascend)",
                    )
                if up_to is not None:
                    previous = up_to
            score = (
                self.number(band, "score", band_where, low=0, high=100, nullable=True)
                if "score" in band
                else None
            )
            bands.append(
                Band(
                    None if up_to is None else float(up_to), None if score is None else float(score)
                )
            )
        return {
            "min": None if low is None else float(low),
            "max": None if high is None else float(high),
            "unit": unit,
            "bands": tuple(bands),
        }

    # -- conditions --

    def condition_at(
        self,
        node: YamlMap,
        key: str,
        where: str,
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
        *,
        themes: Mapping[str, Theme] | None = None,
        dimensions: Mapping[str, Dimension] | None = None,
    ) -> Condition | None:
        if key not in node:
            return None
        return self.condition(
            node[key],
            node.line_of_value(key),
            f"{where}, {key}",
            earlier,
            all_question_ids,
            themes,
            dimensions,
        )

    def condition(
        self,
        value: Any,
        line: int,
        where: str,
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
        themes: Mapping[str, Theme] | None,
        dimensions: Mapping[str, Dimension] | None,
    ) -> Condition | None:
        node = self.mapping(value, line, where)
        if node is None:
            return None
        line = node.line

        def nested(child: Any, child_line: int) -> Condition | None:
            return self.condition(
                child, child_line, where, earlier, all_question_ids, themes, dimensions
            )

        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            self.check_keys(node, where, (key,))
            items = self.sequence(node, key, where)
            children = [nested(child, items.line_of_item(i)) for i, child in enumerate(items)]
            if not items or None in children:
                return None
            return (AllOf if key == "all" else AnyOf)(tuple(children))  # type: ignore[arg-type]
        if "not" in node:
            self.check_keys(node, where, ("not",))
            child = nested(node["not"], node.line_of_value("not"))
            return Not(child) if child is not None else None
        if "question" in node:
            return self.question_condition(node, where, earlier, all_question_ids)
        if "theme" in node or "dimension" in node:
            if themes is None or dimensions is None:
                self.error(
                    line,
                    f"{where}: theme and dimension conditions are only allowed in an action's 'when'",
                )
                return None
            return self.score_condition(node, where, themes, dimensions)
        self.error(
            line,
            f"{where}: unknown condition; expected question, theme, dimension, all, any or not",
        )
        return None

    def question_condition(
        self, node: YamlMap, where: str, earlier: Mapping[str, Question], all_question_ids: set[str]
    ) -> Condition | None:
        operators = [key for key in node if key in _QUESTION_OPERATORS]
        self.check_keys(node, where, ("question",), _QUESTION_OPERATORS)
        if len(operators) != 1:
            names = ", ".join(_QUESTION_OPERATORS)
            self.error(node.line, f"{where}: a question condition needs exactly one of {names}")
            return None
        operator = operators[0]
        ref = node["question"]
        ref_line = node.line_of_value("question")
        if not isinstance(ref, str):
            self.error(
                ref_line, f"{where}: 'question' must be a question id, found {describe(ref)}"
            )
            return None
        question = earlier.get(ref)
        if question is None:
            if ref in all_question_ids:
                self.error(
                    ref_line,
                    f"{where}: question {ref!r} comes later in the file (conditions may only refer to earlier questions)",
                )
            else:
                self.error(ref_line, f"{where}: unknown question {ref!r}")
            return None
        if question.type not in _QUESTION_OPERATORS[operator]:
            kinds = " or ".join(sorted(t.value for t in _QUESTION_OPERATORS[operator]))
            self.error(
                node.line_of_key(operator),
                f"{where}: {operator!r} needs a {kinds} question; {ref!r} is {question.type.value}",
            )
            return None
        value = node[operator]
        value_line = node.line_of_value(operator)
        if operator in ("at_least", "at_most"):
            if not is_number(value):
                self.error(
                    value_line, f"{where}: {operator!r} must be a number, found {describe(value)}"
                )
                return None
            return QuestionCondition(ref, QuestionOperator(operator), value)
        wanted = list(value) if operator == "in" and isinstance(value, list) else [value]
        if operator == "in" and (not isinstance(value, list) or not value):
            self.error(value_line, f"{where}: 'in' must be a non-empty list of option ids")
            return None
        unknown = [v for v in wanted if not isinstance(v, str) or v not in question.options_by_id]
        for option in unknown:
            self.error(value_line, f"{where}: question {ref!r} has no option {describe(option)}")
        if unknown:
            return None
        stored: str | tuple[str, ...] = tuple(wanted) if operator == "in" else wanted[0]
        return QuestionCondition(ref, QuestionOperator(operator), stored)

    def score_condition(
        self,
        node: YamlMap,
        where: str,
        themes: Mapping[str, Theme],
        dimensions: Mapping[str, Dimension],
    ) -> Condition | None:
        target = ScoreTarget.THEME if "theme" in node else ScoreTarget.DIMENSION
        self.check_keys(node, where, (target.value,), _SCORE_OPERATORS)
        operators = [key for key in node if key in _SCORE_OPERATORS]
        if len(operators) != 1:
            self.error(
                node.line,
                f"{where}: a {target.value} condition needs exactly one of below, at_least",
            )
            return None
        target_id = node[target.value]
        known = themes if target is ScoreTarget.THEME else dimensions
        if not isinstance(target_id, str) or target_id not in known:
            self.error(
                node.line_of_value(target.value),
                f"{where}: unknown {target.value} {describe(target_id)}",
            )
            return None
        threshold = self.number(node, operators[0], where, low=0, high=100)
        if threshold is None:
            return None
        return ScoreCondition(target, target_id, ScoreOperator(operators[0]), float(threshold))

    # -- references and actions --

    def references(self, root: YamlMap) -> dict[str, Reference]:
        references: dict[str, Reference] = {}
        seen: dict[str, int] = {}
        items = self.sequence(root, "references", "questionnaire", non_empty=False)
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            node = self.mapping(item, line, f"reference {index + 1}")
            if node is None:
                continue
            where = f"reference {node.get('id', index + 1)!s}"
            self.check_keys(node, where, ("id", "title", "text"), ("url",))
            ref_id = self.identifier(node, "id", where)
            self.unique(seen, ref_id, line, "reference")
            title = self.text(node, "title", where)
            text = self.text(node, "text", where)
            url = self.text(node, "url", where)
            if url is not None and not url.startswith("https://"):
                self.error(node.line_of_value("url"), f"{where}: 'url' must start with https://")
            if ref_id and title and text:
                references[ref_id] = Reference(ref_id, title, text, url)
        return references

    def actions(
        self,
        root: YamlMap,
        questions: Mapping[str, Question],
        themes: Mapping[str, Theme],
        dimensions: Mapping[str, Dimension],
        references: Mapping[str, Reference],
    ) -> tuple[Action, ...]:
        actions: list[Action] = []
        seen: dict[str, int] = {}
        items = self.sequence(root, "actions", "questionnaire", non_empty=False)
        all_ids = set(questions)
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            node = self.mapping(item, line, f"action {index + 1}")
            if node is None:
                continue
            action_id = self.identifier(node, "id", f"action {index + 1}")
            where = f"action {action_id or index + 1}"
            self.check_keys(
                node, where, ("id", "title", "when"), ("text", "horizon", "topics", "references")
            )
            self.unique(seen, action_id, line, "action")
            title = self.text(node, "title", where)
            text = self.text(node, "text", where)
            when = self.condition_at(
                node, "when", where, questions, all_ids, themes=themes, dimensions=dimensions
            )
            horizon = Horizon.MEDIUM
            if "horizon" in node:
                try:
                    horizon = Horizon(node["horizon"])
                except ValueError:
                    self.error(
                        node.line_of_value("horizon"),
                        f"{where}: 'horizon' must be short, medium or long, found {describe(node['horizon'])}",
                    )
            topics = self.id_list(node, "topics", where)
            refs = self.id_list(node, "references", where)
            for ref in refs:
                if ref not in references:
                    self.error(
                        node.line_of_value("references"), f"{where}: unknown reference {ref!r}"
                    )
            if action_id and title and when is not None:
                actions.append(Action(action_id, title, when, horizon, text, topics, refs))
        return tuple(actions)

    def id_list(self, node: YamlMap, key: str, where: str) -> tuple[str, ...]:
        items = self.sequence(node, key, where, non_empty=False)
        values: list[str] = []
        for index, value in enumerate(items):
            if isinstance(value, str) and ITEM_ID.match(value):
                values.append(value)
            else:
                self.error(
                    items.line_of_item(index),
                    f"{where}: {key!r} entries must be ids matching {ITEM_ID.pattern}, found {describe(value)}",
                )
        return tuple(values)
