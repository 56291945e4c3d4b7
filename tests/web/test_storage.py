"""The same flows on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import event, inspect, select

from assessor.services import assessments as service
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Answer, Assessment, ResultFacet
from tests.web.helpers import answer_every_type, csrf_from, post_form, start, stored


def test_first_start_migrates_and_loads_example_clusters(any_app: Flask) -> None:
    with any_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"assessment", "answer", "cluster", "result_facet", "alembic_version"} <= tables
        cluster = cluster_by_slug("example-baltic-freight")
        assert cluster is not None
        assert cluster.is_example
        assert cluster.languages == ["fi", "en", "pl", "et", "lv", "lt", "sv"]


def test_migrations_match_the_models(any_app: Flask) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with any_app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_whole_flow_answers_and_facets_are_stored(any_app: Flask) -> None:
    client = any_app.test_client()
    with any_app.app_context():
        token = start(client, cluster="example-rhine-scheldt")
        answer_every_type(client, token)
        assert stored(token)["tools"] == ["tms", "wms"]
        assert stored(token)["eco"] == 4
        csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
        client.post(f"/a/{token}/submit", data={"csrf_token": csrf})
        json_result = client.get(f"/a/{token}/results", headers={"Accept": "application/json"}).json
        assert json_result["overall"] == {"score": 74.9, "level": "established"}
        assessment = service.find_assessment(token)
        facets = {
            (f.kind, f.key, f.value): f.score for f in db.session.scalars(select(ResultFacet))
        }
        assert facets[("profile", "activity", "haulage")] is None
        assert facets[("profile", "fleet", "12")] is None
        assert round(facets[("score", "overall", "established")], 3) == 74.907  # with its level
        ranks = sorted(score for (kind, _, _), score in facets.items() if kind == "action")
        triggered = json_result["actions"]
        assert ranks == list(range(1, len(triggered) + 1))  # priority ranks of the actions
        assert {key for kind, key, _ in facets if kind == "action"} == set(triggered)
        # the answers are the truth: the result is recomputed from them
        assert round(service.result_of(assessment).score, 3) == 74.907
        client.post(f"/a/{token}/delete", data={"csrf_token": csrf})
        assert db.session.scalar(select(Assessment.id)) is None
        assert db.session.scalar(select(Answer.id)) is None
        assert db.session.scalar(select(ResultFacet.id)) is None


def test_saving_the_same_answers_twice_is_harmless(any_app: Flask) -> None:
    client = any_app.test_client()
    with any_app.app_context():
        token = start(client)
        for _ in range(2):
            response = post_form(
                client, f"/a/{token}/section/profile", {"activities": ["haulage", "warehouse"]}
            )
            assert response.status_code == 302
        assert stored(token) == {"activities": ["haulage", "warehouse"]}
        post_form(
            client, f"/a/{token}/section/profile", {"activities": ["warehouse"], "company": ""}
        )
        assert stored(token) == {"activities": ["warehouse"]}
        assert db.session.query(Answer).count() == 1


def submit_company(client, token: str, eco: str) -> None:
    answer_every_type(client, token)
    post_form(
        client, f"/a/{token}/section/fleet-section", {"vehicles": "12", "euro6": "50", "eco": eco}
    )
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    assert client.post(f"/a/{token}/submit", data={"csrf_token": csrf}).status_code == 302


def test_peer_comparison_needs_five_other_companies(any_app: Flask) -> None:
    client = any_app.test_client()
    with any_app.app_context():
        peers = [start(client) for _ in range(5)]
        for token in peers[:4]:
            submit_company(client, token, eco="1")  # fleet theme: (40 + 0 * 2) / 3 = 13.3
        mine = start(client)
        submit_company(client, mine, eco="5")
        page = client.get(f"/a/{mine}/results").get_data(as_text=True)
        # One sentence for every group too small (issue 15), not one per group.
        assert page.count("Not enough similar companies yet") == 1
        assert "Peer median" not in page
        submit_company(client, peers[4], eco="1")
        page = client.get(f"/a/{mine}/results").get_data(as_text=True)
        assert "Companies with the same activity (Own fleet)</h3>" in page
        assert '<p class="meta">5 assessments' in page
        # green = (95 + 13.33 * 3) / 4 = 33.75 for every peer
        assert "Peer median: 34" in page


def test_the_page_names_the_minimum_and_the_sample_of_recent_peers(any_app: Flask) -> None:
    any_app.config.update(PEER_GROUP_MINIMUM=3, PEER_MEDIAN_SAMPLE=3)
    client = any_app.test_client()
    with any_app.app_context():
        mine = start(client)
        submit_company(client, mine, eco="5")
        page = client.get(f"/a/{mine}/results").text
        assert "a comparison is shown from 3 completed assessments" in page
        for _ in range(3):
            submit_company(client, start(client), eco="1")
        page = client.get(f"/a/{mine}/results").text
        assert "Companies with the same activity (Own fleet)</h3>" in page
        assert '<p class="meta">3 assessments' in page
        assert "most recent" not in page  # all of them
        submit_company(client, start(client), eco="1")
        page = client.get(f"/a/{mine}/results").text
        assert "Companies with the same activity (Own fleet)</h3>" in page
        assert '<p class="meta">4 assessments' in page
        assert "Medians of the 3 most recent of them." in page
        assert "Peer median: 34" in page


def test_follow_up_shows_the_change_since_last_time(any_app: Flask) -> None:
    client = any_app.test_client()
    with any_app.app_context():
        first = start(client, cluster="example-iberian-green", company="Acme")
        submit_company(client, first, eco="1")
        csrf = csrf_from(client.get(f"/a/{first}/results").get_data(as_text=True))
        response = client.post(f"/a/{first}/follow-up", data={"csrf_token": csrf})
        second = response.headers["Location"].split("/a/")[1].split("?")[0]
        assert second != first
        follow = service.find_assessment(second)
        assert follow.previous_id == service.find_assessment(first).id
        assert follow.company_name == "Acme"
        assert follow.cluster.slug == "example-iberian-green"
        submit_company(client, second, eco="5")
        page = client.get(f"/a/{second}/results").get_data(as_text=True)
        # fleet theme: 13.3 -> (40 + 100 * 2) / 3 = 80, a change of +67
        assert "+67 since last time" in page
        assert "compared with your assessment of" in page


def test_pages_that_only_read_run_without_a_transaction(any_app: Flask) -> None:
    """A respondent's GET pages send no BEGIN and ROLLBACK (two round trips saved on
    PostgreSQL); saving a page stays one transaction."""
    client = any_app.test_client()
    with any_app.app_context():
        token = start(client)
        engine = db.engine
    seen: list[tuple[str, bool]] = []

    def record(conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement.split()[0].upper(), _autocommit(conn.connection.dbapi_connection)))

    # Each request below has its own session, as in production (no app context held here).
    event.listen(engine, "before_cursor_execute", record)
    try:
        for path in (
            "/start",
            "/c/example-baltic-freight",
            *(f"/a/{token}{p}" for p in ("", "/section/profile", "/review")),
        ):
            seen.clear()
            assert client.get(path).status_code in (200, 302)
            assert seen, path
            assert all(autocommit for _, autocommit in seen), (path, seen)
        seen.clear()
        response = post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
        assert response.status_code == 302
        writes = [autocommit for verb, autocommit in seen if verb in ("UPDATE", "INSERT")]
        assert writes, seen
        assert not any(writes), seen
        # A language in the URL is shown, not stored, by a reading page: it writes nothing
        # (a link unfurler or prefetch changes no assessment); saving a page stores it.
        seen.clear()
        assert client.get(f"/fr/a/{token}/section/profile").status_code == 200
        assert not [verb for verb, _ in seen if verb in ("UPDATE", "INSERT", "DELETE")], seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
    with any_app.app_context():
        assert stored(token)["activities"] == ["haulage"]
        assert service.find_assessment(token).language == "en"


def _autocommit(dbapi_connection: object) -> bool:
    if isinstance(dbapi_connection, sqlite3.Connection):  # opens no transaction without a level
        return dbapi_connection.isolation_level is None
    return bool(dbapi_connection.autocommit)  # type: ignore[attr-defined]
