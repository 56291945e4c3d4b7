"""The insights tables written as files: a workbook with a sheet per view, or one view as
CSV. Both have the columns' codes on the first row and their names on the second, as the
workshop exports do (assessor.services.exports); a text is always written as text, never
run as a formula."""

from __future__ import annotations

import io
from collections.abc import Sequence

# The workshop exports' own helpers: one way to size columns and name sheets.
from assessor.services.exports import Table, _column_widths, _sheet_title, as_csv
from assessor.services.insights.exports.sheets import HIDDEN_COLUMN, Sheet


def _table(sheet: Sheet) -> Table:
    return Table(header=sheet.codes, rows=sheet.rows, left_out=0, labels=sheet.labels)


def sheet_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a BOM (Excel reads it as such); texts a spreadsheet would evaluate get a
    leading apostrophe."""
    return as_csv(_table(sheet))


def workbook(sheets: Sequence[Sheet], title: str) -> bytes:
    # Imported here: openpyxl weighs on every web worker that loads it (see exports.py).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    book.properties.title = title
    used: set[str] = set()
    for sheet in sheets:
        name = _unique(_sheet_title(sheet.title) if sheet.title else sheet.view, used)
        out = book.create_sheet(title=name)
        out.freeze_panes = "A3"  # both header rows stay in sight
        for index, width in enumerate(_column_widths(_table(sheet)), start=1):
            out.column_dimensions[get_column_letter(index)].width = width
        codes = []
        for code in sheet.codes:
            cell = WriteOnlyCell(out, value=code)
            cell.font = Font(color="595959", size=9)
            codes.append(cell)
        out.append(codes)
        names = []
        for label in sheet.labels:
            cell = WriteOnlyCell(out, value=label)
            cell.data_type = "s"  # never a formula, whatever a label starts with
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            names.append(cell)
        out.append(names)
        shares = set(sheet.share_columns)
        for row in sheet.rows:
            # A hidden figure's empty cell also says so where it is, as a comment.
            hidden = set(str(row[-1]).split(";")) if sheet.codes[-1] == HIDDEN_COLUMN else set()
            cells = []
            for index, value in enumerate(row):
                cell = WriteOnlyCell(out, value=None if value == "" else value)
                if sheet.codes[index] in hidden:
                    cell.comment = Comment(sheet.labels[-1], "assessor")
                if isinstance(value, str) and value:
                    cell.data_type = "s"  # a text starting with = + - @ stays a text
                elif index in shares and value is not None:
                    cell.number_format = "0.0%"
                cells.append(cell)
            out.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _unique(name: str, used: set[str]) -> str:
    """Excel refuses two sheets of one name (case aside): a translation that shortens two
    titles alike gets a number."""
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" {number}"
        candidate = name[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate
