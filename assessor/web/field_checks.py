"""Checks every adviser and administrator form shares: lengths and e-mail addresses.

Lengths are read from the model's columns, so that what a form accepts always fits the
database (PostgreSQL refuses a text longer than its column; SQLite would store it, and a
backup of it could then not be restored into PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute

from assessor.domain.email_addresses import is_email_address


def column_limit(column: InstrumentedAttribute) -> int:
    """The number of characters a ``String(n)`` column holds."""
    length = column.property.columns[0].type.length
    if length is None:
        raise TypeError(f"{column} has no length")
    return int(length)


def too_long_message(limit: int) -> str:
    return _("Please keep this to %(count)s characters at most.", count=limit)


def length_errors(values: Mapping[str, str | None], limits: Mapping[str, int]) -> dict[str, str]:
    """A message for each field whose text is longer than its limit, by field name."""
    return {
        field: too_long_message(limit)
        for field, limit in limits.items()
        if len(values.get(field) or "") > limit
    }


def email_error(address: str, limit: int) -> str | None:
    """The message next to an e-mail field, or None; the length is checked first."""
    if len(address) > limit:
        return too_long_message(limit)
    if not is_email_address(address):
        return _("Enter an e-mail address such as name@example.org.")
    return None
