"""Backup and restore: every table to one JSON file, and back into an empty database.

The file holds the schema revision it was written with; restoring needs a database
migrated to the same revision (``flask db upgrade``), which may be another kind of
database: a SQLite backup restores into PostgreSQL and the other way round.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import String, Table, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from assessor.storage.db import db
from assessor.storage.models import Assessment, User, Workshop

FORMAT = "assessor-backup"
FORMAT_VERSION = 1
SKIPPED = {"alembic_version"}


class BackupError(ValueError):
    pass


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in SKIPPED]


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database made without migrations has no revision
        db.session.rollback()
        return None


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, raw),) = value.items()
        if kind == "$bytes":
            return base64.b64decode(raw)
        if kind == "$datetime":
            return datetime.fromisoformat(raw)
        if kind == "$date":
            return date.fromisoformat(raw)
    return value


def export_all(out: IO[str]) -> dict[str, int]:
    """Write every row of every table; the row count per table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = [c for c in table.primary_key.columns] or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).mappings()
        tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    json.dump(
        {"format": FORMAT, "version": FORMAT_VERSION, "schema": _revision(), "tables": tables},
        out,
        ensure_ascii=False,
    )
    return {name: len(rows) for name, rows in tables.items()}


def import_all(source: IO[str]) -> dict[str, int]:
    """Restore a backup into a database without assessments, accounts or workshops.

    Rows there (example clusters, questionnaire sources recorded at start) are replaced.
    Everything happens in one transaction: a backup that does not fit changes nothing.
    """
    try:
        document = json.load(source)
    except json.JSONDecodeError as error:
        raise BackupError(f"not a backup file: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("not an assessor backup file")
    if document.get("version") != FORMAT_VERSION:
        raise BackupError(f"backup format {document.get('version')} is not supported")
    if document.get("schema") != _revision():
        raise BackupError(
            f"the backup is of schema {document.get('schema')}, this database of "
            f"{_revision()}: run `flask --app assessor db upgrade` on both to the same revision"
        )
    for model in (Assessment, User, Workshop):
        if db.session.scalar(select(func.count()).select_from(model)):
            raise BackupError("the database holds assessments, accounts or workshops already")
    tables = {t.name: t for t in _tables()}
    unknown = set(document["tables"]) - set(tables)
    if unknown:
        raise BackupError(f"unknown tables in the backup: {', '.join(sorted(unknown))}")
    problems = [
        problem
        for name, table in tables.items()
        for problem in _misfits(table, document["tables"].get(name, []))
    ]
    if problems:
        shown = problems[:50] + (
            [f"... and {len(problems) - 50} more"] if len(problems) > 50 else []
        )
        raise BackupError("records that do not fit this database:\n  " + "\n  ".join(shown))
    counts = {}
    try:
        for table in reversed(list(tables.values())):
            db.session.execute(delete(table))
        for name, table in tables.items():
            rows = [
                {k: _decode(v) for k, v in row.items()} for row in document["tables"].get(name, [])
            ]
            if rows:
                db.session.execute(insert(table), rows)
            counts[name] = len(rows)
        _reset_sequences(tables.values())
        db.session.commit()
    except DBAPIError as error:  # a constraint the checks above do not know of
        db.session.rollback()
        raise BackupError(f"the database refused the backup: {error.orig}") from None
    except Exception:
        db.session.rollback()
        raise
    return counts


def _misfits(table: Table, rows: Any) -> list[str]:
    """Each record of a table that the columns cannot hold: a text longer than its
    column (SQLite stores it, PostgreSQL refuses it), an unknown column, or not a record."""
    if not isinstance(rows, list):
        return [f"{table.name}: expected a list of records"]
    lengths = {
        column.name: column.type.length
        for column in table.columns
        if isinstance(column.type, String) and column.type.length
    }
    problems = []
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(f"{table.name} record {position}: not a record")
            continue
        which = f"{table.name} record {position}" + (f" (id {row['id']})" if "id" in row else "")
        unknown = sorted(set(row) - set(table.columns.keys()))
        if unknown:
            problems.append(f"{which}: unknown columns {', '.join(unknown)}")
        for column, limit in lengths.items():
            value = row.get(column)
            if isinstance(value, str) and len(value) > limit:
                problems.append(
                    f"{which}: {column} has {len(value)} characters; this database holds {limit}"
                )
    return problems


def _reset_sequences(tables: Any) -> None:
    """PostgreSQL hands out ids from sequences: move them past the restored rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.columns and table.columns["id"].autoincrement:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
