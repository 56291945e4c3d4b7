"""PDF caches: one plan per assessment and language, keyed on what the plan prints; GETs
change nothing; the download routes are rate-limited; the workshop summary is cached.

(Code review findings 4 and 10, §5.4 and §5.6; security review I5.)
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.test import TestResponse

import assessor.pdf.render as render_module
from assessor.paths import PROJECT_ROOT
from assessor.services import assessments as service
from assessor.storage.db import db
from assessor.storage.models import PlanDocument, WorkshopDocument
from tests.conftest import RELEASED_V2, fetch_pdf
from tests.pdf.test_plan_pdf import pdf_text, submit_warehouse
from tests.web.helpers import post_form, start

TRANSLATIONS = PROJECT_ROOT / "translations"


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every PDF WeasyPrint is asked to render from now on."""
    calls: list[str] = []
    original = render_module.render_pdf

    def counting(html: str, static_dir: Path):  # noqa: ANN202 - the wrapped function's result
        calls.append(html)
        return original(html, static_dir)

    monkeypatch.setattr(render_module, "render_pdf", counting)
    return calls


def digest(response: TestResponse) -> str:
    """Compare PDFs by digest: a failing comparison of the bytes prints them all."""
    return hashlib.sha256(response.data).hexdigest()


def submitted(app: Flask, company: str = "Acme") -> str:
    client = app.test_client()
    token = start(client)
    submit_warehouse(client, token, company=company)
    return token


def plans_stored(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PlanDocument))


def stored_language(app: Flask, token: str) -> str:
    with app.app_context():
        return service.find_assessment(token).language


def test_a_language_in_the_url_is_stored_only_by_what_the_respondent_sends(
    any_app: Flask,
) -> None:
    client = any_app.test_client()
    token = start(client)
    for path in ["", "/section/profile", "/review", "/delete"]:
        page = client.get(f"/fr/a/{token}{path}", follow_redirects=True)
        assert page.status_code == 200
        assert '<html lang="fr">' in page.get_data(as_text=True)  # shown in French
    assert stored_language(any_app, token) == "en"  # but nothing changed
    saved = post_form(client, f"/fr/a/{token}/section/profile", {"activities": ["warehouse"]})
    assert saved.status_code == 302
    assert stored_language(any_app, token) == "fr"  # saving a page in French keeps French


def test_plans_in_two_languages_are_each_rendered_once(any_app: Flask, renders: list[str]) -> None:
    token = submitted(any_app)
    client = any_app.test_client()
    pdfs = [
        fetch_pdf(client, f"/{lang}/a/{token}/plan.pdf") for lang in ["en", "fr", "en", "fr", "fr"]
    ]
    assert [pdf.status_code for pdf in pdfs] == [200] * 5
    assert len(renders) == 2  # once in English, once in French
    assert plans_stored(any_app) == 2
    assert digest(pdfs[0]) == digest(pdfs[2])
    assert digest(pdfs[1]) == digest(pdfs[3]) == digest(pdfs[4])
    assert PdfReader(io.BytesIO(pdfs[1].data)).trailer["/Root"]["/Lang"] == "fr"
    assert "Annexe : vos réponses" in pdf_text(pdfs[1].data)
    assert "Appendix: your answers" in pdf_text(pdfs[0].data)
    assert stored_language(any_app, token) == "en"


def test_the_plan_is_rendered_again_when_a_printed_setting_changes(
    app: Flask, renders: list[str]
) -> None:
    token = submitted(app)
    client = app.test_client()
    first = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert digest(fetch_pdf(client, f"/a/{token}/plan.pdf")) == digest(first)
    assert len(renders) == 1
    app.config["PEER_GROUP_MINIMUM"] = 7  # the plan names the minimum peer group
    text = "".join(pdf_text(fetch_pdf(client, f"/a/{token}/plan.pdf").data).split())
    assert "from7completedassessments" in text
    assert len(renders) == 2
    app.config["PEER_MEDIAN_SAMPLE"] = 50
    fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(renders) == 3
    app.config["SERVICE_LANGUAGE_FALLBACK"] = []  # services in the cluster's language
    fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(renders) == 4
    assert plans_stored(app) == 1


def french_catalogue(folder: Path, appendix: str | None = None) -> str:
    """A copy of the shipped translations; with ``appendix``, the French catalogue names
    the plan's appendix so (a translation update)."""
    shutil.copytree(TRANSLATIONS, folder)
    if appendix is not None:
        po = folder / "fr" / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as source:
            catalog = read_po(source, locale="fr")
        catalog["Appendix: your answers"].string = appendix
        with (folder / "fr" / "LC_MESSAGES" / "messages.mo").open("wb") as target:
            write_mo(target, catalog)
    return str(folder)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_new_translation_renders_the_plan_again(
    make_app: Callable[..., Flask], tmp_path: Path, database: str, renders: list[str]
) -> None:
    """Two releases on one database: the second ships an updated French catalogue."""
    before = make_app(database=database, TRANSLATIONS_DIR=french_catalogue(tmp_path / "old"))
    token = submitted(before)
    assert "Annexe : vos réponses" in pdf_text(
        fetch_pdf(before.test_client(), f"/fr/a/{token}/plan.pdf").data
    )
    with before.app_context():
        database_uri = str(db.engine.url.render_as_string(hide_password=False))
    after = make_app(
        SQLALCHEMY_DATABASE_URI=database_uri,
        TRANSLATIONS_DIR=french_catalogue(
            tmp_path / "new", appendix="Annexe : ce que vous avez dit"
        ),
    )
    english = fetch_pdf(after.test_client(), f"/en/a/{token}/plan.pdf")
    assert len(renders) == 2  # English was not cached yet
    french = fetch_pdf(after.test_client(), f"/fr/a/{token}/plan.pdf")
    assert len(renders) == 3
    assert "Annexe : ce que vous avez dit" in pdf_text(french.data)
    again = after.test_client()
    assert digest(fetch_pdf(again, f"/fr/a/{token}/plan.pdf")) == digest(french)
    assert digest(fetch_pdf(again, f"/en/a/{token}/plan.pdf")) == digest(english)
    assert len(renders) == 3  # the English catalogue did not change


def test_plan_downloads_are_limited_per_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, PLAN_PDF_RATE_LIMIT="2 per minute")
    token = submitted(app)
    client = app.test_client()
    # Each asks once: the first ask queues the render (303 to the page that follows it).
    statuses = [
        client.get(f"/{lang}/a/{token}/plan.pdf").status_code for lang in "en fr de".split()
    ]
    assert statuses == [303, 303, 429]
    elsewhere = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.get(f"/a/{token}/plan.pdf", environ_base=elsewhere).status_code == 303


def test_the_default_limit_lets_a_workshop_room_download(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    token = submitted(app)
    room = app.test_client()  # one address for everybody behind the venue's NAT
    # 120 downloads in a minute (the same plan, so that 119 come from the cache).
    statuses = {fetch_pdf(room, f"/a/{token}/plan.pdf").status_code for _ in range(120)}
    assert statuses == {200}


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_migration_makes_the_caches_per_language(
    make_app: Callable[..., Flask], database: str
) -> None:
    """Down to the schema before, with a cached plan stored in its one-per-assessment
    table, and up again: the old cache is dropped, the tables match the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    app = make_app(database=database)
    token = submitted(app)
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        assessment_id = service.find_assessment(token).id
        db.session.remove()
        downgrade(directory=directory, revision="62aabb7a8258")
        columns = {c["name"] for c in inspect(db.engine).get_columns("plan_document")}
        assert "language" not in columns
        assert not inspect(db.engine).has_table("workshop_document")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO plan_document (assessment_id, cache_key, pdf, created_at)"
                    " VALUES (:id, 'old', :pdf, CURRENT_TIMESTAMP)"
                ),
                {"id": assessment_id, "pdf": b"%PDF-old"},
            )
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
        assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 0
        assert db.session.scalar(select(func.count()).select_from(WorkshopDocument)) == 0
    assert fetch_pdf(app.test_client(), f"/a/{token}/plan.pdf").data.startswith(b"%PDF-1")


# The workshop summary (security review §5.4): cached on what it shows.


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_workshop_summary_is_rendered_once_per_state(
    make_app: Callable[..., Flask], database: str, renders: list[str]
) -> None:
    from tests.advisers.helpers import (
        create_workshop,
        join_and_finish,
        join_code_of,
        make_account,
        signed_in_client,
    )

    app = make_app(database=database, questionnaires=RELEASED_V2, WORKSHOP_GROUP_MINIMUM=1)
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    join_and_finish(app, code, company="First")
    url = f"/advisers/workshops/{public_id}/summary.pdf"
    first = fetch_pdf(adviser, url)
    assert first.status_code == 200
    assert first.mimetype == "application/pdf"
    assert digest(adviser.get(url)) == digest(first)
    assert len(renders) == 1  # the second download came from the cache
    colleague = signed_in_client(app, make_account(app, "bo@example.org"))
    assert digest(colleague.get(url)) == digest(first)  # shared by the cluster's advisers
    assert len(renders) == 1
    join_and_finish(app, code, company="Second")  # a new participant's submission
    assert adviser.get(url).status_code == 303  # the old summary is not served any more
    second = fetch_pdf(adviser, url)
    assert len(renders) == 2
    assert "1 participant joined" in pdf_text(first.data)
    assert "2 participants joined" in pdf_text(second.data)
    assert digest(adviser.get(url)) == digest(second)
    french = fetch_pdf(adviser, f"/fr{url}")
    assert len(renders) == 3  # another language, cached on its own
    assert digest(adviser.get(f"/fr{url}")) == digest(french)
    assert digest(adviser.get(f"/en{url}")) == digest(second)
    assert len(renders) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WorkshopDocument)) == 2


def test_the_advisers_copy_of_a_plan_is_limited_too(make_app: Callable[..., Flask]) -> None:
    from tests.advisers.helpers import (
        adviser_id_of,
        create_workshop,
        join_and_finish,
        join_code_of,
        make_account,
        signed_in_client,
    )
    from tests.conftest import RELEASED_V2

    app = make_app(
        questionnaires=RELEASED_V2, RATELIMIT_ENABLED=True, PLAN_PDF_RATE_LIMIT="2 per minute"
    )
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    code = join_code_of(adviser, create_workshop(adviser))
    public_id = adviser_id_of(app, join_and_finish(app, code, company="Shared Oy", share=True))
    url = f"/advisers/assessments/{public_id}/plan.pdf"
    assert adviser.get(url).status_code == 303  # queued
    app.extensions["assessor.jobs"].wait_until_idle()
    assert [adviser.get(url).status_code for _ in range(2)] == [200, 429]


def test_the_plan_is_rendered_again_for_a_new_logo_or_design(
    app: Flask, tmp_path: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cluster's logo (its catalogue version moves with it) and the PDF's templates,
    print stylesheet and presentation code are part of the key."""
    from assessor.services import cluster_admin, plans
    from tests.pdf.test_plan_pdf import submit_to_test_cluster

    client, token = submit_to_test_cluster(app, tmp_path)
    first = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(renders) == 1
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>'
    with app.app_context():
        cluster = service.find_assessment(token).cluster
        values = {
            "name": cluster.name,
            "description": cluster.description,
            "contact_name": cluster.contact_name,
            "contact_email": cluster.contact_email,
            "website": cluster.website,
            "colour": cluster.colour,
            "languages": cluster.languages,
            "default_language": cluster.default_language,
            "logo": (svg, "image/svg+xml"),
        }
        cluster_admin.update_profile(cluster, values)
    assert client.get(f"/a/{token}/plan.pdf").status_code == 303  # the old PDF is not served
    with_logo = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(renders) == 2
    assert digest(with_logo) != digest(first)

    # A template, the stylesheet or the presentation code changed (a new release).
    plans._design_fingerprint.cache_clear()
    monkeypatch.setattr(plans, "_design_fingerprint", lambda: "another release")
    fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(renders) == 3
    assert plans_stored(app) == 1


def test_two_workers_storing_the_same_plan_never_collide(any_app: Flask) -> None:
    """Two renders of one state (two app servers queued it, two workers took it): the
    second store overwrites the first with the same bytes, never fails."""
    from assessor.services import documents

    token = submitted(any_app)
    with any_app.app_context():
        assessment_id = service.find_assessment(token).id
        for _ in range(2):
            attempt = documents.start_render(PlanDocument, assessment_id, "en", "k1")
            assert attempt is not None
        documents.store_pdf(PlanDocument, assessment_id, "en", "k1", b"%PDF-first")
        documents.store_pdf(PlanDocument, assessment_id, "en", "k1", b"%PDF-second")
        row = db.session.scalar(select(PlanDocument))
        assert (row.cache_key, row.pdf, row.job_state) == ("k1", b"%PDF-second", None)
        # A third worker taking the same state afterwards finds it stored and renders nothing.
        assert documents.start_render(PlanDocument, assessment_id, "en", "k1") is None
        assert plans_stored(any_app) == 1


def test_peer_figures_are_a_snapshot_of_the_day(
    app: Flask, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every submission of a similar company changes the peer figures: a room submitting
    together must not have every plan rendered again for every other participant. The
    plan's comparison is renewed by the first download of a later day."""
    from datetime import timedelta

    from assessor.services import plans

    token = submitted(app, company="First")
    client = app.test_client()
    first = fetch_pdf(client, f"/a/{token}/plan.pdf")
    for n in range(6):  # enough similar companies for a comparison to appear
        submitted(app, company=f"Peer {n}")
    assert digest(client.get(f"/a/{token}/plan.pdf")) == digest(first)  # the same day
    assert len(renders) == 1
    real_utcnow = plans.utcnow
    monkeypatch.setattr(plans, "utcnow", lambda: real_utcnow() + timedelta(days=1))
    assert client.get(f"/a/{token}/plan.pdf").status_code == 303  # renewed the next day
    renewed = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(renders) == 2
    assert "Not enough similar companies yet" in pdf_text(first.data)
    assert "Not enough similar companies yet" not in pdf_text(renewed.data)
