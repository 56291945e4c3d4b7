"""How long the texts people type may be.

The database columns (``assessor/storage/models.py``) are declared with these numbers,
and every check of input (web forms, catalogue files, backups) uses the same ones, so
that a text that passes a check always fits its column on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from assessor.domain.email_addresses import EMAIL_MAX_LENGTH

NAME = 200  # a cluster's, a person's or a company's name; a workshop's title
CONTACT_EMAIL = 200  # a cluster's or a service's contact address (shorter than an account's)
ACCOUNT_EMAIL = EMAIL_MAX_LENGTH
WEB_ADDRESS = 300  # a cluster's web site, a service's page
SERVICE_ID = 100
# Texts kept without a column limit, bounded so that one form cannot fill the database.
SERVICE_TITLE = 300
DESCRIPTION = 2000  # a cluster's description; a service's description, per language


def too_long(text: str | None, limit: int) -> bool:
    return text is not None and len(text) > limit
