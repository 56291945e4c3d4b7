"""Which services each action of a questionnaire would get in a cluster's plans, and which
of its action topics no service of that cluster uses: what an author checks before
publishing (the ``questionnaires services`` and ``validate --cluster`` commands; the
publishing page shows the same through ``templates/advisers/_action_services.html``).

Services are chosen by the plan's own rule (planning.services_for): the cluster's first,
the network catalogue's when the cluster has none for the action, else none.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import select

from assessor.domain.action_topics import TopicWarning, unknown_topic_warnings
from assessor.domain.model import Questionnaire
from assessor.domain.planning import services_for
from assessor.services.clusters import network_services, services_of
from assessor.services.questionnaires.translated import localise_for
from assessor.storage.db import db
from assessor.storage.models import Cluster


class UnknownLevel(ValueError):
    """A level id the questionnaire does not have."""


@dataclass(frozen=True)
class ServiceLine:
    """One service an action would list, as the table shows it."""

    id: str
    title: str
    provider: str  # the cluster's or the network's name
    category: str
    levels: tuple[str, ...]  # empty: every level
    url: str | None


@dataclass(frozen=True)
class ActionServices:
    """An action and the services it would get; ``source``: cluster, network or none."""

    action_id: str
    title: str
    topics: tuple[str, ...]
    source: str
    services: tuple[ServiceLine, ...]


@dataclass(frozen=True)
class ActionServicesView:
    questionnaire_id: str
    version: int
    cluster_slug: str
    cluster_name: str
    level_id: str | None  # None: the services of every level
    level_label: str | None  # in ``language``
    language: str
    actions: tuple[ActionServices, ...]


def action_services(
    questionnaire: Questionnaire,
    cluster: Cluster,
    level_id: str | None = None,
    language: str | None = None,
) -> ActionServicesView:
    """For every action of ``questionnaire``, in file order, the services a plan of
    ``cluster`` would list for it at the maturity level ``level_id`` (None: at any level),
    with texts in ``language`` (default: the cluster's). Raises UnknownLevel for a level
    the questionnaire does not have."""
    levels = {level.id: level for level in questionnaire.levels}
    if level_id is not None and level_id not in levels:
        raise UnknownLevel(
            f"{questionnaire.id} has no level {level_id!r} (its levels: {', '.join(levels)})"
        )
    level = levels[level_id] if level_id is not None else None
    language = language or cluster.default_language
    own, network = services_of(cluster), [] if cluster.is_network else network_services()
    with force_locale(language):
        shown = localise_for(questionnaire, cluster)  # action titles as a respondent reads them
    rows = []
    for action, shown_action in zip(questionnaire.actions, shown.actions, strict=True):
        services, source = services_for(action, level, own, network)
        rows.append(
            ActionServices(
                action.id,
                shown_action.title,
                action.topics,
                source.value,
                tuple(
                    ServiceLine(
                        s.id,
                        s.title.get(language),
                        s.provider,
                        s.category.value,
                        s.levels,
                        s.url,
                    )
                    for s in services
                ),
            )
        )
    return ActionServicesView(
        questionnaire.id,
        questionnaire.version,
        cluster.slug,
        cluster.name,
        level_id,
        next((lv.label for lv in shown.levels if lv.id == level_id), None),
        language,
        tuple(rows),
    )


def known_topics(cluster: Cluster) -> frozenset[str]:
    """The topics of the cluster's services and of the network catalogue's."""
    services = services_of(cluster) + ([] if cluster.is_network else network_services())
    return frozenset(topic for service in services for topic in service.topics)


def topic_warnings(questionnaire: Questionnaire, cluster: Cluster) -> tuple[TopicWarning, ...]:
    """Warnings for the questionnaire's action topics that no service of ``cluster`` nor of
    the network catalogue uses (see domain.action_topics), in file order."""
    names = [cluster.name]
    if not cluster.is_network:
        names += db.session.scalars(
            select(Cluster.name).where(Cluster.is_network.is_(True)).order_by(Cluster.id)
        )
    return unknown_topic_warnings(questionnaire, known_topics(cluster), " or ".join(names))
