"""Load a questionnaire YAML file into a :class:`Questionnaire`, or say why not.

Every problem of a file is collected (not only the first) as a
:class:`LoadError` whose text is ``PATH:LINE: message``, LINE being the line of
the YAML node at fault. Loading never raises for bad content.

The package is cut by grammar: ``structure`` (top level, levels, dimensions, sections,
references, and the builder that walks the file), ``questions``, ``conditions`` and
``actions``, each a reader class the builder inherits; under them the YAML helpers that
cluster catalogue files use too: ``yaml_source`` (YAML 1.2 with line numbers) and
``yaml_checks`` (typed readers that collect errors).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assessor.domain.loading.structure import QuestionnaireBuilder
from assessor.domain.loading.yaml_checks import LoadError
from assessor.domain.loading.yaml_source import YamlError, YamlList, YamlMap, parse_yaml
from assessor.domain.model import Questionnaire

__all__ = [
    "LoadError",
    "LoadResult",
    "content_sha256",
    "load_questionnaire",
    "parse_questionnaire",
]

# Top-level keys that say how a questionnaire is offered, not what it asks or shows: changing
# them is not a new version.
OFFERING_KEYS = frozenset({"languages"})
# Keys of questions and of their options that annotate the content for cluster insights
# (a question's EU ``rule``, an option's ``readiness``): no score, condition or text a
# respondent sees depends on them, so tagging a questionnaire keeps its version.
ANNOTATION_QUESTION_KEYS = frozenset({"rule"})
ANNOTATION_OPTION_KEYS = frozenset({"readiness"})


@dataclass(frozen=True)
class LoadResult:
    path: str
    questionnaire: Questionnaire | None
    errors: tuple[LoadError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def load_questionnaire(
    path: str | Path, display_path: str | None = None, *, today: date | None = None
) -> LoadResult:
    """Read, parse and validate one questionnaire file (``today``: as in parse_questionnaire)."""
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
    return parse_questionnaire(text, shown, today=today)


def parse_questionnaire(
    text: str, path: str = "<string>", sha256: str = "", *, today: date | None = None
) -> LoadResult:
    """Validate questionnaire YAML given as text (``path`` is only for messages).

    The questionnaire's ``source_sha256`` is :func:`content_sha256` of the text unless
    ``sha256`` is given. A reference's ``checked`` month may not be after the month of
    ``today`` (by default the machine's date; tests pass a fixed one)."""
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
    builder = QuestionnaireBuilder(path, today if today is not None else date.today())
    questionnaire = builder.build(document.root, sha256 or _content_hash(document.root))
    # Keep each message once, in line order (stable: same-line errors keep their order).
    errors = tuple(sorted(dict.fromkeys(builder.errors), key=lambda e: e.line))
    return LoadResult(path, None if errors else questionnaire, errors)


def _failure(path: str, line: int, message: str) -> LoadResult:
    return LoadResult(path, None, (LoadError(path, line, message),))


def content_sha256(text: str) -> str | None:
    """The hash of what a questionnaire's text says, not of how it is written: comments,
    quoting, indentation, key order and folded line breaks do not change it; a changed
    score, condition or text does (and so does ``version``). How it is offered
    (``languages``) is left out, and so are the annotations for insights (a question's
    ``rule``, an option's ``readiness``). None for text that is not a YAML mapping."""
    try:
        document = parse_yaml(text)
    except YamlError:
        return None
    if document is None or not isinstance(document.root, YamlMap):
        return None
    return _content_hash(document.root)


def _content_hash(root: YamlMap) -> str:
    content = {k: v for k, v in root.items() if k not in OFFERING_KEYS}
    if isinstance(content.get("sections"), list):
        content["sections"] = [_without_annotations(s) for s in content["sections"]]
    canonical = json.dumps(
        _canonical(content), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _without_annotations(section: object) -> object:
    """A section's content with its questions' and options' annotation keys left out."""
    if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
        return section
    questions = []
    for question in section["questions"]:
        if isinstance(question, dict):
            question = {k: v for k, v in question.items() if k not in ANNOTATION_QUESTION_KEYS}
            if isinstance(question.get("options"), list):
                question["options"] = [
                    {k: v for k, v in o.items() if k not in ANNOTATION_OPTION_KEYS}
                    if isinstance(o, dict)
                    else o
                    for o in question["options"]
                ]
        questions.append(question)
    return {**section, "questions": questions}


def _canonical(value: object) -> object:
    """Plain JSON values; mapping keys typed so that ``1`` and ``"1"`` stay apart."""
    if isinstance(value, dict):
        return {f"{type(k).__name__}:{k}": _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return f"{type(value).__name__}:{value}"
