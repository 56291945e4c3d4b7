"""Which language a questionnaire is shown in: one it is offered in, whole, with a notice."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from flask import Flask

from assessor.services.assessments import catalogue
from assessor.services.questionnaires import translations as translations
from assessor.services.questionnaires.translated import localise, questionnaire_language
from tests.conftest import collected_log
from tests.languages.conftest import DUTCH
from tests.web.helpers import csrf_from, post_form, start

NOTICE = re.compile(r'<p class="notice questionnaire-language"[^>]*>([^<]*)</p>')
ENGLISH_QUESTION = "How do you log the temperature in your trailers?"
DUTCH_QUESTION = DUTCH["cold-chain:questions/logs/text"]


def translate(app: Flask, texts: dict[str, str]) -> None:
    with app.app_context():
        questionnaire = catalogue().get("cold-chain")
        translations.save_translations(questionnaire, "nl", texts, None)


def notice(html: str) -> str | None:
    match = NOTICE.search(html)
    return match.group(1) if match else None


def test_a_language_is_offered_only_once_every_text_is_there(languages_app: Flask) -> None:
    client = languages_app.test_client()
    with collected_log(languages_app.logger) as records:
        token = start(client, "cold-chain")
        page = f"/a/{token}/section/trucks"
        html = client.get(f"/nl{page}").get_data(as_text=True)
        client.get(f"/nl{page}")
    assert ENGLISH_QUESTION in html
    assert notice(html) == (  # in the page's language, Dutch
        "Deze vragenlijst is niet beschikbaar in het Nederlands. Hij wordt getoond in het Engels."
    )
    warnings = [r.getMessage() for r in records if "declares" in r.getMessage()]
    assert warnings == [  # once per process, with the language and the count
        "questionnaire 'cold-chain' version 1 declares 'nl' but 11 of its texts have no "
        "translation in it: not offered in that language"
    ]

    # Ten texts of eleven: still English, whole; never a page mixing the two.
    translate(languages_app, {k: v for k, v in DUTCH.items() if not k.endswith("logs/text")})
    html = client.get(f"/nl{page}").get_data(as_text=True)
    assert ENGLISH_QUESTION in html
    assert DUTCH["cold-chain:questions/logs/options/auto/label"] not in html

    translate(languages_app, {"cold-chain:questions/logs/text": DUTCH_QUESTION})
    html = client.get(f"/nl{page}").get_data(as_text=True)
    assert DUTCH_QUESTION in html
    assert DUTCH["cold-chain:questions/logs/options/auto/label"] in html
    assert notice(html) is None
    english = client.get(f"/en{page}").get_data(as_text=True)
    assert ENGLISH_QUESTION in english
    assert notice(english) is None


def test_an_interface_language_not_offered_gets_the_clusters_then_the_source_language(
    languages_app: Flask,
) -> None:
    translate(languages_app, DUTCH)
    client = languages_app.test_client()

    # No cluster: the questionnaire's own language, and the Polish page says so.
    alone = start(client, "cold-chain")
    html = client.get(f"/pl/a/{alone}/section/trucks").get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert ENGLISH_QUESTION in html
    assert notice(html) is not None
    assert "angielski" in notice(html)  # English, named in Polish
    assert '<h1 lang="en">Your refrigerated trucks</h1>' in html  # for screen readers

    # A cluster whose default language is Dutch: Dutch, on every page of the assessment.
    token = start(client, "cold-chain", cluster="example-rhine-scheldt")
    html = client.get(f"/pl/a/{token}/section/trucks").get_data(as_text=True)
    assert DUTCH_QUESTION in html
    assert ENGLISH_QUESTION not in html
    assert "niderlandzki" in notice(html)
    response = post_form(client, f"/pl/a/{token}/section/trucks", {"logs": "paper"})
    assert response.status_code == 302
    review = client.get(f"/pl/a/{token}/review").get_data(as_text=True)
    assert DUTCH["cold-chain:questions/logs/options/paper/label"] in review
    assert notice(review) is not None
    submitted = client.post(
        f"/pl/a/{token}/submit", data={"csrf_token": csrf_from(review), "share": "no"}
    )
    assert submitted.status_code == 302, submitted.get_data(as_text=True)[:500]
    results = client.get(f"/pl/a/{token}/results").get_data(as_text=True)
    assert DUTCH["cold-chain:actions/loggers/title"] in results
    assert "Fit data loggers" not in results
    assert notice(results) is not None


def test_start_page_lists_each_questionnaire_in_the_language_it_would_be_shown_in(
    languages_app: Flask,
) -> None:
    client = languages_app.test_client()
    html = client.get("/nl/start").get_data(as_text=True)
    assert "Cold-chain check" in html
    assert '<span lang="nl">' not in html.split("questionnaire-languages")[1][:200]
    translate(languages_app, DUTCH)
    html = client.get("/nl/start").get_data(as_text=True)
    assert "Koelketencheck" in html
    languages = html.split('class="questionnaire-languages">')[1].split("</label>")[0]
    assert 'lang="en"' in languages
    assert 'lang="nl"' in languages


def test_another_app_server_shows_a_new_translation_without_a_restart(
    languages_app: Flask, make_app: Callable[..., Flask], cold_chain_dir: Path
) -> None:
    second = make_app(
        questionnaires=cold_chain_dir,
        SQLALCHEMY_DATABASE_URI=languages_app.config["SQLALCHEMY_DATABASE_URI"],
        QUESTIONNAIRE_TRANSLATIONS_REFRESH=0,
    )
    client = second.test_client()
    token = start(client, "cold-chain")
    assert ENGLISH_QUESTION in client.get(f"/nl/a/{token}/section/trucks").get_data(as_text=True)
    translate(languages_app, DUTCH)  # on the first server
    assert DUTCH_QUESTION in client.get(f"/nl/a/{token}/section/trucks").get_data(as_text=True)


def test_a_reworded_text_keeps_its_old_translation_for_old_assessments(
    languages_app: Flask,
) -> None:
    translate(languages_app, DUTCH)
    with languages_app.test_request_context("/nl/"):
        questionnaire = catalogue().get("cold-chain")
        question = questionnaire.sections[0].questions[0]
        reworded = replace(
            questionnaire,
            source_sha256="reworded",
            sections=(
                replace(
                    questionnaire.sections[0],
                    questions=(replace(question, text="How do you record temperatures?"),),
                ),
            ),
        )
        find = translations.lookup("cold-chain", "nl")
        assert find("cold-chain:questions/logs/text", ENGLISH_QUESTION) == DUTCH_QUESTION
        assert find("cold-chain:questions/logs/text", "How do you record temperatures?") is None
        assert translations.untranslated_counts(reworded) == {"en": 0, "nl": 1}
        assert localise(questionnaire, "nl").questions[0].text == DUTCH_QUESTION
        assert questionnaire_language(reworded, "nl", None) == "en"  # never a mix


def test_a_stored_pdf_plan_is_renewed_when_its_questionnaire_texts_change(
    languages_app: Flask,
) -> None:
    from assessor.services.assessments import find_assessment
    from assessor.services.plans import plan_state

    token = start(languages_app.test_client(), "cold-chain")

    def key() -> str:
        with languages_app.app_context():
            return plan_state(find_assessment(token), "nl").key

    english = key()
    translate(languages_app, {k: v for k, v in DUTCH.items() if k != "cold-chain:title"})
    assert key() == english  # still shown in English
    translate(languages_app, {"cold-chain:title": DUTCH["cold-chain:title"]})
    dutch = key()
    assert dutch != english
    translate(languages_app, {"cold-chain:title": "Koelketen-check"})
    assert key() != dutch


def test_an_older_version_is_offered_in_its_current_versions_languages_once_complete(
    languages_app: Flask,
) -> None:
    translate(languages_app, DUTCH)
    with languages_app.test_request_context("/nl/"):
        current = catalogue().get("cold-chain")
        # Stored before its file declared languages, or before it was offered in Dutch.
        older = replace(current, version=0, source_sha256="older", languages=("en",))
        assert questionnaire_language(older, "nl", None) == "nl"
        assert localise(older, "nl").title == DUTCH["cold-chain:title"]
        reworded = replace(older, source_sha256="reworded", title="Cold chain check")
        assert questionnaire_language(reworded, "nl", None) == "en"  # its title lacks Dutch
