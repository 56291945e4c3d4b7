"""Workshop exports: one row per finished assessment of a participant who chose to share.

Columns are stable, machine-readable keys (``answer:d-fuel-data``) with a label column
beside every coded value, so a spreadsheet reads well and a script needs no lookup table.
Cells that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from assessor.domain.model import Question, Questionnaire
from assessor.domain.scoring import Result
from assessor.presentation.formatting import answer_text
from assessor.services.assessments import result_of
from assessor.storage.db import db
from assessor.storage.models import Assessment, Workshop

if TYPE_CHECKING:
    from openpyxl.cell import Cell as SheetCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Cell = str | float | int | None


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]
    left_out: int  # finished participants who did not agree to share


def workshop_table(workshop: Workshop, questionnaire: Questionnaire) -> Table:
    finished = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.workshop_id == workshop.id, Assessment.submitted_at.is_not(None))
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )
    shared = [a for a in finished if a.share_with_cluster]
    profile = [q for q in questionnaire.questions if q.profile is not None]
    others = [q for q in questionnaire.questions if q.profile is None]
    header = ["assessment", "company", "submitted", "language"]
    for question in profile:
        header += [f"profile:{question.id}", f"profile:{question.id}:label"]
    header += ["score:overall", "level:overall"]
    for dimension in questionnaire.dimensions:
        header += [f"score:{dimension.id}", f"level:{dimension.id}"]
        for theme in dimension.themes:
            header += [f"score:{dimension.id}:{theme.id}", f"level:{dimension.id}:{theme.id}"]
    for question in others:
        header += [f"answer:{question.id}", f"answer:{question.id}:label"]
    rows = [_row(a, result_of(a), profile, others) for a in shared]
    return Table(header, rows, len(finished) - len(shared))


def _row(
    assessment: Assessment, result: Result, profile: Sequence[Question], others: Sequence[Question]
) -> list[Cell]:
    row: list[Cell] = [
        assessment.public_id,
        assessment.company_name or "",
        assessment.submitted_at.isoformat(timespec="seconds") if assessment.submitted_at else "",
        assessment.language,
    ]
    for question in profile:
        row += _answer(question, result)
    row += [_score(result.score), result.level.id if result.level else ""]
    for dimension in result.dimensions:
        row += [_score(dimension.score), dimension.level.id if dimension.level else ""]
        for theme in dimension.themes:
            row += [_score(theme.score), theme.level.id if theme.level else ""]
    for question in others:
        row += _answer(question, result)
    return row


def _score(score: float | None) -> float | str:
    return round(score, 1) if score is not None else ""


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
    for row in table.rows:
        writer.writerow([_defused(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def as_xlsx(table: Table, title: str) -> bytes:
    # Imported here: openpyxl adds about 16 MiB to every web worker that loads it, and only
    # advisers' exports need it (bench/worker_memory.py measures the workers).
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append(table.header)
    for row in table.rows:
        sheet.append(list(_text_cells(sheet, row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cells(sheet: WriteOnlyWorksheet, row: Sequence[Cell]) -> Iterator[SheetCell | Cell]:
    from openpyxl.cell import WriteOnlyCell

    for value in row:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            yield cell
        else:
            yield value


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in title if c not in "[]:*?/\\").strip()
    return (cleaned or "workshop")[:31]
