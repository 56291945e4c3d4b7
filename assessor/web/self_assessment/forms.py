"""WTForms built at run time from a questionnaire section.

Each field is named after its question id and each option's value is its
option id. Values are checked by the domain (``check_answer``), so the web,
the command line and the tests agree on what a valid answer is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; stubs are 3.2
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from assessor.domain.answers import AnswerValue, check_answer
from assessor.domain.model import Question, Questionnaire, QuestionType, Section
from assessor.domain.visibility import applicable_value, visibility
from assessor.identity_cache import IdentityCache
from assessor.web.forms import CsrfForm


class SectionForm(CsrfForm):
    """Base class; fields are added per section by :func:`section_form`."""


def _choices(question: Question) -> list[SelectChoice]:
    # An exclusive option ("none of these") is marked for the page's script.
    return [
        SelectChoice(o.id, o.label, render_kw={"data-exclusive": "true"} if o.exclusive else {})
        for o in question.options
    ]


def _field(question: Question) -> Field:
    label = question.text
    match question.type:
        case QuestionType.CHOICE:
            return RadioField(label, choices=_choices(question), validate_choice=False)
        case QuestionType.MULTI:
            return SelectMultipleField(
                label,
                choices=_choices(question),
                widget=ListWidget(prefix_label=False),
                option_widget=CheckboxInput(),
                validate_choice=False,
            )
        case QuestionType.SCALE:
            # The loader requires both bounds of a scale.
            assert question.min is not None
            assert question.max is not None
            low, high = int(question.min), int(question.max)
            choices = [
                SelectChoice(str(v), question.labels.get(v, str(v))) for v in range(low, high + 1)
            ]
            return RadioField(label, choices=choices, validate_choice=False)
        case QuestionType.NUMBER:
            return StringField(
                label,
                widget=NumberInput(step="any", min=question.min, max=question.max),
                render_kw={"inputmode": "decimal"},
            )
    return TextAreaField(label, render_kw={"maxlength": question.max_length, "rows": 4})


def section_form(
    section: Section, answers: Mapping[str, AnswerValue], formdata: Any = None
) -> SectionForm:
    """A form for one section, filled with stored answers unless ``formdata`` is given."""
    form_class = _form_class(section)
    data = {q.id: _initial(q, answers.get(q.id)) for q in section.questions}
    return (
        form_class(formdata=formdata, data=data) if formdata is not None else form_class(data=data)
    )


# Building a form class costs more than rendering the page, and sections never change while
# loaded (a changed file is a new Questionnaire object), so each section's class is built once.
# Reloaded questionnaires leave old sections behind: the bound keeps them from adding up.
_FORM_CLASSES: IdentityCache[type[SectionForm]] = IdentityCache(size=1000)


def _form_class(section: Section) -> type[SectionForm]:
    return _FORM_CLASSES.get_or_build(section, None, lambda: _build_form_class(section))


def _build_form_class(section: Section) -> type[SectionForm]:
    fields = {question.id: _field(question) for question in section.questions}
    return type(f"{section.id}-form", (SectionForm,), fields)


def _initial(question: Question, value: AnswerValue | None) -> Any:
    if value is None:
        return [] if question.type is QuestionType.MULTI else None
    if question.type is QuestionType.MULTI:
        assert isinstance(value, tuple)  # a checked multi answer
        return list(value)
    if question.type is QuestionType.SCALE:
        return str(value)
    if question.type is QuestionType.NUMBER:
        return f"{value:g}" if isinstance(value, float) else str(value)
    return value


def read_section(
    questionnaire: Questionnaire,
    section: Section,
    form: SectionForm,
    stored: Mapping[str, AnswerValue],
    require: bool = True,
) -> tuple[dict[str, AnswerValue | None], dict[str, str]]:
    """The section's answers from a posted form, and an error message per field.

    Visibility is decided from the stored answers overlaid with this page's
    values, in file order, exactly as scoring decides it. Hidden questions are
    neither checked nor changed. Options hidden for these answers are not saved (the
    page's script unticks them; without it, a choice on one counts as unanswered).
    With ``require`` false (going back), missing answers are not errors.
    """
    posted: dict[str, AnswerValue | None] = {}
    errors: dict[str, str] = {}
    for question in section.questions:
        raw, message = _raw_value(question, getattr(form, question.id))
        if message is not None:
            errors[question.id] = message
            continue
        value, message = check_answer(question, raw)
        if message is not None:
            errors[question.id] = _friendly(question, message)
        else:
            posted[question.id] = value
    merged = {k: v for k, v in {**stored, **posted}.items() if v is not None}
    seen = visibility(questionnaire, merged)
    visible = seen.questions
    changes = {
        qid: applicable_value(
            questionnaire.questions_by_id[qid], value, seen.hidden_options_of(qid)
        )
        for qid, value in posted.items()
        if qid in visible
    }
    errors = {qid: message for qid, message in errors.items() if qid in visible}
    if require:
        for question in section.questions:
            if (
                question.id in visible
                and question.required
                and seen.answers.get(question.id) is None
                and question.id not in errors
            ):
                errors[question.id] = (
                    _("Choose at least one option.")
                    if question.type is QuestionType.MULTI
                    else _("Please answer this question.")
                )
    return changes, errors


def _raw_value(question: Question, field: Field) -> tuple[Any, str | None]:
    data = field.data
    match question.type:
        case QuestionType.MULTI:
            return list(data or []), None
        case QuestionType.SCALE:
            if data in (None, "", "None"):
                return None, None
            try:
                return int(data), None
            except ValueError:
                return None, _("Choose one of the values of the scale.")
        case QuestionType.NUMBER:
            text = (data or "").strip().replace(" ", "").replace(",", ".")
            if not text:
                return None, None
            try:
                number = float(text)
            except ValueError:
                return None, _("Enter a number, for example 12 or 12.5.")
            return (
                int(number)
                if number.is_integer() and "." not in text and "e" not in text.lower()
                else number
            ), None
        case QuestionType.CHOICE:
            return (data or None), None
    return data, None


def _friendly(question: Question, message: str) -> str:
    """Turn the domain's technical message into one for a respondent."""
    text: str = _message(question, message)
    return text


def _message(question: Question, message: str) -> Any:
    # flask_babel is untyped: its gettext gives Any, made a str by _friendly.
    if question.type is QuestionType.NUMBER:
        low = format_decimal(question.min) if question.min is not None else None
        high = format_decimal(question.max) if question.max is not None else None
        if low is not None and high is not None:
            return _("Enter a number from %(low)s to %(high)s.", low=low, high=high)
        if low is not None:
            return _("Enter a number of at least %(low)s.", low=low)
        if high is not None:
            return _("Enter a number of at most %(high)s.", high=high)
        return _("Enter a number.")
    if question.type is QuestionType.MULTI and "excludes" in message:
        option = next(o.label for o in question.options if o.exclusive)
        return _("“%(option)s” cannot be combined with other options.", option=option)
    if question.type is QuestionType.TEXT:
        return _(
            "Please keep this under %(count)s characters.",
            count=format_decimal(question.max_length),
        )
    return _("Choose one of the options shown.")
