"""Accounts: the users command, signing in and out, rate limits, roles, invitations."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assessor.services import accounts
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Role, User
from tests.advisers.helpers import (
    PASSWORD,
    accept_invitation,
    make_account,
    sign_in,
    signed_in_client,
)
from tests.conftest import SHIPPED
from tests.web.helpers import csrf_from


def test_users_command_creates_changes_and_disables_accounts(app: Flask) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=[
            "users",
            "create",
            "Ada@Example.org",
            "--name",
            "Ada",
            "--cluster",
            "example-baltic-freight",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert created.exit_code == 0, created.output
    assert "ada@example.org: adviser of example-baltic-freight created" in created.output
    with app.app_context():
        user = accounts.user_by_email("ada@example.org")
        assert user.password_hash.startswith("scrypt:")  # hashed with a current algorithm
        assert PASSWORD not in user.password_hash
    assert sign_in(app.test_client(), "ada@example.org").status_code == 302

    weak = runner.invoke(args=["users", "set-password", "ada@example.org"], input="short\nshort\n")
    assert weak.exit_code == 1
    assert "at least 12 characters" in weak.output
    changed = runner.invoke(
        args=["users", "set-password", "ada@example.org"], input="another long secret\n" * 2
    )
    assert changed.exit_code == 0
    assert sign_in(app.test_client(), "ada@example.org").status_code == 400
    assert sign_in(app.test_client(), "ada@example.org", "another long secret").status_code == 302

    assert runner.invoke(args=["users", "disable", "ada@example.org"]).exit_code == 0
    assert sign_in(app.test_client(), "ada@example.org", "another long secret").status_code == 400


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "create", "x@example.org", "--name", "X"], "the role adviser needs a cluster"),
        (
            [
                "users",
                "create",
                "not-an-email",
                "--name",
                "X",
                "--cluster",
                "example-baltic-freight",
            ],
            "is not an e-mail address",
        ),
        (
            ["users", "create", "x@example.org", "--name", "X", "--cluster", "nowhere"],
            "no cluster 'nowhere'",
        ),
        (
            [
                "users",
                "create",
                "x@example.org",
                "--name",
                "X",
                "--role",
                "platform-admin",
                "--cluster",
                "example-baltic-freight",
            ],
            "belongs to no cluster",
        ),
        (["users", "set-password", "nobody@example.org"], "no account for nobody@example.org"),
    ],
)
def test_users_command_refuses_bad_input_clearly(app: Flask, args: list[str], message: str) -> None:
    result = app.test_cli_runner().invoke(args=args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "x@example.org")) is None


def test_a_wrong_password_or_unknown_email_gets_the_same_answer(app: Flask) -> None:
    make_account(app, "ada@example.org")
    client = app.test_client()
    wrong = sign_in(client, "ada@example.org", "not the password at all")
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    message = "The e-mail address or the password is not right."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/advisers/").status_code == 302  # still not signed in


def test_signing_out_ends_the_session(app: Flask) -> None:
    account = make_account(app, "ada@example.org")
    client = signed_in_client(app, account)
    assert client.get("/advisers/").status_code == 200
    page = client.get("/advisers/").get_data(as_text=True)
    assert (
        client.post("/advisers/sign-out", data={"csrf_token": csrf_from(page)}).status_code == 302
    )
    assert client.get("/advisers/").status_code == 302


def test_a_new_password_signs_out_every_other_session(app: Flask) -> None:
    account = make_account(app, "ada@example.org")
    laptop = signed_in_client(app, account)
    with app.app_context():
        accounts.set_password(accounts.user_by_email(account.email), "a brand new passphrase")
    assert laptop.get("/advisers/").status_code == 302


def test_sign_in_only_redirects_within_the_site(app: Flask) -> None:
    make_account(app, "ada@example.org")
    client = app.test_client()
    page = client.get("/advisers/sign-in").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "email": "ada@example.org", "password": PASSWORD}
    response = client.post("/advisers/sign-in?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/advisers/"


def test_sign_in_attempts_are_rate_limited_in_the_visitor_language(make_app) -> None:
    app = make_app(questionnaires=SHIPPED, RATELIMIT_ENABLED=True)
    make_account(app, "ada@example.org")
    client = app.test_client()
    page = client.get("/de/advisers/sign-in").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "email": "ada@example.org",
        "password": "wrong password!",
    }
    statuses = [client.post("/de/advisers/sign-in", data=data).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    limited = client.post("/de/advisers/sign-in", data={**data, "password": PASSWORD})
    assert limited.status_code == 429  # even the right password waits
    assert '<html lang="de">' in limited.get_data(as_text=True)


def test_roles_decide_what_an_account_may_open(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    admin = signed_in_client(
        app, make_account(app, "root@example.org", cluster=None, role=Role.PLATFORM_ADMIN)
    )
    anonymous = app.test_client()
    assert adviser.get("/advisers/platform").status_code == 403
    assert admin.get("/advisers/platform").status_code == 200
    assert admin.get("/advisers/").status_code == 403  # aggregates only: no workshops
    assert admin.get("/advisers/companies").status_code == 403
    response = anonymous.get("/advisers/companies")
    assert response.status_code == 302
    assert "/advisers/sign-in?next=" in response.headers["Location"]


def test_an_invitation_link_works_once(app: Flask) -> None:
    with app.app_context():
        cluster = cluster_by_slug("example-rhine-scheldt")
        token = accounts.invite(cluster, "Bea@Example.org", Role.ADVISER, None).token
    client = app.test_client()
    url = f"/advisers/invitation/{token}"
    page = client.get(url).get_data(as_text=True)
    assert "bea@example.org" in page
    short = client.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            "name": "Bea",
            "password": "short",
            "password_again": "short",
        },
    )
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    accepted = accept_invitation(client, url, "Bea")
    assert accepted.status_code == 302
    assert client.get("/advisers/").status_code == 200  # signed in as the new adviser
    with app.app_context():
        user = accounts.user_by_email("bea@example.org")
        assert user.cluster.slug == "example-rhine-scheldt"
        assert user.role == "adviser"
    again = app.test_client().get(url)
    assert again.status_code == 404
    assert "This invitation cannot be used" in again.get_data(as_text=True)


def test_a_signed_in_adviser_changes_their_password(app: Flask) -> None:
    account = make_account(app, "changer@example.org")
    here, elsewhere = signed_in_client(app, account), signed_in_client(app, account)
    page = here.get("/advisers/password")
    assert page.status_code == 200
    csrf = csrf_from(page.get_data(as_text=True))
    new = "another long passphrase"
    for fields, message in [
        ({"current_password": "wrong", "password": new, "password_again": new}, "not your current"),
        (
            {"current_password": PASSWORD, "password": "short", "password_again": "short"},
            "at least 12",
        ),
        ({"current_password": PASSWORD, "password": new, "password_again": new + "!"}, "differ"),
    ]:
        refused = here.post("/advisers/password", data={"csrf_token": csrf, **fields})
        assert refused.status_code == 400
        assert message in refused.get_data(as_text=True)
    assert sign_in(app.test_client(), account.email).status_code == 302  # unchanged so far

    saved = here.post(
        "/advisers/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "password": new,
            "password_again": new,
        },
    )
    assert saved.status_code == 302
    assert here.get("/advisers/").status_code == 200  # this session goes on
    assert elsewhere.get("/advisers/").status_code == 302  # the other one is signed out
    assert sign_in(app.test_client(), account.email).status_code == 400
    assert sign_in(app.test_client(), account.email, new).status_code == 302
    assert app.test_client().get("/advisers/password").status_code == 302  # sign in first
