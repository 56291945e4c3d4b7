"""Cluster catalogue files and the service form share one check (assessor/domain/cluster_files):
a service from a form is checked as plain values, with the messages a file would get."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessor.domain.cluster_files import (
    Vocabulary,
    check_service,
    load_cluster_file,
    service_entry,
)
from assessor.domain.languages import LANGUAGE_CODE, LANGUAGES
from assessor.domain.offerings import ServiceCategory

FORM = {
    "id": "carbon-clinic",
    "category": "regulation",
    "title": {"en": "Carbon clinic", "nl": "Klimaatspreekuur"},
    "description": {"en": "Two hours with an adviser."},
    "topics": ["emissions"],
    "contact": {"name": "Ada", "email": "ada@example.org"},
    "url": "https://example.org/carbon",
}


def test_a_form_service_is_read_like_a_file_entry_and_written_back_the_same() -> None:
    service, problems = check_service(FORM, "nl", "Example cluster")
    assert problems == ()
    assert service is not None
    assert service.category is ServiceCategory.REGULATION
    assert service.title.get("nl") == "Klimaatspreekuur"
    assert service.provider == "Example cluster"
    assert service_entry(service) == FORM


def test_texts_that_yaml_would_type_stay_texts() -> None:
    # 'no', '123' and '2024-01-01' typed from YAML would be a boolean, a number, a date.
    form = {**FORM, "title": {"en": "no"}, "description": {"en": "123"}, "topics": ["2024-01-01"]}
    service, problems = check_service(form, "en", "C")
    assert problems == ()
    assert service is not None
    assert (service.title.get("en"), service.description.get("en")) == ("no", "123")
    assert service.topics == ("2024-01-01",)


def test_a_form_gets_the_messages_a_file_gets(tmp_path: Path) -> None:
    form = {**FORM, "topics": ["Eco Driving"], "url": "http://example.org", "levels": ["expert"]}
    vocabulary = Vocabulary(frozenset({"emissions"}), frozenset({"beginner"}))
    service, problems = check_service(form, "en", "C", vocabulary)
    assert service is None
    catalogue = tmp_path / "c.yaml"
    catalogue.write_text(
        "slug: c1\nname: C\ncountry: NL\nlanguages: [en]\nservices:\n"
        "  - id: carbon-clinic\n    category: regulation\n    title: {en: Carbon clinic}\n"
        "    description: {en: Two hours.}\n    topics: [Eco Driving]\n    levels: [expert]\n"
        "    url: http://example.org\n",
        encoding="utf-8",
    )
    from_file = load_cluster_file(catalogue, vocabulary=vocabulary)
    assert sorted(problems) == sorted(error.message for error in from_file.errors)
    assert len(problems) == 4  # the topic is no id and no known topic


def test_the_contact_of_a_cluster_and_of_a_service_are_checked_alike(tmp_path: Path) -> None:
    catalogue = tmp_path / "c.yaml"
    catalogue.write_text(
        "slug: c1\nname: C\ncountry: NL\nlanguages: [en]\n"
        "contact: {email: not-an-address, phone: 1}\nservices:\n"
        "  - id: s1\n    category: training\n    title: T\n    description: D\n"
        "    topics: [t]\n    contact: {email: not-an-address, phone: 1}\n",
        encoding="utf-8",
    )
    messages = [error.message for error in load_cluster_file(catalogue).errors]
    for where in ("cluster, contact", "service s1, contact"):
        assert f"{where}: unknown key 'phone' (expected: email, name)" in messages
        assert f"{where}: 'not-an-address' is not an e-mail address" in messages


@pytest.mark.parametrize("code", [*LANGUAGES, "pt-BR", "sr-Latn", "fil"])
def test_one_language_code_pattern_takes_every_language_and_region_codes(code: str) -> None:
    assert LANGUAGE_CODE.match(code)


@pytest.mark.parametrize("code", ["EN", "english", "e", "en-", "en GB"])
def test_what_is_not_a_language_code(code: str) -> None:
    assert not LANGUAGE_CODE.match(code)
