"""Mail reaches the relay encrypted, as deployments configure it: STARTTLS (the default,
port 587) or implicit TLS (port 465), with the relay's certificate checked and the
login sent inside TLS. The relay is a real SMTP server (aiosmtpd) with a certificate
that openssl makes for the test."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

from assessor.services.mail import MailNotSent, send_mail
from tests.conftest import Inbox, free_port

USERNAME, PASSWORD = "assessor", "relay secret"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    folder = tmp_path_factory.mktemp("relay-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


class Relay(Inbox):
    """An inbox that also records logins and whether each came over TLS."""

    def __init__(self) -> None:
        super().__init__()
        self.logins: list[tuple[str, str, bool]] = []

    def authenticate(self, server, session, _envelope, _mechanism, data) -> AuthResult:  # type: ignore[no-untyped-def]
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        # session.ssl tells STARTTLS; the transport tells TLS from the first byte.
        encrypted = session.ssl is not None or server.transport.get_extra_info("ssl_object")
        self.logins.append((login, password, bool(encrypted)))
        return AuthResult(success=(login, password) == (USERNAME, PASSWORD))


def start_relay(certificate: tuple[Path, Path], implicit: bool) -> tuple[Relay, Controller]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    relay = Relay()
    encryption = (
        # aiosmtpd offers AUTH only after STARTTLS unless told otherwise; here the whole
        # connection is TLS, which the recorded logins confirm.
        {"ssl_context": context, "auth_require_tls": False}
        if implicit
        else {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    )
    controller = Controller(
        relay,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=relay.authenticate,
        **encryption,
    )
    controller.start()
    return relay, controller


@pytest.fixture(params=["starttls", "implicit"])
def relay(
    request: pytest.FixtureRequest, certificate: tuple[Path, Path]
) -> Iterator[tuple[Relay, int, dict]]:
    implicit = request.param == "implicit"
    relay, controller = start_relay(certificate, implicit)
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_USE_TLS": not implicit,
        "MAIL_USE_SSL": implicit,
        "MAIL_USERNAME": USERNAME,
        "MAIL_PASSWORD": PASSWORD,
        "PUBLIC_URL": "https://assess.example",
    }
    yield relay, controller.port, settings
    controller.stop()


def test_mail_goes_out_encrypted_with_the_login_inside_tls(
    make_app: Callable[..., Flask], relay, certificate
) -> None:
    inbox, _, settings = relay
    app = make_app(MAIL_CA_FILE=str(certificate[0]), **settings)
    with app.app_context():
        send_mail("someone@example.org", "Your link", "Hello")
    (message,) = inbox.wait_for(1)
    assert message["Subject"] == "Your link"
    assert inbox.logins == [(USERNAME, PASSWORD, True)]


def test_a_relay_whose_certificate_is_not_trusted_gets_nothing(
    make_app: Callable[..., Flask], relay
) -> None:
    inbox, _, settings = relay
    app = make_app(**settings)  # the system's authorities do not know the test's certificate
    with app.app_context(), pytest.raises(MailNotSent, match="CERTIFICATE_VERIFY_FAILED"):
        send_mail("someone@example.org", "Your link", "Hello")
    assert inbox.messages == []
    assert inbox.logins == []  # the password never left


def test_a_missing_certificate_file_is_refused_at_start(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(SystemExit, match="MAIL_CA_FILE '/nonexistent/ca.pem' is not a readable"):
        make_app(
            MAIL_SERVER="127.0.0.1",
            PUBLIC_URL="https://assess.example",
            MAIL_CA_FILE="/nonexistent/ca.pem",
        )
