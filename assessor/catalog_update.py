"""Merging the extracted messages into each language's catalog, without guessing.

``pybabel update`` pre-fills a new message with the translation of the most similar old
one, marked fuzzy: for "Never" it may offer the translation of "Ever", a guess a busy
translator confirms without reading. ``scripts/translations update`` merges with fuzzy
matching off, then does the one match that is not a guess: a questionnaire text whose
English changed keeps the context that names its node, so the translation of that very
node is carried over, marked fuzzy for a translator to check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """``catalog`` brought up to ``template``: new messages empty, a changed text of the
    same context fuzzy with its former translation, vanished messages dropped."""
    former = {
        message.context: message
        for message in catalog
        if message.id and message.context and message.string and not message.fuzzy
    }
    catalog.update(template, no_fuzzy_matching=True)
    for message in catalog:
        if not message.id or not message.context or message.string:
            continue
        old = former.get(message.context)
        if old is not None and old.id != message.id and type(old.id) is type(message.id):
            message.string = old.string
            message.flags.add("fuzzy")
            message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)
    return catalog


def update_all(template_path: Path, translations: Path) -> None:
    with template_path.open("rb") as handle:
        template = read_po(handle)
    for path in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=path.parts[-3])
        merge(catalog, template)
        with path.open("wb") as handle:
            write_po(handle, catalog, ignore_obsolete=True, width=76)


if __name__ == "__main__":
    update_all(Path(sys.argv[1]), Path(sys.argv[2]))
