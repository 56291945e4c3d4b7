"""The questionnaires served now, read from the database, and which of them a cluster offers.

Every app server and worker keeps the catalogue in memory and asks the database at most
every ``CATALOGUE_REFRESH_SECONDS`` whether a questionnaire was published or withdrawn
since (one small query); only then it reads the catalogue again. So a questionnaire a
cluster publishes from one server is served by all of them within seconds, without a
restart. Contents are parsed once per hash: an assessment finds the very content it was
answered on in memory.

Before the database is migrated (or when it is down at start) the files read at start are
served instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from assessor.domain.catalogue import Catalogue
from assessor.domain.cluster_files import COMPANY_CHOOSES
from assessor.domain.model import Questionnaire
from assessor.services.questionnaires.versions import parsed_source
from assessor.storage.db import db
from assessor.storage.models import Cluster, QuestionnaireEntry, QuestionnaireSource

_STATE = "assessor.catalogue_state"


@dataclass(frozen=True)
class Served:
    """A questionnaire the platform serves, and whose it is."""

    questionnaire: Questionnaire
    cluster_id: int | None  # None: platform-wide
    origin: str  # "file" or "web"
    is_retired: bool

    @property
    def id(self) -> str:
        return self.questionnaire.id


@dataclass(frozen=True)
class ServedCatalogue:
    entries: Mapping[str, Served]  # by questionnaire id, retired ones included
    by_hash: Mapping[str, Questionnaire]

    def current(self) -> Catalogue:
        """The questionnaires new assessments may start on, whoever's they are."""
        return Catalogue(
            MappingProxyType(
                {k: e.questionnaire for k, e in self.entries.items() if not e.is_retired}
            ),
            (),
        )

    def __iter__(self) -> Iterator[Served]:
        return iter(self.entries.values())


@dataclass
class _State:
    catalogue: ServedCatalogue | None = None
    stamp: tuple[Any, ...] | None = None
    checked_at: float = float("-inf")
    current: Catalogue | None = None


def served() -> ServedCatalogue:
    """The catalogue, read again when the database says it changed."""
    state: _State = current_app.extensions.setdefault(_STATE, _State())
    now = time.monotonic()
    refresh = float(current_app.config["CATALOGUE_REFRESH_SECONDS"])
    if state.catalogue is not None and now - state.checked_at < refresh:
        return state.catalogue
    try:
        stamp = tuple(
            db.session.execute(
                # A sum of revisions, not the newest time: servers' clocks may disagree.
                select(func.count(QuestionnaireEntry.id), func.sum(QuestionnaireEntry.revision))
            ).one()
        )
    except SQLAlchemyError:
        db.session.rollback()
        if state.catalogue is None:
            state.catalogue = _from_files(current_app)
        state.checked_at = now
        return state.catalogue
    if state.catalogue is None or stamp != state.stamp:
        state.catalogue = _from_database() if stamp[0] else _from_files(current_app)
        state.current = state.catalogue.current()
        state.stamp = stamp
    state.checked_at = now
    return state.catalogue


def reload_catalogue() -> None:
    """After a publication on this server: serve it from the next request on."""
    state: _State = current_app.extensions.setdefault(_STATE, _State())
    state.checked_at = float("-inf")


def current_catalogue() -> Catalogue:
    """The questionnaires new assessments may start on (every cluster's)."""
    catalogue = served()
    state: _State = current_app.extensions[_STATE]
    if state.current is None:
        state.current = catalogue.current()
    return state.current


def _from_database() -> ServedCatalogue:
    rows = db.session.execute(
        select(QuestionnaireEntry, QuestionnaireSource.source).join(
            QuestionnaireSource, QuestionnaireSource.sha256 == QuestionnaireEntry.sha256
        )
    ).all()
    entries: dict[str, Served] = {}
    for entry, source in rows:
        questionnaire = parsed_source(entry.sha256, source)
        if questionnaire is None:
            current_app.logger.error(
                "questionnaire %r version %s no longer loads; not served",
                entry.questionnaire_id,
                entry.version,
            )
            continue
        entries[entry.questionnaire_id] = Served(
            questionnaire, entry.cluster_id, entry.origin, entry.is_retired
        )
    ordered = dict(sorted(entries.items()))
    return ServedCatalogue(
        MappingProxyType(ordered),
        MappingProxyType(
            {e.questionnaire.source_sha256: e.questionnaire for e in ordered.values()}
        ),
    )


def _from_files(app: Flask) -> ServedCatalogue:
    files: Catalogue = app.extensions["assessor.questionnaires"]
    return ServedCatalogue(
        MappingProxyType({q.id: Served(q, None, "file", False) for q in files}),
        MappingProxyType({q.source_sha256: q for q in files}),
    )


# Which questionnaires a cluster offers ------------------------------------------------------


def offered_to(cluster: Cluster | None) -> list[Questionnaire]:
    """What a company of ``cluster`` (or of none) may start: the cluster's own questionnaires,
    then the platform-wide ones it offers; each group shortest first."""
    own: list[Served] = []
    platform: list[Served] = []
    chosen = cluster.offered_questionnaires if cluster is not None else None
    for entry in served():
        if entry.is_retired:
            continue
        if entry.cluster_id is None:
            if chosen is None or entry.id in chosen:
                platform.append(entry)
        elif cluster is not None and entry.cluster_id == cluster.id:
            own.append(entry)
    return [e.questionnaire for e in (*_shortest_first(own), *_shortest_first(platform))]


def _shortest_first(entries: Sequence[Served]) -> list[Served]:
    return sorted(entries, key=lambda e: (e.questionnaire.minutes or 999, e.id))


def platform_questionnaires() -> list[Questionnaire]:
    """Every platform-wide questionnaire served now, shortest first."""
    return [
        e.questionnaire
        for e in _shortest_first([e for e in served() if e.cluster_id is None and not e.is_retired])
    ]


def visible_to(cluster: Cluster | None) -> list[Questionnaire]:
    """The questionnaires ``cluster``'s advisers may find assessments of: its own and the
    platform's, withdrawn ones too (own first, each group shortest first)."""
    own = [e for e in served() if cluster is not None and e.cluster_id == cluster.id]
    platform = [e for e in served() if e.cluster_id is None]
    return [e.questionnaire for e in (*_shortest_first(own), *_shortest_first(platform))]


def own_questionnaires(cluster: Cluster) -> list[Served]:
    """The cluster's own questionnaires, withdrawn ones included."""
    return [e for e in served() if e.cluster_id == cluster.id]


def default_questionnaire(cluster: Cluster | None, offered: Sequence[Questionnaire]) -> str | None:
    """The questionnaire a start form selects: the cluster's choice, else the platform's
    (``DEFAULT_QUESTIONNAIRE``), else the only one offered; never just the first listed."""
    ids = [q.id for q in offered]
    if cluster is not None and cluster.default_questionnaire == COMPANY_CHOOSES:
        return ids[0] if len(ids) == 1 else None
    for candidate in (
        cluster.default_questionnaire if cluster is not None else None,
        current_app.config.get("DEFAULT_QUESTIONNAIRE"),
    ):
        if candidate in ids:
            return candidate
    return ids[0] if len(ids) == 1 else None


def owner_cluster_id(questionnaire_id: str) -> int | None:
    """The cluster whose own questionnaire this is; None for a platform-wide one."""
    entry = served().entries.get(questionnaire_id)
    return entry.cluster_id if entry is not None else None


def offers(cluster: Cluster | None, questionnaire_id: str) -> bool:
    return any(q.id == questionnaire_id for q in offered_to(cluster))
