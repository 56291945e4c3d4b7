"""Cluster advisers: sign-in, workshops with live dashboards, one-to-one assessments,
follow-up of companies, and the cluster administrator's pages (services, advisers).

Each module declares its routes next to its views (``routes = Routes()``); the blueprint
below is built from the list of modules, so every URL under ``/advisers`` is in one of them.
"""

from __future__ import annotations

from flask import Blueprint

from assessor.web.advisers import (
    api_tokens,
    auth,
    cluster_profile,
    cluster_questionnaire_offer,
    cluster_questionnaires,
    cluster_services,
    cluster_team,
    companies,
    insight_exports,
    insights,
    platform,
    questionnaire_translations,
    webhooks,
    workshops,
)
from assessor.web.advisers.access import ADVISERS

blueprint = Blueprint("advisers", __name__, url_prefix="/advisers")
for module in (
    api_tokens,  # the cluster administrator's API tokens (the API: assessor.web.api)
    auth,  # sign-in and out, invitations, passwords
    cluster_profile,  # the cluster administrator's pages: profile, services, advisers
    cluster_questionnaire_offer,  # which questionnaires it offers; previews
    cluster_questionnaires,  # its questionnaires (and the platform's): edit, check, publish
    cluster_services,
    cluster_team,
    companies,  # shared assessments, one-to-one meetings
    insights,  # the cluster's companies in aggregate; the same across clusters
    insight_exports,  # the insights as a workbook, CSV and the cluster report PDF
    platform,  # the platform administrator's page
    questionnaire_translations,  # translating a questionnaire in the browser or by a file
    webhooks,  # the cluster's webhook: its URL, secret and delivery log
    workshops,  # an adviser's home, workshops, dashboards, exports
):
    module.routes.add_to(blueprint)


@blueprint.app_context_processor
def _viewer() -> dict[str, str]:
    """Who reads a page, for wording: "adviser" while an adviser is signed in (a one-to-one
    assessment's pages are read with the company, not by it alone), else "company".
    A view may pass its own ``viewer``; it takes precedence."""
    from flask_login import current_user

    # No user outside a request (a PDF rendered by a worker): nobody signed in.
    adviser = bool(current_user) and current_user.is_authenticated
    adviser = adviser and current_user.role_enum in ADVISERS
    return {"viewer": "adviser" if adviser else "company"}


__all__ = ["blueprint"]
