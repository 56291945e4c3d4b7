"""The translation page: who may translate, saving with checks, .po files both ways."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from babel.messages.pofile import read_po, write_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessor.services.clusters import cluster_by_slug
from assessor.services.questionnaires import scope as questionnaire_scope
from assessor.storage.db import db
from assessor.storage.models import QuestionnaireTranslation, Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.languages.conftest import DUTCH
from tests.web.helpers import csrf_from

PAGE = "/advisers/cluster/questionnaires/cold-chain/translations/nl"
QUESTION = "cold-chain:questions/logs/text"


@pytest.fixture
def platform_admin(languages_app: Flask) -> FlaskClient:
    account = make_account(languages_app, "root@example.org", None, Role.PLATFORM_ADMIN)
    return signed_in_client(languages_app, account)


def stored_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuestionnaireTranslation))


def untranslated_count(html: str) -> int:
    match = re.search(r'id="untranslated-count">(\d+) of 11 texts', html)
    assert match, html[:3000]
    return int(match.group(1))


def test_save_in_the_browser_with_checks(languages_app: Flask, platform_admin) -> None:
    overview = platform_admin.get("/advisers/cluster/questionnaires/translations")
    assert "11 texts untranslated" in overview.get_data(as_text=True)
    html = platform_admin.get(PAGE).get_data(as_text=True)
    assert untranslated_count(html) == 11
    assert "Text of a choice question logs" in html  # where the text appears
    content = re.search(r'name="content" value="([0-9a-f]+)"', html).group(1)
    form = {"csrf_token": csrf_from(html), "content": content}

    # A placeholder the English text does not have, a text far too long: nothing saved.
    refused = platform_admin.post(
        PAGE,
        data={
            **form,
            QUESTION: "Hoe registreert u %(temperatuur)s?",
            "cold-chain:title": "K" * 5001,
            "cold-chain:sections/trucks/title": DUTCH["cold-chain:sections/trucks/title"],
        },
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "The English text has no placeholder: remove %(temperatuur)s." in page
    assert "Please keep the translation under 5000 characters (it has 5001)." in page
    assert 'href="#text-' in page  # the summary links to the field
    assert stored_count(languages_app) == 0

    saved = platform_admin.post(
        PAGE, data={**form, QUESTION: DUTCH[QUESTION], "cold-chain:title": " Koelketencheck "}
    )
    assert saved.status_code == 302
    html = platform_admin.get(PAGE).get_data(as_text=True)
    assert "Saved: 2 translations changed." in html
    assert untranslated_count(html) == 9
    assert "Koelketencheck</textarea>" in html
    # Untranslated texts come first: the title, now translated, is after them.
    assert html.index(DUTCH[QUESTION]) > html.index("Your refrigerated trucks")

    # A form from before the questionnaire changed saves nothing.
    stale = platform_admin.post(PAGE, data={**form, "content": "0" * 64, QUESTION: "Anders"})
    assert stale.status_code == 400
    assert "The questionnaire changed while you were translating" in stale.get_data(as_text=True)
    # Emptying a field removes the entry: the text is untranslated again.
    assert platform_admin.post(PAGE, data={**form, QUESTION: ""}).status_code == 302
    assert untranslated_count(platform_admin.get(PAGE).get_data(as_text=True)) == 10
    assert stored_count(languages_app) == 1


def test_po_files_both_ways(languages_app: Flask, platform_admin) -> None:
    exported = platform_admin.get(f"{PAGE}/download")
    assert exported.status_code == 200
    assert 'filename="cold-chain-nl.po"' in exported.headers["Content-Disposition"]
    catalog = read_po(io.BytesIO(exported.data))
    assert len([m for m in catalog if m.id]) == 11
    assert (
        "Text of a choice question logs"
        in catalog.get(
            "How do you log the temperature in your trailers?", context=QUESTION
        ).auto_comments[0]
    )
    template = platform_admin.get(
        "/advisers/cluster/questionnaires/cold-chain/translations/template"
    )
    assert template.status_code == 200
    assert 'filename="cold-chain.pot"' in template.headers["Content-Disposition"]

    html = platform_admin.get(PAGE).get_data(as_text=True)

    def upload(data: bytes):
        return platform_admin.post(
            f"{PAGE}/upload",
            data={"csrf_token": csrf_from(html), "po_file": (io.BytesIO(data), "nl.po")},
            content_type="multipart/form-data",
        )

    def po(catalog) -> bytes:
        buffer = io.BytesIO()
        write_po(buffer, catalog)
        return buffer.getvalue()

    refused = upload(b"this is not a po file \x00\xff")
    assert refused.status_code == 400
    assert "This is not a readable .po file" in refused.get_data(as_text=True)
    # A header naming a character set nobody knows, and a NUL inside a real catalog: a
    # message, never a 500 (PostgreSQL stores no NUL).
    unknown = po(catalog).replace(b"charset=utf-8", b"charset=rot13")
    for data in (unknown, po(catalog).replace(b'msgstr ""', b'msgstr "\x00"', 2)):
        refused = upload(data)
        assert refused.status_code == 400
        assert "This is not a readable .po file" in refused.get_data(as_text=True)

    for message in catalog:
        if message.id:
            message.string = DUTCH[message.context]
    catalog.get("Temperature logging", context="cold-chain:themes/logging/label").flags.add("fuzzy")
    catalog.add("Delete my assessment", "Verwijderen")  # not a text of the questionnaire
    refused = upload(po(catalog))
    assert refused.status_code == 400
    assert "1 message of the file is not a text of this questionnaire" in refused.get_data(
        as_text=True
    )
    assert stored_count(languages_app) == 0

    catalog.delete("Delete my assessment")
    accepted = upload(po(catalog))
    assert accepted.status_code == 302
    html = platform_admin.get(PAGE).get_data(as_text=True)
    assert "The file is read: 10 translations changed." in html
    assert untranslated_count(html) == 1  # the fuzzy one is left for a translator to check

    catalog.locale = "fr"
    refused = upload(po(catalog))
    assert refused.status_code == 400
    assert "The file is a translation into fr, not into nl." in refused.get_data(as_text=True)


def test_who_may_translate(
    languages_app: Flask, platform_admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert platform_admin.get(PAGE).status_code == 200
    assert platform_admin.get(PAGE.replace("/nl", "/fr")).status_code == 404  # not declared
    assert platform_admin.get(PAGE.replace("/nl", "/en")).status_code == 404  # its own
    assert platform_admin.get(PAGE.replace("cold-chain", "nothing")).status_code == 404

    admin = make_account(
        languages_app, "admin@rhine.example", "example-rhine-scheldt", Role.CLUSTER_ADMIN
    )
    other = make_account(
        languages_app, "admin@baltic.example", "example-baltic-freight", Role.CLUSTER_ADMIN
    )
    adviser = make_account(languages_app, "adviser@rhine.example", "example-rhine-scheldt")
    rhine = signed_in_client(languages_app, admin)
    baltic = signed_in_client(languages_app, other)
    assert rhine.get(PAGE).status_code == 404  # a platform-wide questionnaire
    assert "cold-chain" not in rhine.get("/advisers/cluster/questionnaires/translations").get_data(
        as_text=True
    )
    assert signed_in_client(languages_app, adviser).get(PAGE).status_code == 403

    with languages_app.app_context():
        rhine_id = cluster_by_slug("example-rhine-scheldt").id
    monkeypatch.setattr(questionnaire_scope, "owner_cluster_id", lambda _: rhine_id)
    assert rhine.get(PAGE).status_code == 200  # the cluster's own
    assert baltic.get(PAGE).status_code == 404
    assert platform_admin.get(PAGE).status_code == 404


def test_two_administrators_saving_the_same_text_at_once(
    languages_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessor.services.assessments import catalogue
    from assessor.services.questionnaires import translations as translations
    from assessor.storage.models import utcnow

    def the_other_saves_first():  # between this save's reading and its writing
        with db.engine.begin() as connection:
            connection.execute(
                QuestionnaireTranslation.__table__.insert().values(
                    questionnaire_id="cold-chain",
                    language="nl",
                    context=QUESTION,
                    source_text="How do you log the temperature in your trailers?",
                    source_sha256=hashlib.sha256(
                        b"How do you log the temperature in your trailers?"
                    ).hexdigest(),
                    text="Van de ander",
                    updated_at=utcnow(),
                )
            )
        monkeypatch.setattr(translations, "utcnow", utcnow)
        return utcnow()

    with languages_app.test_request_context("/"):
        monkeypatch.setattr(translations, "utcnow", the_other_saves_first)
        with pytest.raises(translations.TranslationProblem, match="at the same time"):
            translations.save_translations(
                catalogue().get("cold-chain"), "nl", {QUESTION: DUTCH[QUESTION]}, None
            )
        assert db.session.scalar(select(QuestionnaireTranslation.text)) == "Van de ander"
