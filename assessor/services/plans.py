"""The action plan of an assessment: view data, and its PDF rendered once per state.

The PDF is cached in the database (so every app server shares it), one per assessment
and language, under a key made of everything the document shows: answers, questionnaire
version and file hash, language and its compiled catalogue, company name, the catalogues'
versions, peer figures and the settings the plan prints, the previous assessment, and the
templates and stylesheet themselves.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import format_date
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from assessor.domain.model import Reference
from assessor.domain.planning import ActionPlan, build_plan
from assessor.paths import STATIC_DIR, TEMPLATES_DIR
from assessor.presentation.formatting import answer_text
from assessor.services.assessments import stored_answers
from assessor.services.clusters import logo_data_url, network_services, services_of
from assessor.services.results import ResultView, result_view
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, PlanDocument, utcnow

PDF_FILES = ("pdf/plan.html", "results/_charts.html")
# Settings whose values the plan prints (the peer group's minimum size, the sample its
# medians come from): part of the cache key.
PRINTED_SETTINGS = ("PEER_GROUP_MINIMUM", "PEER_MEDIAN_SAMPLE")


@dataclass(frozen=True)
class Brand:
    name: str
    colour: str
    logo_data_url: str | None
    contact_name: str | None
    contact_email: str | None
    website: str | None


@dataclass(frozen=True)
class PlanView:
    language: str
    company_name: str | None
    date: str  # formatted for the plan's language
    created: str  # ISO 8601, for the PDF's metadata
    reassess_on: str
    brand: Brand | None
    view: ResultView
    plan: ActionPlan
    references: tuple[Reference, ...]
    appendix: tuple[
        tuple[str, tuple[tuple[str, str], ...]], ...
    ]  # (section, ((question, answer), ...))


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


def reassessment_date(submitted: date, quick_wins: int) -> date:
    """A year after submitting; six months when there are three or more quick wins to show for."""
    return submitted + timedelta(days=182 if quick_wins >= 3 else 365)


def plan_view(assessment: Assessment, language: str | None = None) -> PlanView:
    """The plan's view data; service texts in ``language`` (by default the assessment's)."""
    view = result_view(assessment)
    plan = build_plan(view.result, services_of(assessment.cluster), network_services())
    questionnaire = view.result.questionnaire
    submitted = (assessment.submitted_at or assessment.updated_at).date()
    answers = view.result.answers
    appendix = tuple(
        (
            section.title,
            tuple(
                (q.text, answer_text(q, answers.get(q.id)) or "—")
                for q in section.questions
                if q.id in view.result.visible
            ),
        )
        for section in questionnaire.sections
        if any(q.id in view.result.visible for q in section.questions)
    )
    return PlanView(
        language=language or assessment.language,
        company_name=assessment.company_name,
        date=format_date(submitted, format="long"),
        created=submitted.isoformat(),
        reassess_on=format_date(reassessment_date(submitted, len(plan.quick_wins)), format="long"),
        brand=_brand(assessment.cluster),
        view=view,
        plan=plan,
        references=tuple(questionnaire.references_by_id[r] for r in plan.references),
        appendix=appendix,
    )


def plan_html(assessment: Assessment, language: str | None = None) -> str:
    return render_template(
        "pdf/plan.html", doc=plan_view(assessment, language), assessment=assessment
    )


@cache
def _design_fingerprint() -> str:
    """Changes whenever a template or the print stylesheet of the PDF changes."""
    digest = hashlib.sha256()
    for path in [TEMPLATES_DIR / name for name in PDF_FILES] + [STATIC_DIR / "css" / "print.css"]:
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


def cache_key(assessment: Assessment, language: str) -> str:
    from assessor.services.peers import peer_groups

    networks = db.session.execute(
        select(Cluster.id, Cluster.catalogue_version).where(Cluster.is_network.is_(True))
    )
    state = {
        "answers": {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in sorted(stored_answers(assessment).items())
        },
        "questionnaire": [
            assessment.questionnaire_id,
            assessment.questionnaire_version,
            assessment.questionnaire_sha256,
        ],
        "language": language,
        "catalogue": _catalogue_fingerprint(current_app.config["TRANSLATIONS_DIR"], language),
        "settings": [current_app.config[name] for name in PRINTED_SETTINGS],
        "company": assessment.company_name,
        "submitted": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
        "cluster": [
            assessment.cluster_id,
            assessment.cluster.catalogue_version if assessment.cluster else None,
        ],
        "networks": sorted(tuple(row) for row in networks),
        "peers": [
            (g.key, g.values, g.size, sorted(g.medians.items())) for g in peer_groups(assessment)
        ],
        "previous": assessment.previous_id,
        "design": _design_fingerprint(),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def plan_pdf(assessment: Assessment, language: str | None = None) -> bytes:
    """The PDF plan in ``language`` (by default the assessment's), from the cache when
    nothing it shows has changed. The caller sets the locale to that language."""
    from assessor.pdf.render import render_pdf

    language = language or assessment.language
    key = cache_key(assessment, language)
    cached = db.session.execute(
        select(PlanDocument.cache_key, PlanDocument.pdf).where(
            PlanDocument.assessment_id == assessment.id, PlanDocument.language == language
        )
    ).one_or_none()
    if cached is not None and cached.cache_key == key:
        return cached.pdf
    rendered = render_pdf(
        plan_html(assessment, language), Path(current_app.static_folder or STATIC_DIR)
    )
    for url in rendered.refused:
        current_app.logger.warning("plan of assessment %s: refused to load %s", assessment.id, url)
    row = {
        "assessment_id": assessment.id,
        "language": language,
        "cache_key": key,
        "pdf": rendered.data,
        "created_at": utcnow(),
    }
    try:
        # One statement whether or not a row exists: a second request that rendered the
        # same new plan at the same time (a double click) overwrites it instead of failing.
        db.session.execute(_upsert_plan(), row)
        db.session.commit()
    except IntegrityError:  # the assessment was deleted meanwhile: nothing to cache it for
        db.session.rollback()
    return rendered.data


def _upsert_plan() -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT DO UPDATE of a cached plan, for the database in use."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(PlanDocument)
    return insert.on_conflict_do_update(
        index_elements=[PlanDocument.assessment_id, PlanDocument.language],
        set_={
            "cache_key": insert.excluded.cache_key,
            "pdf": insert.excluded.pdf,
            "created_at": insert.excluded.created_at,
        },
    )
