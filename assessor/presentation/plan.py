"""The action plan as the results page and the PDF show it: its view data, and the PDF's
HTML (``pdf/plan.html``).

A service gathers what the plan shows (services.plans) and caches the PDF; this module
only arranges it and renders the template, without a query or a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import render_template
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from assessor.domain.answers import AnswerValue
from assessor.domain.model import Month, Question, QuestionType, Reference
from assessor.domain.planning import ActionPlan
from assessor.domain.reference_dates import oldest_check
from assessor.presentation.formatting import answer_text, month_text
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
class ReferenceView:
    """An EU rule or standard as the plan lists it, its checked month in the plan's language."""

    title: str
    text: str
    url: str | None
    source: str | None
    checked: str | None  # "December 2026"


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
    references: tuple[ReferenceView, ...]
    # The oldest checked month of those references ("December 2026"): every rule the plan
    # names was checked then or later. None when none says when it was checked.
    rules_checked: str | None
    appendix: tuple[
        tuple[str, tuple[tuple[str, str], ...]], ...
    ]  # (section, ((question, answer), ...))
    # Action id -> the month its deadline applies to the company from ("October 2027"),
    # for the actions whose deadline applies.
    deadlines: Mapping[str, str] = field(default_factory=dict)
    # Actions whose deadline had passed on the plan's date: "applies since", not "from".
    deadlines_in_force: frozenset[str] = frozenset()
    # Answered by an administrator before publishing the questionnaire: never counted.
    is_preview: bool = False


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
                (q.text, appendix_answer(q, answers.get(q.id)) or "—")
                for q in section.questions
                if q.id in visible
            ),
        )
        for section in questionnaire.sections
        if any(q.id in visible for q in section.questions)
    )
    references = tuple(questionnaire.references_by_id[r] for r in plan.references)
    oldest = oldest_check(references)
    return PlanView(
        language=language,
        company_name=company_name,
        date=format_date(submitted, format="long"),
        created=submitted.isoformat(),
        reassess_on=format_date(reassessment_date(submitted, len(plan.quick_wins)), format="long"),
        brand=brand,
        view=view,
        plan=plan,
        references=tuple(_reference_view(r) for r in references),
        rules_checked=month_text(oldest) if oldest is not None else None,
        appendix=appendix,
        deadlines={
            a.action_id: month_text(a.triggered.deadline)
            for a in plan.actions
            if a.triggered.deadline is not None
        },
        deadlines_in_force=frozenset(
            a.action_id
            for a in plan.actions
            if a.triggered.deadline is not None and a.triggered.deadline < Month.of(submitted)
        ),
    )


def appendix_answer(question: Question, value: AnswerValue | None) -> str:
    """An answer as the appendix prints it. A point on a scale says where it lies and what
    it means, in the question's own words where it has them: "3 of 5 (1 = Never,
    5 = Always)", "5 of 5 — Always"; a bare "3" means nothing on paper."""
    if question.type is not QuestionType.SCALE or not isinstance(value, int):
        return answer_text(question, value)
    bottom = int(question.min) if question.min is not None else 1
    top = int(question.max) if question.max is not None else 5
    if bottom == 1:
        where = _("%(value)s of %(top)s", value=value, top=top)
    else:
        where = _(
            "%(value)s on a scale from %(bottom)s to %(top)s", value=value, bottom=bottom, top=top
        )
    label = question.labels.get(value)
    if label:
        meant: str = _("%(position)s — %(meaning)s", position=where, meaning=label)
        return meant
    ends = [
        _("%(value)s = %(meaning)s", value=format_decimal(end), meaning=question.labels[end])
        for end in (bottom, top)
        if end in question.labels
    ]
    return f"{where} ({', '.join(ends)})" if ends else where


def _reference_view(reference: Reference) -> ReferenceView:
    return ReferenceView(
        reference.title,
        reference.text,
        reference.url,
        reference.source,
        month_text(reference.checked) if reference.checked is not None else None,
    )


def plan_html(doc: PlanView) -> str:
    """The PDF's HTML (needs an app context, not a request)."""
    return render_template(TEMPLATE, doc=doc)
