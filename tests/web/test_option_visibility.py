"""Options offered only for some earlier answers, through the test client: what a page
shows, what it saves, and what the review page lists (tests/data/options/options.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessor.services import assessments as service
from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.conftest import DATA
from tests.web.helpers import post_form, start, stored

OPTIONS = DATA / "options"


@pytest.fixture
def client(make_app: Any) -> Iterator[FlaskClient]:
    app: Flask = make_app(questionnaires=OPTIONS)
    with app.app_context():
        yield app.test_client()


def option_div(page: str, question: str, option: str) -> str:
    """The opening tag of an option's block on a page."""
    marker = f'value="{option}"'
    start_at = page.index(marker)
    start_at = page.rindex('<div class="option"', 0, start_at)
    return page[start_at : page.index(">", start_at) + 1]


def test_a_page_hides_options_not_offered_and_gives_the_script_their_condition(
    client: FlaskClient,
) -> None:
    token = start(client, questionnaire="option-visibility")
    page = client.get(f"/a/{token}/section/fleet").get_data(as_text=True)
    aero = option_div(page, "measures", "aero")
    assert " hidden" in aero  # nothing answered yet: no heavy trucks
    assert "data-option-visible-if=" in aero
    assert "&#34;includes&#34;: &#34;heavy&#34;" in aero
    tyres = option_div(page, "measures", "tyres")
    assert tyres == '<div class="option">'


def test_the_server_saves_only_the_options_offered(client: FlaskClient) -> None:
    token = start(client, questionnaire="option-visibility")
    # Without the script a respondent could send a hidden option: it is not saved.
    response = post_form(
        client,
        f"/a/{token}/section/fleet",
        {"vehicle-types": ["vans"], "measures": ["aero", "tyres"], "ev-plan": "trial"},
    )
    assert response.status_code == 302
    assert stored(token)["measures"] == ["tyres"]
    # A choice on an option not offered is no answer: the page asks for one.
    response = post_form(
        client,
        f"/a/{token}/section/fleet",
        {"vehicle-types": ["vans"], "measures": ["tyres"], "ev-plan": "e-trucks"},
    )
    assert response.status_code == 400
    assert "Please answer this question." in response.get_data(as_text=True)
    assert stored(token)["ev-plan"] == "trial"  # a page is saved whole or not at all
    # With heavy trucks on the same page, the same options are offered and kept.
    post_form(
        client,
        f"/a/{token}/section/fleet",
        {"vehicle-types": ["heavy"], "measures": ["aero", "tyres"], "ev-plan": "e-trucks"},
    )
    assert stored(token)["measures"] == ["tyres", "aero"]
    assert stored(token)["ev-plan"] == "e-trucks"


def test_a_kept_answer_on_an_option_hidden_since_is_neither_shown_nor_listed(
    client: FlaskClient,
) -> None:
    token = start(client, questionnaire="option-visibility")
    post_form(
        client,
        f"/a/{token}/section/fleet",
        {"vehicle-types": ["heavy"], "measures": ["aero", "tyres"], "ev-plan": "e-trucks"},
    )
    # As when an earlier page changes: the first answer alone is replaced.
    assessment = db.session.scalar(select(Assessment).where(Assessment.token == token))
    service.save_answers(assessment, {"vehicle-types": ("vans",)})
    assert stored(token)["measures"] == ["tyres", "aero"]  # kept, as hidden answers are
    page = client.get(f"/a/{token}/section/fleet").get_data(as_text=True)
    assert " hidden" in option_div(page, "measures", "aero")
    assert "checked" not in page[page.index('value="aero"') - 200 : page.index('value="aero"')]
    assert (
        "checked" not in page[page.index('value="e-trucks"') - 200 : page.index('value="e-trucks"')]
    )
    review = client.get(f"/a/{token}/review").get_data(as_text=True)
    assert "Low-rolling-resistance tyres" in review
    assert "Aerodynamic kits" not in review
    assert "Electric trucks in service" not in review
