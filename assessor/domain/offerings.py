"""Cluster services: what a catalogue offers, and its texts in several languages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from assessor.domain.languages import language_tag


class ServiceCategory(StrEnum):
    """The six kinds of support a logistics cluster offers."""

    INNOVATION = "innovation"  # innovation services
    FINANCE = "finance"  # access to finance
    REGULATION = "regulation"  # regulatory advice (eFTI, CountEmissionsEU, EU standards)
    INTERNATIONALISATION = "internationalisation"  # internationalisation and matchmaking
    TRAINING = "training"
    PROCESS = "process"  # process advice: warehousing, shipment, inventory, indicators


@dataclass(frozen=True)
class LocalisedText:
    """A text per language. ``get`` tries the reader's language (then its main language),
    then the ``fallback`` languages in order (English by default: a reader is likelier to
    read English than the cluster's own language), then the cluster's default language,
    then any text there is."""

    texts: Mapping[str, str]
    default_language: str = "en"
    fallback: tuple[str, ...] = ("en",)

    def get(self, language: str) -> str:
        # Codes compared in one spelling: a file's "pt_BR" is a browser's "pt-br".
        texts = {language_tag(code): text for code, text in self.texts.items()}
        for candidate in (
            language,
            language.replace("_", "-").split("-")[0],
            *self.fallback,
            self.default_language,
        ):
            if language_tag(candidate) in texts:
                return texts[language_tag(candidate)]
        return next(iter(self.texts.values()))


@dataclass(frozen=True)
class Service:
    id: str
    category: ServiceCategory
    title: LocalisedText
    description: LocalisedText
    topics: tuple[str, ...]
    levels: tuple[str, ...] = ()  # maturity level ids it suits; empty: every level
    contact_name: str | None = None
    contact_email: str | None = None
    url: str | None = None
    provider: str = ""  # the cluster's (or network's) name

    def suits(self, level_id: str | None) -> bool:
        return not self.levels or level_id is None or level_id in self.levels
