"""The checks that find missing glyphs do find them: characters no font can have (an
unassigned code point, a private-use one) are reported as boxes, the letters of the 24
languages are not (tests/glyphs.py)."""

from __future__ import annotations

import weasyprint
from playwright.sync_api import Browser

from tests.glyphs import missing_glyphs_in_pdf, missing_glyphs_on_page

COVERED = "Ελληνικά · Български · Română șț · Malti ħġż · Lietuvių ąčęėįšųūž · Magyar őű"
NOT_COVERED = "\u0378\U0010fffd"  # unassigned; private use: in no font on any machine


def pdf_of(text: str) -> bytes:
    return weasyprint.HTML(string=f"<p style='font-family: sans-serif'>{text}</p>").write_pdf()


def test_a_pdf_with_every_letter_drawn_has_no_missing_glyph() -> None:
    assert missing_glyphs_in_pdf(pdf_of(COVERED)) == []


def test_a_pdf_drawing_boxes_is_caught() -> None:
    missing = missing_glyphs_in_pdf(pdf_of(f"{COVERED} {NOT_COVERED}"))
    assert missing, "no font has these: they are boxes"
    assert "\\u0378" in "".join(missing)  # written as repr() writes it
    assert "Ε" not in "".join(missing)


def test_a_page_drawing_boxes_is_caught(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content(f"<p>{COVERED}</p>")
    assert missing_glyphs_on_page(page) == []
    page.set_content(f"<p>{COVERED}</p><p>{NOT_COVERED}</p>")
    assert set(NOT_COVERED) <= set(missing_glyphs_on_page(page))
    page.close()
