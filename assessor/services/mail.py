"""E-mail through the SMTP server the operator configures (``MAIL_SERVER`` and friends).

Pages never talk to the relay: a message is stored (``store_outgoing``) and a background
worker sends it (assessor.jobs.mail), trying again with a growing pause while the relay
is down, and deletes it once sent.

Without ``MAIL_SERVER`` the site sends nothing: invitation links are shown to the
administrator to pass on, and a forgotten password is reset by the operator
(``flask --app assessor users set-password``).
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from sqlalchemy import delete, select

from assessor.services.settings import MailSettings, current_settings
from assessor.storage.db import db
from assessor.storage.models import OutgoingMail


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached or refused the message."""

    def __init__(self, reason: str, kind: str = "", permanent: bool = False) -> None:
        super().__init__(reason)
        self.kind = kind or reason  # the error's class alone, safe to log
        # The relay refused the message itself (a 5xx answer to the recipient or the
        # message, such as "no such mailbox"): trying again later would not help.
        self.permanent = permanent


def mail_enabled() -> bool:
    return current_settings().mail is not None


def store_outgoing(to: str, subject: str, body: str, purpose: str) -> int:
    """Keep a message until the relay takes it; its id is what the queue carries."""
    # A header cannot span lines: names typed by people go into subjects.
    mail = OutgoingMail(recipient=to, subject=" ".join(subject.split()), body=body, purpose=purpose)
    db.session.add(mail)
    db.session.commit()
    return mail.id


def forget_outgoing(mail_id: int) -> None:
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.id == mail_id))
    db.session.commit()


def send_outgoing(mail_id: int) -> OutgoingMail | None:
    """One attempt at a stored message; removed once sent. None when there is no such
    message (sent already: a duplicate of the queue's). Raises MailNotSent, naming the
    error's kind only: the relay's text may hold the address."""
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None:
        return None
    mail.attempts += 1
    db.session.commit()
    try:
        send_mail(mail.recipient, mail.subject, mail.body)
    except MailNotSent as exc:
        raise MailNotSent(
            f"{mail.purpose}: attempt {mail.attempts}: {exc.kind}", permanent=exc.permanent
        ) from None
    forget_outgoing(mail_id)
    return mail


def attempts_of(mail_id: int) -> int:
    stored = db.session.get(OutgoingMail, mail_id)
    return stored.attempts if stored is not None else 0


def unsent(before: datetime) -> list[int]:
    """Every message stored before ``before`` and still waiting, oldest first (what an
    embedded queue lost in a restart)."""
    return list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(OutgoingMail.created_at < before)
            .order_by(OutgoingMail.id)
        )
    )


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
        raise MailNotSent(
            f"{type(exc).__name__}: {exc}", type(exc).__name__, permanent=_refused_for_good(exc)
        ) from exc


def _refused_for_good(error: BaseException) -> bool:
    """A 5xx answer about the recipients or the message; not a refused sign-in, which the
    operator mends in the settings while the message waits."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


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
