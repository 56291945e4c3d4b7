"""The catalogs: complete, current, and faithful to their placeholders, in every language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from assessor.domain.languages import LANGUAGES
from assessor.domain.loading import load_questionnaire
from tests.conftest import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
TRANSLATED = sorted(code for code in LANGUAGES if code != "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?([a-z]+)\b")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def key(message: Message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def declared_languages(paths: list[Path]) -> dict[str, frozenset[str]]:
    """Questionnaire id -> the languages its files declare (every version counts: an old
    assessment is still shown in the languages its version was offered in)."""
    declared: dict[str, frozenset[str]] = {}
    for path in paths:
        questionnaire = load_questionnaire(path).questionnaire
        assert questionnaire is not None, path
        declared[questionnaire.id] = declared.get(questionnaire.id, frozenset()) | set(
            questionnaire.languages
        )
    return declared


# The questionnaires babel.cfg extracts.
DECLARED = declared_languages(
    sorted((PROJECT_ROOT / "questionnaires").glob("*.yaml"))
    + sorted((PROJECT_ROOT / "questionnaires" / "released").glob("*.yaml"))
)


def wanted_in(language: str, message: Message, declared: dict[str, frozenset[str]]) -> bool:
    """Pages, mails and the PDF speak every language; a questionnaire only those it declares."""
    questionnaire_id = (message.context or "").split(":", 1)[0]
    return questionnaire_id not in declared or language in declared[questionnaire_id]


def catalog_problems(
    language: str, catalog: Catalog, extracted: Catalog, declared: dict[str, frozenset[str]]
) -> list[str]:
    """What keeps ``catalog`` from being complete and current for ``language``."""
    found = {key(m): m for m in messages(catalog)}
    required = {key(m) for m in messages(extracted) if wanted_in(language, m, declared)}
    known = {key(m) for m in messages(extracted)}
    problems = [f"missing: {k}" for k in sorted(required - set(found), key=str)]
    problems += [f"stale: {k}" for k in sorted(set(found) - known, key=str)]
    for k, message in found.items():
        if k not in required:
            continue  # a questionnaire's text in a language it is not offered in
        if message.fuzzy:
            problems.append(f"fuzzy: {k}")
        elif not all(strings(message)):
            problems.append(f"untranslated: {k}")
    return problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages as the code, templates and questionnaires have them now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
    )
    return read_catalog(pot)


def test_the_template_catalog_is_current(extracted: Catalog) -> None:
    shipped = read_catalog(TRANSLATIONS / "messages.pot")
    assert {key(m) for m in messages(shipped)} == {key(m) for m in messages(extracted)}, (
        "run scripts/translations update"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_current(language: str, extracted: Catalog) -> None:
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    problems = catalog_problems(language, catalog, extracted, DECLARED)
    assert problems == [], (
        f"{len(problems)} problems in {language}: run scripts/translations update, then translate"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_markup_survive_translation(language: str) -> None:
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    problems = []
    for message in messages(catalog):
        wanted_names = {n for text in ids(message) for n in PLACEHOLDER.findall(text)}
        wanted_tags = sorted(TAG.findall(ids(message)[0]))
        for text in strings(message):
            if not text:
                continue
            names = set(PLACEHOLDER.findall(text))
            # A plural form may leave out the count ("one problem"), never add a name.
            allowed = names <= wanted_names and (
                names == wanted_names or isinstance(message.id, tuple)
            )
            if not allowed or sorted(TAG.findall(text)) != wanted_tags:
                problems.append(f"{message.context or ''} {ids(message)[0]!r} -> {text!r}")
            # Templates always apply %-formatting, Python code only with placeholders.
            formatted = wanted_names or any(f.endswith(".html") for f, _ in message.locations)
            if formatted and "%" in PLACEHOLDER.sub("", text).replace("%%", ""):
                problems.append(f"a lone % in {text!r}: write %%")
    assert problems == []


def one_is_not_only_one(language: str) -> bool:
    """Whether the language's singular form also serves other numbers (21, 101, … in
    Croatian, Lithuanian, Latvian, Slovenian): its every form must then say the number."""
    locale = Locale.parse(language)
    return any(locale.plural_form(n) == locale.plural_form(1) for n in (0, 11, 21, 31, 101))


@pytest.mark.parametrize("language", [code for code in TRANSLATED if one_is_not_only_one(code)])
def test_every_plural_form_says_the_number_where_one_form_serves_many(language: str) -> None:
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    silent = [
        f"{ids(m)[1]!r} -> {text!r}"
        for m in messages(catalog)
        if isinstance(m.id, tuple) and "%(num)d" in m.id[1]
        for text in strings(m)
        if text and "%(num)d" not in text
    ]
    assert silent == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_compiles(language: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "compile",
            "--statistics",
            "-i",
            str(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"),
            "-o",
            str(tmp_path / "messages.mo"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
