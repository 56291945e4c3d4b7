"""Which language a page is in: URL prefix, assessment, saved choice, browser, cluster, English."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from assessor.domain.languages import LANGUAGES
from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.web.helpers import csrf_from, post_form

HTML_LANG = re.compile(r'<html lang="([a-z]+)">')


def page_language(response) -> str:
    match = HTML_LANG.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:200]
    return match.group(1)


def start_in(client, language: str) -> str:
    """Start an every-type assessment from the start page of that language."""
    url = f"/{language}/start"
    token = csrf_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "questionnaire": "every-type"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/{language}/a/")  # stays in the language
    return re.search(r"/a/([A-Za-z0-9_-]+)", response.headers["Location"]).group(1)


def language_of(token: str) -> str:
    return db.session.scalar(select(Assessment.language).where(Assessment.token == token))


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_url_prefix_sets_the_language_and_links_keep_it(client, language: str) -> None:
    response = client.get(f"/{language}/privacy")
    assert response.status_code == 200
    assert page_language(response) == language
    html = response.get_data(as_text=True)
    assert f'href="/{language}/"' in html  # the brand link stays in the language


def test_no_prefix_uses_the_saved_choice_then_the_browser_then_english(app: Flask) -> None:
    browser = app.test_client()
    assert page_language(browser.get("/privacy", headers={"Accept-Language": "ja"})) == "en"
    nl = {"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}
    assert page_language(browser.get("/privacy", headers=nl)) == "nl"
    browser.get("/de/privacy")  # choosing German is remembered
    assert page_language(browser.get("/privacy", headers=nl)) == "de"
    assert page_language(browser.get("/fi/privacy", headers=nl)) == "fi"  # the URL still wins


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("*", "en"),  # any language: English, not the menu's first (Български)
        ("ja, *;q=0.5", "en"),
        ("sv, *;q=0.1", "sv"),
        ("pt-PT, pt;q=0.9", "pt"),
        ("el-GR", "el"),
        ("ga-IE, en;q=0.8", "ga"),
        ("mt, en-GB;q=0.7", "mt"),
    ],
)
def test_the_browsers_language_is_negotiated(app: Flask, header: str, language: str) -> None:
    response = app.test_client().get("/privacy", headers={"Accept-Language": header})
    assert page_language(response) == language


def test_a_cluster_page_speaks_the_cluster_language_to_unknown_browsers(app: Flask) -> None:
    browser = app.test_client()
    japanese = {"Accept-Language": "ja"}
    assert page_language(browser.get("/c/example-baltic-freight", headers=japanese)) == "fi"
    german = {"Accept-Language": "de"}
    assert page_language(browser.get("/c/example-baltic-freight", headers=german)) == "de"


def test_an_assessment_remembers_its_language_and_follows_a_switch(app: Flask) -> None:
    browser = app.test_client()
    token = start_in(browser, "fr")
    with app.app_context():
        assert language_of(token) == "fr"
    elsewhere = app.test_client()  # the resume link, in an English browser
    english = {"Accept-Language": "en"}
    resumed = elsewhere.get(f"/a/{token}", headers=english)
    assert resumed.status_code == 302
    assert page_language(elsewhere.get(resumed.headers["Location"], headers=english)) == "fr"
    switched = elsewhere.get(f"/pl/a/{token}/section/profile", headers=english)
    assert page_language(switched) == "pl"
    with app.app_context():
        assert language_of(token) == "fr"  # looking at a page in Polish changes nothing
    assert page_language(elsewhere.get(f"/a/{token}/section/profile", headers=english)) == "fr"
    saved = post_form(elsewhere, f"/pl/a/{token}/section/profile", {"activities": ["warehouse"]})
    assert saved.status_code == 302
    with app.app_context():
        assert language_of(token) == "pl"  # saving a page in Polish keeps Polish; the plan too
    assert page_language(elsewhere.get(f"/a/{token}/section/profile", headers=english)) == "pl"


def test_the_switcher_links_to_this_very_page_in_every_language(app: Flask) -> None:
    browser = app.test_client()
    token = start_in(browser, "es")
    html = browser.get(f"/es/a/{token}/section/profile?started=1").get_data(as_text=True)
    for code, name in LANGUAGES.items():
        link = f'href="/{code}/a/{token}/section/profile?started=1" hreflang="{code}" lang="{code}"'
        assert link in html, code
        assert f">{name}</a>" in html
    # One menu for every screen: the current language marked once.
    assert html.count('aria-current="true"') == 1
    assert re.search(r'hreflang="es" lang="es" aria-current="true">Español</a>', html)


def test_answers_saved_in_one_language_stay_when_switching(app: Flask) -> None:
    browser = app.test_client()
    token = start_in(browser, "it")
    saved = post_form(browser, f"/it/a/{token}/section/profile", {"activities": ["warehouse"]})
    assert saved.status_code == 302
    html = browser.get(f"/nl/a/{token}/section/profile").get_data(as_text=True)
    assert re.search(r'checked[^>]*value="warehouse"', html)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/xx/privacy", 404),  # not a language we speak
        ("/FR/privacy", 404),
        ("/fr/nowhere", 404),
        ("/fr/../privacy", 404),  # no path walking out of the prefix
        ("/fr//privacy", 200),
        ("/fr", 200),
    ],
)
def test_odd_prefixes_get_a_page_not_a_crash(client, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def test_the_not_found_page_is_in_the_visitor_language(client) -> None:
    response = client.get("/de/a/no-such-token/results")
    assert response.status_code == 404
    assert page_language(response) == "de"


def test_services_work_outside_a_request_in_english(app: Flask) -> None:
    """Commands and jobs have no request: questionnaires come as written, in English."""
    from flask_babel import force_locale

    from assessor.services import assessments

    with app.app_context():
        questionnaire = app.extensions["assessor.questionnaires"].get("every-type")
        started = assessments.start_assessment(questionnaire, None, "fr")
        assert assessments.questionnaire_of(started).title == questionnaire.title
        with force_locale("fr"):  # as the PDF is made: the assessment's language
            assert assessments.result_of(started).score is None
        with force_locale("de"):
            from assessor.services.plans import plan_html_of

            assessments.save_answers(started, {"fuel": "no", "tools": ["tms"], "budget": ["a"]})
            assert '<html lang="' in plan_html_of(started)  # templates render without a request
