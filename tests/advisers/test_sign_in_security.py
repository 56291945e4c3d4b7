"""Sign-in against attackers: no redirect off the site, no lock-out by strangers, and a
session cookie that dies with sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.advisers.helpers import PASSWORD, make_account, sign_in, signed_in_client
from tests.conftest import SHIPPED
from tests.web.helpers import csrf_from

C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def as_a_browser_reads(location: str) -> tuple[str, str, str]:
    """Scheme, host and path a browser takes from a Location header (WHATWG URL parsing:
    leading and trailing C0 controls and spaces dropped, tab and newlines removed anywhere,
    a backslash read as a slash)."""
    cleaned = location.strip(C0_AND_SPACE)
    cleaned = "".join(c for c in cleaned if c not in "\t\n\r").replace("\\", "/")
    parts = urlsplit(cleaned)
    return parts.scheme, parts.netloc, parts.path


def assert_stays_on_the_site(location: str) -> None:
    scheme, host, path = as_a_browser_reads(location)
    assert (scheme, host) == ("", ""), location
    assert path.startswith("/"), location
    assert not path.startswith("//"), location


def sign_in_with_next(app: Flask, next_value: str, **kwargs):
    client = app.test_client()
    page = client.get("/advisers/sign-in").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "email": "ada@example.org", "password": PASSWORD}
    return client, client.post(
        "/advisers/sign-in", query_string={"next": next_value}, data=data, **kwargs
    )


HOSTILE_NEXT = [
    "/\t/evil.example",
    "/\t\t/\tevil.example/path",
    "/\n/evil.example",
    "/\r/",
    "/\r\n/x",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "https:evil.example",
    "/ /evil.example",
    " /x",
    "javascript:alert(1)",
    "/\x0b/evil.example",
    "/\x7f/evil.example",
    "/\u3000/evil.example",
    "/\u00a0/evil.example",
    "\x01/x",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT, ids=repr)
def test_sign_in_never_redirects_off_the_site(app: Flask, hostile: str) -> None:
    """``?next=/%09/evil.example`` used to send a freshly signed-in adviser to
    ``//evil.example`` (browsers drop the tab), and ``%0d`` or ``%0a`` gave a 500."""
    make_account(app, "ada@example.org")
    client, response = sign_in_with_next(app, hostile)
    assert response.status_code == 302
    assert response.headers["Location"] == "/advisers/"
    assert_stays_on_the_site(response.headers["Location"])
    assert client.get("/advisers/").status_code == 200  # signed in all the same


def test_a_path_of_the_site_in_next_is_kept(app: Flask) -> None:
    make_account(app, "ada@example.org")
    _, response = sign_in_with_next(app, "/advisers/workshops?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/advisers/workshops?x=1"


def test_hostile_next_in_the_raw_query_never_gives_a_500(make_app) -> None:
    """The same payloads exactly as a browser sends them, percent-encoded by hand."""
    app = make_app(questionnaires=SHIPPED, TESTING=False)
    make_account(app, "ada@example.org")
    for raw in ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/x", "/%5Cevil.example"]:
        client = app.test_client()
        page = client.get("/advisers/sign-in").get_data(as_text=True)
        data = {"csrf_token": csrf_from(page), "email": "ada@example.org", "password": PASSWORD}
        response = client.post(f"/advisers/sign-in?next={raw}", data=data)
        assert response.status_code == 302, raw
        assert response.headers["Location"] == "/advisers/", raw


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_strangers_cannot_lock_an_adviser_out(make_app) -> None:
    """21 wrong passwords for one account, each from another address, used to make the
    right password wait an hour (429) from anywhere."""
    app = make_app(questionnaires=SHIPPED, RATELIMIT_ENABLED=True)
    make_account(app, "ada@example.org")
    client = app.test_client()
    csrf = csrf_from(client.get("/advisers/sign-in").get_data(as_text=True))
    wrong = {"csrf_token": csrf, "email": "ada@example.org", "password": "not the password"}
    for n in range(21):
        attempt = client.post("/advisers/sign-in", data=wrong, **_from(f"127.0.1.{n}"))
        assert attempt.status_code == 400
    right = client.post(
        "/advisers/sign-in", data={**wrong, "password": PASSWORD}, **_from("127.0.2.1")
    )
    assert right.status_code == 302
    assert client.get("/advisers/", **_from("127.0.2.1")).status_code == 200


def test_one_address_hammering_one_account_is_still_limited(make_app) -> None:
    """The per-account limit still counts one address's attempts at one account, even
    when the per-address limit is generous (a shared address, a large office)."""
    app = make_app(
        questionnaires=SHIPPED,
        RATELIMIT_ENABLED=True,
        SIGN_IN_RATE_LIMIT="1000 per minute",
        SIGN_IN_ACCOUNT_RATE_LIMIT="5 per hour",
    )
    make_account(app, "ada@example.org")
    client = app.test_client()
    csrf = csrf_from(client.get("/advisers/sign-in").get_data(as_text=True))
    wrong = {"csrf_token": csrf, "email": "ada@example.org", "password": "not the password"}
    statuses = [
        client.post("/advisers/sign-in", data=wrong, **_from("127.0.3.1")).status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    right = client.post(
        "/advisers/sign-in", data={**wrong, "password": PASSWORD}, **_from("127.0.3.1")
    )
    assert right.status_code == 429  # this address waits, whatever it types now
    other = client.post(
        "/advisers/sign-in", data={**wrong, "email": "bea@example.org"}, **_from("127.0.3.1")
    )
    assert other.status_code == 400  # another account from the same address is not held up


def _copy_of_session(client: FlaskClient) -> str:
    cookie = client.get_cookie("session", domain="assessor.test")
    assert cookie is not None
    return cookie.value


def test_a_copied_session_cookie_stops_working_at_sign_out(app: Flask) -> None:
    account = make_account(app, "ada@example.org")
    client = signed_in_client(app, account)
    copied = _copy_of_session(client)
    page = client.get("/advisers/").get_data(as_text=True)
    signed_out = client.post("/advisers/sign-out", data={"csrf_token": csrf_from(page)})
    assert signed_out.status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", copied, domain="assessor.test")
    response = replay.get("/advisers/")
    assert response.status_code == 302
    assert "/advisers/sign-in" in response.headers["Location"]

    again = app.test_client()
    assert sign_in(again, account.email).status_code == 302  # signing in again works
    assert again.get("/advisers/").status_code == 200
