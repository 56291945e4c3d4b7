"""The action plan as the results page and the PDF show it: its view data, and the PDF's
HTML (``pdf/plan.html``).

A service gathers what the plan shows (services.plans) and caches the PDF; this module
only arranges it and renders the template, without a query or a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import render_template
from flask_babel import format_date

from assessor.domain.model import Reference
from assessor.domain.planning import ActionPlan
from assessor.presentation.formatting import answer_text
from assessor.presentation.results import ResultView

TEMPLATE = "pdf/plan.html"
# A follow-up assessment is suggested a year after submitting, or after six months when
# there are this many quick wins or more to show progress on.
REASSESS_AFTER = timedelta(days=365)
REASSESS_SOONER_AFTER = timedelta(days=182)
QUICK_WINS_FOR_SOONER = 3


@dataclass(frozen=True)
class Brand:
    name: str
    colour: str
    logo_data_url: str | None
    contact_name: str | None
    contact_email: str | None
    website: str | None


@dataclass(frozen=True)
class PlanView:
    language: str
    company_name: str | None
    date: str  # formatted for the plan's language
    created: str  # ISO 8601, for the PDF's metadata
    reassess_on: str
    brand: Brand | None
    view: ResultView
    plan: ActionPlan
    references: tuple[Reference, ...]
    appendix: tuple[
        tuple[str, tuple[tuple[str, str], ...]], ...
    ]  # (section, ((question, answer), ...))


def reassessment_date(submitted: date, quick_wins: int) -> date:
    """A year after submitting; six months when there are three or more quick wins to show for."""
    sooner = quick_wins >= QUICK_WINS_FOR_SOONER
    return submitted + (REASSESS_SOONER_AFTER if sooner else REASSESS_AFTER)


def plan_view(
    view: ResultView,
    plan: ActionPlan,
    *,
    language: str,
    company_name: str | None,
    submitted: date,
    brand: Brand | None,
) -> PlanView:
    """The plan of the result ``view``, with every visible answer in an appendix; dates in
    the current locale."""
    questionnaire = view.result.questionnaire
    answers = view.result.answers
    visible = view.result.visible
    appendix = tuple(
        (
            section.title,
            tuple(
                (q.text, answer_text(q, answers.get(q.id)) or "—")
                for q in section.questions
                if q.id in visible
            ),
        )
        for section in questionnaire.sections
        if any(q.id in visible for q in section.questions)
    )
    return PlanView(
        language=language,
        company_name=company_name,
        date=format_date(submitted, format="long"),
        created=submitted.isoformat(),
        reassess_on=format_date(reassessment_date(submitted, len(plan.quick_wins)), format="long"),
        brand=brand,
        view=view,
        plan=plan,
        references=tuple(questionnaire.references_by_id[r] for r in plan.references),
        appendix=appendix,
    )


def plan_html(doc: PlanView) -> str:
    """The PDF's HTML (needs an app context, not a request)."""
    return render_template(TEMPLATE, doc=doc)
