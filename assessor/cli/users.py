"""``flask --app assessor users create|set-password|disable|enable|list``: first accounts and recovery."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask.cli import with_appcontext

from assessor.services.accounts import (
    AccountError,
    create_user,
    set_active,
    set_password,
    user_by_email,
)
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Role, User

ROLES = click.Choice([role.value for role in Role])


@click.group("users")
def users_cli() -> None:
    """Manage adviser and administrator accounts."""


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _password(confirm: bool = True) -> str:
    return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, as advisers see it.")
@click.option("--role", type=ROLES, default=Role.ADVISER.value, show_default=True)
@click.option("--cluster", "cluster_slug", help="The cluster's slug (not for platform-admin).")
@with_appcontext
def create_command(email: str, name: str, role: str, cluster_slug: str | None) -> None:
    """Create an account; the password is asked for (twice) on the terminal."""
    cluster = None
    if cluster_slug:
        cluster = cluster_by_slug(cluster_slug)
        if cluster is None:
            _fail(f"no cluster {cluster_slug!r} (see: flask --app assessor clusters list)")
    password = _password()
    try:
        user = create_user(email, name, Role(role), cluster, password)
    except AccountError as error:
        _fail(str(error))
    where = f" of {cluster.slug}" if cluster else ""
    click.echo(f"{user.email}: {user.role}{where} created")


def _user(email: str) -> User:
    user = user_by_email(email)
    if user is None:
        _fail(f"no account for {email}")
    return user


@users_cli.command("set-password")
@click.argument("email")
@with_appcontext
def set_password_command(email: str) -> None:
    """Set a new password (and sign the account out everywhere)."""
    user = _user(email)
    try:
        set_password(user, _password())
    except AccountError as error:
        _fail(str(error))
    click.echo(f"{user.email}: password changed")


@users_cli.command("disable")
@click.argument("email")
@with_appcontext
def disable_command(email: str) -> None:
    """Stop an account from signing in; its sessions end at once."""
    user = _user(email)
    set_active(user, False)
    click.echo(f"{user.email}: disabled")


@users_cli.command("enable")
@click.argument("email")
@with_appcontext
def enable_command(email: str) -> None:
    user = _user(email)
    set_active(user, True)
    click.echo(f"{user.email}: enabled")


@users_cli.command("list")
@with_appcontext
def list_command() -> None:
    for user in db.session.scalars(db.select(User).order_by(User.email)):
        state = "active" if user.is_active else "disabled"
        cluster = user.cluster.slug if user.cluster else "-"
        click.echo(f"{user.email}\t{user.role}\t{cluster}\t{state}\t{user.name}")
