"""The workshop summary PDF's HTML: the group's figures as the room saw them, for print.

The workshop and its dashboard figures come in from the services (as the objects they
return: this layer imports neither services nor storage); the PDF's cache is
``services/workshop_summary.py``.
"""

from __future__ import annotations

from flask import render_template

from assessor.domain.model import Questionnaire


def workshop_summary_html(
    *,
    workshop: object,
    questionnaire: Questionnaire,
    board: object,
    shared: int,
    left_out: int,
    logo: str | None = None,
) -> str:
    """``shared`` participants chose to share their own results with the cluster; ``left_out``
    did not (the summary says both numbers, never who). ``logo`` is the cluster's logo as a
    ``data:`` URL, as the plan's cover has it."""
    html: str = render_template(
        "pdf/workshop.html",
        workshop=workshop,
        questionnaire=questionnaire,
        board=board,
        shared=shared,
        left_out=left_out,
        logo=logo,
    )
    return html
