"""A workshop's summary PDF, rendered once per state of the workshop and language.

The summary shows only what its HTML holds (the print stylesheet aside), and building the
HTML costs a few queries where rendering it costs about a second of CPU: the cache key is
the HTML itself with the stylesheet. A new participant, a submission, a changed title or
setting or translation changes the HTML, and so the PDF. Renders are a background
worker's (assessor.jobs); services.documents keeps the PDF and the state of its render.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app

from assessor.paths import STATIC_DIR
from assessor.presentation.workshop_summary import workshop_summary_html
from assessor.services import workshops
from assessor.services.clusters import logo_data_url
from assessor.services.exports import workshop_table
from assessor.services.questionnaires.translated import localise_for
from assessor.storage.models import Workshop


@cache
def _stylesheet_fingerprint() -> bytes:
    return hashlib.sha256((STATIC_DIR / "css" / "print.css").read_bytes()).digest()


@dataclass(frozen=True)
class SummaryState:
    key: str
    html: str


def summary_state(workshop: Workshop) -> SummaryState | None:
    """The summary's HTML in the current locale and its key; None when the workshop's
    questionnaire is no longer served."""
    questionnaire = workshops.questionnaire_of(workshop)
    if questionnaire is None:
        return None
    questionnaire = localise_for(questionnaire, workshop.cluster)
    table = workshop_table(workshop, questionnaire)
    html = workshop_summary_html(
        workshop=workshop,
        questionnaire=questionnaire,
        board=workshops.dashboard(workshop, questionnaire),
        shared=len(table.rows),
        left_out=table.left_out,
        logo=logo_data_url(workshop.cluster),
    )
    key = hashlib.sha256(_stylesheet_fingerprint() + html.encode()).hexdigest()
    return SummaryState(key, html)


def render_summary(workshop: Workshop, state: SummaryState) -> bytes:
    """The PDF of ``state`` (a background worker's work)."""
    from assessor.pdf.render import render_pdf

    rendered = render_pdf(state.html, Path(current_app.static_folder or STATIC_DIR))
    for url in rendered.refused:
        current_app.logger.warning("summary of workshop %s: refused to load %s", workshop.id, url)
    return rendered.data
