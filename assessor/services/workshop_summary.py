"""A workshop's summary PDF, rendered once per state of the workshop and language.

The summary shows only what its HTML holds (the print stylesheet aside), and building the
HTML costs a few queries where rendering it costs about a second of CPU: the cache key is
the HTML itself with the stylesheet. A new participant, a submission, a changed title or
setting or translation changes the HTML, and so the PDF.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from assessor.paths import STATIC_DIR
from assessor.storage.db import db
from assessor.storage.models import Workshop, WorkshopDocument, utcnow


@cache
def _stylesheet_fingerprint() -> bytes:
    return hashlib.sha256((STATIC_DIR / "css" / "print.css").read_bytes()).digest()


def summary_pdf(workshop: Workshop, language: str, html: str) -> bytes:
    """The summary rendered from ``html`` (in ``language``), from the cache when the same
    HTML was rendered before."""
    from assessor.pdf.render import render_pdf

    key = hashlib.sha256(_stylesheet_fingerprint() + html.encode()).hexdigest()
    cached = db.session.execute(
        select(WorkshopDocument.cache_key, WorkshopDocument.pdf).where(
            WorkshopDocument.workshop_id == workshop.id, WorkshopDocument.language == language
        )
    ).one_or_none()
    if cached is not None and cached.cache_key == key:
        pdf: bytes = cached.pdf
        return pdf
    rendered = render_pdf(html, Path(current_app.static_folder or STATIC_DIR))
    for url in rendered.refused:
        current_app.logger.warning("summary of workshop %s: refused to load %s", workshop.id, url)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(WorkshopDocument)
    db.session.execute(  # two advisers downloading at once: the second overwrites
        insert.on_conflict_do_update(
            index_elements=[WorkshopDocument.workshop_id, WorkshopDocument.language],
            set_={
                "cache_key": insert.excluded.cache_key,
                "pdf": insert.excluded.pdf,
                "created_at": insert.excluded.created_at,
            },
        ),
        {
            "workshop_id": workshop.id,
            "language": language,
            "cache_key": key,
            "pdf": rendered.data,
            "created_at": utcnow(),
        },
    )
    db.session.commit()
    return rendered.data
