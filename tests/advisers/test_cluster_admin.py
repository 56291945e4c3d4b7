"""The cluster administrator: services edited in the browser, exported, and advisers invited."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from assessor.domain.cluster_files import load_cluster_file
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Role
from tests.advisers.helpers import (
    accept_invitation,
    make_account,
    sign_in,
    signed_in_client,
)
from tests.web.helpers import csrf_from


@pytest.fixture
def app(shipped_app: Flask) -> Flask:
    """The current questionnaires: a catalogue's topics are checked against their actions."""
    return shipped_app


@pytest.fixture
def admin(app: Flask):
    return signed_in_client(app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN))


def service_form(client, page_url: str, **fields) -> dict:
    page = client.get(page_url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "id": "cold-chain-clinic",
        "category": "process",
        "title_fi": "Kylmäketjuklinikka",
        "title_en": "Cold-chain clinic",
        "description_fi": "Puolen päivän käynti.",
        "description_en": "A half-day visit to your cold store.",
        "topics": ["energy", "process-kpi"],
        "levels": ["beginner"],
        "contact_name": "Kaisa Kylmä",
        "contact_email": "kaisa@baltic-freight.example",
        "url": "https://baltic-freight.example/cold",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def keys_of(app: Flask) -> list[str]:
    with app.app_context():
        return [s.key for s in cluster_by_slug("example-baltic-freight").services]


def test_a_new_service_is_checked_like_the_catalogue_file_and_saved(app: Flask, admin) -> None:
    before = keys_of(app)
    with app.app_context():
        version = cluster_by_slug("example-baltic-freight").catalogue_version
    bad = admin.post(
        "/advisers/cluster/services/new",
        data=service_form(
            admin,
            "/advisers/cluster/services/new",
            id="",
            topics=None,
            contact_email="not an address",
            **{"url": "http://plain.example"},
            title_fi="",
            title_en="",
        ),
    )
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    for message in [
        "Give the service a short id",
        "Choose at least one topic",
        "Enter an e-mail address such as name@example.org.",
        "Enter an address that starts with https://",
        "Write this at least in Suomi, the cluster&#39;s default language, or in English.",
    ]:
        assert message in html
    assert keys_of(app) == before  # nothing saved

    # A value the form never offers still meets the catalogue's own check.
    sneaky = admin.post(
        "/advisers/cluster/services/new",
        data=service_form(admin, "/advisers/cluster/services/new", topics=["eco-drivng"]),
    )
    assert sneaky.status_code == 400
    assert "&#39;eco-drivng&#39; is a topic no questionnaire action uses" in sneaky.get_data(
        as_text=True
    )
    assert keys_of(app) == before

    saved = admin.post(
        "/advisers/cluster/services/new", data=service_form(admin, "/advisers/cluster/services/new")
    )
    assert saved.status_code == 302
    assert keys_of(app) == [*before, "cold-chain-clinic"]
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        assert cluster.catalogue_version == version + 1  # cached plans are redone
        row = cluster.services[-1]
        assert row.title == {"fi": "Kylmäketjuklinikka", "en": "Cold-chain clinic"}
        assert row.levels == ["beginner"]

    twin = admin.post(
        "/advisers/cluster/services/new", data=service_form(admin, "/advisers/cluster/services/new")
    )
    assert twin.status_code == 400
    assert "Another service of the cluster has this id." in twin.get_data(as_text=True)


def test_editing_deleting_and_exporting_the_catalogue(app: Flask, admin, tmp_path: Path) -> None:
    first = keys_of(app)[0]
    url = f"/advisers/cluster/services/{first}"
    edited = admin.post(url, data=service_form(admin, url, id=first, title_en="Renamed in English"))
    assert edited.status_code == 302
    page = admin.get("/advisers/cluster/services").get_data(as_text=True)
    delete = admin.post(
        f"/advisers/cluster/services/{keys_of(app)[1]}/delete", data={"csrf_token": csrf_from(page)}
    )
    assert delete.status_code == 302
    assert admin.get("/advisers/cluster/services/no-such-service").status_code == 404

    archive = zipfile.ZipFile(io.BytesIO(admin.get("/advisers/cluster/catalogue.zip").data))
    assert set(archive.namelist()) == {
        "example-baltic-freight.yaml",
        "logos/example-baltic-freight.svg",
    }
    archive.extractall(tmp_path)
    exported = load_cluster_file(tmp_path / "example-baltic-freight.yaml")
    assert exported.errors == ()
    assert [s.id for s in exported.cluster.services] == keys_of(app)
    assert exported.cluster.services[0].title.texts["en"] == "Renamed in English"
    reimported = app.test_cli_runner().invoke(
        args=["clusters", "import", str(tmp_path / "example-baltic-freight.yaml")]
    )
    assert reimported.exit_code == 0, reimported.output


def test_inviting_and_disabling_an_adviser(app: Flask, admin) -> None:
    page = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    bad = admin.post(
        "/advisers/cluster/advisers", data={"csrf_token": csrf_from(page), "email": "nope"}
    )
    assert bad.status_code == 400
    invited = admin.post(
        "/advisers/cluster/advisers",
        data={"csrf_token": csrf_from(page), "email": "new@example.org", "role": "adviser"},
    ).get_data(as_text=True)
    link = re.search(r'id="invitation-link" type="text" readonly value="([^"]+)"', invited).group(1)
    path = link.split("localhost", 1)[-1].split("assessor.test", 1)[-1]
    newcomer = app.test_client()
    created = accept_invitation(newcomer, path, "Newt")
    assert created.status_code == 302
    listing = admin.get("/advisers/cluster/advisers").get_data(as_text=True)
    assert "new@example.org" in listing
    public_id = re.search(r'/advisers/cluster/advisers/([^/"]+)/active', listing).group(1)
    admin.post(
        f"/advisers/cluster/advisers/{public_id}/active",
        data={"csrf_token": csrf_from(listing), "active": "no"},
    )
    assert newcomer.get("/advisers/").status_code == 302  # signed out at once
    assert sign_in(app.test_client(), "new@example.org").status_code == 400


def test_advisers_cannot_use_the_administrator_pages(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    for url in (
        "/advisers/cluster/services",
        "/advisers/cluster/services/new",
        "/advisers/cluster/advisers",
        "/advisers/cluster/catalogue.zip",
    ):
        assert adviser.get(url).status_code == 403, url


def test_the_profile_is_edited_with_checks(app: Flask, admin) -> None:
    page = admin.get("/advisers/cluster/profile").get_data(as_text=True)
    fields = {
        "csrf_token": csrf_from(page),
        "name": "Baltic Freight Cluster (example)",
        "contact_name": "Example Adviser",
        "contact_email": "adviser@baltic-freight.example",
        "website": "https://baltic-freight.example",
        "colour": "#123456",
        "languages": ["fi", "en", "ru"],
        "default_language": "fi",
    }
    bad = admin.post(
        "/advisers/cluster/profile",
        data={**fields, "colour": "blue", "website": "http://x.example", "default_language": "de"},
    )
    assert bad.status_code == 400
    for message in [
        "Enter a colour such as #0b5d4b.",
        "Enter an address that starts with https://",
        "The default language must be one of the chosen ones.",
    ]:
        assert message in bad.get_data(as_text=True)
    with app.app_context():
        assert cluster_by_slug("example-baltic-freight").colour != "#123456"
    saved = admin.post("/advisers/cluster/profile", data=fields)
    assert saved.status_code == 302
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        assert cluster.colour == "#123456"
        assert cluster.languages == ["fi", "en"]  # "ru" is not a language assessor speaks


def _profile_fields(admin) -> dict:
    with admin.application.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        languages, default = list(cluster.languages), cluster.default_language
    page = admin.get("/advisers/cluster/profile").get_data(as_text=True)
    return {
        "csrf_token": csrf_from(page),
        "name": "Baltic Freight Cluster (example)",
        "colour": "#0b4f6c",
        "languages": languages,
        "default_language": default,
    }


def _logo_of(app: Flask) -> tuple[bytes | None, str | None]:
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        return cluster.logo, cluster.logo_type


def test_the_logo_is_uploaded_checked_and_removed_in_the_browser(app: Flask, admin) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "#aa3300").save(buffer, "PNG")
    new_logo = buffer.getvalue()
    before = _logo_of(app)
    assert before[1] == "image/svg+xml"  # the example's own logo

    scripted = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, content in [("logo.svg", scripted), ("logo.png", b"not a picture at all")]:
        refused = admin.post(
            "/advisers/cluster/profile",
            data={**_profile_fields(admin), "logo": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert refused.status_code == 400
        assert "Choose a PNG or SVG image of at most 200 KB" in refused.get_data(as_text=True)
        assert _logo_of(app) == before  # nothing changed

    kept = admin.post(
        "/advisers/cluster/profile",
        data={**_profile_fields(admin), "logo": (io.BytesIO(b""), "")},  # no file chosen
        content_type="multipart/form-data",
    )
    assert kept.status_code == 302
    assert _logo_of(app) == before

    saved = admin.post(
        "/advisers/cluster/profile",
        data={**_profile_fields(admin), "logo": (io.BytesIO(new_logo), "new-logo.png")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    assert _logo_of(app) == (new_logo, "image/png")
    page = admin.get("/advisers/cluster/profile").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page  # the current logo is shown
    archive = zipfile.ZipFile(io.BytesIO(admin.get("/advisers/cluster/catalogue.zip").data))
    assert archive.read("logos/example-baltic-freight.png") == new_logo  # and exported

    removed = admin.post(
        "/advisers/cluster/profile",
        data={**_profile_fields(admin), "remove_logo": "yes"},
        content_type="multipart/form-data",
    )
    assert removed.status_code == 302
    assert _logo_of(app) == (None, None)


def test_a_language_of_the_catalogue_file_beyond_the_sites_is_kept(app: Flask, admin) -> None:
    """A cluster writing its services in Ukrainian too (for its drivers) keeps it when the
    profile is saved; unticking it removes it."""
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        cluster.languages = ["fi", "en", "uk"]
        db.session.commit()
    page = admin.get("/advisers/cluster/profile").get_data(as_text=True)
    assert 'id="language-uk" name="languages" value="uk" checked' in page
    assert ">Ukrainian</label>" in page
    fields = _profile_fields(admin)
    assert admin.post("/advisers/cluster/profile", data=fields).status_code == 302
    with app.app_context():
        assert cluster_by_slug("example-baltic-freight").languages == ["fi", "en", "uk"]
    fields["languages"] = ["fi", "en", "xx-not a code"]
    assert admin.post("/advisers/cluster/profile", data=fields).status_code == 302
    with app.app_context():
        assert cluster_by_slug("example-baltic-freight").languages == ["fi", "en"]


def test_a_language_babel_does_not_know_is_named_by_its_code(app: Flask, admin) -> None:
    with app.app_context():
        cluster = cluster_by_slug("example-baltic-freight")
        cluster.languages = ["fi", "en", "rom", "pt-BR"]  # Romani: no CLDR data
        db.session.commit()
    response = admin.get("/advisers/cluster/profile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'lang="rom">rom</label>' in page
    assert 'lang="pt-BR">Portuguese (Brazil)</label>' in page
