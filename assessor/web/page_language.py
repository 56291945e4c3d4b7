"""Which language a page is in, and the links that switch it.

The language comes from, in this order: the URL prefix (``/fr/...``), the
assessment being shown (it remembers the language it was last used in), the
visitor's saved choice (the last prefix they used), the browser's
``Accept-Language``, the cluster's default language, and English.

The prefix is moved from ``PATH_INFO`` to ``SCRIPT_NAME`` before Flask sees the
request, so routes are declared once and ``url_for`` keeps the visitor in their
language on every link and redirect without being told.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from flask import Flask, g, has_request_context, request, session, url_for
from flask_babel import Babel, get_locale, refresh

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from assessor.domain.languages import DEFAULT_LANGUAGE, LANGUAGE_CODE, LANGUAGES, language_tag
from assessor.services.questionnaires.translated import current_language

URL_LANGUAGE = "assessor.url_language"
SCRIPT_ROOT = "assessor.script_root"


class LanguagePrefix:
    """WSGI middleware: ``/fr/a/x`` becomes ``/a/x`` under the script root ``/fr``."""

    def __init__(self, app: WSGIApplication, languages: Iterable[str]) -> None:
        self.app = app
        self.languages = frozenset(languages)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        first, slash, rest = path[1:].partition("/")
        environ[SCRIPT_ROOT] = environ.get("SCRIPT_NAME", "")
        if path.startswith("/") and first in self.languages:
            environ[URL_LANGUAGE] = first
            environ["SCRIPT_NAME"] = f"{environ[SCRIPT_ROOT]}/{first}"
            environ["PATH_INFO"] = "/" + rest
        return self.app(environ, start_response)


def select_language() -> str:
    if not has_request_context():  # a command or a job: the texts as written
        return DEFAULT_LANGUAGE
    from_url: str | None = request.environ.get(URL_LANGUAGE)
    if from_url:
        return from_url
    for candidate in (g.get("assessment_language"), session.get("language")):
        if isinstance(candidate, str) and candidate in LANGUAGES:
            return candidate
    from_browser = browser_language()
    if from_browser:
        return from_browser
    cluster_language = g.get("cluster_language")
    return cluster_language if cluster_language in LANGUAGES else DEFAULT_LANGUAGE


def use_language_of(language: str | None, cluster_language: str | None = None) -> None:
    """Called by views once they know the assessment (or cluster) a page is about."""
    g.assessment_language = language
    g.cluster_language = cluster_language
    refresh()  # the locale may have been looked up already in this request


def language_in_url() -> str | None:
    return request.environ.get(URL_LANGUAGE)


def _remember_choice(response: Any) -> Any:
    chosen = request.environ.get(URL_LANGUAGE)
    if chosen and session.get("language") != chosen:
        session["language"] = chosen
    return response


def _switcher() -> dict[str, Any]:
    """Links to this very page in every language; the current one marked."""
    if not has_request_context():  # a template rendered by a command (the PDF plan)
        return {"page_language": current_language(), "language_links": []}
    root = request.environ.get(SCRIPT_ROOT, "")
    path = quote(request.path)
    query = request.query_string.decode("latin-1")
    suffix = f"{path}?{query}" if query else path
    current = current_language()
    return {
        "page_language": current,
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": f"{root}/{code}{suffix}",
                "current": code == current,
            }
            for code, name in LANGUAGES.items()
        ],
    }


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.config["TRANSLATIONS_DIR"]))
    Babel(app, locale_selector=select_language)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.wsgi_app = LanguagePrefix(app.wsgi_app, LANGUAGES)  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
    app.after_request(_remember_choice)
    app.context_processor(_switcher)
    app.jinja_env.globals["language_name"] = language_name


def language_name(code: str) -> str:
    """A language's name in the page's language ("Polish" on an English page)."""
    locale = get_locale()
    try:  # Babel writes "pt_BR"; a code it has no data for ("rom", "zz") keeps its code
        name = Locale.parse(code.replace("-", "_")).get_display_name(locale or DEFAULT_LANGUAGE)
    except (ValueError, LookupError, UnknownLocaleError):
        name = None
    return name or LANGUAGES.get(code, code)


def browser_language() -> str | None:
    """The first language of the browser's ``Accept-Language``, in its order of preference,
    that the site speaks: ``ga-IE`` is Irish even when English comes later (Werkzeug's
    ``best_match`` prefers any exact match, so ``ga-IE, en;q=0.8`` would be English), and
    ``*`` is English, unless the browser refuses English (``q=0``): then the page falls
    back as if the browser had said nothing."""
    refused = {value.lower() for value, quality in request.accept_languages if quality <= 0}
    for value, quality in request.accept_languages:  # best first
        if quality <= 0:
            continue
        if value == "*":
            return None if DEFAULT_LANGUAGE in refused else DEFAULT_LANGUAGE
        code = value.replace("_", "-").lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in LANGUAGES:
                return candidate
    return None


# The languages a reader's browser lists are kept with an assessment; a handful is enough
# (a header may list dozens, and each is a fallback tried in turn).
MOST_READER_LANGUAGES = 6
LONGEST_TAG = 35  # the length BCP 47 asks every implementation to support


def reader_languages() -> list[str]:
    """The languages the visitor's browser says they read, best first: each tag and then
    its shorter forms (``sr-Latn-RS``, ``sr-latn``, ``sr``), written as cluster files are
    matched (see LocalisedText); ``*``, malformed and overlong entries are left out."""
    found: list[str] = []
    for value, quality in request.accept_languages:
        if quality <= 0 or len(value) > LONGEST_TAG or not LANGUAGE_CODE.match(value):
            continue
        parts = language_tag(value).split("-")
        for end in range(len(parts), 0, -1):
            code = "-".join(parts[:end])
            if code not in found:
                found.append(code)
    return found[:MOST_READER_LANGUAGES]


def url_in_language(language: str, endpoint: str, **values: Any) -> str:
    """The address of a page in a given language, whatever language this request is in."""
    path = url_for(endpoint, **values)
    rest = path[len(request.script_root) :]
    return f"{request.environ.get(SCRIPT_ROOT, '')}/{language}{rest}"
