"""The insights as files: the workbook, one view as CSV, the EU DMA correspondence and the
cluster report PDF, for a cluster's advisers and administrators (their own cluster's
figures) and, under ``/platform``, for the platform administrator (every cluster's).

Every route takes the insights page's query string; a filter it cannot read answers a 400
page that says which, rather than a file about other companies than asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assessor.services.insights.exports.build import (
    InsightsExport,
    cluster_export,
    platform_export,
)
from assessor.services.insights.exports.labels import FILTER_NAMES
from assessor.services.insights.filters import InsightFilters, filters_from
from assessor.storage.models import Role
from assessor.web.advisers.access import ADVISERS, signed_in
from assessor.web.downloads import download
from assessor.web.extensions import limiter
from assessor.web.routes import Routes

routes = Routes()

CLUSTER = "/cluster/insights"
PLATFORM = "/platform/insights"


class _BadFilters(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors


def _filters() -> InsightFilters:
    filters, errors = filters_from(request.args)
    if errors:
        raise _BadFilters(errors)
    return filters


def _bad_filters_page(errors: dict[str, str]) -> tuple[str, int]:
    message = " ".join(
        _("%(field)s: %(message)s", field=str(FILTER_NAMES.get(name, name)), message=text)
        for name, text in errors.items()
    )
    return render_template(
        "error.html", status=400, title=_("These filters could not be read"), message=message
    ), 400


def _export(platform: bool) -> InsightsExport:
    filters = _filters()
    if platform:
        return platform_export(filters)
    return cluster_export(current_user.cluster, filters)


def _answer(
    platform: bool, make: Callable[[InsightsExport], Response | tuple[str, int]]
) -> Response | tuple[str, int]:
    try:
        export = _export(platform)
    except _BadFilters as bad:
        return _bad_filters_page(bad.errors)
    return make(export)


def _xlsx(export: InsightsExport) -> Response:
    from assessor.services.insights.exports.files import workbook

    title = _("Cluster insights: %(cluster)s", cluster=export.context.cluster_name)
    return download(workbook(export.sheets(), title), export.file_name("insights", "xlsx"))


def _csv(export: InsightsExport) -> Response:
    from assessor.services.insights.exports.files import sheet_csv

    view = request.args.get("view", "")
    sheet = export.sheet(view)
    if sheet is None:
        abort(404)
    return download(sheet_csv(sheet), export.file_name(f"insights-{view}", "csv"))


def _dma(export: InsightsExport) -> Response:
    from assessor.services.insights.exports.files import sheet_csv

    sheet = export.sheet("dma")
    assert sheet is not None  # every report has the view
    return download(sheet_csv(sheet), export.file_name("dma-correspondence", "csv"))


def _pdf(export: InsightsExport) -> Response:
    from assessor.services.insights.exports.cluster_report import report_pdf

    return download(report_pdf(export), export.file_name("cluster-report", "pdf"))


def report_limit() -> str:
    """Report PDFs per account: each costs a render of a second or more in the request."""
    limit: str = current_app.config["INSIGHTS_REPORT_RATE_LIMIT"]
    return limit


def _per_account() -> str:
    return f"account:{current_user.public_id}"


@routes.get(f"{CLUSTER}/export.xlsx")
@signed_in(*ADVISERS)
def insights_xlsx() -> Response | tuple[str, int]:
    return _answer(False, _xlsx)


@routes.get(f"{CLUSTER}/export.csv")
@signed_in(*ADVISERS)
def insights_csv() -> Response | tuple[str, int]:
    return _answer(False, _csv)


@routes.get(f"{CLUSTER}/dma.csv")
@signed_in(*ADVISERS)
def insights_dma_csv() -> Response | tuple[str, int]:
    return _answer(False, _dma)


@routes.get(f"{CLUSTER}/report.pdf")
@signed_in(*ADVISERS)
@limiter.limit(report_limit, key_func=_per_account)
def insights_report_pdf() -> Response | tuple[str, int]:
    return _answer(False, _pdf)


@routes.get(f"{PLATFORM}/export.xlsx")
@signed_in(Role.PLATFORM_ADMIN)
def platform_insights_xlsx() -> Response | tuple[str, int]:
    return _answer(True, _xlsx)


@routes.get(f"{PLATFORM}/export.csv")
@signed_in(Role.PLATFORM_ADMIN)
def platform_insights_csv() -> Response | tuple[str, int]:
    return _answer(True, _csv)


@routes.get(f"{PLATFORM}/dma.csv")
@signed_in(Role.PLATFORM_ADMIN)
def platform_insights_dma_csv() -> Response | tuple[str, int]:
    return _answer(True, _dma)


@routes.get(f"{PLATFORM}/report.pdf")
@signed_in(Role.PLATFORM_ADMIN)
@limiter.limit(report_limit, key_func=_per_account)
def platform_insights_report_pdf() -> Response | tuple[str, int]:
    return _answer(True, _pdf)
