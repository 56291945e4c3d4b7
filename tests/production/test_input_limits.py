"""What people type is bounded before anything looks at it: one e-mail check for the whole
project that answers at once whatever is posted (H1), and every text that reaches a
length-limited column checked in its form, in catalogue files and in backups (M3)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from assessor.domain.cluster_files import load_cluster_file
from assessor.domain.email_addresses import EMAIL_MAX_LENGTH, email_problem
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Cluster, ClusterService, Invitation, Role, User
from tests.advisers.helpers import accept_invitation, make_account, signed_in_client
from tests.conftest import SHIPPED
from tests.web.helpers import csrf_from, start

# The old pattern backtracked quadratically on this: 16 KB took 1.9 s, 64 KB 29.5 s.
PATHOLOGICAL = "a@" + "." * 50_000 + "@"
TOO_LONG = "Please keep this to %s characters at most."


@pytest.mark.parametrize(
    "address",
    [
        PATHOLOGICAL,
        "a@" + "." * 300,
        "evil.example,victim2@x.example",  # two recipients in one field
        "a b@example.org",
        "name@example",
        "name@localhost",
        "name@.example.org",
        "name@example.org.",
        "name@@example.org",
        "",
        "x" * 243 + "@example.org",  # 255 characters
    ],
)
def test_what_is_not_an_address_is_refused(address: str) -> None:
    assert email_problem(address) is not None


@pytest.mark.parametrize(
    "address",
    [
        "name@example.org",
        "Ada.Lovelace+plans@Baltic-Freight.example",
        "ü@bücher.example",
        "x" * 242 + "@example.org",
    ],
)
def test_addresses_are_accepted(address: str) -> None:
    assert len(address) <= EMAIL_MAX_LENGTH
    assert email_problem(address) is None


def _admin(app: Flask) -> FlaskClient:
    return signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))


def _profile_fields(client: FlaskClient) -> dict:
    page = client.get("/advisers/cluster/profile").get_data(as_text=True)
    return {
        "csrf_token": csrf_from(page),
        "name": "Baltic Freight Cluster (example)",
        "colour": "#0b4f6c",
        "languages": ["fi", "en"],
        "default_language": "fi",
    }


def _service_fields(client: FlaskClient) -> dict:
    page = client.get("/advisers/cluster/services/new").get_data(as_text=True)
    return {
        "csrf_token": csrf_from(page),
        "id": "cold-chain-clinic",
        "category": "process",
        "title_fi": "Kylmäketjuklinikka",
        "description_fi": "Puolen päivän käynti.",
        "topics": ["energy"],
        "contact_name": "Kaisa Kylmä",
        "contact_email": "kaisa@baltic-freight.example",
        "url": "https://baltic-freight.example/cold",
    }


def _post_email_everywhere(app: Flask, address: str) -> dict[str, tuple[int, str]]:
    """Send one address to every form that takes one; status and page of each."""
    admin = _admin(app)
    answers = {}
    anonymous = app.test_client()
    page = anonymous.get("/advisers/forgot-password").get_data(as_text=True)
    answer = anonymous.post(
        "/advisers/forgot-password", data={"csrf_token": csrf_from(page), "email": address}
    )
    answers["forgot-password"] = answer
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    answers["invitation"] = admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": address, "role": "adviser"},
    )
    answers["profile"] = admin.post(
        "/advisers/cluster/profile", data={**_profile_fields(admin), "contact_email": address}
    )
    answers["service"] = admin.post(
        "/advisers/cluster/services/new",
        data={**_service_fields(admin), "contact_email": address},
    )
    respondent = app.test_client()
    token = start(respondent, questionnaire="quick-check")
    page = respondent.get(f"/a/{token}", follow_redirects=True).get_data(as_text=True)
    answers["resume link"] = respondent.post(
        f"/a/{token}/email-link",
        data={"csrf_token": csrf_from(page), "email": address},
        follow_redirects=True,
    )
    return {
        form: (response.status_code, response.get_data(as_text=True))
        for form, response in answers.items()
    }


def test_a_pathological_address_is_refused_by_every_form(mail_app: Flask, inbox) -> None:
    # How fast (the old pattern took minutes for these five): bench/email_check.py.
    answers = _post_email_everywhere(mail_app, PATHOLOGICAL)
    for form, (status, page) in answers.items():
        assert status == (200 if form == "resume link" else 400), form
        assert (
            "Enter an e-mail address such as name@example.org." in page or TOO_LONG % 200 in page
        ), form
    box, _ = inbox
    assert box.messages == []
    with mail_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ClusterService)
                .where(ClusterService.key == "cold-chain-clinic")
            )
            == 0
        )


def test_two_addresses_in_one_field_are_refused_everywhere(mail_app: Flask, inbox) -> None:
    answers = _post_email_everywhere(mail_app, "evil.example,victim2@x.example")
    for form, (status, page) in answers.items():
        assert status == (200 if form == "resume link" else 400), form
        assert "Enter an e-mail address such as name@example.org." in page, form
    box, _ = inbox
    assert box.messages == []


def _field_block(page: str, field: str) -> str:
    """The part of the page that holds a field: its label, message and input."""
    for block in re.split(r'<(?:div|fieldset) class="', page):
        if f'id="{field}"' in block:
            return block
    raise AssertionError(f"no field {field} on the page")


def _assert_message_at(page: str, field: str, limit: int) -> None:
    block = _field_block(page, field)
    assert "has-error" in block.split(">", 1)[0], field
    assert TOO_LONG % limit in block, field
    assert f'maxlength="{limit}"' in block, field


def _stored_profile(app: Flask) -> dict:
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        return {column.name: getattr(cluster, column.name) for column in Cluster.__table__.columns}


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [
        ("name", "N" * 201, 200),
        ("contact_name", "C" * 201, 200),
        ("contact_email", "c" * 189 + "@example.org", 200),  # 201: an address, too long here
        ("website", "https://" + "w" * 293, 300),
        ("description", "D" * 2001, 2000),
    ],
)
def test_the_profile_refuses_texts_longer_than_their_columns(
    any_app_shipped: Flask, field: str, value: str, limit: int
) -> None:
    app = any_app_shipped
    admin = _admin(app)
    before = _stored_profile(app)
    answer = admin.post("/advisers/cluster/profile", data={**_profile_fields(admin), field: value})
    assert answer.status_code == 400
    _assert_message_at(answer.get_data(as_text=True), field, limit)
    assert _stored_profile(app) == before


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [
        ("id", "s" * 101, 100),
        ("url", "https://" + "u" * 293, 300),
        ("contact_name", "C" * 201, 200),
        ("contact_email", "c" * 189 + "@example.org", 200),
        ("title_fi", "T" * 301, 300),
        ("description_fi", "D" * 2001, 2000),
    ],
)
def test_a_service_refuses_texts_longer_than_their_columns(
    any_app_shipped: Flask, field: str, value: str, limit: int
) -> None:
    app = any_app_shipped
    admin = _admin(app)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ClusterService))
    answer = admin.post(
        "/advisers/cluster/services/new", data={**_service_fields(admin), field: value}
    )
    assert answer.status_code == 400
    _assert_message_at(answer.get_data(as_text=True), field, limit)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ClusterService)) == before


def test_an_invitation_for_an_over_long_address_is_refused(any_app_shipped: Flask) -> None:
    app = any_app_shipped
    admin = _admin(app)
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    address = "i" * 243 + "@example.org"  # 255 characters: one more than an address may have
    answer = admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": address, "role": "adviser"},
    )
    assert answer.status_code == 400
    block = _field_block(answer.get_data(as_text=True), "email")
    assert "Enter an e-mail address such as name@example.org." in block
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app_shipped(request: pytest.FixtureRequest, make_app) -> Flask:
    return make_app(database=request.param, questionnaires=SHIPPED)


def test_a_catalogue_file_with_over_long_texts_names_each_line(write_yaml) -> None:
    path = write_yaml(
        f"""
        slug: long-texts
        name: Long texts
        country: FI
        languages: [en]
        website: https://{"w" * 300}.example
        contact:
          name: {"C" * 201}
          email: {"c" * 189}@example.org
        services:
          - id: {"s" * 101}
            category: training
            title: {"T" * 301}
            description: A day.
            topics: [energy]
            contact:
              email: "a@{"." * 5000}@"
        """,
        "long.yaml",
    )
    errors = [f"{e.line}: {e.message}" for e in load_cluster_file(path, "long.yaml").errors]
    assert errors == [
        f"5: cluster: 'website' has {len('https://' + 'w' * 300 + '.example')} characters; "
        "at most 300 fit",
        "7: cluster, contact: 'name' has 201 characters; at most 200 fit",
        "8: cluster, contact: 'email' has 201 characters; at most 200 fit",
        "10: service 1: 'id' has 101 characters; at most 100 fit",
        "12: service 1, en: 'title' has 301 characters; at most 300 fit",
        "16: service 1, contact: 'email' has 5003 characters; at most 200 fit",
    ]


def test_an_account_name_longer_than_its_column_is_refused_on_the_command_line(
    shipped_app: Flask,
) -> None:
    result = shipped_app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "ada@example.org",
            "--name",
            "A" * 201,
            "--role",
            "platform-admin",
        ],
        input="correct horse battery staple\ncorrect horse battery staple\n",
    )
    assert result.exit_code != 0
    assert "at most 200 characters" in result.output
    assert "Traceback" not in result.output
    with shipped_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def _sqlite_backup_with_over_long_texts(make_app, tmp_path: Path) -> Path:
    """A SQLite database that holds texts longer than their columns (as older versions
    stored them), written to a backup file."""
    source = make_app(questionnaires=SHIPPED)
    make_account(source, "ada@example.org")
    with source.app_context():
        db.session.execute(
            text("UPDATE cluster SET contact_name = :long WHERE slug = 'example-baltic-freight'"),
            {"long": "C" * 250},
        )
        db.session.execute(
            text(
                "UPDATE cluster_service SET key = :long WHERE id = (SELECT MIN(id) FROM "
                "cluster_service)"
            ),
            {"long": "k" * 150},
        )
        db.session.commit()
    path = tmp_path / "backup.json"
    exported = source.test_cli_runner().invoke(args=["export", str(path)])
    assert exported.exit_code == 0, exported.output
    return path


@pytest.mark.parametrize("target", ["postgresql", "sqlite"])
def test_a_backup_that_does_not_fit_names_each_record_and_restores_nothing(
    make_app, tmp_path: Path, target: str
) -> None:
    path = _sqlite_backup_with_over_long_texts(make_app, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    cluster_id = next(
        row["id"]
        for row in document["tables"]["cluster"]
        if row["slug"] == "example-baltic-freight"
    )
    service_id = min(row["id"] for row in document["tables"]["cluster_service"])
    app = make_app(database=target, questionnaires=SHIPPED)
    with app.app_context():
        before = [
            tuple(row)
            for row in db.session.execute(
                select(Cluster.id, Cluster.contact_name).order_by(Cluster.id)
            )
        ]
    restored = app.test_cli_runner().invoke(args=["import", str(path)])
    assert restored.exit_code == 1
    assert "Traceback" not in restored.output
    assert f"(id {cluster_id}): contact_name has 250 characters; this database holds 200" in (
        restored.output
    )
    assert f"(id {service_id}): key has 150 characters; this database holds 100" in (
        restored.output
    )
    assert "nothing was changed" in restored.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        after = [
            tuple(row)
            for row in db.session.execute(
                select(Cluster.id, Cluster.contact_name).order_by(Cluster.id)
            )
        ]
    assert after == before


def _stored_before_the_check(app: Flask) -> str:
    """An account and a pending invitation at addresses the old pattern let through and
    today's check refuses (a reserved domain), as an earlier version stored them;
    the invitation's link is returned."""
    import secrets
    from datetime import timedelta

    from werkzeug.security import generate_password_hash

    from assessor.services import accounts
    from assessor.storage.models import utcnow

    token = secrets.token_urlsafe(32)
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        db.session.add(
            User(
                email="ada@cluster.local",
                name="Ada",
                role=Role.ADVISER.value,
                cluster=cluster,
                password_hash=generate_password_hash("correct horse battery staple"),
            )
        )
        db.session.add(
            Invitation(
                token_hash=accounts._token_hash(token),
                cluster=cluster,
                email="newt@cluster.local",
                role=Role.ADVISER.value,
                expires_at=utcnow() + timedelta(days=7),
            )
        )
        db.session.commit()
    return f"/advisers/invitation/{token}"


def test_addresses_stored_before_the_check_still_get_in(mail_app: Flask, inbox) -> None:
    box, _ = inbox
    link = _stored_before_the_check(mail_app)
    client = mail_app.test_client()
    answers = {}
    for address in ("ada@cluster.local", "nobody@cluster.local"):
        page = client.get("/advisers/forgot-password").get_data(as_text=True)
        answer = client.post(
            "/advisers/forgot-password", data={"csrf_token": csrf_from(page), "email": address}
        )
        answers[address] = (
            answer.status_code,
            "belongs to an active account" in answer.get_data(as_text=True),
        )
    # The same answer for a known and an unknown address; the known one gets its link.
    assert answers["ada@cluster.local"] == answers["nobody@cluster.local"]
    assert answers["ada@cluster.local"][0] == 200
    assert [m["To"] for m in box.wait_for_background_mail()] == ["ada@cluster.local"]

    accepted = accept_invitation(mail_app.test_client(), link, "Newt")
    assert accepted.status_code == 302
    with mail_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "newt@cluster.local"))
