"""One cluster's advisers never see another cluster's workshops or companies."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assessor.services import accounts
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Assessment, Role
from tests.advisers.helpers import (
    adviser_id_of,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.web.helpers import csrf_from


@pytest.fixture
def baltic_objects(app: Flask):
    """A Baltic workshop with a shared finished assessment, a Baltic adviser, and the client
    of the Baltic cluster administrator (who may open every adviser route)."""
    baltic = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    make_account(app, "ada@example.org")
    workshop_id = create_workshop(baltic, title="Baltic secret workshop")
    code = join_code_of(baltic, workshop_id)
    token = join_and_finish(app, code, company="Baltic Secret Oy", share=True)
    assessment_id = adviser_id_of(app, token)
    with app.app_context():
        adviser_id = accounts.user_by_email("ada@example.org").public_id
    return baltic, {"workshops": workshop_id, "assessments": assessment_id, "cluster": adviser_id}


def adviser_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(rule, method, kind of object) of every adviser route that names an object."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("advisers.") or "public_id" not in rule.arguments:
            continue
        kind = rule.rule.split("/")[2]  # /advisers/<kind>/<public_id>...
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.rule, method, kind))
    return routes


def test_every_adviser_route_is_walked(app: Flask) -> None:
    kinds = {kind for _, _, kind in adviser_routes(app)}
    assert kinds == {"workshops", "assessments", "cluster"}
    assert len(adviser_routes(app)) >= 12


def test_another_clusters_adviser_gets_404_on_every_route(app: Flask, baltic_objects) -> None:
    baltic, ids = baltic_objects
    rhine = signed_in_client(
        app, make_account(app, "bob@example.org", "example-rhine-scheldt", Role.CLUSTER_ADMIN)
    )
    token = csrf_from(rhine.get("/advisers/workshops/new").get_data(as_text=True))
    walked = 0
    for rule, method, kind in adviser_routes(app):
        url = rule.replace("<public_id>", ids[kind])
        if method == "GET":
            own = baltic.get(url)
            other = rhine.get(url)
        else:
            baltic_token = csrf_from(baltic.get("/advisers/workshops/new").get_data(as_text=True))
            own = baltic.post(url, data={"csrf_token": baltic_token, "shown": "yes"})
            other = rhine.post(url, data={"csrf_token": token, "shown": "yes"})
        # the control (a PDF being prepared: 303 to, or 202 for, the page that follows it)
        assert own.status_code in (200, 202, 302, 303), (method, url, own.status_code)
        assert other.status_code == 404, (method, url, other.status_code)
        assert b"Baltic Secret" not in other.data
        walked += 1
    assert walked == len(adviser_routes(app))
    with app.app_context():
        baltic_keys = [s.key for s in cluster_by_slug("example-baltic-freight").services]
        rhine_keys = {s.key for s in cluster_by_slug("example-rhine-scheldt").services}
    for key in baltic_keys:
        if key not in rhine_keys:  # a service is looked up in one's own catalogue only
            assert baltic.get(f"/advisers/cluster/services/{key}").status_code == 200
            assert rhine.get(f"/advisers/cluster/services/{key}").status_code == 404


def test_lists_show_only_the_own_cluster(app: Flask, baltic_objects) -> None:
    baltic, _ = baltic_objects
    rhine = signed_in_client(app, make_account(app, "bob@example.org", "example-rhine-scheldt"))
    assert "Baltic secret workshop" in baltic.get("/advisers/").get_data(as_text=True)
    assert "Baltic Secret Oy" in baltic.get("/advisers/companies").get_data(as_text=True)
    assert "Baltic secret workshop" not in rhine.get("/advisers/").get_data(as_text=True)
    assert "Baltic Secret Oy" not in rhine.get("/advisers/companies").get_data(as_text=True)


def test_unguessable_ids_and_no_respondent_token_in_adviser_pages(
    app: Flask, baltic_objects
) -> None:
    baltic, ids = baltic_objects
    assert len(ids["workshops"]) >= 20
    assert len(ids["assessments"]) >= 20
    with app.app_context():
        token = db.session.scalar(
            select(Assessment.token).where(Assessment.public_id == ids["assessments"])
        )
    for url in (
        "/advisers/companies",
        f"/advisers/assessments/{ids['assessments']}",
        f"/advisers/workshops/{ids['workshops']}",
        f"/advisers/workshops/{ids['workshops']}/live",
    ):
        assert token not in baltic.get(url).get_data(as_text=True), url  # it would allow edits
    assert baltic.get("/advisers/workshops/1").status_code == 404  # row ids mean nothing
