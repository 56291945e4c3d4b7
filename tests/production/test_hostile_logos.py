"""Hostile SVG logos on the web and in the PDF plan (security review M2).

The review's <use> bomb (9 levels of 10 <use>) made WeasyPrint run for minutes on every
plan of the cluster. These tests never wait for a render to prove anything: they check
what reaches the plan's template, and fail as soon as a logo there would draw more than
the cap (so on a checker that lets the bomb through they fail at once, not after minutes).
"""

from __future__ import annotations

import base64
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from assessor.domain.logos import LOGO_MAX_DRAWN, clean_logo, svg_drawing_cost
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.conftest import fetch_pdf
from tests.pdf.test_plan_pdf import submit_to_test_cluster
from tests.web.helpers import csrf_from

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
CLUSTER = "example-baltic-freight"


def use_bomb() -> bytes:
    """The review's payload: 9 levels, each a <g> of 10 <use> of the level below."""
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, 10):
        groups.append(f'<g id="l{level}">' + f'<use xlink:href="#l{level - 1}"/>' * 10 + "</g>")
    return (
        f'<svg xmlns="{SVG}" xmlns:xlink="{XLINK}" viewBox="0 0 10 10"><defs>'
        + "".join(groups)
        + '</defs><use xlink:href="#l9"/></svg>'
    ).encode()


PLAIN_LOGO = (
    f'<?xml version="1.0"?><!-- exported by hand --><svg xmlns="{SVG}" viewBox="0 0 20 10" '
    'data-name="logo"><metadata>made for the test</metadata>'
    '<defs><path id="leaf" d="M0 5 C2 0 8 0 10 5 C8 10 2 10 0 5 Z"/></defs>'
    '<use href="#leaf" fill="#0b5d4b"/><use href="#leaf" x="10" fill="#3fa34d"/></svg>'
).encode()


@pytest.fixture
def admin(any_app: Flask) -> FlaskClient:
    account = make_account(any_app, "chief@example.org", CLUSTER, role=Role.CLUSTER_ADMIN)
    return signed_in_client(any_app, account)


def _stored_logo(app: Flask) -> tuple[bytes | None, str | None]:
    with app.app_context():
        cluster = cluster_by_slug(CLUSTER)
        return cluster.logo, cluster.logo_type


def _upload(admin: FlaskClient, content: bytes, name: str = "logo.svg"):
    page = admin.get("/advisers/cluster/profile").get_data(as_text=True)
    with admin.application.app_context():
        cluster = cluster_by_slug(CLUSTER)
        languages, default = list(cluster.languages), cluster.default_language
    return admin.post(
        "/advisers/cluster/profile",
        data={
            "csrf_token": csrf_from(page),
            "name": "Baltic Freight Cluster (example)",
            "colour": "#0b4f6c",
            "languages": languages,
            "default_language": default,
            "logo": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_an_uploaded_use_bomb_gets_a_message_next_to_the_logo_field(any_app, admin) -> None:
    before = _stored_logo(any_app)
    response = _upload(admin, use_bomb())
    assert response.status_code == 400
    error = re.search(r'<p class="error-message" id="logo-error">([^<]*)</p>', response.text)
    assert error, response.text[:2000]
    assert "Choose a PNG or SVG image of at most 200 KB" in error.group(1)
    assert "too complex to draw quickly: more than 20000" in error.group(1)
    assert _stored_logo(any_app) == before  # nothing stored


def test_an_accepted_upload_is_stored_as_rebuilt_not_as_sent(any_app, admin) -> None:
    response = _upload(admin, PLAIN_LOGO)
    assert response.status_code == 302, response.text[:2000]
    stored, kind = _stored_logo(any_app)
    assert kind == "image/svg+xml"
    assert stored != PLAIN_LOGO
    assert stored == clean_logo(PLAIN_LOGO, kind)
    for gone in (b"exported by hand", b"data-name", b"made for the test", b"<?xml"):
        assert gone not in stored
    assert stored.count(b'xlink:href="#leaf"') == 2  # the drawing itself is all there
    page = admin.get("/advisers/cluster/profile").get_data(as_text=True)
    assert f'src="data:image/svg+xml;base64,{base64.b64encode(stored).decode()}"' in page


@contextmanager
def logos_reaching_the_plan(app: Flask) -> Iterator[list[bytes | None]]:
    """The logo each rendered plan's template received; fails before WeasyPrint would
    start on a logo that is more work to draw than the cap."""
    seen: list[bytes | None] = []

    def record(sender: Flask, template, context, **extra) -> None:
        if template.name != "pdf/plan.html":
            return
        brand = context["doc"].brand
        url = brand.logo_data_url if brand else None
        logo = base64.b64decode(url.split(",", 1)[1]) if url else None
        # Whatever type the URL declares: WeasyPrint sniffs SVG in a data: URL of any type.
        if logo is not None and not logo.startswith(b"\x89PNG"):
            try:
                svg_drawing_cost(logo, limit=LOGO_MAX_DRAWN)
            except ValueError as exc:  # too costly, a cycle, a DTD
                raise AssertionError(f"a logo that {exc} reached the plan") from None
        seen.append(logo)

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def _store_directly(app: Flask, slug: str, logo: bytes, kind: str) -> None:
    """As an old row (or a restored backup) has it: no form, no check."""
    with app.app_context():
        cluster = cluster_by_slug(slug)
        cluster.logo, cluster.logo_type = logo, kind
        cluster.catalogue_version += 1  # what a profile change does: cached plans are stale
        db.session.commit()


@pytest.mark.parametrize(
    ("logo", "kind"),
    [
        (use_bomb(), "image/svg+xml"),
        (f'<svg xmlns="{SVG}"><g id="a"><use href="#a"/></g></svg>'.encode(), "image/svg+xml"),
        (use_bomb(), "text/html"),
    ],
    ids=["use-bomb", "self-reference", "unknown-type"],
)
def test_a_hostile_logo_already_in_the_database_stays_out_of_the_plan(
    any_app: Flask, tmp_path: Path, caplog: pytest.LogCaptureFixture, logo: bytes, kind: str
) -> None:
    client, token = submit_to_test_cluster(any_app, tmp_path)
    _store_directly(any_app, "test-cluster", logo, kind)
    with logos_reaching_the_plan(any_app) as seen, caplog.at_level(logging.WARNING):
        response = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert seen == [None]  # rendered once, without the logo
    assert "cluster test-cluster: stored logo left out" in caplog.text


def test_a_sound_logo_already_in_the_database_reaches_the_plan_cleaned(
    any_app: Flask, tmp_path: Path
) -> None:
    client, token = submit_to_test_cluster(any_app, tmp_path)
    _store_directly(any_app, "test-cluster", PLAIN_LOGO, "image/svg+xml")
    with logos_reaching_the_plan(any_app) as seen:
        response = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert response.status_code == 200
    assert seen == [clean_logo(PLAIN_LOGO, "image/svg+xml")]
    assert b"exported by hand" not in seen[0]  # rebuilt on the way out, not stored bytes
    assert svg_drawing_cost(seen[0]) < 20  # two uses of one path: a handful of elements
