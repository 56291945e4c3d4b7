"""Text drawn without its glyph: the "tofu" box a reader sees when no font has a letter.

For a PDF, the fonts WeasyPrint embeds are read back: a glyph id that is 0 (.notdef) or
beyond the embedded font's glyphs is a box, and the font's ToUnicode map says which
character it stood for. For a page in Chromium, the fonts the browser used for each piece
of text (DevTools' ``CSS.getPlatformFontsForNode``) are looked up with fontconfig, and each
character shown must be in one of them (Chromium reports the font even where it drew a box).
"""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache

from fontTools.ttLib import TTFont
from playwright.sync_api import Page
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

_BFCHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_BFRANGE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace")


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """Glyph id -> the text it stands for, from the font's ToUnicode CMap."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, start in _BFRANGE.findall(block):
            base = int(start, 16)
            for offset, gid in enumerate(range(int(first, 16), int(last, 16) + 1)):
                found[gid] = chr(base + offset)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for gid, text in _BFCHAR.findall(block):
            found[int(gid, 16)] = _utf16(text)
    return found


def _glyph_count(font: DictionaryObject) -> int | None:
    for descendant in font.get("/DescendantFonts", []):
        descriptor = descendant.get_object()["/FontDescriptor"].get_object()
        for key in ("/FontFile2", "/FontFile3"):
            if key in descriptor:
                data = descriptor[key].get_object().get_data()
                return int(TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs)
    return None


def missing_glyphs_in_pdf(data: bytes) -> list[str]:
    """ "FONT: text" for each text a PDF draws with a missing glyph; [] when none."""
    missing: list[str] = []
    seen: set[int] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            count = _glyph_count(font)
            boxes = sorted(
                text
                for gid, text in _to_unicode(font).items()
                if gid == 0 or (count is not None and gid >= count)
            )
            if boxes:
                missing.append(f"{font.get('/BaseFont')}: {''.join(boxes)!r}")
    return missing


@cache
def _font_characters(family: str) -> frozenset[int]:
    path = subprocess.run(
        ["fc-match", "--format=%{file}", family], capture_output=True, text=True, check=True
    ).stdout
    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


# Characters no font draws: spaces, joiners and controls.
_INVISIBLE = re.compile(r"[\s\u00ad\u200b-\u200f\u2028-\u202f\u2060\ufeff]")


# Marks, for each character on the page, one element whose own text has it: the fonts of
# these elements are the fonts the page's letters were drawn with.
_MARK_PROBES = """() => {
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style') || !parent.getClientRects().length) continue;
    const fresh = [...node.nodeValue].filter(c => c.trim() && !seen.has(c));
    if (fresh.length) { fresh.forEach(c => seen.add(c)); parent.setAttribute('data-glyph-probe', ''); }
  }
}"""


def missing_glyphs_on_page(page: Page) -> list[str]:
    """Characters shown on the page that none of the fonts Chromium used for them has."""
    page.evaluate(_MARK_PROBES)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    probes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyph-probe]"})
    covered: set[int] = set()
    for node_id in probes["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]:
            covered |= _font_characters(font["familyName"])
    cdp.detach()
    page.evaluate(
        "document.querySelectorAll('[data-glyph-probe]')"
        ".forEach(e => e.removeAttribute('data-glyph-probe'))"
    )
    shown = _INVISIBLE.sub("", page.locator("body").inner_text())
    return sorted({c for c in shown if ord(c) not in covered})
