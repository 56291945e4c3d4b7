"""One app built in a server's master process and forked into its workers.

gunicorn.conf.py preloads the app (``preload_app``): the master builds it once (the
questionnaires loaded and checked, the start-up's database checks run) and forks the
workers from it. Whatever the master loaded before forking is shared by every worker,
page for page, until a worker writes to a page (copy-on-write): code, questionnaires,
catalogues. Two things follow.

What every worker would otherwise load alone on its first pages is loaded once in the
master instead (:func:`load_for_workers`).

What the app opened at start must not be inherited: a database connection is a socket,
and two processes using one socket mix their statements and read each other's answers.
gunicorn.conf.py closes the master's connections before forking and empties each
worker's inherited pools (assessor.storage.db.drop_connections). Nothing else the app
opens at start outlives it: the rate limits' Redis client connects on first use (and
redis-py reconnects after a fork), and the app starts no thread.
"""

from __future__ import annotations

import importlib

from babel import Locale
from flask import Flask
from flask_babel import force_locale, get_translations

from assessor.domain.languages import LANGUAGES
from assessor.services.questionnaires.translated import learn_offered_languages

# Imported by the results page on first use (the plan's view, peer figures, charts),
# which every finished assessment shows.
PAGE_MODULES = ("assessor.services.plans",)


def load_for_workers(app: Flask) -> None:
    """Load what each worker would otherwise load alone on its first pages: the results
    page's modules, every template of the site compiled (not those of PDFs, which web
    workers do not render), and for every language its translations and Babel's locale
    data (number and date formats). About 4 MiB less in each of 4 workers
    (bench/worker_memory.py); pointless, even costly, without forking afterwards."""
    for module in PAGE_MODULES:
        importlib.import_module(module)
    for name in app.jinja_env.list_templates():
        if not name.startswith("pdf/"):
            app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in LANGUAGES:
            with force_locale(language):
                get_translations()
            Locale.parse(language).number_symbols  # noqa: B018 (loads the locale's data)
        # Which languages each questionnaire is complete in: finding out reads every text of
        # it in every catalog, and reading a string writes its reference count, so a worker
        # that found out itself would copy most of the 24 catalogs' pages (about 15 MiB).
        learn_offered_languages()
