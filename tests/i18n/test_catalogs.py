"""The catalogs: complete, current, and faithful to their placeholders, in every language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from assessor.domain.languages import LANGUAGES
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
    found = {key(m): m for m in messages(catalog)}
    wanted = {key(m) for m in messages(extracted)}
    assert sorted(wanted - set(found), key=str) == [], "missing: run scripts/translations update"
    assert sorted(set(found) - wanted, key=str) == [], "stale: run scripts/translations update"
    fuzzy = [key(m) for m in found.values() if m.fuzzy]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy messages in {language}"
    untranslated = [key(m) for m in found.values() if not all(strings(m))]
    assert untranslated == [], f"{len(untranslated)} untranslated messages in {language}"


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
