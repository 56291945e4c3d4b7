"""The OpenAPI 3.1 document of the API, written by hand: what a cluster's developer reads
to connect its CRM. A test checks that every route of the blueprint is in it and every
path in it is a route (tests/api/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.wrappers import Response

from assessor.domain.languages import LANGUAGES
from assessor.services.api_records import DEFAULT_PAGE, MAX_PAGE
from assessor.web.routes import Routes

routes = Routes()


@routes.get("/openapi.json")
def openapi_document() -> Response:
    """Public: it describes the API, and no cluster's data."""
    return jsonify(DOCUMENT)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


_NULLABLE_NUMBER = {"type": ["number", "null"]}
_NULLABLE_INTEGER = {"type": ["integer", "null"]}
_NULLABLE_STRING = {"type": ["string", "null"]}
_LINK = {
    "type": "object",
    "required": ["id", "url"],
    "properties": {"id": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
}

_ERRORS = {
    "401": {
        **_error("No token, or an unknown or revoked one."),
        "headers": {
            "WWW-Authenticate": {
                "description": 'Bearer realm="assessor" (with error="invalid_token" when one was sent)',
                "schema": {"type": "string"},
            }
        },
    },
    "429": {
        **_error("Too many requests with this token (or refused ones from this address)."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer"},
            }
        },
    },
}

_LANG = {
    "name": "lang",
    "in": "query",
    "description": "The language of titles and messages (else Accept-Language, else English).",
    "schema": {"type": "string", "enum": list(LANGUAGES)},
}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


_DATE = {"type": "string", "format": "date"}
_SCORED = {
    "score": {**_NULLABLE_NUMBER, "description": "0 to 100, one decimal; null: not scored."},
    "level": {**_NULLABLE_STRING, "description": "The maturity level's id."},
    "level_label": {**_NULLABLE_STRING, "description": "The level's name in the language."},
}
_COUNT_ROW = {
    "type": "object",
    "properties": {
        "key": {"type": "string", "description": "A code: option, level or theme id."},
        "count": {**_NULLABLE_INTEGER, "description": "null: hidden (too few companies)."},
        "share": _NULLABLE_NUMBER,
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "assessor API",
        "version": "1",
        "summary": "Read-only access for a cluster's own systems to the assessments shared "
        "with it and to its insights.",
        "description": "Every request but this document's carries one of the cluster's API "
        "tokens, made by a cluster administrator on the page 'API tokens' "
        "(/advisers/cluster/api-tokens): `Authorization: Bearer asr_...`. A token sees "
        "its own cluster's data only. Errors are JSON: "
        '`{"error": {"code": "...", "message": "..."}}`. Scores and levels are those of '
        "the results page; titles are in the language asked for.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerToken": []}],
    "paths": {
        "/assessments": {
            "get": {
                "operationId": "listAssessments",
                "summary": "The cluster's assessments, newest first, a page at a time.",
                "description": "The assessments companies shared with the cluster and those "
                "filled in with its advisers (one-to-one), once submitted. Follow `next_url` "
                "(or pass `next` as `cursor`) until `next` is null: an assessment shared "
                "meanwhile never shifts the pages still to come.",
                "parameters": [
                    _query(
                        "limit",
                        f"Assessments per page, 1 to {MAX_PAGE}.",
                        {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PAGE,
                            "default": DEFAULT_PAGE,
                        },
                    ),
                    _query(
                        "cursor",
                        "The `next` value of the page before, as it was given.",
                        {"type": "string"},
                    ),
                    _query("since", "Submitted on or after this day (UTC).", _DATE),
                    _query(
                        "questionnaire_id",
                        "Only assessments of this questionnaire.",
                        {"type": "string"},
                    ),
                    _LANG,
                ],
                "responses": {
                    "200": _json("A page of assessments.", "AssessmentPage"),
                    "400": _error("A parameter is not valid (`fields` says which)."),
                    **_ERRORS,
                },
            }
        },
        "/assessments/{public_id}": {
            "get": {
                "operationId": "getAssessment",
                "summary": "One assessment of the cluster.",
                "parameters": [
                    {
                        "name": "public_id",
                        "in": "path",
                        "required": True,
                        "description": "The assessment's `id`.",
                        "schema": {"type": "string"},
                    },
                    _LANG,
                ],
                "responses": {
                    "200": _json("The assessment.", "Assessment"),
                    "404": _error("No assessment of this cluster has this id."),
                    **_ERRORS,
                },
            }
        },
        "/insights": {
            "get": {
                "operationId": "getInsights",
                "summary": "The cluster's insights figures, for the filters given.",
                "description": "Codes and counts, as on the insights page (label them with "
                "the questionnaire). A figure about fewer companies than the group minimum, "
                "or one that would reveal such a figure by comparison with another filter, "
                "is null; `suppressed` says why a whole report is hidden.",
                "parameters": [
                    _query("since", "Submitted on or after this day.", _DATE),
                    _query("until", "Submitted on or before this day.", _DATE),
                    _query(
                        "questionnaire_id",
                        "The questionnaire (by default the one most answered).",
                        {"type": "string"},
                    ),
                    _query("version", "One version of it.", {"type": "integer", "minimum": 1}),
                    _query(
                        "activity", "An option id of the activity question.", {"type": "string"}
                    ),
                    _query("size", "An option id of the size question.", {"type": "string"}),
                    _query("country", "An option id of the country question.", {"type": "string"}),
                    _LANG,
                ],
                "responses": {
                    "200": _json("The figures.", "Insights"),
                    "400": _error("A filter is not valid (`fields` says which)."),
                    **_ERRORS,
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApiDocument",
                "summary": "This document.",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "429": _ERRORS["429"],
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearerToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API token of the cluster (asr_ and 43 characters).",
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": {
                                "type": "string",
                                "examples": ["unauthorized", "not-found", "invalid-parameters"],
                            },
                            "message": {"type": "string"},
                            "fields": {
                                "type": "object",
                                "description": "A message per parameter that is not valid.",
                                "additionalProperties": {"type": "string"},
                            },
                        },
                    }
                },
            },
            "AssessmentPage": {
                "type": "object",
                "required": ["items", "next", "next_url"],
                "properties": {
                    "items": {"type": "array", "items": _ref("Assessment")},
                    "next": {**_NULLABLE_STRING, "description": "null: the last page."},
                    "next_url": {**_NULLABLE_STRING, "format": "uri"},
                },
            },
            "Scored": {"type": "object", "properties": _SCORED},
            "Assessment": {
                "type": "object",
                "required": [
                    "id",
                    "url",
                    "company_name",
                    "questionnaire",
                    "language",
                    "submitted_at",
                    "shared",
                    "one_to_one",
                    "overall",
                    "dimensions",
                    "actions",
                    "plan",
                    "follow_up",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "company_name": _NULLABLE_STRING,
                    "questionnaire": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "version": {"type": "integer"},
                            "title": {"type": "string"},
                        },
                    },
                    "language": {"type": "string", "description": "The respondent's."},
                    "submitted_at": {"type": "string", "format": "date-time"},
                    "shared": {
                        "type": "boolean",
                        "description": "The company shared it with the cluster.",
                    },
                    "one_to_one": {
                        "type": "boolean",
                        "description": "Filled in with one of the cluster's advisers.",
                    },
                    "overall": _ref("Scored"),
                    "dimensions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "label": {"type": "string"},
                                **_SCORED,
                                "themes": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "id": {"type": "string"},
                                            "label": {"type": "string"},
                                            **_SCORED,
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "actions": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Every recommended action's id, most urgent first.",
                    },
                    "plan": {
                        "type": "object",
                        "properties": {
                            "focus": {
                                "type": "array",
                                "description": "The plan's opening actions ('Start here').",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "string"},
                                        "title": {"type": "string"},
                                        "horizon": {"type": "string"},
                                        "deadline": {
                                            "type": "string",
                                            "description": "YYYY-MM, when one applies.",
                                        },
                                        "services_from": {
                                            "type": "string",
                                            "enum": ["cluster", "network", "none"],
                                        },
                                        "services": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "properties": {
                                                    "key": {"type": "string"},
                                                    "title": {"type": "string"},
                                                    "provider": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                            "more": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "string"},
                                        "title": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                    "follow_up": {
                        "type": "object",
                        "properties": {
                            "previous": {"oneOf": [_LINK, {"type": "null"}]},
                            "next": {"type": "array", "items": _LINK},
                        },
                    },
                },
            },
            "CountRow": _COUNT_ROW,
            "Insights": {
                "type": "object",
                "description": "The insights report: codes, counts and medians; null: hidden.",
                "properties": {
                    "shown": {"type": "boolean"},
                    "questionnaire_id": _NULLABLE_STRING,
                    "versions": {"type": "array", "items": {"type": "integer"}},
                    "minimum": {"type": "integer", "description": "The group minimum."},
                    "companies": _NULLABLE_INTEGER,
                    "suppressed": {
                        "type": ["string", "null"],
                        "enum": ["too-few", "differencing", None],
                    },
                    "suppressed_by": _NULLABLE_STRING,
                    "filters": {"type": "object"},
                    "breakdowns": {"type": "array", "items": {"type": "object"}},
                    "distributions": {"type": "array", "items": {"type": "object"}},
                    "gaps": {"type": "array", "items": _ref("CountRow")},
                    "focus_actions": {"type": "array", "items": {"type": "object"}},
                    "triggered_actions": {"type": "array", "items": {"type": "object"}},
                    "service_demand": {"type": "array", "items": {"type": "object"}},
                    "unserved": {"type": "array", "items": {"type": "object"}},
                    "readiness": {"type": "array", "items": {"type": "object"}},
                    "progress": {"type": "array", "items": {"type": "object"}},
                    "follow_ups": _NULLABLE_INTEGER,
                    "dma": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
}
