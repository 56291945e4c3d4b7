"""The adviser forms' own limits, each at its edge: one character more than a column holds
gets the message next to its field and a 400, and nothing is stored; the limit itself is
accepted. The numbers come from the model's columns and from accounts' password rules,
never from the templates. (tests/production/test_input_limits.py does the same for the
cluster profile and the service catalogue, and sends hostile addresses to every form.)"""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessor.services import accounts
from assessor.storage.db import db
from assessor.storage.models import Assessment, Invitation, Role, User, Workshop
from assessor.web.field_checks import column_limit
from tests.advisers.helpers import PASSWORD, make_account, signed_in_client
from tests.web.helpers import csrf_from

NAME_LIMIT = column_limit(User.name)
TITLE_LIMIT = column_limit(Workshop.title)
COMPANY_LIMIT = column_limit(Assessment.company_name)


def _field_block(page: str, field: str) -> str:
    """The part of the page that holds a field: its label, message and input."""
    for block in re.split(r'<(?:div|fieldset) class="', page):
        if f'id="{field}"' in block:
            return block
    raise AssertionError(f"no field {field} on the page")


def _assert_refused_at(page: str, field: str, message: str) -> None:
    block = _field_block(page, field)
    assert "has-error" in block.split(">", 1)[0], field
    assert message in block, (field, block)


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def adviser(app: Flask) -> FlaskClient:
    return signed_in_client(app, make_account(app, "ada@example.org"))


def _invitation_path(app: Flask) -> str:
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    invited = admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": "new@example.org", "role": "adviser"},
    ).get_data(as_text=True)
    link = re.search(r'id="invitation-link" type="text" readonly value="([^"]+)"', invited)
    assert link, invited[:2000]
    return "/advisers/invitation/" + link.group(1).rsplit("/", 1)[1]


def _accept(client: FlaskClient, path: str, **fields: str):
    page = client.get(path).get_data(as_text=True)
    data = {"name": "Nea", "password": PASSWORD, "password_again": PASSWORD, **fields}
    return client.post(path, data={"csrf_token": csrf_from(page), **data})


def test_the_invitation_page_takes_its_limits_from_the_column_and_the_password_rules(
    app: Flask,
) -> None:
    path = _invitation_path(app)
    client = app.test_client()
    page = client.get(path).get_data(as_text=True)
    assert f'maxlength="{NAME_LIMIT}"' in _field_block(page, "name")
    help_text = f"At least {accounts.PASSWORD_MIN_LENGTH} characters."
    assert help_text in _field_block(page, "password")

    long_name = _accept(client, path, name="N" * (NAME_LIMIT + 1))
    assert long_name.status_code == 400
    _assert_refused_at(
        long_name.get_data(as_text=True), "name", "Please keep the name under 200 characters."
    )

    too_long = "p" * 20 + "q" * (accounts.PASSWORD_MAX_LENGTH - 19)
    long_password = _accept(client, path, password=too_long, password_again=too_long)
    assert long_password.status_code == 400
    _assert_refused_at(
        long_password.get_data(as_text=True),
        "password",
        f"Please keep this to {accounts.PASSWORD_MAX_LENGTH} characters at most.",
    )

    short = "abcdefghij"[: accounts.PASSWORD_MIN_LENGTH - 1]
    short_password = _accept(client, path, password=short, password_again=short)
    assert short_password.status_code == 400
    _assert_refused_at(
        short_password.get_data(as_text=True),
        "password",
        f"Choose a password of at least {accounts.PASSWORD_MIN_LENGTH} characters",
    )

    # The second field is compared only once the first one is acceptable: one message.
    differ = _accept(client, path, password_again=PASSWORD + "!")
    assert differ.status_code == 400
    _assert_refused_at(differ.get_data(as_text=True), "password_again", "The two passwords differ.")
    assert "has-error" not in _field_block(differ.get_data(as_text=True), "password").split(">")[0]
    assert _count(app, User) == 1  # only the administrator who invited

    accepted = _accept(client, path, name="  " + "N" * NAME_LIMIT + "  ")  # trimmed: fits
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.email == "new@example.org")) == (
            "N" * NAME_LIMIT
        )


def test_changing_a_password_checks_the_current_one_and_the_new_one_together(
    app: Flask, adviser: FlaskClient
) -> None:
    page = adviser.get("/advisers/password").get_data(as_text=True)
    assert f"At least {accounts.PASSWORD_MIN_LENGTH} characters." in page
    answer = adviser.post(
        "/advisers/password",
        data={
            "csrf_token": csrf_from(page),
            "current_password": "not the password",
            "password": "short",
            "password_again": "short",
        },
    )
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    _assert_refused_at(html, "current_password", "This is not your current password.")
    _assert_refused_at(html, "password", "Choose a password of at least")
    with app.app_context():
        user = accounts.user_by_email("ada@example.org")
        assert accounts.password_matches(user, PASSWORD)


def _new_workshop(client: FlaskClient, **fields: str):
    page = client.get("/advisers/workshops/new").get_data(as_text=True)
    data = {
        "title": "Quick check in Turku",
        "held_on": "2026-12-01",
        "questionnaire": "quick-check",
        "language": "en",
        **fields,
    }
    return client.post("/advisers/workshops/new", data={"csrf_token": csrf_from(page), **data})


def test_a_workshop_title_is_bounded_by_its_column(app: Flask, adviser: FlaskClient) -> None:
    page = adviser.get("/advisers/workshops/new").get_data(as_text=True)
    assert f'maxlength="{TITLE_LIMIT}"' in _field_block(page, "title")
    refused = _new_workshop(adviser, title="T" * (TITLE_LIMIT + 1))
    assert refused.status_code == 400
    _assert_refused_at(
        refused.get_data(as_text=True), "title", "Please keep the title under 200 characters."
    )
    assert _count(app, Workshop) == 0
    assert _new_workshop(adviser, title="T" * TITLE_LIMIT).status_code == 302
    assert _count(app, Workshop) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"language": "xx"}, "language", "Choose a language."),
        ({"language": ""}, "language", "Choose a language."),
        ({"questionnaire": "no-such-questionnaire"}, "questionnaire", "Choose a questionnaire."),
        ({"held_on": "31.12.2026"}, "held_on", "Enter a date such as 2026-03-31."),
        ({"title": "   "}, "title", "Give the workshop a title."),
    ],
)
def test_a_workshop_form_refuses_each_field_next_to_it(
    app: Flask, adviser: FlaskClient, fields: dict, field: str, message: str
) -> None:
    refused = _new_workshop(adviser, **fields)
    assert refused.status_code == 400
    _assert_refused_at(refused.get_data(as_text=True), field, message)
    assert _count(app, Workshop) == 0


def _one_to_one(client: FlaskClient, **fields: str):
    page = client.get("/advisers/one-to-one").get_data(as_text=True)
    data = {"company": "Nordic Reefer Oy", "questionnaire": "quick-check", "language": "fi"}
    data.update(fields)
    return client.post("/advisers/one-to-one", data={"csrf_token": csrf_from(page), **data})


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"company": "C" * (COMPANY_LIMIT + 1)}, "company", "Please keep the company name under"),
        ({"language": "klingon"}, "language", "Choose a language."),
        ({"questionnaire": "../etc/passwd"}, "questionnaire", "Choose a questionnaire."),
    ],
)
def test_a_one_to_one_assessment_refuses_each_field_next_to_it(
    app: Flask, adviser: FlaskClient, fields: dict, field: str, message: str
) -> None:
    refused = _one_to_one(adviser, **fields)
    assert refused.status_code == 400
    _assert_refused_at(refused.get_data(as_text=True), field, message)
    assert _count(app, Assessment) == 0


def test_a_one_to_one_company_name_may_fill_its_column(app: Flask, adviser: FlaskClient) -> None:
    page = adviser.get("/advisers/one-to-one").get_data(as_text=True)
    assert f'maxlength="{COMPANY_LIMIT}"' in _field_block(page, "company")
    started = _one_to_one(adviser, company="C" * COMPANY_LIMIT)
    assert started.status_code == 302, started.get_data(as_text=True)[:2000]
    with app.app_context():
        assert db.session.scalar(select(Assessment.company_name)) == "C" * COMPANY_LIMIT


def test_an_invitation_needs_an_address(app: Flask) -> None:
    admin = signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    refused = admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": "   ", "role": "adviser"},
    )
    assert refused.status_code == 400
    _assert_refused_at(
        refused.get_data(as_text=True), "email", "Enter an e-mail address such as name@example.org."
    )
    assert _count(app, Invitation) == 0


@pytest.mark.parametrize(
    "path", ["/advisers/workshops/new", "/advisers/one-to-one", "/advisers/password"]
)
def test_a_form_posted_with_lists_and_unknown_fields_is_answered_not_crashed(
    adviser: FlaskClient, path: str
) -> None:
    page = adviser.get(path).get_data(as_text=True)
    answer = adviser.post(
        path,
        data={
            "csrf_token": csrf_from(page),
            "title": ["one", "two"],
            "company": ["one", "two"],
            "language": ["en", "fi"],
            "password": ["a", "b"],
            "unknown": "x",
        },
    )
    assert answer.status_code in (302, 400)


def test_a_file_sent_in_place_of_a_text_field_is_refused_as_missing(
    app: Flask, adviser: FlaskClient
) -> None:
    """A crafted multipart post with a file under a text field's name is not text: the
    field counts as not sent (found by the fuzzer on the cluster profile, a 500 before)."""
    page = adviser.get("/advisers/workshops/new").get_data(as_text=True)
    refused = adviser.post(
        "/advisers/workshops/new",
        data={
            "csrf_token": csrf_from(page),
            "title": (io.BytesIO(b"not text"), "title.txt"),
            "language": "en",
            "questionnaire": "quick-check",
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    _assert_refused_at(refused.get_data(as_text=True), "title", "Give the workshop a title.")
    assert _count(app, Workshop) == 0
