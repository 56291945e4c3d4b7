"""``/assessments``: the cluster's assessments, newest first, a page at a time; and one."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request, url_for
from flask.wrappers import Response
from flask_babel import gettext as _

from assessor.services.api_records import (
    DEFAULT_PAGE,
    MAX_PAGE,
    BadCursor,
    Position,
    assessment_record,
    assessments_page,
    cluster_record,
    follow_ups,
)
from assessor.web.api.access import api_cluster, api_language
from assessor.web.api.errors import error_response
from assessor.web.routes import Routes

routes = Routes()


def _url_of(public_id: str) -> str:
    return url_for("api.assessment", public_id=public_id, _external=True)


@routes.get("/assessments")
def assessment_list() -> Response | tuple[Response, int]:
    """``limit`` (1 to 100, 50 by default), ``cursor`` (the ``next`` of the page before),
    ``since`` (submitted on or after, YYYY-MM-DD), ``questionnaire_id``."""
    errors: dict[str, str] = {}
    limit = DEFAULT_PAGE
    text = request.args.get("limit", "").strip()
    if text:
        if text.isascii() and text.isdecimal() and 1 <= int(text) <= MAX_PAGE:
            limit = int(text)
        else:
            errors["limit"] = _("Enter a number from 1 to %(max)s.", max=MAX_PAGE)
    after = None
    cursor = request.args.get("cursor", "").strip()
    if cursor:
        try:
            after = Position.decode(cursor)
        except BadCursor:
            errors["cursor"] = _("Pass back the 'next' value of the page before, as it is.")
    since = None
    text = request.args.get("since", "").strip()
    if text:
        try:
            since = date.fromisoformat(text)
        except ValueError:
            errors["since"] = _("Enter a date as YYYY-MM-DD.")
    questionnaire_id = request.args.get("questionnaire_id", "").strip() or None
    if questionnaire_id is not None and len(questionnaire_id) > 100:
        errors["questionnaire_id"] = _("This value is too long.")
    if errors:
        return error_response(
            400, "invalid-parameters", _("Some parameters are not valid."), fields=errors
        )
    cluster = api_cluster()
    page = assessments_page(
        cluster, limit=limit, after=after, since=since, questionnaire_id=questionnaire_id
    )
    links = follow_ups(cluster, page.assessments)
    language = api_language()
    items = [assessment_record(a, language, links, _url_of) for a in page.assessments]
    following = page.next.encode() if page.next is not None else None
    query = {
        key: value
        for key, value in (
            ("limit", str(limit) if limit != DEFAULT_PAGE else None),
            ("since", since.isoformat() if since else None),
            ("questionnaire_id", questionnaire_id),
            ("lang", request.args.get("lang")),
        )
        if value
    }
    return jsonify(
        {
            "items": items,
            "next": following,
            "next_url": url_for("api.assessment_list", cursor=following, **query, _external=True)
            if following
            else None,
        }
    )


@routes.get("/assessments/<public_id>")
def assessment(public_id: str) -> Response | tuple[Response, int]:
    cluster = api_cluster()
    found = cluster_record(cluster, public_id) if len(public_id) <= 32 else None
    if found is None:
        # The same answer for another cluster's assessment as for none: ids reveal nothing.
        return error_response(404, "not-found", _("There is no such assessment."))
    links = follow_ups(cluster, [found])
    return jsonify(assessment_record(found, api_language(), links, _url_of))
