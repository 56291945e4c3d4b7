"""Errors under /api/ are JSON, whatever raised them; requests are limited per token."""

from __future__ import annotations

from flask import Flask

from tests.api.helpers import api, new_token, submitted


def test_errors_are_json_never_a_page(app: Flask) -> None:
    token = new_token(app)
    client = app.test_client()
    missing = api(client, "/no-such-thing", token)
    assert missing.status_code == 404
    assert missing.is_json
    assert missing.get_json()["error"]["code"] == "not-found"
    for method in ("post", "delete", "put"):  # no CSRF page either: the API only reads
        response = getattr(client, method)(
            "/api/v1/assessments", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 405, method
        assert response.get_json()["error"]["code"] == "method-not-allowed"
        assert "GET" in response.headers["Allow"]


def test_the_rate_limit_counts_per_token(make_app) -> None:
    from tests.conftest import SHIPPED

    app = make_app(questionnaires=SHIPPED, RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    first, second = new_token(app), new_token(app, name="Reporting")
    client = app.test_client()
    for _ in range(3):
        assert api(client, "/assessments", first).status_code == 200
    refused = api(client, "/assessments", first)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate-limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert api(client, "/insights", first).status_code == 429  # one count for the whole API
    assert api(client, "/assessments", second).status_code == 200  # another token's own


def test_refusals_are_counted_per_address(make_app) -> None:
    from tests.conftest import SHIPPED

    app = make_app(
        questionnaires=SHIPPED, RATELIMIT_ENABLED=True, API_REFUSED_RATE_LIMIT="2 per minute"
    )
    client = app.test_client()
    for n in range(2):
        assert api(client, "/assessments", f"asr_made-up-{n}").status_code == 401
    assert api(client, "/assessments", "asr_made-up-3").status_code == 429


def test_an_unexpected_error_is_json_and_tells_nothing(make_app) -> None:
    from tests.conftest import SHIPPED

    app = make_app(questionnaires=SHIPPED, TESTING=False)
    token = new_token(app)

    def broken() -> str:
        raise RuntimeError("secret internals: password=hunter2 at /srv/assessor/db.py")

    app.view_functions["api.insights"] = broken
    response = api(app.test_client(), "/insights", token)
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {"code": "internal-error", "message": "Something went wrong on our side."}
    }


def test_a_language_prefix_is_honoured_without_a_cookie(app: Flask) -> None:
    token = new_token(app)
    submitted(app)
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    prefixed = client.get("/de/api/v1/assessments", headers=headers)
    assert "Set-Cookie" not in prefixed.headers
    german = api(client, "/assessments?lang=de", token).get_json()["items"][0]
    english = api(client, "/assessments?lang=en", token).get_json()["items"][0]
    title = prefixed.get_json()["items"][0]["plan"]["focus"][0]["title"]
    assert title == german["plan"]["focus"][0]["title"] != english["plan"]["focus"][0]["title"]
