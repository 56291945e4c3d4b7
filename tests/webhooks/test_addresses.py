"""The address guard: private, local and special addresses are refused next to the field
and again at send time (on the address resolved then, which the connection uses), unless
WEBHOOK_ALLOWED_NETWORKS allows them."""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask

from assessor.services.settings import networks_of
from assessor.services.webhooks import addresses
from assessor.services.webhooks.addresses import AddressRefused, check, is_public
from tests.conftest import RELEASED_V2
from tests.webhooks.conftest import (
    RECEIVER_CONFIG,
    Receiver,
    cluster_admin,
    deliveries,
    post_button,
    save_webhook,
)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),  # loopback
        ("::1", False),
        ("10.1.2.3", False),  # private
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("fd00::1", False),  # unique local
        ("169.254.169.254", False),  # link-local: a cloud's metadata service
        ("fe80::1", False),
        ("224.0.0.1", False),  # multicast
        ("ff02::1", False),
        ("240.0.0.1", False),  # reserved
        ("0.0.0.0", False),  # unspecified
        ("::", False),
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("::ffff:10.0.0.1", False),  # IPv4 inside IPv6: mapped, 6to4, NAT64
        ("2002:a00:1::1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("64:ff9b::5db8:d70e", True),
        ("::7f00:1", False),  # IPv4-compatible (::/96, deprecated): 127.0.0.1, 10.0.0.5
        ("::a00:5", False),
        ("::5db8:d70e", False),  # refused whatever it carries
        ("fec0::1", False),  # site-local (deprecated)
        ("feff::1", False),
        ("64:ff9b:1::a00:5", False),  # local-use NAT64 (RFC 8215) carrying 10.0.0.5
        ("64:ff9b:1::5db8:d70e", True),
        ("::ffff:0:a00:5", False),  # SIIT's IPv4-translated (::ffff:0:0:0/96)
        ("::ffff:0:5db8:d70e", False),
        ("::ffff:5db8:d70e", True),  # mapped, carrying a public address
    ],
)
def test_what_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_an_allowed_network_lets_its_addresses_through_and_no_others() -> None:
    allowed = networks_of("127.0.0.0/8, fd00::/8")
    assert check("http://127.0.0.1:8080/x?y=1", allowed).path == "/x?y=1"
    assert check("http://[fd00::5]/", allowed).address == "fd00::5"
    mapped = check("http://[::ffff:127.0.0.1]/", allowed).address
    assert ipaddress.ip_address(mapped).ipv4_mapped == ipaddress.ip_address("127.0.0.1")
    with pytest.raises(AddressRefused, match="10.0.0.1"):
        check("http://10.0.0.1/", allowed)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/x", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("https://user:pass@93.184.215.14/", "form"),
        ("https://93.184.215.14:0/", "form"),
        ("https://93.184.215.14:99999/", "form"),
        ("https:///path", "form"),
        ("https://93.184.215.14/a b", "form"),
        ("https://no-such-host.invalid/", "unresolved"),
    ],
)
def test_what_is_not_a_webhook_url(url: str, reason: str) -> None:
    with pytest.raises(AddressRefused) as refused:
        check(url, ())
    assert refused.value.reason == reason


def test_bad_allowed_networks_stop_the_app_at_start(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(SystemExit, match="WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33'"):
        make_app(WEBHOOK_ALLOWED_NETWORKS=["10.0.0.0/33"])


@pytest.fixture
def guarded_app(make_app: Callable[..., Flask]) -> Flask:
    """No network allowed: the site's default."""
    return make_app(questionnaires=RELEASED_V2)


CANNOT_BE_USED = (
    "This address cannot be used: a webhook must go to a public https:// or http:// address "
    "that can be reached from the internet."
)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8080/hook", CANNOT_BE_USED),
        ("http://localhost/hook", CANNOT_BE_USED),  # a name resolving to one
        ("https://10.0.0.5/hook", CANNOT_BE_USED),
        ("http://169.254.169.254/latest/meta-data", CANNOT_BE_USED),
        ("http://[::1]/hook", CANNOT_BE_USED),
        ("http://[::7f00:1]/hook", CANNOT_BE_USED),
        ("http://0.0.0.0/", CANNOT_BE_USED),
        ("https://no-such-host.invalid/", CANNOT_BE_USED),  # the same: no probing of names
        ("ftp://93.184.215.14/hook", "starts with https:// or http://"),
        ("https://93.184.215.14/" + "x" * 300, "300 characters at most"),
        ("", "Enter the address the events are sent to."),
    ],
)
def test_the_page_refuses_an_address_next_to_the_field(
    guarded_app: Flask, url: str, message: str
) -> None:
    admin = cluster_admin(guarded_app)
    refused = save_webhook(admin, url)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    field = page.split('<label for="url"', 1)[1].split("<input", 1)[0]
    assert message in field.replace("&#39;", "'")
    assert "No event yet" not in page  # nothing saved: no webhook, no log
    assert admin.get("/advisers/cluster/webhook/secret").status_code == 404


def test_the_page_does_not_say_what_a_name_resolves_to(
    guarded_app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A cluster administrator learns neither whether the site's resolver knows a name
    nor where it leads; the operator's log says both."""
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "db.internal.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))]
        if host == "nothing.internal.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", resolver)
    caplog.set_level(logging.INFO, "assessor.web.advisers.webhooks")
    admin = cluster_admin(guarded_app)
    fields = []
    for url in ("http://db.internal.test/x", "http://nothing.internal.test/x"):
        page = save_webhook(admin, url).get_data(as_text=True)
        fields.append(page.split('id="url-error">', 1)[1].split("</p>", 1)[0])
    assert fields[0] == fields[1]
    assert CANNOT_BE_USED in fields[0].replace("&#39;", "'")
    assert "10.1.2.3" not in fields[0]
    assert "private: 10.1.2.3" in caplog.text
    assert "unresolved: nothing.internal.test" in caplog.text


def test_a_slow_resolver_does_not_hold_the_page(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup is given up after WEBHOOK_TIMEOUT: the address is refused."""
    slow_app = make_app(questionnaires=RELEASED_V2, WEBHOOK_TIMEOUT=0.3)
    real = socket.getaddrinfo
    release = threading.Event()

    def resolver(host, *args, **kwargs):
        if host == "slow.resolver.test":
            release.wait(10)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", resolver)
    admin = cluster_admin(slow_app)
    started = time.monotonic()
    try:
        refused = save_webhook(admin, "https://slow.resolver.test/hooks")
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert refused.status_code == 400
    assert CANNOT_BE_USED in refused.get_data(as_text=True).replace("&#39;", "'")
    release.clear()
    try:
        with pytest.raises(AddressRefused, match="unresolved: slow.resolver.test"):
            check("https://slow.resolver.test/", (), timeout_s=0.05)
    finally:
        release.set()


def test_a_public_address_is_saved(guarded_app: Flask) -> None:
    admin = cluster_admin(guarded_app)
    assert save_webhook(admin, "https://93.184.215.14/hooks").status_code == 302
    page = admin.get("/advisers/cluster/webhook").get_data(as_text=True)
    assert 'value="https://93.184.215.14/hooks"' in page


def test_an_address_refused_at_send_time_is_not_called(
    make_app: Callable[..., Flask], receiver: Receiver
) -> None:
    """Saved while the operator allowed loopback; allowed no longer when it is sent."""
    allowed = make_app(questionnaires=RELEASED_V2, **RECEIVER_CONFIG)
    save_webhook(cluster_admin(allowed), receiver.url)
    database = allowed.config["SQLALCHEMY_DATABASE_URI"]
    config = {k: v for k, v in RECEIVER_CONFIG.items() if k != "WEBHOOK_ALLOWED_NETWORKS"}
    guarded = make_app(questionnaires=RELEASED_V2, SQLALCHEMY_DATABASE_URI=database, **config)
    admin = guarded.test_client()
    from tests.advisers.helpers import sign_in

    sign_in(admin, "chief@example-baltic-freight.example")
    post_button(admin, "/advisers/cluster/webhook/test")
    [delivery] = deliveries(guarded)
    assert (delivery.state, delivery.attempts) == ("failed", 1)  # at once: no retry helps
    assert delivery.last_error == "refused: 127.0.0.1 is not a public address"
    assert receiver.received == []


def test_the_connection_goes_to_the_address_checked(
    app: Flask, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name is resolved once, by the check; the connection does not ask again (where a
    rebinding name would answer with another address), and keeps the name as Host."""
    port = int(receiver.url.split(":")[2].split("/")[0])
    lookups: list[str] = []
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host != "hooks.cluster.test":
            return real(host, *args, **kwargs)
        lookups.append(host)
        if len(lookups) > 1:
            raise AssertionError("resolved a second time")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", resolver)
    admin = cluster_admin(app)
    url = f"http://hooks.cluster.test:{port}/hooks/assessor"
    assert save_webhook(admin, url).status_code == 302
    lookups.clear()
    post_button(admin, "/advisers/cluster/webhook/test")
    [delivery] = deliveries(app)
    assert delivery.state == "delivered"
    assert lookups == ["hooks.cluster.test"]
    assert receiver.received[0].headers["Host"] == f"hooks.cluster.test:{port}"
