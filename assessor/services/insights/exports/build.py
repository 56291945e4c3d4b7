"""An export's report and what labels it: the insights service's figures for a cluster (or
every cluster), the questionnaire in the reader's language, the cluster's services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _

from assessor.services.clusters import logo_data_url, network_services, services_of
from assessor.services.insights import report as insights
from assessor.services.insights.exports.labels import Labels
from assessor.services.insights.exports.sheets import Context, Sheet, report_sheets, view_sheet
from assessor.services.insights.figures import ClusterRow, InsightsReport
from assessor.services.insights.filters import InsightFilters
from assessor.services.questionnaires.catalogue import served
from assessor.services.questionnaires.translated import current_language, localise_for
from assessor.storage.models import Cluster

PLATFORM_CODE = "platform"
DEFAULT_COLOUR = "#0b5d4b"  # the plans' own when a cluster has set none


@dataclass(frozen=True)
class Brand:
    """How the report PDF is branded: the cluster's name, colour and logo."""

    name: str
    colour: str
    logo: str | None  # a data: URL


@dataclass(frozen=True)
class InsightsExport:
    report: InsightsReport
    context: Context
    brand: Brand
    clusters: tuple[ClusterRow, ...] | None = None  # the platform's: a row per cluster

    def sheets(self) -> list[Sheet]:
        return report_sheets(self.report, self.context, self.clusters)

    def sheet(self, view: str) -> Sheet | None:
        return view_sheet(view, self.report, self.context, self.clusters)

    def file_name(self, kind: str, extension: str) -> str:
        """``insights-<cluster>-<date>.xlsx``, ``dma-<cluster>-<date>.csv``..."""
        day = self.context.generated_at.date().isoformat()
        return f"{kind}-{self.context.cluster_code}-{day}.{extension}"


def _labels(report: InsightsReport, cluster: Cluster | None) -> Labels:
    entry = served().entries.get(report.questionnaire_id or "")
    if entry is not None and cluster is not None and entry.cluster_id not in (None, cluster.id):
        entry = None  # another cluster's own questionnaire: not even its texts
    questionnaire = localise_for(entry.questionnaire, cluster) if entry is not None else None
    language = current_language()
    services = services_of(cluster) if cluster is not None else network_services()
    return Labels(questionnaire, {s.id: s.title.get(language) for s in services})


def cluster_export(cluster: Cluster, filters: InsightFilters) -> InsightsExport:
    """The cluster's insights under ``filters``, ready to be written in the current locale."""
    report = insights.cluster_report(cluster, filters)
    context = Context(cluster.slug, cluster.name, datetime.now(UTC), _labels(report, cluster))
    # Checked again on the way out: the colour goes into the PDF's stylesheet.
    colour = cluster.colour if re.fullmatch(r"#[0-9a-fA-F]{6}", cluster.colour or "") else None
    brand = Brand(cluster.name, colour or DEFAULT_COLOUR, logo_data_url(cluster))
    return InsightsExport(report, context, brand)


def platform_export(filters: InsightFilters) -> InsightsExport:
    """Every cluster's insights together, and a row per cluster (aggregates only)."""
    figures = insights.platform_insights(filters)
    name = _("Every cluster")
    context = Context(PLATFORM_CODE, name, datetime.now(UTC), _labels(figures.total, None))
    return InsightsExport(
        figures.total, context, Brand(name, DEFAULT_COLOUR, None), tuple(figures.clusters)
    )
