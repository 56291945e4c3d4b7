"""STUB (the insights helper's branch replaces this module at merge): the insights service's
public functions, answering an empty, suppressed report, so that the exports can be built
and run before the computing lands. Tests monkeypatch these with reports built by hand."""

from __future__ import annotations

from assessor.services.insights.figures import InsightsReport, PlatformInsights, Suppressed
from assessor.services.insights.filters import InsightFilters
from assessor.services.settings import current_settings
from assessor.storage.models import Cluster


def cluster_report(cluster: Cluster, filters: InsightFilters) -> InsightsReport:
    """The cluster's figures under ``filters`` (stub: nothing shown)."""
    return _empty(cluster.id, filters)


def platform_insights(filters: InsightFilters) -> PlatformInsights:
    """Every cluster's figures together and per cluster (stub: nothing shown)."""
    return PlatformInsights(total=_empty(None, filters), clusters=())


def questionnaires_answered(cluster: Cluster | None) -> list[tuple[str, tuple[int, ...]]]:
    """(questionnaire id, versions) present in the population (stub: none)."""
    return []


def _empty(cluster_id: int | None, filters: InsightFilters) -> InsightsReport:
    return InsightsReport(
        cluster_id=cluster_id,
        filters=filters,
        questionnaire_id=None,
        versions=(),
        minimum=current_settings().peer_group_minimum,
        companies=None,
        suppressed=Suppressed.TOO_FEW,
    )
