"""The advisers' blueprint; its routes live in the modules imported at the bottom."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("advisers", __name__, url_prefix="/advisers")

from assessor.web.advisers import auth, companies, platform, workshops  # noqa: E402,F401  (routes register on import)
