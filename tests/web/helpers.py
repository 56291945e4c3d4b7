"""Small helpers for driving the web flow with the Flask test client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessor.storage.db import db
from assessor.storage.models import Answer, Assessment
from tests.conftest import DATA

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], follow: bool = False):
    """GET the page for its CSRF token, then POST the data to it."""
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=follow)


def start(
    client: FlaskClient, questionnaire: str = "every-type", cluster: str = "", company: str = ""
) -> str:
    """Start an assessment; return its token."""
    response = post_form(
        client, "/start", {"questionnaire": questionnaire, "cluster": cluster, "company": company}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    match = re.search(r"/a/([A-Za-z0-9_-]+)", location)
    assert match, location
    return match.group(1)


def stored(token: str) -> dict[str, Any]:
    assessment = db.session.scalar(select(Assessment).where(Assessment.token == token))
    assert assessment is not None
    rows = db.session.execute(
        select(Answer.question_id, Answer.value).where(Answer.assessment_id == assessment.id)
    )
    return dict(rows.all())


def assessment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Assessment))


def answer_every_type(client: FlaskClient, token: str) -> None:
    """Complete every-type.yaml through the pages, with haulage and a full fleet section."""
    base = f"/a/{token}/section"
    assert (
        post_form(
            client, f"{base}/profile", {"activities": ["haulage"], "company": "Acme"}
        ).status_code
        == 302
    )
    assert (
        post_form(
            client, f"{base}/fleet-section", {"vehicles": "12", "euro6": "50", "eco": "4"}
        ).status_code
        == 302
    )
    response = post_form(
        client,
        f"{base}/data-section",
        {
            "fuel": "yes",
            "method": "primary",
            "tools": ["tms", "wms"],
            "certs": ["iso14001", "iso50001"],
            "budget": ["a", "b"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/a/{token}/review")


EVERY_TYPE_REFERENCES = """\
references:
  - id: efti
    title: eFTI Regulation
    text: Authorities accept electronic freight information.
    url: https://eur-lex.europa.eu/eli/reg/2020/1056/oj
    source: EUR-Lex, Regulation (EU) 2020/1056
    checked: "2026-03"
  - id: iso-14083
    title: ISO 14083
    text: The standard for transport emissions.
    source: ISO
    checked: 2025-11
  - id: data-act
    title: Data Act
    text: Users of connected products may access their data.
  - id: unused
    title: Not in the plan
    text: No action of the warehouse's plan names it.
    source: Nobody
    checked: 2020-01
"""


def every_type_with_references(folder: Path) -> Path:
    """A folder with every-type.yaml whose actions for a warehouse (measure-fuel, go-digital)
    name references checked in 2026-03 and 2025-11 and one never checked; another reference,
    checked in 2020-01, is in no such action. Returns the folder."""
    text = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    for topics, references in [
        ("    topics: [energy-data]\n", "[efti, iso-14083]"),
        ("    topics: [digital-strategy]\n", "[data-act]"),
        ("    topics: [fleet-transition]\n", "[unused]"),
    ]:
        assert text.count(topics) == 1, topics
        text = text.replace(topics, f"{topics}    references: {references}\n")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "every-type.yaml").write_text(text + EVERY_TYPE_REFERENCES, encoding="utf-8")
    return folder
