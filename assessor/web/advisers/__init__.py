"""Cluster advisers: sign-in, workshops with live dashboards, one-to-one assessments,
follow-up of companies, and the cluster administrator's pages (services, advisers).

Each module declares its routes next to its views (``routes = Routes()``); the blueprint
below is built from the list of modules, so every URL under ``/advisers`` is in one of them.
"""

from __future__ import annotations

from flask import Blueprint

from assessor.web.advisers import (
    auth,
    cluster_profile,
    cluster_services,
    cluster_team,
    companies,
    platform,
    workshops,
)

blueprint = Blueprint("advisers", __name__, url_prefix="/advisers")
for module in (
    auth,  # sign-in and out, invitations, passwords
    cluster_profile,  # the cluster administrator's pages: profile, services, advisers
    cluster_services,
    cluster_team,
    companies,  # shared assessments, one-to-one meetings
    platform,  # the platform administrator's page
    workshops,  # an adviser's home, workshops, dashboards, exports
):
    module.routes.add_to(blueprint)

__all__ = ["blueprint"]
