"""How a delivery is signed: ``X-Assessor-Signature: t=<unix seconds>,v1=<hex>``, the hex
being the HMAC-SHA256 of ``"<t>.<body>"`` with the cluster's secret. The time is part of
what is signed, so a receiver that refuses old times (five minutes) cannot be fed a
delivery recorded earlier; docs/webhooks.md shows a receiver's check, and the tests run
that very snippet against what ``sign`` produces."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Assessor-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value for ``body`` sent at ``timestamp`` (unix seconds)."""
    signed = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
