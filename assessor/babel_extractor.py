"""The Babel extractor for questionnaire files, registered as the ``questionnaire`` method.

``babel.cfg`` maps ``questionnaires/*.yaml`` to it, so ``pybabel extract`` puts every
text a respondent reads into ``messages.pot`` as a ``pgettext`` message: the context
names the questionnaire and the node (see ``assessor.domain.texts``), and the
translator comment says where the text appears. An invalid questionnaire stops the
extraction with the validator's ``PATH:LINE: message`` lines instead of producing a
catalog that silently lacks texts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from assessor.domain.loading import parse_questionnaire
from assessor.domain.loading.yaml_source import YamlList, YamlMap, parse_yaml
from assessor.domain.texts import questionnaire_texts


class QuestionnaireExtractionError(Exception):
    pass


def extract_questionnaire(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield ``(line, "pgettext", (context, text), [comment])`` for Babel."""
    name = getattr(fileobj, "name", "<questionnaire>")
    text = fileobj.read().decode("utf-8-sig")
    result = parse_questionnaire(text, str(name))
    if result.questionnaire is None:
        raise QuestionnaireExtractionError("\n".join(str(e) for e in result.errors))
    document = parse_yaml(text)  # read once more for its lines; it parsed just above
    lines = _context_lines(result.questionnaire.id, document.root if document else YamlMap())
    for entry in questionnaire_texts(result.questionnaire):
        yield lines.get(entry.context, 1), "pgettext", (entry.context, entry.text), [entry.comment]


def _context_lines(questionnaire_id: str, root: YamlMap) -> dict[str, int]:
    """The line of each text node, keyed like the message contexts."""
    lines: dict[str, int] = {}

    def texts(node: Any, path: str, keys: tuple[str, ...]) -> None:
        if isinstance(node, YamlMap):
            for key in keys:
                if key in node:
                    lines[f"{questionnaire_id}:{path}{key}"] = node.line_of_value(key)

    def items(node: Any, key: str) -> Iterator[YamlMap]:
        value = node.get(key) if isinstance(node, YamlMap) else None
        if isinstance(value, YamlList):
            yield from (item for item in value if isinstance(item, YamlMap) and "id" in item)

    texts(root, "", ("title", "intro"))
    for level in items(root, "levels"):
        texts(level, f"levels/{level['id']}/", ("label",))
    for dimension in items(root, "dimensions"):
        texts(dimension, f"dimensions/{dimension['id']}/", ("label",))
        for theme in items(dimension, "themes"):
            texts(theme, f"themes/{theme['id']}/", ("label",))
    for section in items(root, "sections"):
        texts(section, f"sections/{section['id']}/", ("title", "intro"))
        for question in items(section, "questions"):
            path = f"questions/{question['id']}/"
            texts(question, path, ("text", "help", "unit"))
            for option in items(question, "options"):
                texts(option, f"{path}options/{option['id']}/", ("label", "help"))
            labels = question.get("labels")
            if isinstance(labels, YamlMap):
                for value in labels:
                    lines[f"{questionnaire_id}:{path}labels/{value}"] = labels.line_of_value(value)
    for reference in items(root, "references"):
        texts(reference, f"references/{reference['id']}/", ("title", "text"))
    for action in items(root, "actions"):
        texts(action, f"actions/{action['id']}/", ("title", "text"))
    return lines
