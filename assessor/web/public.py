"""Public pages that belong to no particular task: front page, privacy, goodbye."""

from __future__ import annotations

from flask import Blueprint, render_template

from assessor.services import assessments
from assessor.services.clusters import all_clusters

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def index() -> str:
    return render_template(
        "index.html", questionnaires=assessments.questionnaires(), clusters=all_clusters()
    )


@blueprint.get("/privacy")
def privacy() -> str:
    return render_template("privacy.html")


@blueprint.get("/deleted")
def deleted() -> str:
    return render_template("deleted.html")
