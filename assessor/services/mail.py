"""E-mail through the SMTP server the operator configures (``MAIL_SERVER`` and friends).

Without ``MAIL_SERVER`` the site sends nothing: invitation links are shown to the
administrator to pass on, and a forgotten password is reset by the operator
(``flask --app assessor users set-password``).
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any

from flask import current_app


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail_in_background(to: str, subject: str, body: str, what: str) -> None:
    """Send without making the request wait, so that the answer takes as long whether or
    not a message goes out (a password reset must not reveal which addresses have an
    account by its timing). A failure is logged, naming ``what`` was not sent."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask

    def send() -> None:
        with app.app_context():
            try:
                send_mail(to, subject, body)
            except MailNotSent as exc:
                app.logger.error("%s not sent: %s", what, exc)

    threading.Thread(target=send, name="assessor-mail", daemon=True).start()


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises MailNotSent with the reason."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    # A header cannot span lines: names typed by people go into subjects.
    message["Subject"] = " ".join(subject.split())
    sender_domain = parseaddr(config["MAIL_SENDER"])[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=sender_domain or None)
    message.set_content(body)
    try:
        with _connect(config) as server:
            if config.get("MAIL_USERNAME"):
                server.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError is an OSError
        raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    """A connection to the relay, encrypted as configured: implicit TLS (``MAIL_USE_SSL``),
    STARTTLS (``MAIL_USE_TLS``, the default) or none. The relay's certificate and name are
    always checked, against ``MAIL_CA_FILE`` when given, else the system's authorities."""
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    use_ssl, use_tls = config.get("MAIL_USE_SSL"), config.get("MAIL_USE_TLS")
    context = (
        ssl.create_default_context(cafile=config.get("MAIL_CA_FILE"))
        if use_ssl or use_tls
        else None
    )
    if use_ssl:
        return smtplib.SMTP_SSL(host, port, timeout=10, context=context)
    server = smtplib.SMTP(host, port, timeout=10)
    if use_tls:
        try:
            server.starttls(context=context)
        except BaseException:
            server.close()
            raise
    return server
