"""The question grammar: the keys common to every question and those of each type."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from assessor.domain.loading.conditions import ConditionReader
from assessor.domain.loading.yaml_checks import NodeKeys, describe
from assessor.domain.loading.yaml_source import YamlMap
from assessor.domain.model import (
    Band,
    DmaDimension,
    MultiScoring,
    Option,
    OptionReadiness,
    Question,
    QuestionType,
    Theme,
)
from assessor.domain.readiness import COUNTED_STATES, option_states

QUESTION_KEYS = NodeKeys(
    ("id", "type", "text"),
    ("help", "theme", "weight", "required", "visible_if", "profile", "dma"),
)
# The keys each type adds to those of every question.
QUESTION_TYPE_KEYS: Mapping[QuestionType, NodeKeys] = {
    # ``rule``: one answer, one readiness state; a multi answer would give several.
    QuestionType.CHOICE: NodeKeys(("options",), ("rule",)),
    QuestionType.MULTI: NodeKeys(("options",), ("scoring",)),
    QuestionType.SCALE: NodeKeys(("min", "max"), ("labels",)),
    QuestionType.NUMBER: NodeKeys((), ("min", "max", "bands", "unit")),
    QuestionType.TEXT: NodeKeys((), ("max_length",)),
}
OPTION_KEYS = NodeKeys(("id", "label"), ("score", "exclusive", "help", "visible_if", "readiness"))
BAND_KEYS = NodeKeys(("up_to", "score"))
LAST_BAND_KEYS = NodeKeys(("score",), ("up_to",))  # and no up_to, said in a message of its own
_REQUIRED_BY_DEFAULT = frozenset(
    {QuestionType.CHOICE, QuestionType.MULTI, QuestionType.SCALE, QuestionType.NUMBER}
)


class QuestionReader(ConditionReader):
    """Reads one question and the fields of its type."""

    # The ids of the file's references, which a question's ``rule`` names (the builder
    # reads them first: references come after the sections).
    reference_ids: frozenset[str] = frozenset()

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
        raw_type: Any = node.get("type")
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
            _type_keys(QUESTION_TYPE_KEYS[qtype])
            if qtype
            else tuple(k for keys in QUESTION_TYPE_KEYS.values() for k in _type_keys(keys))
        )
        if "rule" in node and qtype is not None and qtype is not QuestionType.CHOICE:
            self.error(
                node.line_of_key("rule"),
                f"{where}: 'rule' is only for choice questions (one answer, one readiness "
                f"state), not for a {qtype.value} question",
            )
            extra += ("rule",)  # said above, not again as an unknown key
        self.check_keys(node, where, QUESTION_KEYS.required, QUESTION_KEYS.optional + extra)
        text = self.text(node, "text", where)
        help_text = self.text(node, "help", where)
        theme = self.identifier(node, "theme", where)
        if theme is not None and theme not in themes:
            self.error(node.line_of_value("theme"), f"{where}: unknown theme {theme!r}")
        weight = self.number(node, "weight", where, positive=True) if "weight" in node else 1.0
        profile = self.identifier(node, "profile", where)
        visible_if = self.condition_at(node, "visible_if", where, earlier, all_question_ids)
        required = self.boolean(node, "required", where, qtype in _REQUIRED_BY_DEFAULT)
        dma = self.dma(node, where)
        if qtype is None or question_id is None:
            return None
        fields: dict[str, Any] = {}
        scored = theme is not None
        if qtype in (QuestionType.CHOICE, QuestionType.MULTI):
            fields["options"] = self.options(
                node, where, qtype, scored, question_id, earlier, all_question_ids
            )
            if qtype is QuestionType.MULTI:
                fields["scoring"] = self.multi_scoring(node, where, fields["options"], scored)
            else:
                fields["rule"] = self.rule(node, where, fields["options"])
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
            dma=dma,
            **fields,
        )

    def dma(self, node: YamlMap, where: str) -> DmaDimension | None:
        """The EU DMA dimension a question informs; a near miss gets a suggestion."""
        if "dma" not in node:
            return None
        value = node["dma"]
        try:
            return DmaDimension(value)
        except ValueError:
            known = [d.value for d in DmaDimension]
            close = difflib.get_close_matches(value, known, n=1) if isinstance(value, str) else []
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f" (expected one of {', '.join(known)})"
            )
            self.error(
                node.line_of_value("dma"),
                f"{where}: 'dma' {describe(value)} is not a dimension of the EU Digital Maturity Assessment{hint}",
            )
            return None

    def rule(self, node: YamlMap, where: str, options: tuple[Option, ...]) -> str | None:
        """The reference (EU rule) a choice question asks where the company stands with; its
        options must tell at least two states apart."""
        if "rule" not in node:
            return None
        rule = self.identifier(node, "rule", where)
        if rule is None:
            return None
        if rule not in self.reference_ids:
            known = sorted(self.reference_ids)
            close = difflib.get_close_matches(rule, known, n=1)
            if close:
                hint = f"; did you mean {close[0]!r}?"
            elif known:
                hint = f" (its references: {', '.join(known)})"
            else:
                hint = " (it has no `references`)"
            self.error(
                node.line_of_value("rule"),
                f"{where}: 'rule' {rule!r} is not a reference of this questionnaire{hint}",
            )
            return None
        states = set(option_states(options).values()) & COUNTED_STATES
        if options and len(states) < 2:
            self.error(
                node.line_of_value("rule"),
                f"{where}: 'rule' needs options in at least two of the states ready, preparing "
                "and unaware, or it tells no company apart: give the options different "
                "scores, or each a 'readiness'",
            )
        return rule

    def readiness(self, node: YamlMap, where: str, has_rule: bool) -> OptionReadiness | None:
        """An option's ``readiness``: what choosing it says about the question's rule."""
        if "readiness" not in node:
            return None
        value = node["readiness"]
        try:
            readiness = OptionReadiness(value)
        except ValueError:
            known = [r.value for r in OptionReadiness]
            close = difflib.get_close_matches(value, known, n=1) if isinstance(value, str) else []
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f" (expected one of {', '.join(known)})"
            )
            self.error(
                node.line_of_value("readiness"),
                f"{where}: 'readiness' {describe(value)} is not a readiness state{hint}",
            )
            return None
        if not has_rule:
            self.error(
                node.line_of_key("readiness"),
                f"{where}: 'readiness' needs a 'rule' on its question (the reference whose "
                "readiness the answer tells)",
            )
            return None
        return readiness

    def options(
        self,
        node: YamlMap,
        where: str,
        qtype: QuestionType,
        scored: bool,
        question_id: str,
        earlier: Mapping[str, Question],
        all_question_ids: set[str],
    ) -> tuple[Option, ...]:
        if "options" not in node:
            self.error(node.line, f"{where}: missing required key 'options'")
            return ()
        options: list[Option] = []
        seen: dict[str, int] = {}
        items = self.sequence(node, "options", where)
        for index, line, option_node in self.entries(items, f"{where}, option"):
            option_id = self.identifier(option_node, "id", f"{where}, option {index + 1}")
            option_where = f"{where}, option {option_id or index + 1}"
            self.check_keys(option_node, option_where, *OPTION_KEYS)
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
            readiness = self.readiness(option_node, option_where, "rule" in node)
            visible_if = self.condition_at(
                option_node,
                "visible_if",
                option_where,
                earlier,
                all_question_ids,
                itself=question_id,
            )
            if option_id and label:
                options.append(
                    Option(
                        option_id,
                        label,
                        None if score is None else float(score),
                        exclusive,
                        help_text,
                        visible_if,
                        readiness,
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
        for key in QUESTION_TYPE_KEYS[QuestionType.SCALE].required:
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
        for index, _line, band in self.entries(items, f"{where}, band"):
            band_where = f"{where}, band {index + 1}"
            last = index == len(items) - 1
            self.check_keys(band, band_where, *(LAST_BAND_KEYS if last else BAND_KEYS))
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


def _type_keys(keys: NodeKeys) -> tuple[str, ...]:
    return keys.required + keys.optional
