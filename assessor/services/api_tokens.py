"""API tokens: read-only keys a cluster administrator gives the cluster's own systems (its
CRM). A token is shown once, when it is made; only its SHA-256 is stored, so a copy of the
database lets nobody call the API. ``prefix`` (the token's first characters) tells tokens
apart on the page without revealing them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from assessor.storage.db import db
from assessor.storage.models import ApiToken, AuditEvent, Cluster, User, utcnow

TOKEN_START = "asr_"  # says what the string is (in a config file, or a secret scanner)
PREFIX_LENGTH = len(TOKEN_START) + 8
# last_used_at is written at most this often per token: an API client paging through
# results would otherwise write a row for every request it makes.
LAST_USE_PRECISION = timedelta(minutes=1)
CREATED, REVOKED = "create-api-token", "revoke-api-token"  # AuditEvent actions


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(cluster: Cluster, name: str, created_by: User | None) -> tuple[ApiToken, str]:
    """A new token for ``cluster``: the stored row, and the token itself (never stored,
    shown to the administrator this once)."""
    token = TOKEN_START + secrets.token_urlsafe(32)  # 256 random bits, 43 characters
    row = ApiToken(
        cluster_id=cluster.id,
        name=name,
        prefix=token[:PREFIX_LENGTH],
        token_sha256=token_hash(token),
        created_by_id=created_by.id if created_by is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    _audit(cluster, created_by, CREATED, row)
    db.session.commit()
    return row, token


def tokens_of(cluster: Cluster) -> list[ApiToken]:
    """The cluster's tokens, active ones first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.cluster_id == cluster.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def cluster_token(cluster: Cluster, token_id: int) -> ApiToken | None:
    """The token ``token_id`` if it is the cluster's (another cluster's is not found)."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.cluster_id == cluster.id)
    )


def revoke_token(token: ApiToken, by: User | None) -> None:
    """The token stops working at once; revoking it again changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    _audit(token.cluster, by, REVOKED, token)
    db.session.commit()


def _audit(cluster: Cluster, user: User | None, action: str, token: ApiToken) -> None:
    """In the cluster's access log beside what advisers did with shared data: who gave an
    outside system access to it, and who took it back."""
    db.session.add(
        AuditEvent(
            user_id=user.id if user is not None else None,
            cluster_id=cluster.id,
            action=action,
            object_id=token.prefix,
        )
    )


def authenticated_token(presented: str) -> ApiToken | None:
    """The active token ``presented`` is, or None (unknown, malformed or revoked). Its
    last use is recorded at most once a minute (see LAST_USE_PRECISION)."""
    if not presented.startswith(TOKEN_START) or len(presented) > 100:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_sha256 == token_hash(presented)))
    if row is None or row.revoked_at is not None:
        return None
    _note_use(row, utcnow())
    return row


def _note_use(row: ApiToken, now: datetime) -> None:
    if row.last_used_at is not None and now - row.last_used_at < LAST_USE_PRECISION:
        return
    # Conditional, so that parallel requests of one client write the row once.
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == row.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USE_PRECISION),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    set_committed_value(row, "last_used_at", now)
