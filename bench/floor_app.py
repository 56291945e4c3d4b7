"""The app as gunicorn serves it, plus one page for the load benchmark's floor.

``/bench/floor/<token>`` does what every page of an assessment must do before it shows
anything (find the assessment by its token, read and check its answers) and then
renders the trivial page's template. Its throughput is the most any page of the flow
can reach; the load benchmark reports it beside the trivial page's. Only
bench/load_self_assessment.py serves this module; the app itself has no such route.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template

from assessor import create_app as create_assessor_app
from assessor.services.assessments import find_assessment, stored_answers
from assessor.storage.db import read_without_transaction

floor = Blueprint("bench_floor", __name__)


@floor.get("/bench/floor/<token>")
def read_assessment(token: str) -> str:
    read_without_transaction()
    assessment = find_assessment(token)
    if assessment is None:
        abort(404)
    stored_answers(assessment)
    return render_template("privacy.html")


def create_app() -> Flask:
    app = create_assessor_app()
    app.register_blueprint(floor)
    return app
