"""The self-assessment flow through the test client: every route, good and bad input."""

from __future__ import annotations

import json

import pytest

from assessor.domain.actions import triggered_actions
from assessor.domain.planning import build_plan
from assessor.domain.scoring import score_answers
from assessor.domain.summary import result_summary
from assessor.storage.db import db
from assessor.storage.models import Assessment
from tests.web.helpers import (
    answer_every_type,
    assessment_count,
    csrf_from,
    post_form,
    start,
    stored,
)


def test_a_clusters_entry_page_chooses_the_cluster(client, ctx) -> None:
    # The front page's list of questionnaires and clusters: tests/web/test_app.py.
    entry = client.get("/c/example-baltic-freight").get_data(as_text=True)
    assert '<option value="example-baltic-freight" selected>' in entry
    assert client.get("/c/no-such-cluster").status_code == 404
    assert client.get("/privacy").status_code == 200


def test_start_creates_an_assessment_with_its_questionnaire_version(client, ctx) -> None:
    token = start(client, cluster="example-rhine-scheldt", company="Acme Transport")
    assessment = db.session.query(Assessment).one()
    assert assessment.token == token
    assert len(token) >= 40
    assert (assessment.questionnaire_id, assessment.questionnaire_version) == ("every-type", 2)
    assert len(assessment.questionnaire_sha256) == 64
    assert assessment.cluster.slug == "example-rhine-scheldt"
    assert assessment.company_name == "Acme Transport"
    assert assessment.share_with_cluster is False
    first = client.get(f"/a/{token}")
    assert first.headers["Location"].endswith(f"/a/{token}/section/profile")


def test_start_rejects_bad_input(client, ctx) -> None:
    response = post_form(client, "/start", {"questionnaire": "nope", "cluster": "also-nope"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a questionnaire." in page
    assert "Choose a cluster from the list, or none." in page
    assert assessment_count() == 0


def test_a_page_is_saved_and_leads_to_the_next_visible_section(client, ctx) -> None:
    token = start(client)
    page = client.get(f"/a/{token}/section/profile").get_data(as_text=True)
    assert "Section 1 of 3" in page  # the fleet section, not asked yet, is counted all along
    assert (
        '<input data-exclusive="true" id="activities-2" name="activities" type="checkbox" value="none">'
        in page
    )
    response = post_form(
        client, f"/a/{token}/section/profile", {"activities": ["haulage"], "company": "Acme"}
    )
    assert response.headers["Location"].endswith(f"/a/{token}/section/fleet-section")
    assert stored(token) == {"activities": ["haulage"], "company": "Acme"}
    page = client.get(f"/a/{token}/section/fleet-section").get_data(as_text=True)
    assert "Section 2 of 3" in page


def test_hidden_sections_are_skipped(client, ctx) -> None:
    token = start(client)
    response = post_form(client, f"/a/{token}/section/profile", {"activities": ["warehouse"]})
    assert response.headers["Location"].endswith(f"/a/{token}/section/data-section")
    # opening the hidden section directly sends the respondent back on track
    hidden = client.get(f"/a/{token}/section/fleet-section")
    assert hidden.status_code == 302


@pytest.mark.parametrize(
    ("section", "data", "field", "message"),
    [
        (
            "data-section",
            {"fuel": "maybe", "tools": ["tms"], "budget": ["a"]},
            "fuel",
            "Choose one of the options shown.",
        ),
        (
            "data-section",
            {"fuel": "no", "tools": ["tms", "nothing"], "budget": ["a"]},
            "tools",
            "“None of these” cannot be combined with other options.",
        ),
        (
            "fleet-section",
            {"vehicles": "20000", "euro6": "10"},
            "vehicles",
            "Enter a number from 0 to 10,000.",
        ),
        (
            "fleet-section",
            {"vehicles": "many", "euro6": "10"},
            "vehicles",
            "Enter a number, for example 12 or 12.5.",
        ),
        (
            "fleet-section",
            {"vehicles": "3", "euro6": "10", "eco": "9"},
            "eco",
            "Choose one of the options shown.",
        ),
        (
            "data-section",
            {"fuel": "yes", "tools": ["tms"], "budget": ["a"]},
            "method",
            "Please answer this question.",
        ),
        ("data-section", {"fuel": "no", "budget": ["a"]}, "tools", "Choose at least one option."),
    ],
    ids=[
        "not-an-option",
        "exclusive-combined",
        "out-of-range",
        "not-a-number",
        "scale-out-of-range",
        "newly-visible-required",
        "missing-multi",
    ],
)
def test_bad_answers_show_an_error_next_to_the_field_and_change_nothing(
    client, ctx, section: str, data: dict, field: str, message: str
) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    post_form(
        client, f"/a/{token}/section/fleet-section", {"vehicles": "2", "euro6": "0", "eco": "3"}
    )
    before = stored(token)
    response = post_form(client, f"/a/{token}/section/{section}", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    block = page[page.index(f'id="question-{field}"') :]
    block = block[: block.find('<div class="question', 10)]
    assert (
        f'<p class="error-message" id="error-{field}"><span class="visually-hidden">Error: </span>{message}</p>'
        in block
    )
    assert 'href="#question-' + field + '"' in page  # and in the summary at the top
    assert stored(token) == before
    # what was typed is shown again, not lost
    if section == "fleet-section" and "vehicles" in data:
        assert f'value="{data["vehicles"]}"' in page


def test_missing_csrf_token_changes_nothing(client, ctx) -> None:
    refused = client.post("/start", data={"questionnaire": "every-type"})
    assert refused.status_code == 400
    assert "The form has expired" in refused.get_data(as_text=True)
    assert assessment_count() == 0
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    response = client.post(f"/a/{token}/section/profile", data={"activities": ["warehouse"]})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert stored(token) == {"activities": ["haulage"]}


def test_unknown_tokens_and_sections_are_404(client, ctx) -> None:
    token = start(client)
    for url in [
        "/a/nope",
        "/a/nope/section/profile",
        "/a/nope/review",
        "/a/nope/results",
        "/a/nope/delete",
        f"/a/{token}/section/no-such-section",
        "/a/" + "x" * 300,
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.get_data(as_text=True)
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    for url in ["/a/nope/submit", "/a/nope/sharing", "/a/nope/follow-up", "/a/nope/delete"]:
        assert client.post(url, data={"csrf_token": csrf}).status_code == 404, url


def test_back_saves_without_requiring_answers(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    response = post_form(
        client, f"/a/{token}/section/fleet-section", {"vehicles": "4", "navigate": "back"}
    )
    assert response.headers["Location"].endswith(f"/a/{token}/section/profile")
    assert stored(token)["vehicles"] == 4


def test_resume_goes_to_the_first_page_with_missing_answers(client, app, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    other_browser = app.test_client()
    response = other_browser.get(f"/a/{token}")
    assert response.headers["Location"].endswith(f"/a/{token}/section/fleet-section")
    page = other_browser.get(f"/a/{token}/section/profile").get_data(as_text=True)
    assert (
        '<input checked id="activities-0" name="activities" type="checkbox" value="haulage">'
        in page
    )
    assert f"/a/{token}" in page  # the resume link is on the page


def test_review_submit_results_and_double_submit(client, ctx) -> None:
    token = start(client, company="Acme")
    answer_every_type(client, token)
    review = client.get(f"/a/{token}/review").get_data(as_text=True)
    assert "Own fleet" in review
    assert "ISO 14001; ISO 50001" in review
    assert f"/a/{token}/section/data-section#question-fuel" in review
    csrf = csrf_from(review)
    first = client.post(f"/a/{token}/submit", data={"csrf_token": csrf})
    assert first.headers["Location"].endswith(f"/a/{token}/results")
    submitted_at = db.session.query(Assessment).one().submitted_at
    second = client.post(f"/a/{token}/submit", data={"csrf_token": csrf})
    assert second.status_code == 302
    db.session.expire_all()
    assert db.session.query(Assessment).one().submitted_at == submitted_at
    # answering a page after submitting changes nothing
    late = client.post(f"/a/{token}/section/data-section", data={"csrf_token": csrf, "fuel": "no"})
    assert late.headers["Location"].endswith(f"/a/{token}/results")
    assert stored(token)["fuel"] == "yes"
    page = client.get(f"/a/{token}/results").get_data(as_text=True)
    assert "Your results for Acme" in page
    assert '<span class="score">75</span>' in page  # overall 74.9, shown rounded
    assert "Established" in page
    assert "Renew the fleet" in page
    assert '<svg class="radar-chart-svg radar-wide"' in page
    assert '<table class="data-table score-table">' in page


def test_submit_with_missing_answers_returns_to_review(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["warehouse"]})
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    response = client.post(f"/a/{token}/submit", data={"csrf_token": csrf}, follow_redirects=True)
    assert "still unanswered" in response.get_data(as_text=True)
    assert db.session.query(Assessment).one().submitted_at is None


def test_results_as_json_match_the_command_line_shape(client, app, ctx) -> None:
    token = start(client)
    answer_every_type(client, token)
    questionnaire = app.extensions["assessor.questionnaires"].get("every-type")
    expected_result = score_answers(questionnaire, stored(token))
    expected = json.loads(
        json.dumps(
            result_summary(
                expected_result, triggered_actions(expected_result), build_plan(expected_result)
            )
        )
    )
    response = client.get(f"/a/{token}/results", headers={"Accept": "application/json"})
    assert response.status_code == 200
    got = response.json
    # The command line's shape, plus the services the web matched to each focus action.
    assert {k: v for k, v in got.items() if k != "plan"} == {
        k: v for k, v in expected.items() if k != "plan"
    }
    assert got["actions"] == ["renew-fleet"]
    assert got["plan"]["more"] == expected["plan"]["more"] == []
    focus = got["plan"]["focus"]
    assert [{"id": f["id"], "horizon": f["horizon"]} for f in focus] == expected["plan"]["focus"]
    assert focus[0]["id"] == "renew-fleet"
    assert focus[0]["services_from"] in {"cluster", "network", "none"}
    assert isinstance(focus[0]["services"], list)
    assert "Accept" in response.headers["Vary"]
    assert client.get(f"/a/{token}/results").status_code == 302  # HTML waits for the submit


def test_sharing_is_off_by_default_and_can_be_switched(client, ctx) -> None:
    token = start(client, cluster="example-iberian-green")
    csrf = csrf_from(client.get(f"/a/{token}/section/profile").get_data(as_text=True))
    client.post(f"/a/{token}/sharing", data={"csrf_token": csrf, "share": "yes"})
    assert db.session.query(Assessment).one().share_with_cluster is True
    client.post(f"/a/{token}/sharing", data={"csrf_token": csrf, "share": "no"})
    db.session.expire_all()
    assert db.session.query(Assessment).one().share_with_cluster is False


def test_delete_removes_everything(client, ctx) -> None:
    token = start(client)
    answer_every_type(client, token)
    page = client.get(f"/a/{token}/delete").get_data(as_text=True)
    response = client.post(f"/a/{token}/delete", data={"csrf_token": csrf_from(page)})
    assert response.headers["Location"].endswith("/deleted")
    assert assessment_count() == 0
    assert db.session.execute(db.text("select count(*) from answer")).scalar() == 0
    assert client.get(f"/a/{token}").status_code == 404


def test_consent_can_be_given_when_submitting(client, ctx) -> None:
    token = start(client, cluster="example-baltic-freight")
    answer_every_type(client, token)
    review = client.get(f"/a/{token}/review").get_data(as_text=True)
    assert 'id="share-no" name="share" value="no" checked' in review  # off by default
    client.post(f"/a/{token}/submit", data={"csrf_token": csrf_from(review), "share": "yes"})
    assessment = db.session.query(Assessment).one()
    assert assessment.is_submitted
    assert assessment.share_with_cluster is True
