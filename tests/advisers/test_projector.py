"""The projector on the server side: nothing of the adviser's account on it, both ways to
join, the group's figures only from the minimum size, and its controls returning to it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessor.services import workshops
from assessor.services.accounts import create_user
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Role, Workshop
from tests.advisers.helpers import PASSWORD, create_workshop, join_and_finish, sign_in
from tests.web.helpers import csrf_from

ADVISER = "Anna Virtanen"


@pytest.fixture
def adviser(app: Flask) -> FlaskClient:
    with app.app_context():
        create_user(
            "anna@example.org",
            ADVISER,
            Role.ADVISER,
            cluster_by_slug("example-baltic-freight"),
            PASSWORD,
        )
    client = app.test_client()
    sign_in(client, "anna@example.org")
    return client


def _workshop(app: Flask, public_id: str) -> Workshop:
    with app.app_context():
        found = db.session.scalar(select(Workshop).where(Workshop.public_id == public_id))
        assert found is not None
        db.session.expunge(found)
        return found


def _projector(
    client: FlaskClient, public_id: str, part: str = "", language: str | None = None
) -> str:
    prefix = f"/{language}" if language else ""
    response = client.get(f"{prefix}/advisers/workshops/{public_id}/projector{part}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_projector_shows_nothing_of_the_advisers_account(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    page = _projector(adviser, public_id)
    assert ADVISER not in page
    assert "Sign out" not in page
    assert 'class="site-header"' not in page
    assert 'class="site-footer"' not in page
    assert "projector.css" in page
    # Without JavaScript the page reloads itself; with it, live.js takes over.
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in page


def test_the_room_reads_both_ways_to_join(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    code = _workshop(app, public_id).join_code
    page = _projector(adviser, public_id, "/live")
    assert 'class="projector-screen is-joining"' in page
    # As typed in a browser: no "http://" (the tests' SERVER_NAME is assessor.test).
    assert '<strong class="join-address">assessor.test/join</strong>' in page
    assert f'<strong class="join-address join-link">assessor.test/j/{code}</strong>' in page
    assert f'<p class="join-code">{workshops.spaced(code)}</p>' in page
    assert "<svg" in page
    assert "QR code of the join link" in page


def test_the_room_joins_in_the_workshops_language(app: Flask, adviser) -> None:
    """The adviser's pages in Finnish, the workshop in English: the addresses shown to the
    room carry no /fi/, which would put every participant's pages in Finnish."""
    public_id = create_workshop(adviser, language="en")
    code = _workshop(app, public_id).join_code
    page = _projector(adviser, public_id, "/live", language="fi")
    assert "Tai linkki:" in page  # the page itself is in Finnish ("Or the link:")
    assert '<strong class="join-address">assessor.test/join</strong>' in page
    assert f'<strong class="join-address join-link">assessor.test/j/{code}</strong>' in page
    assert "/fi/j/" not in page


def test_the_room_reads_the_public_address(make_app) -> None:
    from tests.conftest import RELEASED_V2

    app = make_app(questionnaires=RELEASED_V2, PUBLIC_URL="https://assess.example.org")
    with app.app_context():
        create_user(
            "anna@example.org",
            ADVISER,
            Role.ADVISER,
            cluster_by_slug("example-baltic-freight"),
            PASSWORD,
        )
    client = app.test_client()
    sign_in(client, "anna@example.org")
    public_id = create_workshop(client)
    page = _projector(client, public_id, "/live", language="de")
    assert '<strong class="join-address">assess.example.org/join</strong>' in page


def test_the_results_replace_the_join_box_from_the_minimum_group(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    code = _workshop(app, public_id).join_code
    for _ in range(2):
        join_and_finish(app, code)
    page = _projector(adviser, public_id, "/live")
    assert "is-joining" in page
    assert "dimension-bar" not in page
    assert "appear when at least 3 participants have finished" in page
    join_and_finish(app, code)
    page = _projector(adviser, public_id, "/live")
    assert 'class="projector-screen is-compact"' in page
    assert "QR code of the join link" not in page
    assert page.count('<li class="dimension-bar">') == 3
    assert "Figures from 3 participants" in page
    for bar in re.findall(r'<svg class="bar level-bar".*?</svg>', page, re.S):
        counts = re.findall(r'class="level-count"[^>]*>(\d+)</text>', bar)
        assert sum(int(c) for c in counts) == 3


def test_hiding_and_closing_from_the_projector_return_to_it(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    page = _projector(adviser, public_id)
    csrf = csrf_from(page)
    assert 'data-results-shown="yes"' in page
    assert 'data-open="yes"' in page

    hidden = adviser.post(
        f"/advisers/workshops/{public_id}/results-shown",
        data={"csrf_token": csrf, "shown": "no", "back": "projector"},
    )
    assert hidden.headers["Location"].endswith(f"/workshops/{public_id}/projector")
    page = _projector(adviser, public_id)
    assert 'data-results-shown="no"' in page
    assert "The results are hidden for now." in page
    assert '<input type="hidden" name="shown" value="yes">' in page  # the button shows them

    closed = adviser.post(
        f"/advisers/workshops/{public_id}/close", data={"csrf_token": csrf, "back": "projector"}
    )
    assert closed.headers["Location"].endswith(f"/workshops/{public_id}/projector")
    assert _workshop(app, public_id).is_open is False
    page = _projector(adviser, public_id)
    assert "This workshop is closed." in page
    assert 'data-open="no"' in page
    assert re.search(r"<details[^>]*data-close[^>]*hidden", page)


def test_the_dashboards_close_still_returns_to_the_dashboard(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    csrf = csrf_from(_projector(adviser, public_id))
    closed = adviser.post(f"/advisers/workshops/{public_id}/close", data={"csrf_token": csrf})
    assert closed.headers["Location"].endswith(f"/workshops/{public_id}")


def test_closing_without_the_token_changes_nothing(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    refused = adviser.post(f"/advisers/workshops/{public_id}/close", data={"back": "projector"})
    assert refused.status_code == 400
    assert _workshop(app, public_id).is_open is True


def test_another_clusters_adviser_sees_no_projector(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    with app.app_context():
        create_user(
            "olli@example.org",
            "Olli",
            Role.ADVISER,
            cluster_by_slug("example-rhine-scheldt"),
            PASSWORD,
        )
    other = app.test_client()
    sign_in(other, "olli@example.org")
    for part in ("", "/live"):
        assert other.get(f"/advisers/workshops/{public_id}/projector{part}").status_code == 404
