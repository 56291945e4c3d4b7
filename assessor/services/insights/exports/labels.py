"""Names for the codes an insights report holds, in the reader's language: the
questionnaire's own texts (localised), the cluster's services, and the app's words for the
rest. A code the questionnaire no longer has (a version since changed) is named by itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessor.domain.model import Question, Questionnaire
from assessor.presentation.insights import DMA_NAMES, READINESS
from assessor.services.insights.figures import ServiceSource, Suppressed
from assessor.services.insights.filters import InsightFilters

# The page's words, so that a page and its workbook name a dimension or a state alike.
DMA_DIMENSIONS = DMA_NAMES
READINESS_STATES = {code: label for code, label, _colour in READINESS}

SERVICE_SOURCES = {
    ServiceSource.CLUSTER.value: _l("A service of the cluster"),
    ServiceSource.NETWORK.value: _l("Served only by the network"),
    ServiceSource.NONE.value: _l("No service anywhere"),
}

FILTER_NAMES = {
    "since": _l("From"),
    "until": _l("Until"),
    "questionnaire_id": _l("Questionnaire"),
    "version": _l("Questionnaire version"),
    "activity": _l("Activity"),
    "size": _l("Size"),
    "country": _l("Country"),
}


def dma_disclaimer() -> str:
    return str(
        _(
            "The DMA correspondence groups the digital results by the six dimensions of the EU "
            "Digital Maturity Assessment, from the questions tagged with them. It is a "
            "correspondence, not an official DMA score."
        )
    )


def hidden_note(minimum: int, in_tables: bool = True) -> str:
    """What a hidden figure is: in the files, an empty cell the row's "Hidden" column names;
    in the PDF, a figure written "hidden"."""
    if in_tables:
        return str(
            _(
                "An empty figure named in a row's “Hidden” column is about fewer than "
                "%(minimum)s companies, or would let a reader work such a group out from two "
                "sets of filters: it is hidden, not zero.",
                minimum=minimum,
            )
        )
    return str(
        _(
            "A figure marked “hidden” is about fewer than %(minimum)s companies, or would let a "
            "reader work such a group out from two sets of filters: it is hidden, not zero.",
            minimum=minimum,
        )
    )


def suppression_text(suppressed: Suppressed | None, suppressed_by: str | None, minimum: int) -> str:
    """Why a whole report shows no figure ("" when it shows them)."""
    if suppressed is Suppressed.TOO_FEW:
        return str(
            _(
                "Fewer than %(minimum)s companies match these filters: no figure is shown.",
                minimum=minimum,
            )
        )
    if suppressed is Suppressed.DIFFERENCING:
        name = FILTER_NAMES.get(suppressed_by or "", suppressed_by or "")
        return str(
            _(
                "No figure is shown: compared with the same filters without “%(filter)s”, these "
                "figures would single out a group of fewer than %(minimum)s companies.",
                filter=str(name),
                minimum=minimum,
            )
        )
    return ""


@dataclass(frozen=True)
class Labels:
    """The reader's names for a report's codes."""

    questionnaire: Questionnaire | None  # localised; None: not served any more, or none
    services: Mapping[str, str] = field(default_factory=dict)  # service key: title

    @property
    def title(self) -> str:
        return self.questionnaire.title if self.questionnaire else ""

    def score(self, key: str) -> str:
        """``overall``, ``dimension:<id>`` or ``theme:<id>``."""
        kind, _colon, item = key.partition(":")
        q = self.questionnaire
        if kind == "overall":
            return str(_("Overall"))
        if q is not None and kind == "dimension" and item in q.dimensions_by_id:
            return q.dimensions_by_id[item].label
        if q is not None and kind == "theme" and item in q.themes_by_id:
            return q.themes_by_id[item].label
        return key

    def dimension_of_theme(self, theme_id: str) -> str | None:
        q = self.questionnaire
        if q is not None and theme_id in q.themes_by_id:
            return q.themes_by_id[theme_id].dimension_id
        return None

    def theme(self, theme_id: str) -> str:
        return self.score(f"theme:{theme_id}")

    def level(self, level_id: str) -> str:
        for level in self.questionnaire.levels if self.questionnaire else ():
            if level.id == level_id:
                return level.label
        return level_id

    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.questionnaire.levels) if self.questionnaire else ()

    def _profile_question(self, key: str) -> Question | None:
        for question in self.questionnaire.questions if self.questionnaire else ():
            if question.profile == key:
                return question
        return None

    def profile(self, key: str) -> str:
        question = self._profile_question(key)
        if question is not None:
            return question.text
        name = FILTER_NAMES.get(key)
        return str(name) if name is not None else key

    def option(self, profile_key: str, option_id: str) -> str:
        question = self._profile_question(profile_key)
        if question is not None and option_id in question.options_by_id:
            return question.options_by_id[option_id].label
        return option_id

    def action(self, action_id: str) -> str:
        q = self.questionnaire
        if q is not None and action_id in q.actions_by_id:
            return q.actions_by_id[action_id].title
        return action_id

    def service(self, key: str) -> str:
        return self.services.get(key, key)

    def reference(self, reference_id: str) -> str:
        q = self.questionnaire
        if q is not None and reference_id in q.references_by_id:
            return q.references_by_id[reference_id].title
        return reference_id

    def question(self, question_id: str) -> str:
        q = self.questionnaire
        if q is not None and question_id in q.questions_by_id:
            return q.questions_by_id[question_id].text
        return question_id

    def filter_value(self, name: str, filters: InsightFilters) -> str:
        """A filter's value as the reader reads it ("" when not set)."""
        value = getattr(filters, name)
        if value is None:
            return ""
        if name in ("activity", "size", "country"):
            return self.option(name, value)
        if name == "questionnaire_id":
            return self.title or value
        return str(value)
