"""The settings services compute with, typed, read from the running app in one place.

Services take the settings they need as a ``Settings`` argument; when a caller passes
none, ``current_settings()`` reads them from the app's configuration (defaults in
``assessor/web/config.py``). This module is the only service module that reads
``current_app.config``, so a test or a command can hand a service other values without
changing the app, and what a service depends on is in its signature.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class MailSettings:
    """The SMTP relay (``MAIL_*``); see services/mail.py for how it is used."""

    server: str
    port: int
    sender: str
    use_tls: bool  # STARTTLS
    use_ssl: bool  # implicit TLS from the first byte
    ca_file: str | None  # certificates to trust instead of the system's
    username: str | None
    password: str | None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        """None without ``MAIL_SERVER``: the site then sends nothing."""
        if not config.get("MAIL_SERVER"):
            return None
        return cls(
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            sender=config["MAIL_SENDER"],
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            ca_file=config.get("MAIL_CA_FILE"),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
        )


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class WebhookSettings:
    """The ``WEBHOOK_*`` settings (see services/webhooks and docs/webhooks.md)."""

    # Networks a webhook may reach although they are not public (loopback, private...):
    # none by default; an operator allows a receiver on the cluster's own network.
    allowed_networks: tuple[Network, ...] = ()
    timeout_s: float = 5.0  # to connect, then to wait for each read of the answer
    attempts: int = 10  # per delivery (and again after each "send again")
    retry_backoff_s: float = 30.0  # before the second attempt, doubling
    retry_max_backoff_s: float = 3600.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookSettings:
        return cls(
            allowed_networks=networks_of(config.get("WEBHOOK_ALLOWED_NETWORKS")),
            timeout_s=float(config["WEBHOOK_TIMEOUT"]),
            attempts=int(config["WEBHOOK_ATTEMPTS"]),
            retry_backoff_s=float(config["WEBHOOK_RETRY_BACKOFF"]),
            retry_max_backoff_s=float(config["WEBHOOK_RETRY_MAX_BACKOFF"]),
        )


def networks_of(configured: object) -> tuple[Network, ...]:
    """CIDRs from a list, or from a comma-separated string (the environment); raises
    ValueError naming the first that is not one."""
    if not configured:
        return ()
    items = configured.split(",") if isinstance(configured, str) else configured
    if not isinstance(items, list | tuple):
        raise ValueError(f"{configured!r} is not a list of networks")
    networks = []
    for item in items:
        text = str(item).strip()
        if text:
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                raise ValueError(f"{text!r} is not a network such as 10.0.0.0/8") from None
    return tuple(networks)


@dataclass(frozen=True)
class Settings:
    peer_group_minimum: int  # no peer comparison (nor platform mean) of fewer assessments
    peer_median_sample: int  # peer medians come from at most this many, the most recent
    workshop_group_minimum: int  # no workshop aggregate of fewer finished participants
    translations_dir: Path  # compiled catalogues: their texts are part of a cached PDF
    clusters_dir: Path  # the example clusters a new database starts with
    mail: MailSettings | None  # None: no relay configured, nothing is sent
    # A cluster service's text, missing in the reader's language, comes in these before the
    # cluster's own language (docs/action-plans.md, section 7).
    service_language_fallback: tuple[str, ...] = ("en",)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        return cls(
            peer_group_minimum=int(config["PEER_GROUP_MINIMUM"]),
            peer_median_sample=int(config["PEER_MEDIAN_SAMPLE"]),
            workshop_group_minimum=int(config["WORKSHOP_GROUP_MINIMUM"]),
            translations_dir=Path(config["TRANSLATIONS_DIR"]),
            clusters_dir=Path(config["CLUSTERS_DIR"]),
            mail=MailSettings.from_config(config),
            service_language_fallback=_language_list(config.get("SERVICE_LANGUAGE_FALLBACK")),
            webhooks=WebhookSettings.from_config(config),
        )

    @property
    def printed(self) -> tuple[int | str, ...]:
        """The settings a PDF plan prints (part of its cache key)."""
        return (
            self.peer_group_minimum,
            self.peer_median_sample,
            ",".join(self.service_language_fallback),
        )


def _language_list(configured: object) -> tuple[str, ...]:
    """A list of language codes, or a comma-separated string from the environment; English
    when unset."""
    if configured is None:
        return ("en",)
    codes = configured.split(",") if isinstance(configured, str) else configured
    return tuple(str(code).strip() for code in codes if str(code).strip())  # type: ignore[attr-defined]  # a list from the config


def current_settings() -> Settings:
    """The running app's settings (needs an app context)."""
    return Settings.from_config(current_app.config)
