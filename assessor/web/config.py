"""Configuration: defaults, then instance/config.py, then FLASK_* environment variables."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from assessor.paths import CLUSTERS_DIR, TRANSLATIONS_DIR, questionnaires_dir


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "QUESTIONNAIRES_DIR": str(questionnaires_dir()),
        "CLUSTERS_DIR": str(CLUSTERS_DIR),
        "TRANSLATIONS_DIR": str(TRANSLATIONS_DIR),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "assessor.sqlite"),
        # hide_parameters: a database error is logged without the statement's values,
        # which include respondents' tokens and answers (see configure()).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        # Create the schema and load the example clusters on first start; on for the
        # embedded SQLite default, off when DATABASE_URL points at a server.
        "AUTO_SETUP_DATABASE": True,
        # The name in every page's title and header brand (a cluster network may use its own).
        "SITE_NAME": "assessor",
        # The footer's "assessor is open source" leads to /source, which names the licence
        # and offers the running code as an archive; a repository address set here is listed
        # there too (an operator who changed the code names their own).
        "SOURCE_URL": None,
        "PEER_GROUP_MINIMUM": 5,
        # The questionnaire a start form selects when the cluster chose none (or there is no
        # cluster); None, or one not offered, selects nothing unless only one is offered.
        "DEFAULT_QUESTIONNAIRE": "logistics-maturity",
        # How often a server asks the database whether a questionnaire was published or
        # withdrawn elsewhere (seconds): the catalogue is read again only when it changed.
        "CATALOGUE_REFRESH_SECONDS": 2.0,
        # A cluster service's text is shown in the reader's language, else in the first of
        # these it is written in, else in the cluster's default language (docs/action-plans.md,
        # section 7). An empty list goes straight to the cluster's language.
        "SERVICE_LANGUAGE_FALLBACK": ["en"],
        # Peer medians are taken from the most recent assessments of a group, at most this
        # many: recent peers compare better, and the page stays fast with any number stored.
        "PEER_MEDIAN_SAMPLE": 1000,
        # A workshop dashboard shows no aggregate until this many participants finished.
        "WORKSHOP_GROUP_MINIMUM": 3,
        # memory:// counts in each process alone: fine for one process (scripts/serve), not
        # for several, which must share Redis or Memcached. The app refuses to start with
        # memory:// and more than one process (gunicorn.conf.py passes its worker count as
        # APP_PROCESSES), unless ACCEPT_PER_PROCESS_RATE_LIMITS says the operator knows.
        "RATELIMIT_STORAGE_URI": "memory://",
        "APP_PROCESSES": 1,
        "ACCEPT_PER_PROCESS_RATE_LIMITS": False,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": "10 per minute;100 per day",  # per address
        "SIGN_IN_ACCOUNT_RATE_LIMIT": "20 per hour",  # per e-mail typed in
        # A room of participants may share one public address (the venue's Wi-Fi).
        "JOIN_RATE_LIMIT": "300 per minute",
        # Wrong workshop codes (typed or in a short link) per address; opening a real code
        # is not counted. 32^6 codes: at this pace one address needs decades. No daily
        # cap: once a limit is reached every join from that address waits, and a day's
        # wait would shut a venue's shared address out of every workshop.
        "JOIN_GUESS_RATE_LIMIT": "30 per minute",
        # PDF plans per address: a workshop room behind one public address downloads at
        # once. Renders are bounded anyway: plans are cached per assessment and language.
        "PLAN_PDF_RATE_LIMIT": "300 per minute",
        # The read-only API (docs/api.md): requests per token, and requests refused for a
        # missing or wrong token per address.
        "API_RATE_LIMIT": "120 per minute",
        "API_REFUSED_RATE_LIMIT": "30 per minute",
        # Cluster report PDFs per account: each is rendered in the request (about a second;
        # its size follows the questionnaire, never the number of companies).
        "INSIGHTS_REPORT_RATE_LIMIT": "6 per minute",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Behind HTTPS set FLASK_SESSION_COOKIE_SECURE=true (and FLASK_HSTS_SECONDS=31536000);
        # behind N reverse proxies set FLASK_TRUSTED_PROXIES=N. See docs/deployment.md.
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "HSTS_SECONDS": 0,
        "TRUSTED_PROXIES": 0,
        "START_RATE_LIMIT": "30 per minute;500 per day",
        # One JSON line a request (path without respondent tokens) and JSON errors on
        # stderr; on in the gunicorn configuration (gunicorn.conf.py).
        "LOG_REQUESTS": False,
        # flask --app assessor purge deletes assessments never submitted after this long.
        "UNFINISHED_RETENTION_DAYS": 180,
        "JSON_LOGS": False,
        "WTF_CSRF_TIME_LIMIT": None,  # a respondent may take hours; the token is per session
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # A form's text field may be as long as a request (Flask's default, 500 KB, is below
        # a questionnaire's limit): the questionnaire editor says itself what is too long.
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # E-mail for invitations and password resets; nothing is sent without a server.
        # Links in e-mails start with PUBLIC_URL (https://assess.cluster.example), never
        # with the Host header of the request that caused them.
        "PUBLIC_URL": None,
        "MAIL_SERVER": None,
        "MAIL_PORT": 587,
        "MAIL_USE_TLS": True,  # STARTTLS (port 587)
        "MAIL_USE_SSL": False,  # implicit TLS from the first byte (port 465); no STARTTLS then
        "MAIL_CA_FILE": None,  # PEM certificates to trust instead of the system's (a private CA)
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_SENDER": "assessor <no-reply@localhost>",
        # Background jobs (docs/deployment.md §4). Without QUEUE_URL, the embedded default:
        # each app process runs its jobs in a thread of its own. With redis://HOST:6379/0,
        # separate worker processes (flask --app assessor jobs work) run them.
        "QUEUE_URL": None,
        "QUEUE_NAMESPACE": "assessor",
        "QUEUE_HEARTBEAT_TIMEOUT": 30,  # s: a silent worker is dead, its jobs go back
        "QUEUE_MAINTENANCE_CHANCE": 0.05,  # share of broker commands that look for dead workers
        "EMBEDDED_WORKER_THREADS": 1,
        "PDF_TIME_LIMIT": 60,  # s per attempt (a plan takes about 1 s of CPU)
        "PDF_ATTEMPTS": 3,
        "PDF_RETRY_BACKOFF": 2,  # s before the second attempt, doubling
        # A render queued this long ago and not taken is taken for lost (a queue emptied by a
        # restart) and queued again by the next request asking for it.
        "PDF_LOST_AFTER": 600,
        # Queue a submitted assessment's plan at once, in its language.
        "PLAN_PREPARE_ON_SUBMIT": True,
        # The results page asks whether the plan is ready, every few seconds while it is not:
        # a workshop room of 200 behind one address asks about 2,000 times in its first minute.
        "PLAN_STATUS_RATE_LIMIT": "3000 per minute",
        # A relay down for a while: 12 attempts, 10 s apart at first, doubling to 15 minutes
        # (about 1 h 40 min in all).
        "MAIL_ATTEMPTS": 12,
        "MAIL_RETRY_BACKOFF": 10,
        "MAIL_RETRY_MAX_BACKOFF": 900,
        "PASSWORD_RESET_MINUTES": 60,
        "EMAIL_LINK_RATE_LIMIT": "10 per hour",  # resume links mailed, per address
        # Webhooks (docs/webhooks.md): a cluster's receiver must be on a public address,
        # unless it is in one of these networks (CIDRs: ["10.20.0.0/16"]). Each delivery
        # is tried WEBHOOK_ATTEMPTS times, 30 s apart at first, doubling to an hour (about
        # 3 h in all); WEBHOOK_TIMEOUT (s) bounds the connection and each read.
        "WEBHOOK_ALLOWED_NETWORKS": [],
        "WEBHOOK_TIMEOUT": 5,
        "WEBHOOK_ATTEMPTS": 10,
        "WEBHOOK_RETRY_BACKOFF": 30,
        "WEBHOOK_RETRY_MAX_BACKOFF": 3600,
        # Questionnaire translations made in the browser are read again at most this often
        # (s): every app server shows a new translation within that time, without a restart.
        "QUESTIONNAIRE_TRANSLATIONS_REFRESH": 5,
    }


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    embedded_database = app.config["SQLALCHEMY_DATABASE_URI"]
    if overrides is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
        if os.environ.get("SECRET_KEY"):  # the conventional name, beside FLASK_SECRET_KEY
            app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        database_url = os.environ.get("DATABASE_URL")
        if database_url:
            app.config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(database_url)
            app.config["AUTO_SETUP_DATABASE"] = False
    else:
        app.config.from_mapping(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"] == embedded_database:
        # SQLite cannot create the folder of its file; nobody else may list it.
        Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    # Also when engine options are set elsewhere, unless they say otherwise explicitly.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "hide_parameters": True,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    _check_public_url(app.config)
    _check_rate_limit_storage(app.config)
    _check_webhook_networks(app.config)


def _check_webhook_networks(config: dict[str, Any]) -> None:
    """A mistyped network would otherwise refuse the receiver it was meant to allow."""
    from assessor.services.settings import networks_of

    try:
        networks_of(config.get("WEBHOOK_ALLOWED_NETWORKS"))
    except ValueError as exc:
        raise SystemExit(f"assessor: WEBHOOK_ALLOWED_NETWORKS: {exc}") from None


def _check_rate_limit_storage(config: dict[str, Any]) -> None:
    """Limits must hold for the whole site: with counts kept in each process's memory,
    N processes let N times every limit through (sign-in guesses, join codes...)."""
    try:
        processes = int(config.get("APP_PROCESSES") or 1)
    except (TypeError, ValueError):
        raise SystemExit("assessor: APP_PROCESSES must be a number of processes") from None
    in_memory = str(config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://")
    if (
        processes > 1
        and in_memory
        and config.get("RATELIMIT_ENABLED", True)
        and not config.get("ACCEPT_PER_PROCESS_RATE_LIMITS")
    ):
        raise SystemExit(
            f"assessor: {processes} app processes would each count rate limits alone "
            "(RATELIMIT_STORAGE_URI=memory://), letting every limit through "
            f"{processes} times; set FLASK_RATELIMIT_STORAGE_URI=redis://HOST:6379 "
            "(pip install 'assessor[redis]'), or run one process (GUNICORN_WORKERS=1), or "
            "set FLASK_ACCEPT_PER_PROCESS_RATE_LIMITS=true to accept per-process counts. "
            "See docs/deployment.md"
        )


def _check_public_url(config: dict[str, Any]) -> None:
    """E-mail needs the site's own address: a reset link built from a forged Host header
    would hand the token to whoever forged it."""
    public_url = (config.get("PUBLIC_URL") or "").rstrip("/")
    if public_url and not re.match(r"^https?://[^/\s]+$", public_url):
        raise SystemExit(
            f"assessor: PUBLIC_URL {public_url!r} must be the site's address, such as "
            "https://assess.cluster.example (scheme and host, no path)"
        )
    if config.get("MAIL_SERVER") and not public_url:
        raise SystemExit(
            "assessor: MAIL_SERVER is set but PUBLIC_URL is not; set FLASK_PUBLIC_URL to the "
            "site's address (https://assess.cluster.example) so that links in e-mails do not "
            "depend on the Host header of a request"
        )
    config["PUBLIC_URL"] = public_url or None
    ca_file = config.get("MAIL_CA_FILE")
    if ca_file and not Path(ca_file).is_file():
        raise SystemExit(f"assessor: MAIL_CA_FILE {ca_file!r} is not a readable file")


def _sqlalchemy_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so a local run needs no setting.

    Written to a private file of its own first (0600 from the first byte), then linked
    into place, which fails if another process got there first: processes starting
    together all read the one key that won, and never a half-written one.
    """
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        draft = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(8)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(secrets.token_hex(32))
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            draft.unlink(missing_ok=True)
    return key_file.read_text(encoding="utf-8").strip()
