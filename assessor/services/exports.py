"""Workshop exports: one row per finished assessment of a participant who chose to share.

Two header rows: the first holds stable, machine-readable column codes
(``answer:d-fuel-data``) that scripts read, the second what each column is in the
adviser's language ("How do you record your fuel use?"); the data start on the third row.
A label column sits beside every coded value, so a spreadsheet reads well and a script
needs no lookup table. Cells that a spreadsheet would run as a formula are defused. The
XLSX keeps both header rows and the company's column in sight (frozen panes) and sizes
its columns to their contents.

Where the company's earlier assessment is known (as on the Companies page: the same
company's previous one on the questionnaire), each score has its change since then, left
empty where the questionnaire changed how the score is computed; a column says which.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from assessor.domain.comparability import (
    OVERALL,
    Comparison,
    dimension_key,
    theme_key,
)
from assessor.domain.model import Question, Questionnaire
from assessor.domain.rounding import rounded
from assessor.domain.scoring import Result
from assessor.presentation.formatting import answer_text
from assessor.presentation.results import not_compared_parts
from assessor.services.assessments import result_of
from assessor.services.follow_up import (
    PreviousAssessment,
    contents_compared,
    previous_assessments,
)
from assessor.storage.db import db
from assessor.storage.models import Assessment, Workshop

if TYPE_CHECKING:
    from openpyxl.cell import Cell as SheetCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Cell = str | float | int | None


@dataclass(frozen=True)
class Table:
    header: list[str]  # the columns' codes
    rows: list[list[Cell]]
    left_out: int  # finished participants who did not agree to share
    labels: list[str] | None = None  # the columns' names for people, when there are some


def workshop_table(workshop: Workshop, questionnaire: Questionnaire) -> Table:
    finished = list(
        db.session.scalars(
            select(Assessment)
            .where(
                Assessment.workshop_id == workshop.id,
                Assessment.submitted_at.is_not(None),
                Assessment.is_preview.is_(False),
            )
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )
    shared = [a for a in finished if a.share_with_cluster]
    profile = [q for q in questionnaire.questions if q.profile is not None]
    others = [q for q in questionnaire.questions if q.profile is None]
    columns = _columns(questionnaire, profile, others)
    earlier = previous_assessments(workshop.cluster) if shared else {}
    rows = [_row(a, result_of(a), profile, others, earlier.get(a.id)) for a in shared]
    return Table(
        [code for code, _label in columns],
        rows,
        len(finished) - len(shared),
        [label for _code, label in columns],
    )


def _columns(
    questionnaire: Questionnaire, profile: Sequence[Question], others: Sequence[Question]
) -> list[tuple[str, str]]:
    """Each column's code and its name in the current language, in the rows' order."""
    columns = [
        ("assessment", _("Assessment")),
        ("company", _("Company")),
        ("submitted", _("Submitted")),
        ("language", _("Language")),
        ("version", _("Questionnaire version")),
    ]
    for question in profile:
        columns += _answer_columns("profile", question)
    columns += [("score:overall", _("Overall score")), ("level:overall", _("Overall level"))]
    for dimension in questionnaire.dimensions:
        columns += [
            (f"score:{dimension.id}", _("%(name)s: score", name=dimension.label)),
            (f"level:{dimension.id}", _("%(name)s: level", name=dimension.label)),
        ]
        for theme in dimension.themes:
            key = f"{dimension.id}:{theme.id}"
            columns += [
                (f"score:{key}", _("%(name)s: score", name=theme.label)),
                (f"level:{key}", _("%(name)s: level", name=theme.label)),
            ]
    columns += [
        ("previous:assessment", _("Previous assessment")),
        ("previous:submitted", _("Previous assessment: submitted")),
        ("previous:version", _("Previous assessment: questionnaire version")),
        ("change:overall", _("%(name)s: change", name=_("Overall"))),
    ]
    for dimension in questionnaire.dimensions:
        columns.append((f"change:{dimension.id}", _("%(name)s: change", name=dimension.label)))
        for theme in dimension.themes:
            columns.append(
                (f"change:{dimension.id}:{theme.id}", _("%(name)s: change", name=theme.label))
            )
    columns += [
        ("not_compared", _("Not compared (code)")),
        ("not_compared:label", _("Not compared")),
    ]
    for question in others:
        columns += _answer_columns("answer", question)
    return columns


def _answer_columns(prefix: str, question: Question) -> list[tuple[str, str]]:
    """A question's two columns: the answer's code, and the answer in words."""
    return [
        (f"{prefix}:{question.id}", _("%(question)s (code)", question=question.text)),
        (f"{prefix}:{question.id}:label", question.text),
    ]


def _row(
    assessment: Assessment,
    result: Result,
    profile: Sequence[Question],
    others: Sequence[Question],
    previous: PreviousAssessment | None = None,
) -> list[Cell]:
    row: list[Cell] = [
        assessment.public_id,
        assessment.company_name or "",
        assessment.submitted_at.isoformat(timespec="seconds") if assessment.submitted_at else "",
        assessment.language,
        assessment.questionnaire_version,
    ]
    for question in profile:
        row += _answer(question, result)
    row += [_score(result.score), result.level.id if result.level else ""]
    for dimension in result.dimensions:
        row += [_score(dimension.score), dimension.level.id if dimension.level else ""]
        for theme in dimension.themes:
            row += [_score(theme.score), theme.level.id if theme.level else ""]
    row += _changes(assessment, result, previous)
    for question in others:
        row += _answer(question, result)
    return row


def _changes(
    assessment: Assessment, result: Result, previous: PreviousAssessment | None
) -> list[Cell]:
    """The previous assessment, each score's change since then, and what is not compared
    because the questionnaire changed how it is computed (the cells of those stay empty)."""
    keys = [OVERALL]
    for dimension in result.dimensions:
        keys.append(dimension_key(dimension.dimension.id))
        keys += [theme_key(t.theme.id) for t in dimension.themes]
    if previous is None:
        empty: list[Cell] = [""] * (3 + len(keys) + 2)
        return empty
    earlier = db.session.get(Assessment, previous.id)
    assert earlier is not None  # just listed, in this transaction
    now, then = _scores(result), _scores(result_of(earlier))
    comparison = contents_compared(
        assessment.questionnaire_id,
        (previous.questionnaire_version, previous.questionnaire_sha256),
        (assessment.questionnaire_version, assessment.questionnaire_sha256),
    )
    not_compared = [
        key
        for key in keys
        if comparison is not None and not comparison.allows(key) and then.get(key) is not None
    ]
    changes: list[Cell] = [
        "" if key in not_compared else _difference(now.get(key), then.get(key)) for key in keys
    ]
    return [
        previous.public_id,
        previous.submitted_at.isoformat(timespec="seconds"),
        previous.questionnaire_version,
        *changes,
        ";".join(_column_key(key, result) for key in not_compared),
        _not_compared_text(result.questionnaire, comparison) if not_compared else "",
    ]


def _difference(score: float | None, earlier: float | None) -> float | str:
    return _score(score - earlier) if score is not None and earlier is not None else ""


def _scores(result: Result) -> dict[str, float | None]:
    scores: dict[str, float | None] = {OVERALL: result.score}
    for dimension in result.dimensions:
        scores[dimension_key(dimension.dimension.id)] = dimension.score
        for theme in dimension.themes:
            scores[theme_key(theme.theme.id)] = theme.score
    return scores


def _column_key(key: str, result: Result) -> str:
    """A score key as the export's columns name it: ``overall``, ``<dimension>``,
    ``<dimension>:<theme>``."""
    kind, _colon, item = key.partition(":")
    if kind == "theme":
        return f"{result.questionnaire.themes_by_id[item].dimension_id}:{item}"
    return item or key


def _not_compared_text(questionnaire: Questionnaire, comparison: Comparison | None) -> str:
    assert comparison is not None  # only where something is not compared
    # The results page's separator (its translation gives French a no-break space before
    # the semicolon).
    separator = pgettext("separator of list items", "; ")
    return str(
        _(
            "The questionnaire changed between version %(earlier)s and version %(later)s; not compared: %(parts)s.",
            earlier=comparison.earlier_version,
            later=comparison.later_version,
            parts=separator.join(not_compared_parts(questionnaire, comparison)),
        )
    )


def _score(score: float | None) -> float | str:
    return rounded(score, 1) if score is not None else ""


def _answer(question: Question, result: Result) -> list[Cell]:
    value = result.visible_answer(question.id)
    if value is None:
        return ["", ""]
    # Checked answers: a tuple of option ids is a multi question's, and only its.
    code: Cell = ";".join(value) if isinstance(value, tuple) else value
    return [code, answer_text(question, value)]


# Full-width forms too: some spreadsheets read "＝1+1" as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _defused(value: Cell) -> Cell:
    """A text a spreadsheet would evaluate ("=HYPERLINK(...)") gets a leading apostrophe,
    also when spaces, tabs, line breaks or other invisible characters come first: importers
    that trim them would evaluate what follows."""
    if isinstance(value, str) and _visible_start(value).startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _visible_start(text: str) -> str:
    """The text from its first character that is neither space nor control nor format."""
    for index, character in enumerate(text):
        if not (character.isspace() or unicodedata.category(character) in ("Cc", "Cf")):
            return text[index:]
    return ""


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    if table.labels is not None:
        writer.writerow([_defused(label) for label in table.labels])
    for row in table.rows:
        writer.writerow([_defused(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


# Column widths in characters: room for a short label or a date, never a whole screen; a
# longer name wraps on lines of about 30 characters.
_NARROWEST, _WIDEST, _LABEL_LINE = 8, 40, 30
# The columns kept in sight while scrolling right: the assessment's id and the company.
_FROZEN_COLUMNS = 2


def as_xlsx(table: Table, title: str) -> bytes:
    # Imported here: openpyxl adds about 16 MiB to every web worker that loads it, and only
    # advisers' exports need it (bench/worker_memory.py measures the workers).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title  # the whole title, which the sheet's name may not hold
    sheet = workbook.create_sheet(title=_sheet_title(title))
    header_rows = 1 if table.labels is None else 2
    # Set before any row is written: a write-only sheet writes its views and columns first.
    sheet.freeze_panes = f"{get_column_letter(_FROZEN_COLUMNS + 1)}{header_rows + 1}"
    for index, width in enumerate(_column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    codes = []
    for code in table.header:
        cell = WriteOnlyCell(sheet, value=code)
        cell.font = Font(color="595959", size=9)
        codes.append(cell)
    sheet.append(codes)
    if table.labels is not None:
        labels = []
        for label in table.labels:
            cell = WriteOnlyCell(sheet, value=label)
            cell.data_type = "s"  # never a formula, whatever a question starts with
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            labels.append(cell)
        sheet.append(labels)
    for row in table.rows:
        sheet.append(list(_text_cells(sheet, row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_widths(table: Table) -> list[float]:
    """Each column as wide as its longest value, or a line of its name (which wraps),
    within bounds; a long code in the first row may be cut short on screen."""
    widths = []
    for index, code in enumerate(table.header):
        label = table.labels[index] if table.labels is not None else code
        longest_word = max((len(word) for word in str(label).split()), default=0)
        values = [len(str(row[index])) for row in table.rows if row[index] not in (None, "")]
        wanted = max([longest_word, min(len(str(label)), _LABEL_LINE), *values])
        widths.append(float(min(max(wanted + 2, _NARROWEST), _WIDEST)))
    return widths


def _text_cells(sheet: WriteOnlyWorksheet, row: Sequence[Cell]) -> Iterator[SheetCell | Cell]:
    from openpyxl.cell import WriteOnlyCell

    for value in row:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            yield cell
        else:
            yield value


# Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_TITLE_LIMIT = 31
_NOT_IN_SHEET_TITLES = "[]:*?/\\"


def _sheet_title(title: str) -> str:
    """The workshop's title as a sheet's name: Excel's characters only, at most 31 of them,
    shortened at a word's end with "…" rather than in the middle of a word."""
    cleaned = " ".join("".join(" " if c in _NOT_IN_SHEET_TITLES else c for c in title).split())
    cleaned = cleaned.strip("'")  # a name may neither begin nor end with an apostrophe
    if len(cleaned) <= SHEET_TITLE_LIMIT:
        return cleaned or "workshop"
    room = cleaned[: SHEET_TITLE_LIMIT - 1]  # and "…"
    cut = len(room) if cleaned[len(room)] == " " else room.rfind(" ")
    if cut <= 0:  # one long word: no word's end to cut at
        cut = len(room)
    shortened = room[:cut].rstrip(" ,;.-–—·'")
    return (shortened or room) + "…"
