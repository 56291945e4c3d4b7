"""Public pages that belong to no particular user task (for now, the front page)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def index() -> str:
    catalogue = current_app.extensions["assessor.questionnaires"]
    return render_template("index.html", questionnaires=list(catalogue))
