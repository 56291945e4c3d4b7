"""The address guard: private, local and special addresses are refused next to the field
and again at send time (on the address resolved then, which the connection uses), unless
WEBHOOK_ALLOWED_NETWORKS allows them."""

from __future__ import annotations

import ipaddress
import socket
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


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8080/hook", "local or private network (127.0.0.1)"),
        ("http://localhost/hook", "local or private network"),  # a name resolving to one
        ("https://10.0.0.5/hook", "local or private network (10.0.0.5)"),
        ("http://169.254.169.254/latest/meta-data", "(169.254.169.254)"),
        ("http://[::1]/hook", "(::1)"),
        ("http://0.0.0.0/", "(0.0.0.0)"),
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
