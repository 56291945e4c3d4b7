"""E-mail through the SMTP server the operator configures (``MAIL_SERVER`` and friends).

Without ``MAIL_SERVER`` the site sends nothing: invitation links are shown to the
administrator to pass on, and a forgotten password is reset by the operator
(``flask --app assessor users set-password``).
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from flask import current_app

from assessor.services.settings import MailSettings, current_settings


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


def mail_enabled() -> bool:
    return current_settings().mail is not None


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


def send_mail(to: str, subject: str, body: str, relay: MailSettings | None = None) -> None:
    """Send one plain-text message through ``relay`` (by default the app's); raises
    MailNotSent with the reason."""
    relay = relay or current_settings().mail
    if relay is None:
        raise MailNotSent("no MAIL_SERVER is configured")
    message = EmailMessage()
    message["From"] = relay.sender
    message["To"] = to
    # A header cannot span lines: names typed by people go into subjects.
    message["Subject"] = " ".join(subject.split())
    sender_domain = parseaddr(relay.sender)[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=sender_domain or None)
    message.set_content(body)
    try:
        with _connect(relay) as server:
            if relay.username:
                server.login(relay.username, relay.password or "")
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError is an OSError
        raise MailNotSent(f"{type(exc).__name__}: {exc}") from exc


def _connect(relay: MailSettings) -> smtplib.SMTP:
    """A connection to the relay, encrypted as configured: implicit TLS (``MAIL_USE_SSL``),
    STARTTLS (``MAIL_USE_TLS``, the default) or none. The relay's certificate and name are
    always checked, against ``MAIL_CA_FILE`` when given, else the system's authorities."""
    host, port = relay.server, relay.port
    use_ssl, use_tls = relay.use_ssl, relay.use_tls
    context = ssl.create_default_context(cafile=relay.ca_file) if use_ssl or use_tls else None
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
