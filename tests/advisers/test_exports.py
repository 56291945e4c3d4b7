"""Workshop exports read by people and by scripts: the columns' codes, then their names in
the adviser's language; an XLSX with its header rows frozen, columns sized to their
contents and a sheet name Excel accepts."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from openpyxl import load_workbook

from assessor.services.exports import SHEET_TITLE_LIMIT, Table, _sheet_title, as_xlsx
from tests.advisers.helpers import (
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)

TITLE = "Green & digital breakfast — Kotka, 6 Dec"


def _workshop(app: Flask):
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser, TITLE)
    code = join_code_of(adviser, public_id)
    join_and_finish(app, code, company="Kuljetus Aalto Oy", share=True)
    join_and_finish(app, code, company="Nordic Reefer Oy", share=True)
    return adviser, public_id


def test_the_xlsx_freezes_its_headers_sizes_its_columns_and_names_its_sheet(app: Flask) -> None:
    adviser, public_id = _workshop(app)
    data = adviser.get(f"/advisers/workshops/{public_id}/export.xlsx").data
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.title == "Green & digital breakfast…"  # cut after a word, not in one
    assert workbook.properties.title == TITLE
    assert sheet.freeze_panes == "C3"  # both header rows and the company stay in sight
    codes = [cell.value for cell in sheet[1]]
    labels = [cell.value for cell in sheet[2]]
    assert codes[:2] == ["assessment", "company"]
    assert labels[codes.index("score:decarbonisation")] == "Decarbonisation: score"
    assert "How are your transport documents today?" in labels[codes.index("answer:q-efti:label")]
    assert labels[codes.index("answer:q-efti")].endswith("(code)")
    assert sheet[2][0].font.b  # the names in bold
    widths = {
        code: sheet.column_dimensions[cell.column_letter].width
        for code, cell in zip(codes, sheet[1], strict=True)
    }
    assert all(8 <= width <= 40 for width in widths.values()), widths
    assert widths["company"] >= len("Kuljetus Aalto Oy")  # as wide as the longest name
    assert widths["answer:q-efti:label"] >= 30  # a question wraps on lines of that width
    assert sheet[2][codes.index("answer:q-efti:label")].alignment.wrap_text
    assert len(set(widths.values())) > 3  # not every column at one default width
    assert sheet.max_row == 4  # two header rows and the two who shared


def test_the_headers_are_in_the_advisers_language_beside_the_codes(app: Flask) -> None:
    adviser, public_id = _workshop(app)
    english = load_workbook(
        io.BytesIO(adviser.get(f"/advisers/workshops/{public_id}/export.xlsx").data)
    ).active
    german = load_workbook(
        io.BytesIO(adviser.get(f"/de/advisers/workshops/{public_id}/export.xlsx").data)
    ).active
    codes = [cell.value for cell in german[1]]
    assert codes == [cell.value for cell in english[1]]  # scripts read the same codes
    labels = dict(zip(codes, [cell.value for cell in german[2]], strict=True))
    assert labels["company"] == "Unternehmen"
    assert labels["level:overall"] == "Gesamtstufe"
    assert labels["score:decarbonisation"].startswith("Dekarbonisierung")
    english_labels = dict(zip(codes, [cell.value for cell in english[2]], strict=True))
    assert labels["answer:q-efti:label"] != english_labels["answer:q-efti:label"]

    rows = list(
        csv.reader(
            io.StringIO(
                adviser.get(f"/de/advisers/workshops/{public_id}/export.csv").data.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0] == codes
    assert rows[1][codes.index("company")] == "Unternehmen"
    assert len(rows) == 4


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("Quick check in Turku", "Quick check in Turku"),
        ("Green & digital breakfast — Kotka, 6 Dec", "Green & digital breakfast…"),
        ("Kuljetusyritysten digitaalinen aamupäivä Kotkassa", "Kuljetusyritysten digitaalinen…"),
        ("Q1/Q2: review [draft]?", "Q1 Q2 review draft"),
        ("'Quoted'", "Quoted"),
        ("A" * 40, "A" * 30 + "…"),  # a single word longer than the limit: cut it
        ("???", "workshop"),
    ],
)
def test_a_sheet_name_fits_excel_without_cutting_a_word(title: str, sheet: str) -> None:
    assert _sheet_title(title) == sheet
    assert len(_sheet_title(title)) <= SHEET_TITLE_LIMIT


def test_a_table_without_names_keeps_one_header_row() -> None:
    workbook = load_workbook(io.BytesIO(as_xlsx(Table(["a", "b", "c"], [[1, 2, 3]], 0), "t")))
    assert workbook.active.freeze_panes == "C2"
    assert workbook.active.max_row == 2
