"""The one SQLAlchemy handle, with a naming convention so migrations get stable names."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, MetaData, Table, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects stay usable after a commit without being fetched again: a request that saves and
# then redirects (most of them) would otherwise pay one more round trip for nothing.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

# The base class of every model. mypy cannot take a base class from an attribute such as
# db.Model (python/mypy#8603, pallets-eco/flask-sqlalchemy#1327), so it is given the class
# db.Model is at run time: Flask-SQLAlchemy's Model mixin over our declarative Base.
if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(_FlaskModel, Base):
        __abstract__ = True
        # Every model here is mapped onto a Table (DeclarativeBase says any FromClause).
        __table__: ClassVar[Table]

else:
    Model = db.Model


def drop_connections(app: Flask, *, close: bool) -> None:
    """Empty the app's connection pools, for a server that forks workers from a built app
    (gunicorn.conf.py, assessor.web.preload). In the master, once the app is built
    (``close``: the start-up's connections are the master's, closed properly); in a forked
    worker, of anything still inherited (not ``close``: the socket is the master's, which a
    worker must neither use nor close; SQLAlchemy's "Using Connection Pools with
    Multiprocessing or os.fork()"). A pool opens new connections when next needed."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=close)


def read_without_transaction() -> None:
    """Run this request's statements without BEGIN and ROLLBACK (autocommit).

    For pages that only read. On PostgreSQL that saves two round trips a request, which
    for a respondent's page is a third of its database cost. Call it before the request's
    first statement; a write after it still commits, one statement at a time. A session
    that is already in a transaction (a command or a test that shares it) keeps it.
    """
    if not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
