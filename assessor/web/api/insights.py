"""``/insights``: the cluster's insights figures as codes and counts (a hidden figure, about
fewer companies than the group minimum, is null), for the filters of the insights page."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

from flask import jsonify, request
from flask.wrappers import Response
from flask_babel import gettext as _

from assessor.services.insights import report as insights_report
from assessor.services.insights.figures import InsightsReport
from assessor.services.insights.filters import filters_from
from assessor.web.api.access import api_cluster
from assessor.web.api.errors import error_response
from assessor.web.routes import Routes

routes = Routes()


@routes.get("/insights")
def insights() -> Response | tuple[Response, int]:
    filters, errors = filters_from(request.args)
    if errors:
        return error_response(
            400, "invalid-parameters", _("Some parameters are not valid."), fields=errors
        )
    # Looked up on the module at each call: the insights service may be replaced (tests).
    report = insights_report.cluster_report(api_cluster(), filters)
    return jsonify(report_json(report))


def report_json(report: InsightsReport) -> dict[str, Any]:
    """The report's fields as they are (codes, counts, null for hidden), and ``shown``;
    not the cluster's row id, which means nothing outside the database."""
    data: dict[str, Any] = _plain(dataclasses.asdict(report))
    del data["cluster_id"]
    data["shown"] = report.shown
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value
