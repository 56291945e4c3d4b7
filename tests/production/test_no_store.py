"""Pages with a respondent's answers or results, and every adviser page, are never kept in
the browser's cache: on a shared computer the next person would find them there."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.advisers.helpers import (
    adviser_id_of,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import fetch_pdf
from tests.web.helpers import csrf_from


@pytest.fixture
def walk(released_app: Flask):
    """A workshop with a finished, shared assessment and an open one; the adviser's
    client; the tokens."""
    adviser = signed_in_client(released_app, make_account(released_app, "ada@example.org"))
    workshop = create_workshop(adviser)
    code = join_code_of(adviser, workshop)
    finished = join_and_finish(released_app, code, company="Cache Oy", share=True)
    open_one = join_and_finish(released_app, code, finish=False)
    return adviser, workshop, finished, open_one


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part}


def test_respondent_pages_are_never_stored(released_app: Flask, walk) -> None:
    _, _, finished, open_one = walk
    respondent = released_app.test_client()
    pages = [
        f"/a/{open_one}",
        f"/a/{open_one}/section/company",
        f"/a/{open_one}/section/skills",
        f"/a/{open_one}/review",
        f"/fr/a/{open_one}/review",
        f"/a/{finished}",
        f"/a/{finished}/results",
        f"/a/{finished}/data.json",
        f"/a/{finished}/delete",
        f"/a/{finished}/plan.pdf",
        f"/a/{finished}/plan",  # the page and the script that follow the PDF's render
        f"/a/{finished}/plan/status",
        f"/a/{finished}/nowhere",  # even a page that is not there names a live token
    ]
    for path in pages:
        response = respondent.get(path)
        assert response.status_code in (200, 202, 302, 303, 404), (path, response.status_code)
        assert "no-store" in _cache_control(response), path
    assert _cache_control(fetch_pdf(respondent, f"/a/{finished}/plan.pdf")) == {
        "private",
        "no-store",
    }

    results = respondent.get(f"/a/{finished}/results").get_data(as_text=True)
    follow_up = respondent.post(f"/a/{finished}/follow-up", data={"csrf_token": csrf_from(results)})
    assert follow_up.status_code == 302
    assert "no-store" in _cache_control(follow_up)
    next_page = respondent.get(follow_up.headers["Location"])
    assert "no-store" in _cache_control(next_page)


def test_adviser_pages_are_never_stored(released_app: Flask, walk) -> None:
    adviser, workshop, finished, _ = walk
    assessment = adviser_id_of(released_app, finished)
    pages = [
        "/advisers/",
        "/advisers/companies",
        f"/advisers/assessments/{assessment}",
        f"/advisers/assessments/{assessment}/plan",
        f"/advisers/workshops/{workshop}",
        f"/advisers/workshops/{workshop}/summary",
        f"/advisers/workshops/{workshop}/live",
        f"/advisers/workshops/{workshop}/projector",
        f"/advisers/workshops/{workshop}/export.csv",
        "/advisers/one-to-one",
        "/advisers/password",
    ]
    for path in pages:
        response = adviser.get(path)
        assert response.status_code in (200, 202), (path, response.status_code)
        assert "no-store" in _cache_control(response), path
    export = adviser.get(f"/advisers/workshops/{workshop}/export.csv")
    assert _cache_control(export) == {"private", "no-store"}  # downloads keep theirs
    plan = fetch_pdf(adviser, f"/advisers/assessments/{assessment}/plan.pdf")
    assert plan.mimetype == "application/pdf"
    assert _cache_control(plan) == {"private", "no-store"}


def test_public_pages_may_be_cached(released_app: Flask) -> None:
    client = released_app.test_client()
    for path in ["/", "/privacy", "/join"]:
        assert "no-store" not in _cache_control(client.get(path)), path
