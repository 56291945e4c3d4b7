"""The PDF plan: its text and metadata read back, its cache, and what it may fetch."""

from __future__ import annotations

import http.server
import io
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

import assessor.pdf.render as render_module
from assessor.domain.cluster_files import load_cluster_file
from assessor.paths import STATIC_DIR
from assessor.pdf.render import render_pdf
from assessor.services.cluster_catalogues import import_clusters
from assessor.storage.db import db
from assessor.storage.models import PlanDocument
from tests.conftest import fetch_pdf
from tests.web.helpers import csrf_from, post_form, start

CLUSTER = """\
slug: test-cluster
name: Test Logistics Cluster
country: BE
languages: [en, fr]
default_language: en
colour: "#1d3f8f"
contact: {name: Ada Adviser, email: ada@test-cluster.example}
services:
  - id: fuel-data-clinic
    category: process
    title: {en: Fuel data clinic, fr: Clinique des données carburant}
    description: {en: Half a day to collect your fuel and energy data., fr: Une demi-journée.}
    topics: [energy-data]
    levels: [beginner, developing]
    contact: {name: Frida Fuel, email: frida@test-cluster.example}
    url: https://test-cluster.example/fuel
"""


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def plan_text(app: Flask, prefix: str = "") -> str:
    """The PDF plan of a freshly submitted warehouse, its lines joined, spaces collapsed."""
    client = app.test_client()
    token = start(client)
    submit_warehouse(client, token, company="Acme")
    response = fetch_pdf(client, f"{prefix}/a/{token}/plan.pdf")
    assert response.status_code == 200
    return " ".join(pdf_text(response.data).split())


def submit_to_test_cluster(app: Flask, tmp_path: Path) -> tuple[FlaskClient, str]:
    """Import the test cluster and submit an assessment of it; returns (client, token)."""
    catalogue = tmp_path / "test-cluster.yaml"
    catalogue.write_text(CLUSTER, encoding="utf-8")
    with app.app_context():
        load = load_cluster_file(catalogue)
        assert load.errors == ()
        import_clusters([load.cluster])
    client = app.test_client()
    token = start(client, cluster="test-cluster", company="Acme Freight")
    submit_warehouse(client, token, company="Acme")
    return client, token


def submit_warehouse(client: FlaskClient, token: str, company: str) -> None:
    """Answer every-type.yaml as a warehouse without fleet, and submit."""
    post_form(
        client, f"/a/{token}/section/profile", {"activities": ["warehouse"], "company": company}
    )
    post_form(
        client,
        f"/a/{token}/section/data-section",
        {"fuel": "no", "tools": ["tms"], "budget": ["b"]},
    )
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    client.post(f"/a/{token}/submit", data={"csrf_token": csrf})


@pytest.fixture
def submitted(make_app, tmp_path: Path) -> Iterator[tuple[FlaskClient, str]]:
    """The test cluster is the only one: no example catalogues, no network catalogue.
    The tests run inside the app's context (they read the PDF cache)."""
    empty = tmp_path / "no-clusters"
    empty.mkdir()
    app = make_app(CLUSTERS_DIR=str(empty))
    submission = submit_to_test_cluster(app, tmp_path)
    with app.app_context():
        yield submission


def test_the_plan_pdf_says_what_matters(submitted) -> None:
    client, token = submitted
    response = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="action-plan-')
    text = pdf_text(response.data)
    for expected in [
        "Acme Freight",
        "Green",
        "Digital",
        "Measure fuel",
        "Go digital",
        "Fuel data clinic",
        "Frida Fuel",
        "frida@test-cluster.example",  # matched service and its contact
        "Test Logistics Cluster",
        "Appendix: your answers",
        "Page 2 of",
    ]:
        assert expected in text, expected
    assert "Ask your cluster (ada@test-cluster.example)" in text  # go-digital: no service anywhere


def test_the_network_catalogue_fills_the_gaps_of_the_cluster(app: Flask, tmp_path: Path) -> None:
    """With the shipped network catalogue loaded, go-digital gets the network's service."""
    client, token = submit_to_test_cluster(app, tmp_path)
    text = pdf_text(fetch_pdf(client, f"/a/{token}/plan.pdf").data)
    assert "Fuel data clinic" in text  # the cluster's own service still comes first
    assert "European Logistics Cluster Network (example)" in text  # the provider is named
    assert "Ask your cluster (ada@test-cluster.example)" not in text


def test_the_pdf_metadata(submitted) -> None:
    client, token = submitted
    reader = PdfReader(io.BytesIO(fetch_pdf(client, f"/a/{token}/plan.pdf").data))
    assert reader.metadata.title == "Action plan for Acme Freight — Every type"
    assert reader.metadata.creation_date.date() == date.today()  # from the ISO date, any language
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged for accessibility
    assert "/StructTreeRoot" in root
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_a_repeated_download_is_served_from_the_cache(submitted, monkeypatch) -> None:
    client, token = submitted
    first = fetch_pdf(client, f"/a/{token}/plan.pdf").data
    calls: list[str] = []

    original = render_module.render_pdf

    def counting(html: str, static_dir: Path):
        calls.append(html)
        return original(html, static_dir)

    monkeypatch.setattr(render_module, "render_pdf", counting)
    assert fetch_pdf(client, f"/a/{token}/plan.pdf").data == first
    assert calls == []
    assert db.session.query(PlanDocument).count() == 1
    # a new catalogue version changes what the plan shows: it is rendered again
    from assessor.services.clusters import cluster_by_slug

    cluster = cluster_by_slug("test-cluster")
    cluster.catalogue_version += 1
    db.session.commit()
    fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert len(calls) == 1
    assert db.session.query(PlanDocument).count() == 1


class TrapHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        TrapHandler.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def trap_server():
    TrapHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), TrapHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_names_and_answers_are_text_and_nothing_is_fetched(app: Flask, trap_server: str) -> None:
    hostile = (
        f'<img src="{trap_server}/company"> file:///etc/passwd <b>bold</b> & <script>x</script>'
    )
    answer = (
        f'<img src="http://127.0.0.1:9/x"> <link rel="stylesheet" href="{trap_server}/answer">'
        '<img src="file:///etc/passwd">'
    )
    with app.app_context():
        client = app.test_client()
        token = start(client, company=hostile[:200])
        submit_warehouse(client, token, company=answer)
        response = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    # Where a line wraps depends on the column widths: compare with whitespace removed.
    text = "".join(pdf_text(response.data).split())
    assert TrapHandler.hits == []
    for literal in [
        f'<img src="{trap_server}/company">',
        "file:///etc/passwd",
        "<b>bold</b> & <script>x</script>",
        '<img src="http://127.0.0.1:9/x">',  # the free-text answer, in the appendix
        '<img src="file:///etc/passwd">',
    ]:
        assert "".join(literal.split()) in text, literal
    assert "root:x:0:0" not in text


def test_the_fetcher_refuses_everything_but_static_files_and_data(
    trap_server: str, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.css"
    outside.write_text("body { color: red }", encoding="utf-8")
    html = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{trap_server}/style.css">
      <link rel="stylesheet" href="{outside.as_uri()}">
      <link rel="stylesheet" href="css/print.css">
      <link rel="stylesheet" href="../pyproject.toml">
      </head><body><img src="{trap_server}/img.png"><img src="file:///etc/passwd">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E">
      <p>Hello</p></body></html>"""
    rendered = render_pdf(html, STATIC_DIR)
    assert TrapHandler.hits == []
    refused = set(rendered.refused)
    assert f"{trap_server}/style.css" in refused
    assert f"{trap_server}/img.png" in refused
    assert outside.as_uri() in refused
    assert "file:///etc/passwd" in refused
    assert any(url.endswith("/pyproject.toml") for url in refused)  # outside static/
    assert not any(url.endswith("css/print.css") or url.startswith("data:") for url in refused)
    assert "Hello" in pdf_text(rendered.data)
