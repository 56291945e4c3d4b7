"""Where a webhook may go: a public address, unless the operator allows a network.

A cluster administrator types the URL; the server then connects to it. Without a guard
that is a way into the operator's own network (a database's admin page on 10.0.0.5, a
cloud's metadata service on 169.254.169.254). So the host must not be, nor resolve to, a
loopback, private, link-local, multicast, reserved or unspecified address, unless it is
in ``WEBHOOK_ALLOWED_NETWORKS``. The check runs when the URL is saved (a message next to
the field) and again at each delivery on the addresses the name resolves to then, and
the connection goes to the address checked (services/webhooks/sending.py): a name that
resolves to a public address at the check and a private one at the connection (DNS
rebinding) gets nowhere.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from assessor.services.settings import Network

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64 carries an IPv4 address in its last 32 bits: 64:ff9b::a00:5 is 10.0.0.5 (RFC
# 6052's well-known prefix), and so does a local-use prefix in 64:ff9b:1::/48 (RFC 8215;
# 64:ff9b:1::/96 as the usual /96, and any of its /56 or shorter networks may not be).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
# Refused whatever they carry: IPv4-compatible addresses (::/96, deprecated, ::7f00:1 is
# 127.0.0.1 to some stacks), site-local (fec0::/10, deprecated, private in practice),
# and SIIT's IPv4-translated addresses (::ffff:0:0/96, RFC 2765).
_REFUSED = (
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("fec0::/10"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
)

# At most this many host names are being looked up at once for pages (``resolve`` with a
# timeout): a resolver that never answers holds these threads, not the web workers.
_LOOKUPS = threading.BoundedSemaphore(8)


class AddressRefused(Exception):
    """The URL may not be used; ``reason`` says why (a code the pages word), ``detail``
    the host or address concerned."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # scheme, form, unresolved, private
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to ask for there."""

    scheme: str  # http or https
    host: str  # as written: the Host header and the name a certificate must bear
    port: int
    path: str  # path and query, "/" at least
    address: str  # the checked IP address the connection goes to


def parse(url: str) -> SplitResult:
    """The URL's parts; raises AddressRefused unless it is an http(s) URL with a host
    and nothing a POST could not carry (a user name or password, a fragment)."""
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise AddressRefused("form")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or a bad IPv6 literal
        raise AddressRefused("form") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("scheme")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise AddressRefused("form")
    if port == 0 or parts.fragment:
        raise AddressRefused("form")
    return parts


def is_public(address: IPAddress) -> bool:
    """Not loopback, private, link-local, multicast, reserved nor unspecified (shared
    address space such as 100.64.0.0/10 is not public either), including an IPv4 address
    carried inside an IPv6 one; deprecated and translated IPv6 ranges are refused)."""
    if isinstance(address, ipaddress.IPv6Address) and any(address in n for n in _REFUSED):
        return False
    embedded = _embedded_ipv4(address)
    if embedded is not None and not is_public(embedded):
        return False
    return address.is_global and not address.is_multicast


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or address in _LOCAL_NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def allowed(address: IPAddress, networks: Sequence[Network]) -> bool:
    """Public, or in a network the operator allows."""
    plain = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    candidates = (address,) if plain is None else (address, plain)
    in_allowed = any(
        candidate in network
        for candidate in candidates
        for network in networks
        if candidate.version == network.version
    )
    return in_allowed or is_public(address)


def resolve(host: str, port: int, timeout_s: float | None = None) -> list[IPAddress]:
    """Every address ``host`` resolves to (itself when it is one); raises AddressRefused
    ("unresolved") when it resolves to none, or not within ``timeout_s`` when given."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [literal]
    try:
        if timeout_s is None:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        else:
            found = _lookup_within(host, port, timeout_s)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError
        raise AddressRefused("unresolved", host) from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        # An IPv6 address may come with its zone ("fe80::1%eth0"): the zone is dropped,
        # and a link-local address is refused anyway.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefused("unresolved", host)
    return addresses


def _lookup_within(host: str, port: int, timeout_s: float) -> list[Any]:
    """getaddrinfo in a thread of its own, given up after ``timeout_s`` (TimeoutError):
    the thread, which nothing can stop, ends with the system resolver's own timeout."""
    if not _LOOKUPS.acquire(timeout=timeout_s):
        raise TimeoutError(f"too many lookups under way for {host}")
    found: list[Any] = []
    failed: list[BaseException] = []

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the caller
            failed.append(exc)
        finally:
            _LOOKUPS.release()

    thread = threading.Thread(target=look_up, name="webhook-address-lookup", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        raise TimeoutError(f"no answer for {host} in {timeout_s} s")
    if failed:
        raise failed[0]
    return found


def check(url: str, networks: Sequence[Network], timeout_s: float | None = None) -> Target:
    """The URL as a Target, connecting to its first address; raises AddressRefused when
    any address the host resolves to is refused (a name with one private address among
    public ones could be made to reach it). ``timeout_s`` bounds the name's lookup."""
    parts = parse(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port, timeout_s)
    for address in addresses:
        if not allowed(address, networks):
            raise AddressRefused("private", str(address))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, str(addresses[0]))
