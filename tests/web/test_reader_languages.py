"""A cluster service missing in the page's language is shown in a language the respondent
reads (issue 18, item 4): the languages their browser lists when they start are kept with
the assessment, and tried before the site's fallback languages, on the page and in the PDF."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from assessor.domain.offerings import LocalisedText
from assessor.services import assessments, workshops
from assessor.services.accounts import create_user
from assessor.services.clusters import cluster_by_slug
from assessor.services.plans import plan_view_of
from assessor.storage.db import db
from assessor.storage.models import Assessment, Role
from assessor.web.page_language import reader_languages
from tests.advisers.helpers import PASSWORD, sign_in
from tests.conftest import SHIPPED
from tests.web.helpers import csrf_from

HAULIER = Path(__file__).parents[1] / "personas" / "logistics-maturity" / "haulier-40.json"
# The Baltic cluster writes its services in Finnish, English and Polish; a German page.
BROWSER = "de-AT, de;q=0.9, pl;q=0.8, en;q=0.5"


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, make_app) -> Flask:
    return make_app(database=request.param, questionnaires=SHIPPED)


def started_in_browser(app: Flask, accept_language: str | None) -> str:
    client = app.test_client()
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = client.get("/de/start", headers=headers).get_data(as_text=True)
    response = client.post(
        "/de/start",
        headers=headers,
        data={
            "csrf_token": csrf_from(page),
            "questionnaire": "logistics-maturity",
            "cluster": "example-baltic-freight",
            "company": "Spedition Weber",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"].split("/a/")[1].split("?")[0].split("/")[0]


def submit_haulier(app: Flask, token: str) -> None:
    answers = json.loads(HAULIER.read_text("utf-8"))
    with app.app_context():
        assessment = assessments.find_assessment(token)
        assert assessment is not None
        assessments.save_answers(
            assessment, {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
        )
        assessments.submit(assessment)


def cluster_service_titles(app: Flask, token: str) -> list[dict[str, str]]:
    """The Baltic cluster's services in the token's plan: their texts, and the one shown."""
    with app.app_context():
        assessment = assessments.find_assessment(token)
        assert assessment is not None
        doc = plan_view_of(assessment, "de")  # the PDF plan is drawn from this view
        services = [
            s for item in doc.plan.actions for s in item.services if s.provider.startswith("Baltic")
        ]
        assert services, "the haulier's plan names services of its cluster"
        return [{**s.title.texts, "shown": s.title.get("de")} for s in services]


def test_the_languages_the_browser_lists_are_kept_best_first(app: Flask) -> None:
    token = started_in_browser(app, "fr-CH, fr;q=0.9, pt-PT;q=0.8, *;q=0.5, en;q=0.4, es;q=0")
    with app.app_context():
        kept = db.session.query(Assessment.reader_languages).filter_by(token=token).scalar()
    # A regional tag and then its language; "*" and a language refused (q=0) left out.
    assert kept == ["fr-CH", "fr", "pt-PT", "pt", "en"]


def test_no_languages_from_the_browser_are_stored_as_none(app: Flask) -> None:
    token = started_in_browser(app, None)
    with app.app_context():
        stored = db.session.query(Assessment.id).filter(
            Assessment.token == token, Assessment.reader_languages.is_(None)
        )
        assert stored.count() == 1  # SQL NULL, as on rows from before the column


def test_a_service_missing_in_the_page_language_is_shown_in_one_the_reader_reads(
    app: Flask,
) -> None:
    token = started_in_browser(app, BROWSER)
    submit_haulier(app, token)
    titles = cluster_service_titles(app, token)
    assert all(t["shown"] == t["pl"] for t in titles)  # Polish before the site's English
    page = app.test_client().get(f"/de/a/{token}/results").get_data(as_text=True)
    for title in titles:
        assert title["pl"].replace("'", "&#39;") in page
        assert title["en"].replace("'", "&#39;") not in page


def test_without_languages_from_the_browser_the_sites_fallback_holds(app: Flask) -> None:
    token = started_in_browser(app, None)
    submit_haulier(app, token)
    assert all(t["shown"] == t["en"] for t in cluster_service_titles(app, token))


def test_the_advisers_page_reads_the_sites_fallback_not_the_respondents(app: Flask) -> None:
    """An adviser is not the respondent: their page of the company's results names the
    cluster's services in the site's fallback (English), not in the respondent's Polish."""
    token = started_in_browser(app, BROWSER)
    submit_haulier(app, token)
    titles = cluster_service_titles(app, token)
    with app.app_context():
        assessment = assessments.find_assessment(token)
        assert assessment is not None
        assessments.set_sharing(assessment, True)
        public_id = assessment.public_id
        cluster = cluster_by_slug("example-baltic-freight")
        create_user("ada@example.org", "Ada", Role.ADVISER, cluster, PASSWORD)
    adviser = app.test_client()
    sign_in(adviser, "ada@example.org")
    page = adviser.get(f"/de/advisers/assessments/{public_id}").get_data(as_text=True)
    for title in titles:
        assert title["en"].replace("'", "&#39;") in page
        assert title["pl"].replace("'", "&#39;") not in page


def test_a_follow_up_keeps_the_languages_and_a_workshop_participant_has_their_own(
    app: Flask,
) -> None:
    token = started_in_browser(app, BROWSER)
    submit_haulier(app, token)
    with app.app_context():
        first = assessments.find_assessment(token)
        assert first is not None
        follow_up = assessments.start_follow_up(first)
        assert follow_up.reader_languages == ["de-AT", "de", "pl", "en"]

        cluster = cluster_by_slug("example-baltic-freight")
        assert cluster is not None
        adviser = create_user("ada@example.org", "Ada", Role.ADVISER, cluster, PASSWORD)
        workshop = workshops.create_workshop(
            cluster, adviser, "Spring", date.today(), "quick-check", "de"
        )
        code = workshop.join_code
    client = app.test_client()
    headers = {"Accept-Language": "sv, en;q=0.7"}
    page = client.get(f"/de/j/{code}", headers=headers).get_data(as_text=True)
    joined = client.post(
        f"/de/j/{code}",
        headers=headers,
        data={"csrf_token": csrf_from(page), "company": "Åkeri AB"},
    )
    assert joined.status_code == 302, joined.get_data(as_text=True)[:500]
    with app.app_context():
        participant = db.session.query(Assessment).filter_by(company_name="Åkeri AB").one()
        assert participant.reader_languages == ["sv", "en"]


def test_a_follow_up_started_in_the_browser_takes_its_languages(app: Flask) -> None:
    token = started_in_browser(app, BROWSER)
    submit_haulier(app, token)
    client = app.test_client()
    results = client.get(f"/de/a/{token}/results").get_data(as_text=True)
    response = client.post(
        f"/de/a/{token}/follow-up",
        headers={"Accept-Language": "et, en;q=0.5"},
        data={"csrf_token": csrf_from(results)},
    )
    assert response.status_code == 302
    follow_token = response.headers["Location"].split("/a/")[1].split("?")[0].split("/")[0]
    with app.app_context():
        kept = db.session.query(Assessment.reader_languages).filter_by(token=follow_token)
        assert kept.scalar() == ["et", "en"]  # the browser of today, not of the first time


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("sr-latn-rs, en;q=0.5", ["sr-Latn-RS", "sr-Latn", "sr", "en"]),
        ("pt_br", ["pt-BR", "pt"]),
        ("en-" + "-".join(["abcdefgh"] * 5) + ", de", ["de"]),  # over 35 characters: left out
        ("*, en;q=0", []),
    ],
)
def test_the_kept_languages_are_tags_in_one_spelling(
    make_app, header: str, kept: list[str]
) -> None:
    app = make_app()
    with app.test_request_context(headers={"Accept-Language": header}):
        assert reader_languages() == kept


def test_a_service_text_matches_whatever_the_spelling_of_its_code() -> None:
    text = LocalisedText({"en": "Training", "pt_BR": "Treinamento"}, "en", ("pt-br", "en"))
    assert text.get("de") == "Treinamento"
    assert text.get("PT-br") == "Treinamento"
    assert LocalisedText({"sr-Latn": "Obuka", "en": "Training"}).get("sr-latn-rs") == "Training"
