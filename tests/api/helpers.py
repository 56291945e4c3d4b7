"""Tokens, submitted assessments and API requests for the API tests."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from assessor.services import api_tokens, assessments
from assessor.services.accounts import create_user
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Assessment, Role

PERSONAS = Path(__file__).parents[1] / "personas"
BALTIC, IBERIAN = "example-baltic-freight", "example-iberian-green"


def new_token(app: Flask, cluster: str = BALTIC, name: str = "Our CRM") -> str:
    with app.app_context():
        found = cluster_by_slug(cluster)
        assert found is not None
        _row, token = api_tokens.create_token(found, name, None)
        return token


def persona_answers(questionnaire: str, persona: str) -> dict[str, Any]:
    answers = json.loads((PERSONAS / questionnaire / f"{persona}.json").read_text("utf-8"))
    return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}


def submitted(
    app: Flask,
    cluster: str | None = BALTIC,
    company: str = "Acme Logistics",
    *,
    questionnaire: str = "quick-check",
    persona: str = "beginner",
    share: bool = True,
    one_to_one: bool = False,
    previous: str | None = None,
    at: datetime | None = None,
    language: str = "en",
) -> str:
    """A submitted assessment; its public id. ``previous``: the public id it follows up;
    ``at``: its submission time, as stored."""
    with app.app_context():
        found = cluster_by_slug(cluster) if cluster else None
        if previous is not None:
            earlier = db.session.query(Assessment).filter_by(public_id=previous).one()
            assessment = assessments.start_follow_up(earlier)
        else:
            adviser = None
            if one_to_one:
                email = f"adviser-{company.lower().replace(' ', '-')}@example.org"
                adviser = create_user(email, "Ada Adviser", Role.ADVISER, found, None)
            catalogue = assessments.catalogue().get(questionnaire)
            assert catalogue is not None
            assessment = assessments.start_assessment(
                catalogue, found, language, company, assisted_by=adviser
            )
        assessments.save_answers(assessment, persona_answers(questionnaire, persona))
        assessments.submit(assessment)
        if previous is None:
            assessments.set_sharing(assessment, share)
        if at is not None:
            assessment.submitted_at = at
            db.session.commit()
        return assessment.public_id


def token_of(app: Flask, public_id: str) -> str:
    """The respondent's token of an assessment (for its results page)."""
    with app.app_context():
        return db.session.query(Assessment).filter_by(public_id=public_id).one().token


def api(client: FlaskClient, path: str, token: str | None, **options: Any):
    headers = dict(options.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(f"/api/v1{path}", headers=headers, **options)
