"""One attempt at a delivery: a POST of the signed JSON to the checked address.

The standard library's http.client does what is needed and no more: it follows no
redirect (a 3xx is a failed attempt, so a receiver cannot bounce us to an address the
guard refused), reads no proxy from the environment, and lets the connection go to the
address the guard checked while the Host header and the certificate check keep the name.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assessor.services.settings import Network
from assessor.services.webhooks.addresses import AddressRefused, Target, check
from assessor.services.webhooks.signature import SIGNATURE_HEADER, signature

log = logging.getLogger(__name__)

USER_AGENT = "assessor-webhooks/1"
ERROR_LENGTH = 300  # WebhookDelivery.last_error


@dataclass(frozen=True)
class Outcome:
    """What came of an attempt: delivered on a 2xx; ``status`` is the receiver's HTTP
    status (None when none came back), ``error`` says what went wrong in English."""

    delivered: bool
    status: int | None = None
    error: str | None = None
    final: bool = False  # trying again would not help (the address is refused)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    secret: str,
    networks: Sequence[Network],
    timeout_s: float,
) -> Outcome:
    """POST ``body`` to ``url``, signed now with ``secret``."""
    try:
        target = check(url, networks)
    except AddressRefused as exc:
        refused = {
            "private": f"refused: {exc.detail} is not a public address",
            "unresolved": f"no address found for {exc.detail}",
        }
        return Outcome(
            False,
            error=refused.get(exc.reason, "refused: not an http(s) URL"),
            final=exc.reason != "unresolved",
        )
    all_headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
    }
    connection = _connection(target, timeout_s)
    try:
        connection.request("POST", target.path, body=body, headers=all_headers)
        response = connection.getresponse()
        status = response.status
        # A little of the answer is read so that the receiver is not cut off mid-write;
        # nothing of it is kept.
        response.read(1024)
    except (OSError, http.client.HTTPException) as exc:  # timeouts and TLS errors are OSErrors
        return Outcome(False, error=_describe(exc, target))
    except Exception as exc:
        # Whatever else goes wrong is still a failed attempt, logged with its traceback:
        # an exception out of here would leave the delivery pending for ever.
        log.exception("webhook POST to %s port %s", target.address, target.port)
        return Outcome(False, error=_describe(exc, target))
    finally:
        connection.close()
    if 200 <= status < 300:
        return Outcome(True, status)
    if 300 <= status < 400:
        return Outcome(False, status, "redirect not followed: the URL must answer itself")
    return Outcome(False, status)


def _describe(error: BaseException, target: Target) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        text = "no answer in time"
    elif isinstance(error, ssl.SSLError):
        text = f"TLS: {error.reason or error}"
    elif isinstance(error, ConnectionRefusedError):
        text = "connection refused"
    else:
        text = f"{type(error).__name__}: {error}"
    return f"{text} ({target.address} port {target.port})"[:ERROR_LENGTH]


class _Pinned:
    """A connection to the checked address rather than to whatever the host name resolves
    to by the time it connects; the certificate is still checked against the name."""

    address: str
    port: int
    source_address: Any

    def _pin(self, address: str) -> None:
        self.address = address
        # http.client opens its socket through this attribute (HTTPS wraps it afterwards
        # with the host name for SNI and the certificate): the one place to change where.
        self._create_connection = self._connect_to_checked_address

    def _connect_to_checked_address(self, _: object, timeout: float, source: Any) -> socket.socket:
        return socket.create_connection((self.address, self.port), timeout, source)


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    pass


def _connection(target: Target, timeout_s: float) -> http.client.HTTPConnection:
    # One timeout for connecting and for each read: a receiver that accepts and never
    # answers holds a worker for seconds, not minutes.
    connection: _PinnedHTTP | _PinnedHTTPS
    if target.scheme == "https":
        context = ssl.create_default_context()
        connection = _PinnedHTTPS(target.host, target.port, timeout=timeout_s, context=context)
    else:
        connection = _PinnedHTTP(target.host, target.port, timeout=timeout_s)
    connection._pin(target.address)
    return connection
