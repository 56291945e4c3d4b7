"""What respondents can take with them, what is deleted on its own, what advisers leave behind."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from assessor.storage.db import db
from assessor.storage.models import Assessment, AuditEvent, Role, utcnow
from tests.advisers.helpers import (
    adviser_id_of,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import fetch_pdf
from tests.web.helpers import answer_every_type, csrf_from, start


def test_a_respondent_downloads_everything_stored(client) -> None:
    token = start(client, company="Acme")
    answer_every_type(client, token)
    response = client.get(f"/a/{token}/data.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["assessment"]["company"] == "Acme"
    assert data["assessment"]["questionnaire"] == "every-type"
    answers = {a["question"]: a for a in data["answers"]}
    assert answers["fuel"]["value"] == "yes"
    assert answers["fuel"]["answer"] == "Yes"
    assert answers["tools"]["value"] == ["tms", "wms"]
    assert data["result"]["questionnaire"] == "every-type"
    assert token not in response.get_data(as_text=True)  # the key itself is not data
    assert client.get("/a/not-a-token/data.json").status_code == 404


def test_unfinished_assessments_are_purged_after_the_retention(app: Flask) -> None:
    client = app.test_client()
    old, recent, finished = start(client), start(client), start(client)
    answer_every_type(client, finished)
    csrf = csrf_from(client.get(f"/a/{finished}/review").get_data(as_text=True))
    client.post(f"/a/{finished}/submit", data={"csrf_token": csrf})
    with app.app_context():
        long_ago = utcnow() - timedelta(days=200)
        db.session.execute(
            update(Assessment)
            .where(Assessment.token.in_([old, finished]))
            .values(updated_at=long_ago)
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0
    assert "deleted 1 unfinished assessments unchanged for 180 days" in result.output
    with app.app_context():
        left = set(db.session.scalars(select(Assessment.token)))
    assert left == {recent, finished}  # a submitted assessment stays
    assert app.test_cli_runner().invoke(args=["purge", "--days", "0"]).exit_code == 2


def test_adviser_access_to_shared_data_is_logged_and_shown_to_the_company(
    released_app: Flask,
) -> None:
    adviser = signed_in_client(released_app, make_account(released_app, "ada@example.org"))
    public_id = create_workshop(adviser)
    token = join_and_finish(released_app, join_code_of(adviser, public_id), "Open Oy", share=True)
    assessment_id = adviser_id_of(released_app, token)
    adviser.get(f"/advisers/assessments/{assessment_id}")
    fetch_pdf(adviser, f"/advisers/assessments/{assessment_id}/plan.pdf")
    adviser.get(f"/advisers/workshops/{public_id}/export.csv")
    with released_app.app_context():
        actions = [(e.action, e.object_id) for e in db.session.scalars(select(AuditEvent))]
    assert actions == [
        ("view-assessment", assessment_id),
        ("download-plan", assessment_id),
        ("export-csv", public_id),
    ]
    data = json.loads(released_app.test_client().get(f"/a/{token}/data.json").data)
    assert [a["action"] for a in data["adviser_access"]] == ["view-assessment", "download-plan"]


def test_the_privacy_page_says_how_long(client) -> None:
    html = client.get("/privacy").get_data(as_text=True)
    assert "deleted 180 days after its last change" in html
    assert "Download my answers" in html


def test_cluster_administrators_read_their_clusters_access_log(released_app: Flask) -> None:
    app = released_app
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    elsewhere = signed_in_client(
        app,
        make_account(
            app, "other@example.org", cluster="example-iberian-green", role=Role.CLUSTER_ADMIN
        ),
    )
    assert "Nothing yet" in admin.get("/advisers/cluster/log").get_data(as_text=True)
    public_id = create_workshop(adviser, title="Log workshop")
    token = join_and_finish(app, join_code_of(adviser, public_id), "Logged Oy", share=True)
    assessment_id = adviser_id_of(app, token)
    fetch_pdf(adviser, f"/advisers/assessments/{assessment_id}/plan.pdf")
    adviser.get(f"/advisers/workshops/{public_id}/export.xlsx")

    log = admin.get("/advisers/cluster/log")
    assert log.status_code == 200
    body = log.get_data(as_text=True).split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    text = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert text[0].endswith("Ada exported the workshop (XLSX) Log workshop")  # newest first
    assert text[1].endswith("Ada downloaded the action plan Logged Oy")
    assert f'href="/advisers/assessments/{assessment_id}"' in rows[1]

    other = elsewhere.get("/advisers/cluster/log").get_data(as_text=True)
    assert "Logged Oy" not in other
    assert "Log workshop" not in other
    assert "Nothing yet" in other
    assert adviser.get("/advisers/cluster/log").status_code == 403  # advisers: no log
    for odd in ["../../x", "²", "-1", "9" * 40]:  # each read as the first page
        assert admin.get(f"/advisers/cluster/log?page={odd}").status_code == 200, odd
    assert "Logged Oy" not in admin.get("/advisers/cluster/log?page=1").get_data(as_text=True)
