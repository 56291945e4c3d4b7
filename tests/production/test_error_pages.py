"""Error pages: in the visitor's language, and nothing internal on them."""

from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from tests.advisers.helpers import make_account, signed_in_client
from tests.conftest import PROJECT_ROOT


def german(text: str) -> str:
    catalog = read_po(
        io.BytesIO((PROJECT_ROOT / "translations/de/LC_MESSAGES/messages.po").read_bytes())
    )
    return catalog.get(text).string


def test_400_403_and_404_speak_german(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    expired = client.post("/de/start", data={"questionnaire": "quick-check"})  # no form token
    assert expired.status_code == 400
    assert german("The form has expired") in expired.get_data(as_text=True)
    missing = client.get("/de/nowhere")
    assert missing.status_code == 404
    assert german("Page not found") in missing.get_data(as_text=True)
    adviser = signed_in_client(shipped_app, make_account(shipped_app, "ada@example.org"))
    forbidden = adviser.get("/de/advisers/platform")
    assert forbidden.status_code == 403
    assert german("You are not allowed to open this page.") in forbidden.get_data(as_text=True)


def test_a_500_says_sorry_in_the_visitor_language_and_nothing_more(make_app) -> None:
    app = make_app(TESTING=False)

    def broken() -> str:
        raise RuntimeError("secret internals: password=hunter2 at /srv/assessor/db.py")

    app.view_functions["public.privacy"] = broken
    response = app.test_client().get("/fr/privacy")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "hunter2" not in html
    assert "Traceback" not in html
    assert "RuntimeError" not in html


@pytest.mark.parametrize("path", ["/a/x/section/%ff", "/%ff%fe", "/advisers/workshops/%00"])
def test_broken_encodings_in_paths_are_client_errors(client, path: str) -> None:
    assert 400 <= client.get(path).status_code < 500
