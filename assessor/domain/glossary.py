"""The EU rules and standards a question mentions, from the questionnaire's own list of
``references`` (the one the PDF's glossary chapter prints), so the page explains a term
where it appears without a second copy of the texts.

A reference's name is the start of its title, before a comma or colon and without the
act's number ("eFTI Regulation (EU) 2020/1056" is "eFTI"); names joined by "and the" are
two names ("ISO 14083 and the GLEC Framework"). A name is found in a text as a whole word,
and a name of two words such as "GLEC Framework" also by its first word when that word is
an acronym ("GLEC"), but not "ISO 14083" by "ISO".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assessor.domain.model import Question, Questionnaire, Reference

_ACT_NUMBER = re.compile(r"\s+(?:Council\s+)?(?:Regulation|Directive)\b.*$")
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z0-9])[A-Za-z][A-Za-z0-9-]{2,}$")


def reference_names(reference: Reference) -> tuple[str, ...]:
    """The words that name ``reference`` in a question's text."""
    head = re.split(r"[,:]", reference.title, maxsplit=1)[0].strip()
    names: list[str] = []
    for part in re.split(r"\s+and\s+the\s+", head):
        name = _ACT_NUMBER.sub("", part).strip() or part.strip()
        name = re.sub(r"^The\s+", "", name)
        if len(name) < 2:
            continue
        names.append(name)
        words = name.split()
        if len(words) == 2 and _ACRONYM.match(words[0]) and not re.search(r"\d", words[1]):
            names.append(words[0])
    return tuple(dict.fromkeys(names))


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def references_in(
    texts: Iterable[str | None], references: Iterable[Reference]
) -> tuple[Reference, ...]:
    """The references named in any of ``texts``, in the questionnaire's order."""
    words = " \n ".join(t for t in texts if t)
    return tuple(r for r in references if any(_mentions(words, n) for n in reference_names(r)))


def question_references(question: Question, questionnaire: Questionnaire) -> tuple[Reference, ...]:
    """The references that ``question`` (its text, help or options) mentions."""
    texts = [question.text, question.help]
    texts += [o.label for o in question.options] + [o.help for o in question.options]
    return references_in(texts, questionnaire.references)


@dataclass(frozen=True)
class GlossaryEntry:
    """A reference as a page explains it: by the name a reader sees in the question."""

    name: str
    reference: Reference


def question_glossary(
    question: Question, questionnaire: Questionnaire
) -> tuple[GlossaryEntry, ...]:
    """The entries explaining the rules and standards ``question`` mentions."""
    return tuple(
        GlossaryEntry(reference_names(r)[0] if reference_names(r) else r.title, r)
        for r in question_references(question, questionnaire)
    )
