"""The questionnaire's structure: top-level keys, levels, dimensions and themes,
sections and their questions, references; the builder that walks the whole file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from assessor.domain.languages import LANGUAGE_CODE, LANGUAGES
from assessor.domain.loading.actions import ActionReader
from assessor.domain.loading.questions import QuestionReader
from assessor.domain.loading.yaml_checks import NodeKeys, describe
from assessor.domain.loading.yaml_source import YamlMap
from assessor.domain.model import (
    MONTH_TEXT,
    Dimension,
    Level,
    Month,
    Question,
    Questionnaire,
    Reference,
    Section,
    Theme,
)

SUPPORTED_FORMAT = 1
QUESTIONNAIRE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

QUESTIONNAIRE_KEYS = NodeKeys(
    ("format", "id", "version", "language", "title", "levels", "dimensions", "sections"),
    ("intro", "actions", "references", "minutes", "languages"),
)
LEVEL_KEYS = NodeKeys(("id", "label", "min"))
DIMENSION_KEYS = NodeKeys(("id", "label", "themes"), ("weight",))
THEME_KEYS = NodeKeys(("id", "label"), ("weight",))
SECTION_KEYS = NodeKeys(("id", "title", "questions"), ("intro", "visible_if"))
REFERENCE_KEYS = NodeKeys(("id", "title", "text"), ("url", "source", "checked"))
# The month a reference was last checked: YYYY-MM, quoted or not (YAML 1.2 reads it as text).
MONTH = MONTH_TEXT


class QuestionnaireBuilder(QuestionReader, ActionReader):
    """Walks the questionnaire's YAML tree once, building objects and collecting errors.

    ``today`` is the date a reference's ``checked`` month may not be after."""

    def __init__(self, path: str, today: date) -> None:
        super().__init__(path)
        self.today = today

    def build(self, root: YamlMap, sha256: str) -> Questionnaire | None:
        self.check_keys(root, "questionnaire", *QUESTIONNAIRE_KEYS)
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
        language = self.identifier(root, "language", "questionnaire", LANGUAGE_CODE)
        languages = self.languages(root, language)
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
        self.reference_ids = self.prescan_reference_ids(root)
        sections = self.sections(root, themes, all_question_ids)
        questions = {q.id: q for s in sections for q in s.questions}
        references = self.references(root)
        actions = self.actions(root, questions, themes, {d.id: d for d in dimensions}, references)

        if (
            self.errors
            or fmt is None
            or qid is None
            or version is None
            or language is None
            or title is None
        ):
            return None
        return Questionnaire(
            format=int(fmt),
            id=qid,
            version=int(version),
            language=language,
            languages=languages or (language,),
            title=title,
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

    def languages(self, root: YamlMap, source_language: str | None) -> tuple[str, ...]:
        """The languages the questionnaire is offered in: codes the app speaks, each once,
        the file's own ``language`` among them (absent: that language alone)."""
        items = self.sequence(root, "languages", "questionnaire")
        known = ", ".join(LANGUAGES)
        codes: list[str] = []
        seen: dict[str, int] = {}
        for index, value in enumerate(items):
            line = items.line_of_item(index)
            if not isinstance(value, str) or value not in LANGUAGES:
                self.error(
                    line,
                    f"questionnaire: 'languages' entry {describe(value)} is not a language "
                    f"this assessor speaks ({known})",
                )
                continue
            if value in seen:
                self.error(
                    line,
                    f"questionnaire: language {value!r} listed twice (first on line {seen[value]})",
                )
                continue
            seen[value] = line
            codes.append(value)
        if items and source_language is not None and source_language not in seen:
            self.error(
                root.line_of_value("languages"),
                f"questionnaire: 'languages' must include the file's own language "
                f"{source_language!r} (add it to the list)",
            )
        return tuple(codes)

    def levels(self, root: YamlMap) -> tuple[Level, ...]:
        levels: list[Level] = []
        seen: dict[str, int] = {}
        items = self.sequence(root, "levels", "questionnaire")
        previous: float | None = None
        for index, line, node in self.entries(items, "level"):
            where = f"level {node.get('id', index + 1)!s}"
            self.check_keys(node, where, *LEVEL_KEYS)
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
        for index, line, node in self.entries(items, "dimension"):
            where = f"dimension {node.get('id', index + 1)!s}"
            self.check_keys(node, where, *DIMENSION_KEYS)
            dimension_id = self.identifier(node, "id", where)
            self.unique(seen_dimensions, dimension_id, line, "dimension")
            label = self.text(node, "label", where)
            weight = self.number(node, "weight", where, positive=True) if "weight" in node else 1.0
            themes: list[Theme] = []
            theme_items = self.sequence(node, "themes", where)
            for theme_index, theme_line, theme_node in self.entries(theme_items, f"{where}, theme"):
                theme_where = f"theme {theme_node.get('id', theme_index + 1)!s}"
                self.check_keys(theme_node, theme_where, *THEME_KEYS)
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

    def prescan_reference_ids(self, root: YamlMap) -> frozenset[str]:
        """All reference ids, so that a question's ``rule`` can name one (a reference that
        is itself in error gets its own message)."""
        references = root.get("references")
        return frozenset(
            item["id"]
            for item in (references if isinstance(references, list) else ())
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        )

    def sections(
        self, root: YamlMap, themes: Mapping[str, Theme], all_question_ids: set[str]
    ) -> tuple[Section, ...]:
        sections: list[Section] = []
        seen_sections: dict[str, int] = {}
        seen_questions: dict[str, int] = {}
        earlier: dict[str, Question] = {}
        items = self.sequence(root, "sections", "questionnaire")
        for index, line, node in self.entries(items, "section"):
            where = f"section {node.get('id', index + 1)!s}"
            self.check_keys(node, where, *SECTION_KEYS)
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

    def references(self, root: YamlMap) -> dict[str, Reference]:
        references: dict[str, Reference] = {}
        seen: dict[str, int] = {}
        items = self.sequence(root, "references", "questionnaire", non_empty=False)
        for index, line, node in self.entries(items, "reference"):
            where = f"reference {node.get('id', index + 1)!s}"
            self.check_keys(node, where, *REFERENCE_KEYS)
            ref_id = self.identifier(node, "id", where)
            self.unique(seen, ref_id, line, "reference")
            title = self.text(node, "title", where)
            text = self.text(node, "text", where)
            url = self.web_address(node, "url", where)
            source = self.text(node, "source", where)
            checked = self.month(node, "checked", where)
            if ref_id and title and text:
                references[ref_id] = Reference(ref_id, title, text, url, source, checked, line)
        return references

    def month(self, node: YamlMap, key: str, where: str) -> Month | None:
        """A month written YYYY-MM, not after the current one."""
        if key not in node:
            return None
        value = node[key]
        match = MONTH.match(value) if isinstance(value, str) else None
        if match is None:
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} must be a month written YYYY-MM (for example 2026-12), "
                f"found {describe(value)}",
            )
            return None
        month = Month(int(match[1]), int(match[2]))
        if month > Month.of(self.today):
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} {month} is in the future (today is {self.today.isoformat()})",
            )
            return None
        return month
