"""The action plan of an assessment: what it shows, gathered from the database, and its
PDF rendered once per state (presentation.plan arranges the view and renders the HTML).

The PDF is rendered by a background worker (assessor.jobs) and cached in the database
(services.documents; every app server shares it), one per assessment and language, under
a key made of everything the document shows: answers, questionnaire version and file hash,
language and its compiled catalogue, company name, the catalogues' versions, the settings
the plan prints, the previous assessment, and the templates, stylesheet and presentation
code themselves. The answers the key is made of are those the plan is then rendered from.
Peer figures are a snapshot of the day the plan is rendered (see ``cache_key``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from assessor import presentation
from assessor.domain.answers import AnswerValue
from assessor.domain.planning import ActionPlan, build_plan
from assessor.domain.scoring import Result
from assessor.paths import STATIC_DIR, TEMPLATES_DIR
from assessor.presentation.plan import Brand, PlanView, plan_html, plan_view
from assessor.services.assessments import plan_date, questionnaire_of, stored_answers
from assessor.services.clusters import logo_data_url, network_services, services_of
from assessor.services.peers import PeerGroup, peer_groups
from assessor.services.questionnaires import translations as questionnaire_translations
from assessor.services.results import result_view_of
from assessor.services.settings import Settings, current_settings
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, utcnow

PDF_FILES = ("pdf/plan.html", "results/_charts.html")


def _brand(cluster: Cluster | None) -> Brand | None:
    if cluster is None:
        return None
    return Brand(
        cluster.name,
        cluster.colour,
        logo_data_url(cluster),
        cluster.contact_name,
        cluster.contact_email,
        cluster.website,
    )


def plan_of(
    assessment: Assessment, result: Result, reads: Sequence[str] | None = None
) -> ActionPlan:
    """The plan of a result, with the services of the assessment's cluster and the network,
    their texts falling back to ``reads``: by default the languages its respondent reads
    (their results page and PDF); an adviser's page or the API pass ``()``, for a reader who
    is not the respondent."""
    if reads is None:
        reads = assessment.reader_languages or ()
    return build_plan(
        result,
        services_of(assessment.cluster, reads),
        network_services(reads),
        as_of=plan_date(assessment),
    )


def plan_view_of(
    assessment: Assessment,
    language: str | None = None,
    settings: Settings | None = None,
    *,
    answers: Mapping[str, AnswerValue] | None = None,
    groups: Sequence[PeerGroup] | None = None,
    reads: Sequence[str] | None = None,
) -> PlanView:
    """The plan's view data; service texts in ``language`` (by default the assessment's),
    settings by default the app's. A caller that already read the answers or computed the
    peer groups passes them in."""
    view = result_view_of(assessment, settings, answers=answers, groups=groups)
    plan = plan_of(assessment, view.result, reads)
    doc = plan_view(
        view,
        plan,
        language=language or assessment.language,
        company_name=assessment.company_name,
        submitted=(assessment.submitted_at or assessment.updated_at).date(),
        brand=_brand(assessment.cluster),
    )
    return replace(doc, is_preview=True) if assessment.is_preview else doc


def plan_html_of(assessment: Assessment, language: str | None = None) -> str:
    """The PDF's HTML for the assessment (needs an app context, not a request)."""
    return plan_html(plan_view_of(assessment, language))


@cache
def _design_fingerprint() -> str:
    """Changes whenever a template, the print stylesheet or the code arranging the PDF's
    view data (the presentation layer) changes."""
    templates = [TEMPLATES_DIR / name for name in PDF_FILES]
    code = sorted(Path(presentation.__file__).parent.glob("*.py"))
    digest = hashlib.sha256()
    for path in [*templates, STATIC_DIR / "css" / "print.css", *code]:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _catalogue_fingerprint(translations: str, language: str) -> str:
    """Changes with the compiled catalogue of the language (the app's texts and the
    questionnaires' translations). Read once per process, as Flask-Babel loads a catalogue
    once: a file replaced under a running process is neither used nor keyed until restart."""
    path = Path(translations) / language / "LC_MESSAGES" / "messages.mo"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "none"  # English: the texts as written


def _questionnaire_texts_fingerprint(assessment: Assessment, language: str) -> list[str]:
    with force_locale(language):
        shown = questionnaire_of(assessment).language
    return [shown, questionnaire_translations.fingerprint(assessment.questionnaire_id, shown)]


def cache_key(
    assessment: Assessment,
    language: str,
    *,
    answers: Mapping[str, AnswerValue],
    settings: Settings,
    today: date | None = None,
) -> str:
    """The state of everything the plan shows, given the assessment's answers as the plan
    is rendered from them.

    Peer figures are the exception: they change with every submission of a similar
    company, and a workshop room of 200 submitting within a minute would have each plan
    rendered again for every other participant's submission. A plan's comparison is a
    snapshot of its day instead: the key holds the day, and the comparison is renewed by
    the first download of a later day."""
    networks = db.session.execute(
        select(Cluster.id, Cluster.catalogue_version).where(Cluster.is_network.is_(True))
    )
    state = {
        "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(answers.items())},
        "questionnaire": [
            assessment.questionnaire_id,
            assessment.questionnaire_version,
            assessment.questionnaire_sha256,
        ],
        "language": language,
        "catalogue": _catalogue_fingerprint(str(settings.translations_dir), language),
        # The language the questionnaire's texts are shown in, and translations a cluster
        # made in the browser (issue 16).
        "questionnaire_texts": _questionnaire_texts_fingerprint(assessment, language),
        "settings": list(settings.printed),
        "company": assessment.company_name,
        "submitted": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
        # Deadlines are measured from it: an open assessment's plan changes with the month.
        "plan_month": plan_date(assessment).strftime("%Y-%m"),
        "cluster": [
            assessment.cluster_id,
            assessment.cluster.catalogue_version if assessment.cluster else None,
        ],
        "networks": sorted(tuple(row) for row in networks),
        "peers_as_of": (today or utcnow().date()).isoformat(),
        "previous": assessment.previous_id,
        "design": _design_fingerprint(),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class PlanState:
    """What a plan is rendered from, read once: its cache key is made of the same answers."""

    key: str
    answers: Mapping[str, AnswerValue]
    settings: Settings


def plan_state(
    assessment: Assessment, language: str, settings: Settings | None = None
) -> PlanState:
    """The state of the plan in ``language``: its key tells whether a stored PDF still
    shows it."""
    settings = settings or current_settings()
    answers = stored_answers(assessment)
    key = cache_key(assessment, language, answers=answers, settings=settings)
    return PlanState(key, answers, settings)


def render_plan(assessment: Assessment, language: str, state: PlanState) -> bytes:
    """The PDF of ``state`` (a background worker's work: about a second of CPU). The caller
    sets the locale to ``language``."""
    from assessor.pdf.render import render_pdf

    groups = peer_groups(assessment, state.settings)  # as of this render (see cache_key)
    doc = plan_view_of(assessment, language, state.settings, answers=state.answers, groups=groups)
    rendered = render_pdf(plan_html(doc), Path(current_app.static_folder or STATIC_DIR))
    for url in rendered.refused:
        current_app.logger.warning("plan of assessment %s: refused to load %s", assessment.id, url)
    return rendered.data
