"""scripts/postgres-for-tests: each checkout gets a database of its own (the tests wipe it),
always UTF-8. The script runs from copies in other folders, as it would in other checkouts,
so that the database of the running suite is never touched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from tests.conftest import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "postgres-for-tests"


def checkout_copy(folder: Path) -> Path:
    """A folder that holds the script where a checkout does; the script's path in it."""
    (folder / "scripts").mkdir(parents=True)
    return Path(shutil.copy2(SCRIPT, folder / "scripts" / SCRIPT.name))


def database_of(checkout: Path) -> str:
    """The name the script gives the database of a checkout (from its real path)."""
    return "assessor_test_" + hashlib.sha256(str(checkout.resolve()).encode()).hexdigest()[:10]


def run(script: Path) -> str:
    completed = subprocess.run([str(script)], capture_output=True, text=True, timeout=120, cwd="/")
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


@pytest.fixture
def server(postgres_url: str) -> Iterator[tuple[Engine, list[str]]]:
    """The server's maintenance database (as the test role), and the databases to drop."""
    engine = create_engine(
        make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    made: list[str] = []
    yield engine, made
    with engine.connect() as connection:
        for name in made:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


def encoding_of(engine: Engine, name: str) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(
            text("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = :name"),
            {"name": name},
        )


def test_two_checkouts_get_two_databases(
    tmp_path: Path, postgres_url: str, server: tuple[Engine, list[str]]
) -> None:
    engine, made = server
    first, second = tmp_path / "one", tmp_path / "two"
    made += [database_of(first), database_of(second)]
    urls = [run(checkout_copy(first)), run(checkout_copy(second))]
    names = [make_url(url).database for url in urls]
    assert names == made
    assert len({*names, make_url(postgres_url).database}) == 3  # nor the running suite's
    for url in urls:
        # The test role may use it, and it is empty.
        user_engine = create_engine(url)
        with user_engine.connect() as connection:
            assert (
                connection.scalar(
                    text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                )
                == 0
            )
        user_engine.dispose()
    assert run(first / "scripts" / SCRIPT.name) == urls[0]  # the same one each time


def test_the_database_is_utf8_whatever_the_server_made_before(
    tmp_path: Path, server: tuple[Engine, list[str]]
) -> None:
    """A cluster created under LANG=C makes SQL_ASCII databases by default; a database
    made that way (by an earlier version of the script) is made anew as UTF-8."""
    engine, made = server
    checkout = tmp_path / "ascii"
    name = database_of(checkout)
    made.append(name)
    with engine.connect() as connection:
        connection.execute(
            text(
                f"CREATE DATABASE \"{name}\" ENCODING 'SQL_ASCII' TEMPLATE template0 "
                "LC_COLLATE 'C' LC_CTYPE 'C'"
            )
        )
    assert encoding_of(engine, name) == "SQL_ASCII"
    url = run(checkout_copy(checkout))
    assert make_url(url).database == name
    assert encoding_of(engine, name) == "UTF8"
    user_engine = create_engine(url)
    with user_engine.connect() as connection:
        assert connection.scalar(text("SELECT 'Kylmäketju ✓ Łódź'")) == "Kylmäketju ✓ Łódź"
    user_engine.dispose()
