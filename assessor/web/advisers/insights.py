"""Cluster insights: what the cluster's companies need, in aggregate, for its administrators
and advisers; and the same across clusters for the platform administrator.

The page is a GET form: its filters are in the query string, so a view can be bookmarked and
sent, and the exports take the same query string. A filter that is not understood is named
next to its field and left out; the figures are then those of the other filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assessor.domain.model import Questionnaire
from assessor.presentation.insights import PROFILE_TITLES, insights_view, profile_options
from assessor.services.clusters import services_of
from assessor.services.insights import report as insights
from assessor.services.insights.filters import PROFILE_FILTERS, InsightFilters, filters_from
from assessor.services.questionnaires.catalogue import served, visible_to
from assessor.services.questionnaires.translated import current_language, localise_for
from assessor.storage.models import Cluster, Role
from assessor.web.advisers.access import ADVISERS, signed_in
from assessor.web.routes import Routes

routes = Routes()

# The tables an export can hold one by one (``export.csv?view=<view>``), in page order.
CSV_VIEWS = (
    "companies",
    "levels",
    "gaps",
    "actions",
    "services",
    "unserved",
    "readiness",
    "progress",
)


@dataclass(frozen=True)
class FilterForm:
    """What the filter form offers and shows: the values as typed, a message per field."""

    values: Mapping[str, str]
    errors: Mapping[str, str]
    questionnaires: list[tuple[str, str]]  # (id, title), most answered first
    versions: tuple[int, ...]  # of the questionnaire shown
    profile: list[tuple[str, str, list[tuple[str, str]]]]  # (key, title, [(option id, label)])


def _questionnaire(questionnaire_id: str | None, cluster: Cluster | None) -> Questionnaire | None:
    """The questionnaire that labels a report, as the reader reads it: for a cluster, one
    its advisers may see; for the platform, any cluster's."""
    if questionnaire_id is None:
        return None
    if cluster is not None:
        candidates = visible_to(cluster)
    else:
        candidates = [entry.questionnaire for entry in served()]
    found = next((q for q in candidates if q.id == questionnaire_id), None)
    return localise_for(found, cluster) if found is not None else None


def _checked_filters(
    args: Mapping[str, str], answered: list[tuple[str, tuple[int, ...]]], cluster: Cluster | None
) -> tuple[InsightFilters, dict[str, str], Questionnaire | None, tuple[int, ...]]:
    """The filters asked for, checked against what the population holds: a questionnaire
    answered in it, one of its versions, an option of its profile questions. A value that is
    not among them gets a message and is left out, as ``filters_from`` leaves out a bad date."""
    filters, errors = filters_from(args)
    versions_of = dict(answered)
    chosen = filters.questionnaire_id
    if chosen is not None and chosen not in versions_of:
        errors["questionnaire_id"] = _("Choose a questionnaire from the list.")
        filters = filters.without("questionnaire_id")
        chosen = None
    if chosen is None and answered:
        chosen = answered[0][0]  # the service's default: the most answered
    versions = versions_of.get(chosen, ()) if chosen else ()
    if filters.version is not None and filters.version not in versions:
        errors["version"] = _("Choose a version from the list.")
        filters = filters.without("version")
    questionnaire = _questionnaire(chosen, cluster)
    for key in PROFILE_FILTERS:
        value = getattr(filters, key)
        if value is not None and value not in dict(profile_options(questionnaire, key)):
            errors[key] = _("Choose an option from the list.")
            filters = replace(filters, **{key: None})
    return filters, errors, questionnaire, versions


def _form(
    args: Mapping[str, str],
    errors: dict[str, str],
    answered: list[tuple[str, tuple[int, ...]]],
    questionnaire: Questionnaire | None,
    versions: tuple[int, ...],
    cluster: Cluster | None,
) -> FilterForm:
    titles = []
    for questionnaire_id, _versions in answered:
        found = questionnaire if questionnaire and questionnaire.id == questionnaire_id else None
        found = found or _questionnaire(questionnaire_id, cluster)
        titles.append((questionnaire_id, found.title if found else questionnaire_id))
    profile = [
        (key, str(PROFILE_TITLES[key]), options)
        for key in PROFILE_FILTERS
        if (options := profile_options(questionnaire, key))
    ]
    values = {name: (args.get(name) or "").strip() for name in InsightFilters.__dataclass_fields__}
    return FilterForm(values, errors, titles, tuple(sorted(versions, reverse=True)), profile)


def _exports(filters: InsightFilters, *, platform: bool = False) -> dict[str, str]:
    """The exports of this very view (assessor/web/advisers/insight_exports.py), with the
    page's filters as it applied them."""
    query: dict[str, Any] = dict(filters.as_query())  # url_for types its own keywords
    prefix = "advisers.platform_insights_" if platform else "advisers.insights_"
    links = {
        "xlsx": url_for(f"{prefix}xlsx", **query),
        "pdf": url_for(f"{prefix}report_pdf", **query),
        "dma": url_for(f"{prefix}dma_csv", **query),
    }
    views = (*CSV_VIEWS, "clusters") if platform else CSV_VIEWS
    links |= {f"csv-{view}": url_for(f"{prefix}csv", view=view, **query) for view in views}
    return links


@routes.get("/cluster/insights")
@signed_in(*ADVISERS)
def cluster_insights() -> str:
    """The figures of the assessments shared with the cluster (and of its one-to-one
    meetings)."""
    cluster = current_user.cluster
    answered = insights.questionnaires_answered(cluster)
    filters, errors, questionnaire, versions = _checked_filters(request.args, answered, cluster)
    form = _form(request.args, errors, answered, questionnaire, versions, cluster)
    if not answered:
        return render_template("advisers/insights.html", view=None, form=form, exports={})
    report = insights.cluster_report(cluster, filters)
    view = insights_view(report, questionnaire, services_of(cluster), current_language())
    return render_template(
        "advisers/insights.html", view=view, form=form, exports=_exports(filters)
    )


@routes.get("/platform/insights")
@signed_in(Role.PLATFORM_ADMIN)
def platform_insights() -> str:
    """Every cluster's figures: a row per cluster, then the figures of all of them."""
    answered = insights.questionnaires_answered(None)
    filters, errors, questionnaire, versions = _checked_filters(request.args, answered, None)
    form = _form(request.args, errors, answered, questionnaire, versions, None)
    if not answered:
        return render_template(
            "advisers/insights_platform.html", view=None, form=form, clusters=(), dimensions=()
        )
    figures = insights.platform_insights(filters)
    view = insights_view(figures.total, questionnaire)
    dimensions = [(d.id, d.label) for d in questionnaire.dimensions] if questionnaire else []
    return render_template(
        "advisers/insights_platform.html",
        view=view,
        form=form,
        clusters=figures.clusters,
        dimensions=dimensions,
        exports=_exports(filters, platform=True),
    )
