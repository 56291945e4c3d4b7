"""Public pages that belong to no particular task: front page, privacy, goodbye, the
source code."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from assessor.paths import PROJECT_ROOT
from assessor.services import assessments, source_code
from assessor.services.clusters import all_clusters
from assessor.web.extensions import limiter

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def index() -> str:
    return render_template(
        "index.html",
        questionnaires=assessments.questionnaires_offered(None),
        clusters=all_clusters(),
    )


@blueprint.get("/privacy")
def privacy() -> str:
    return render_template("privacy.html")


@blueprint.get("/deleted")
def deleted() -> str:
    return render_template("deleted.html")


@blueprint.get("/source")
def source() -> str:
    return render_template(
        "source.html", licence=source_code.LICENCE, version=source_code.version()
    )


@blueprint.get("/source.tar.gz")
# A few megabytes, built once per process: enough for anyone who wants the code, not a
# way to keep the site busy.
@limiter.limit("10 per minute")
def source_archive() -> Response:
    name = f"assessor-{source_code.version()}.tar.gz"
    return Response(
        source_code.source_archive(PROJECT_ROOT),
        mimetype="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
