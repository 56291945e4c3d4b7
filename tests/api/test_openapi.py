"""The OpenAPI document: served without a token, and describing exactly the routes of the
API blueprint (each path with its methods, path parameters and a 401 where one is needed)."""

from __future__ import annotations

import re

from flask import Flask


def _routes(app: Flask) -> dict[str, set[str]]:
    """The blueprint's routes as OpenAPI paths (under the server URL /api/v1)."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            found.setdefault(path, set()).update(methods)
    return found


def test_the_document_describes_every_route_and_only_them(app: Flask) -> None:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/api/v1"}]
    paths = {path: set(item) for path, item in document["paths"].items()}
    assert paths == _routes(app)
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        **document["components"]["securitySchemes"]["bearerToken"],
        "type": "http",
        "scheme": "bearer",
    }
    for path, item in document["paths"].items():
        for operation in item.values():
            named = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert named == set(re.findall(r"{([a-z_]+)}", path)), path
            assert "200" in operation["responses"]
            assert "429" in operation["responses"]
            if operation.get("security") != []:
                assert "401" in operation["responses"], path


def test_every_reference_in_the_document_resolves(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    text = str(document)
    schemas = document["components"]["schemas"]
    for name in re.findall(r"#/components/schemas/([A-Za-z]+)", text):
        assert name in schemas, name


def test_real_answers_match_the_documents_schemas(app: Flask) -> None:
    """A page of a full assessment (plan and services), one assessment and an error, each
    valid against the schema the document gives them (JSON Schema 2020-12, as OpenAPI 3.1)."""
    from jsonschema import Draft202012Validator

    from tests.api.helpers import api, new_token, submitted

    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()

    def check(answer: object, schema: str) -> None:
        # The document itself as the root, so that its own "#/components/..." resolve.
        validator = Draft202012Validator({**document, "$ref": f"#/components/schemas/{schema}"})
        errors = [error.message for error in validator.iter_errors(answer)]
        assert errors == [], schema

    token = new_token(app)
    first = submitted(app, questionnaire="logistics-maturity", persona="haulier-40")
    submitted(app, previous=first, questionnaire="logistics-maturity", persona="haulier-40")
    page = api(client, "/assessments?limit=1", token).get_json()
    assert page["next"] is not None
    assert page["items"][0]["plan"]["focus"]
    check(page, "AssessmentPage")
    check(api(client, f"/assessments/{first}", token).get_json(), "Assessment")
    check(api(client, "/assessments?limit=0", token).get_json(), "Error")
