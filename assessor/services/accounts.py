"""Adviser and administrator accounts: creation, passwords, sign-in checks, invitations."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from assessor.domain import text_limits as limits
from assessor.domain.email_addresses import EMAIL_MAX_LENGTH, email_problem, normalise_email
from assessor.domain.text_limits import too_long
from assessor.storage.db import db
from assessor.storage.models import Cluster, Invitation, Role, User, utcnow

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 200
INVITATION_LIFETIME = timedelta(days=7)
# Checked when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request that cannot be carried out; the message says why, for the person asking."""


class InvitationGone(AccountError):
    """The invitation was used (maybe a moment ago, by a double click) or has expired."""


class AccountExists(AccountError):
    """The invited address has an account already (another invitation made it)."""


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str  # shown once, in the link; only its hash is stored


def password_problem(password: str) -> str | None:
    """Why a password cannot be used, or None."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"at least {PASSWORD_MIN_LENGTH} characters"
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"at most {PASSWORD_MAX_LENGTH} characters"
    if len(set(password)) < 5:
        return "more different characters"
    return None


def user_by_email(email: str) -> User | None:
    email = normalise_email(email)
    if len(email) > EMAIL_MAX_LENGTH:  # no account has such an address: spare the query
        return None
    return db.session.scalar(select(User).where(User.email == email))


def user_by_public_id(public_id: str) -> User | None:
    if not public_id or len(public_id) > 32:
        return None
    return db.session.scalar(select(User).where(User.public_id == public_id))


def create_user(
    email: str,
    name: str,
    role: Role,
    cluster: Cluster | None,
    password: str | None,
    address_checked: bool = False,
) -> User:
    """A new account. ``address_checked``: the address comes from an invitation, checked
    when it was made (perhaps by an earlier, looser rule); the person must still get in."""
    email = normalise_email(email)
    if len(email) > limits.ACCOUNT_EMAIL:
        raise AccountError(f"{email[:60]!r} is longer than {limits.ACCOUNT_EMAIL} characters")
    if not address_checked and (problem := email_problem(email)):
        raise AccountError(f"{email[:60]!r} {problem}")
    if user_by_email(email) is not None:
        raise AccountError(f"an account for {email} exists already")
    if not name.strip():
        raise AccountError("a name is needed")
    if too_long(name.strip(), limits.NAME):
        raise AccountError(f"the name must have at most {limits.NAME} characters")
    if role is Role.PLATFORM_ADMIN and cluster is not None:
        raise AccountError("a platform administrator belongs to no cluster")
    if role is not Role.PLATFORM_ADMIN and cluster is None:
        raise AccountError(f"the role {role.value} needs a cluster")
    if password is not None and (problem := password_problem(password)):
        raise AccountError(f"the password needs {problem}")
    user = User(
        email=email,
        name=name.strip(),
        role=role.value,
        cluster=cluster,
        password_hash=generate_password_hash(password) if password else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    if problem := password_problem(password):
        raise AccountError(f"the password needs {problem}")
    user.password_hash = generate_password_hash(password)
    user.session_version += 1  # every other session of this account ends
    db.session.commit()


def set_active(user: User, active: bool) -> None:
    user.is_active = active
    user.session_version += 1
    db.session.commit()


def end_sessions(user: User) -> None:
    """End every session of the account (a signed cookie is not stored, so a copy of one
    would otherwise stay valid); its outstanding password-reset links end too."""
    user.session_version += 1
    db.session.commit()


def password_matches(user: User, password: str) -> bool:
    """Whether this is the account's password (asked again before changing it)."""
    if not user.password_hash:
        return False
    return check_password_hash(user.password_hash, password[:200])


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None (same cost either way)."""
    user = user_by_email(email) if len(email) <= EMAIL_MAX_LENGTH else None
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    valid = check_password_hash(stored, password[:200])
    if user is None or not user.password_hash or not valid or not user.is_active:
        return None
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="assessor-password-reset")


def password_reset_token(user: User, secret_key: str) -> str:
    """A signed link token for choosing a new password. It names the account's session
    version, which a new password bumps: the link works once, and not after a sign-out of
    all sessions or a disabling either. Nothing is stored."""
    return _reset_serializer(secret_key).dumps([user.public_id, user.session_version])


def user_of_reset_token(token: str, secret_key: str, max_age: timedelta) -> User | None:
    """The active account a reset link was made for, while the link is still good."""
    if not token or len(token) > 200:
        return None
    try:
        public_id, session_version = _reset_serializer(secret_key).loads(
            token, max_age=int(max_age.total_seconds())
        )
    except (BadSignature, ValueError, TypeError):  # forged, expired, or not a pair
        return None
    user = user_by_public_id(public_id) if isinstance(public_id, str) else None
    if user is None or not user.is_active or user.session_version != session_version:
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(cluster: Cluster, email: str, role: Role, invited_by: User | None) -> NewInvitation:
    """A one-time link for a new adviser (or cluster administrator) of the cluster."""
    email = normalise_email(email)
    if problem := email_problem(email):
        raise AccountError(f"{email[:60]!r} {problem}")
    if user_by_email(email) is not None:
        raise AccountError(f"an account for {email} exists already")
    if role is Role.PLATFORM_ADMIN:
        raise AccountError("platform administrators are not invited")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=_token_hash(token),
        cluster=cluster,
        email=email,
        role=role.value,
        invited_by_id=invited_by.id if invited_by else None,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    _retire_pending(cluster, email)
    db.session.add(invitation)
    db.session.commit()
    return NewInvitation(invitation, token)


def _retire_pending(cluster: Cluster, email: str) -> None:
    """Inviting an address again replaces its pending invitation to this cluster (the
    first link was lost, or is being sent again): only the newest link works. Another
    cluster's invitation is left alone; the first link used makes the account."""
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.cluster_id == cluster.id,
            Invitation.email == email,
            Invitation.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def open_invitation(token: str) -> Invitation | None:
    """The invitation of this link if it can still be used."""
    if not token or len(token) > 64:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def accept_invitation(invitation: Invitation, name: str, password: str) -> User:
    """The account the invitation was for, made once.

    The invitation's row is claimed first by a conditional UPDATE: on PostgreSQL a second
    acceptance of the same link (a double click) waits for the row and then finds it used;
    SQLite runs one writer at a time. The account is committed together with the claim.
    The unique e-mail of accounts refuses a second account for the address, made by
    another invitation at the same moment; that invitation is then spent.
    """
    now = utcnow()
    # An UPDATE without RETURNING gives a CursorResult, which Session.execute's type cannot
    # promise for every statement (sqlalchemy/sqlalchemy#12913).
    claim = cast(
        CursorResult[Any],
        db.session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at >= now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    claimed = claim.rowcount
    if not claimed:
        db.session.rollback()
        raise InvitationGone("this invitation was used or has expired")
    email, role, cluster = invitation.email, Role(invitation.role), invitation.cluster
    try:
        # Commits the claim too.
        return create_user(email, name, role, cluster, password, address_checked=True)
    except (AccountError, IntegrityError):
        db.session.rollback()
        if user_by_email(email) is None:
            raise
    # The address has an account: this invitation can never be used, and is spent.
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    raise AccountExists(f"an account for {email} exists already")


def advisers_of(cluster: Cluster) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.cluster_id == cluster.id).order_by(func.lower(User.name))
        )
    )


def pending_invitations(cluster: Cluster) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.cluster_id == cluster.id,
                Invitation.used_at.is_(None),
                Invitation.expires_at >= utcnow(),
            )
            .order_by(Invitation.created_at.desc())
        )
    )
