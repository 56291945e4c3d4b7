"""Immutable questionnaire objects, as described in docs/questionnaire-format.md.

Nothing here knows about YAML, Flask or a database: the loader builds these
objects once, and scoring, planning, forms and PDFs only read them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from assessor.domain.conditions import Condition
from assessor.domain.numbers import SCORE_TOLERANCE


class QuestionType(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"


class MultiScoring(StrEnum):
    SUM = "sum"
    MAX = "max"
    SHARE = "share"


class DmaDimension(StrEnum):
    """The six dimensions of the EU Digital Maturity Assessment (the European Digital
    Innovation Hubs' questionnaire). A question's ``dma`` says which one it informs: a
    documented correspondence for cluster insights, not a DMA score."""

    DIGITAL_BUSINESS_STRATEGY = "digital-business-strategy"
    DIGITAL_READINESS = "digital-readiness"
    HUMAN_CENTRIC_DIGITALISATION = "human-centric-digitalisation"
    DATA_MANAGEMENT = "data-management"
    AUTOMATION_AI = "automation-ai"
    GREEN_DIGITALISATION = "green-digitalisation"


class ReadinessState(StrEnum):
    """Where a company stands with an EU rule a question asks about (a question's ``rule``)."""

    READY = "ready"
    PREPARING = "preparing"
    UNAWARE = "unaware"
    UNKNOWN = "unknown"  # an "I don't know" answer: counted, but as not knowing


class OptionReadiness(StrEnum):
    """What an option's ``readiness`` key may say: a state, or ``none`` for an answer that is
    not counted (a "not applicable"). Without the key the option's score decides (see
    :func:`assessor.domain.readiness.readiness_of`)."""

    READY = "ready"
    PREPARING = "preparing"
    UNAWARE = "unaware"
    UNKNOWN = "unknown"
    NONE = "none"


class Horizon(StrEnum):
    """When an action pays off; the order is the tie-breaker of priorities."""

    SHORT = "short"  # 0-3 months: quick wins
    MEDIUM = "medium"  # 3-12 months: next steps
    LONG = "long"  # over 12 months: strategic moves

    @property
    def rank(self) -> int:
        return list(Horizon).index(self)


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    min: float


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    score: float | None = None
    exclusive: bool = False
    help: str | None = None
    visible_if: Condition | None = None  # offered only when it holds (earlier answers only)
    # Where a company giving this answer stands with the question's rule; None: by its score.
    # Not content (no score or text depends on it): adding it is not a new version.
    readiness: OptionReadiness | None = None


@dataclass(frozen=True)
class Band:
    """Scores a number: applies when the value is <= ``up_to`` (None: no limit)."""

    up_to: float | None
    score: float | None


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    section_id: str
    help: str | None = None
    theme: str | None = None
    weight: float = 1.0
    required: bool = True
    visible_if: Condition | None = None
    profile: str | None = None
    options: tuple[Option, ...] = ()
    scoring: MultiScoring = MultiScoring.SUM
    min: float | None = None
    max: float | None = None
    labels: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    bands: tuple[Band, ...] = ()
    max_length: int = 2000
    unit: str | None = None
    dma: DmaDimension | None = None
    # The id of the reference (an EU rule) whose readiness the answer tells; not content.
    rule: str | None = None

    @property
    def has_conditional_options(self) -> bool:
        return any(option.visible_if is not None for option in self.options)

    @cached_property
    def options_by_id(self) -> Mapping[str, Option]:
        return MappingProxyType({option.id: option for option in self.options})

    @property
    def is_scored(self) -> bool:
        """Whether an answer can ever contribute to a theme score."""
        if self.theme is None or self.type is QuestionType.TEXT:
            return False
        return not (self.type is QuestionType.NUMBER and not self.bands)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    visible_if: Condition | None = None


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    dimension_id: str
    weight: float = 1.0


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    themes: tuple[Theme, ...]
    weight: float = 1.0


# A month written YYYY-MM, as references' ``checked`` and actions' deadlines are.
MONTH_TEXT = re.compile(r"^([1-9][0-9]{3})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, such as the month a reference's facts were last checked."""

    year: int
    month: int  # 1 to 12

    @property
    def index(self) -> int:
        """Months since the start of year 0: the difference of two is their distance."""
        return self.year * 12 + self.month - 1

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """The month written ``YYYY-MM``; None when the text is not one."""
        match = MONTH_TEXT.match(text)
        return cls(int(match[1]), int(match[2])) if match else None

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Reference:
    """An EU rule or standard that actions can point to (a project extension), with where
    and when its facts were last checked."""

    id: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None  # a short citation of what the facts were checked against
    checked: Month | None = None  # the month they were last checked
    line: int = field(default=0, compare=False)  # in its file, for warnings; 0: unknown


@dataclass(frozen=True)
class Deadline:
    """A dated duty an action prepares for (a project extension): from ``month`` on, for
    the companies ``applies_if`` holds for (for every company when it is None)."""

    month: Month
    applies_if: Condition | None = None


@dataclass(frozen=True)
class Addressed:
    """What an action improves: a scored question, or some options of a ``multi`` one."""

    question: str
    options: tuple[str, ...] = ()  # empty: the question's score


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    when: Condition
    horizon: Horizon = Horizon.MEDIUM
    text: str | None = None
    topics: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    deadline: Deadline | None = None
    addresses: tuple[Addressed, ...] = ()  # empty: the action is not aimed at practices
    # In its file, for warnings (0: unknown): the action's and each topic's line. Not
    # content: a comment added above moves them.
    line: int = field(default=0, compare=False, repr=False)
    topic_lines: tuple[int, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Questionnaire:
    format: int
    id: str
    version: int
    language: str
    title: str
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    sections: tuple[Section, ...]
    actions: tuple[Action, ...] = ()
    references: tuple[Reference, ...] = ()
    intro: str | None = None
    minutes: int | None = None
    source_path: str = ""
    source_sha256: str = ""
    # The languages it is offered in (the file's `languages`), its own `language` first
    # among equals; offered, not content: adding one creates no new version.
    languages: tuple[str, ...] = ()

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question in file order."""
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def questions_by_id(self) -> Mapping[str, Question]:
        return MappingProxyType({q.id: q for q in self.questions})

    @cached_property
    def sections_by_id(self) -> Mapping[str, Section]:
        return MappingProxyType({s.id: s for s in self.sections})

    @cached_property
    def themes(self) -> tuple[Theme, ...]:
        return tuple(t for d in self.dimensions for t in d.themes)

    @cached_property
    def themes_by_id(self) -> Mapping[str, Theme]:
        return MappingProxyType({t.id: t for t in self.themes})

    @cached_property
    def dimensions_by_id(self) -> Mapping[str, Dimension]:
        return MappingProxyType({d.id: d for d in self.dimensions})

    @cached_property
    def actions_by_id(self) -> Mapping[str, Action]:
        return MappingProxyType({a.id: a for a in self.actions})

    @cached_property
    def references_by_id(self) -> Mapping[str, Reference]:
        return MappingProxyType({r.id: r for r in self.references})

    @cached_property
    def questions_by_theme(self) -> Mapping[str, tuple[Question, ...]]:
        grouped: dict[str, list[Question]] = {t.id: [] for t in self.themes}
        for question in self.questions:
            if question.theme is not None and question.is_scored:
                grouped[question.theme].append(question)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    def level_for(self, score: float | None) -> Level | None:
        """The last level whose ``min`` the score reaches; None for no score."""
        if score is None:
            return None
        reached = self.levels[0]
        for level in self.levels:
            if score >= level.min - SCORE_TOLERANCE:
                reached = level
        return reached
