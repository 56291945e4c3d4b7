"""Backup and restore: a populated database round-trips, SQLite to PostgreSQL included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from tests.advisers.helpers import (
    Account,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import RELEASED_V2, fetch_pdf


def populate(app: Flask) -> list[str]:
    """Clusters, accounts, a workshop with finished and open assessments, a log entry."""
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    tokens = [
        join_and_finish(app, code, company="Export Oy", share=True),
        join_and_finish(app, code, company="Ünïcödé & <Co>"),
        join_and_finish(app, code, finish=False),
    ]
    adviser.get(f"/advisers/workshops/{public_id}/export.csv")  # an audit event
    client = app.test_client()
    fetch_pdf(client, f"/a/{tokens[0]}/plan.pdf")  # a cached PDF (bytes)
    return tokens


def backup(app: Flask, path: Path) -> dict:
    result = app.test_cli_runner().invoke(args=["export", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source", "target"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_a_populated_database_round_trips(
    make_app, tmp_path: Path, source: str, target: str
) -> None:
    first = make_app(database=source, questionnaires=RELEASED_V2)
    tokens = populate(first)
    results = [
        first.test_client().get(f"/a/{t}/results", headers={"Accept": "application/json"}).json
        for t in tokens
    ]
    saved = backup(first, tmp_path / "backup.json")
    assert len(saved["tables"]["answer"]) > 10
    assert saved["tables"]["plan_document"][0]["pdf"]["$bytes"]

    second = make_app(database=target, questionnaires=RELEASED_V2)
    restored = second.test_cli_runner().invoke(args=["import", str(tmp_path / "backup.json")])
    assert restored.exit_code == 0, restored.output
    again = backup(second, tmp_path / "again.json")
    assert again["tables"] == saved["tables"]  # nothing lost, nothing changed
    client = second.test_client()
    for token, result in zip(tokens, results, strict=True):
        assert (
            client.get(f"/a/{token}/results", headers={"Accept": "application/json"}).json == result
        )
    # The restored accounts sign in, and new rows get fresh ids after the restored ones.
    adviser = signed_in_client(second, Account("ada@example.org", "example-baltic-freight"))
    assert adviser.get("/advisers/").status_code == 200
    assert create_workshop(adviser, title="After the restore")


def test_import_refuses_a_database_in_use_and_bad_files(make_app, tmp_path: Path) -> None:
    first = make_app(questionnaires=RELEASED_V2)
    populate(first)
    backup(first, tmp_path / "backup.json")
    runner = first.test_cli_runner()
    busy = runner.invoke(args=["import", str(tmp_path / "backup.json")])
    assert busy.exit_code == 1
    assert "holds assessments, accounts or workshops already; nothing was changed" in busy.output
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    fresh = make_app(questionnaires=RELEASED_V2)
    junk = fresh.test_cli_runner().invoke(args=["import", str(tmp_path / "junk.json")])
    assert junk.exit_code == 1
    assert "not a backup file" in junk.output
    other = json.loads((tmp_path / "backup.json").read_text(encoding="utf-8"))
    other["schema"] = "0000"
    (tmp_path / "old.json").write_text(json.dumps(other), encoding="utf-8")
    old = fresh.test_cli_runner().invoke(args=["import", str(tmp_path / "old.json")])
    assert old.exit_code == 1
    assert "db upgrade" in old.output
