"""Who may see what: sessions of adviser accounts, roles, and objects of one's own cluster.

Every object an adviser route names is looked up together with the adviser's cluster, so
an object of another cluster is simply not found (404), whatever its id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assessor.services.access import cluster_assessment, cluster_workshop
from assessor.services.accounts import user_by_public_id
from assessor.storage.models import Assessment, Role, User, Workshop
from assessor.web.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])

ADVISERS = (Role.ADVISER, Role.CLUSTER_ADMIN)


def init_accounts(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "advisers.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)


def _load_user(session_id: str) -> User | None:
    """The account of a session: its public id and the session version it signed in with."""
    public_id, _, version = session_id.partition(".")
    user = user_by_public_id(public_id)
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


def signed_in(*roles: Role) -> Callable[[View], View]:
    """Only for signed-in accounts with one of these roles (any role when none is given)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role_enum not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(View, wrapper)  # wraps() keeps the view's name; its type is the view's

    return decorate


def own_workshop(public_id: str) -> Workshop:
    """A workshop of the signed-in adviser's cluster, or 404."""
    workshop = cluster_workshop(current_user.cluster_id, public_id)
    if workshop is None:
        abort(404)
    return workshop


def own_assessment(public_id: str) -> Assessment:
    """An assessment the adviser's cluster may see one by one (shared or assisted), or 404."""
    assessment = cluster_assessment(current_user.cluster_id, public_id)
    if assessment is None:
        abort(404)
    return assessment
