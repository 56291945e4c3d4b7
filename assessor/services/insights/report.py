"""STUB (issue 17, pages branch): the insights helper's branch replaces this module.

The insights pages call these three functions; this stub answers as a cluster with no shared
assessment would, so that the pages run before the real service is merged. The lead drops
this file at merge."""

from __future__ import annotations

from assessor.services.insights.figures import InsightsReport, PlatformInsights
from assessor.services.insights.filters import InsightFilters
from assessor.services.settings import current_settings
from assessor.storage.models import Cluster


def cluster_report(cluster: Cluster, filters: InsightFilters) -> InsightsReport:
    """The figures of one cluster's shared assessments (stub: none)."""
    return InsightsReport(
        cluster_id=cluster.id,
        filters=filters,
        questionnaire_id=filters.questionnaire_id,
        versions=(),
        minimum=current_settings().peer_group_minimum,
        companies=0,
    )


def platform_insights(filters: InsightFilters) -> PlatformInsights:
    """Every cluster's figures, aggregates only (stub: none)."""
    total = InsightsReport(
        cluster_id=None,
        filters=filters,
        questionnaire_id=filters.questionnaire_id,
        versions=(),
        minimum=current_settings().peer_group_minimum,
        companies=0,
    )
    return PlatformInsights(total=total, clusters=())


def questionnaires_answered(cluster: Cluster | None) -> list[tuple[str, tuple[int, ...]]]:
    """(questionnaire id, versions) present in the population, most answered first (stub:
    none)."""
    return []
