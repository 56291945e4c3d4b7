"""The advisers' blueprint; its routes live in the modules imported at the bottom."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("advisers", __name__, url_prefix="/advisers")

from assessor.web.advisers import (  # noqa: E402,F401  (routes register on import)
    auth,
    cluster_profile,
    cluster_services,
    cluster_team,
    companies,
    platform,
    workshops,
)
