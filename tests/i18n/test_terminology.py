"""One term, one translation (issue 18, item 2): the level and dimension names, the themes
and the names of EU rules read the same in every questionnaire and every version of it."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.i18n.test_catalogs import TRANSLATED, TRANSLATIONS, messages, read_catalog, strings

# questionnaire:kind/id/field, for the nodes that name a shared term.
TERM = re.compile(r"^[a-z0-9-]+:(levels|dimensions|themes|references)/([a-z0-9-]+)/(label|title)$")


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_term_has_one_translation_across_questionnaires(language: str) -> None:
    catalog = read_catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    seen: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for message in messages(catalog):
        match = TERM.match(message.context or "")
        if match and all(strings(message)):
            kind, node, _ = match.groups()
            seen[kind, node, str(message.id)].add(strings(message)[0])
    assert seen, "the questionnaires name levels, dimensions, themes and rules"
    differing = {term: texts for term, texts in seen.items() if len(texts) > 1}
    assert differing == {}
