"""Released versions of the shipped questionnaires stay in questionnaires/released/.

Assessments keep the version they were answered on (the database records it), and their
texts keep their translations only while the catalogs still hold that version's messages:
babel.cfg extracts the released files too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from assessor.domain.catalogue import load_catalogue
from assessor.domain.loading import load_questionnaire
from assessor.domain.texts import questionnaire_texts
from tests.conftest import SHIPPED

RELEASED = SHIPPED / "released"
NAME = re.compile(r"(?P<id>[a-z0-9-]+)-v(?P<version>\d+)\.yaml")


@pytest.mark.parametrize("path", sorted(RELEASED.glob("*.yaml")), ids=lambda p: p.name)
def test_a_released_file_is_named_after_its_id_and_version_and_still_loads(path: Path) -> None:
    named = NAME.fullmatch(path.name)
    assert named, f"{path.name}: name released files <id>-v<version>.yaml"
    result = load_questionnaire(path, str(path))
    assert result.errors == (), result.errors
    assert result.questionnaire is not None
    assert result.questionnaire.id == named["id"]
    assert result.questionnaire.version == int(named["version"])


def test_every_earlier_version_of_a_shipped_questionnaire_is_kept() -> None:
    catalogue = load_catalogue(SHIPPED)
    assert catalogue.errors == ()
    for questionnaire in catalogue:
        for version in range(1, questionnaire.version):
            assert (RELEASED / f"{questionnaire.id}-v{version}.yaml").is_file(), (
                f"copy version {version} of {questionnaire.id} into questionnaires/released/"
            )


@pytest.mark.parametrize("language", ["fr", "de", "nl", "fi", "pl", "es", "it"])
def test_every_text_of_a_released_version_is_translated(language: str) -> None:
    catalog_path = SHIPPED.parent / "translations" / language / "LC_MESSAGES" / "messages.po"
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for path in sorted(RELEASED.glob("*.yaml")):
        questionnaire = load_questionnaire(path, str(path)).questionnaire
        assert questionnaire is not None
        for text in questionnaire_texts(questionnaire):
            message = catalog.get(text.text, context=text.context)
            if message is None or not message.string or message.fuzzy:
                missing.append(f"{path.name}: {text.context}")
    assert missing == []
