"""YAML syntax errors in plain words, on the line an author has to change.

libyaml reports where it gave up, in its own grammar's words ("did not find expected
key", "mapping values are not allowed in this context"), and for a text written over
several lines that is often a line or two after the mistake. An author who knows a little
YAML made the mistake with indentation, a tab, a colon in a text or a quote left open: we
look at the lines around the parser's marks to name that mistake, the line it is on, and
what to do. What we cannot recognise keeps the parser's words, in brackets at the end of a
plain sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STRUCTURE_HINT = "(YAML reads structure from indentation)"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A mapping key at the start of a line's content: a plain word (no ':' or '#'), or quoted.
_KEY = re.compile(
    r"""^(?P<key>"[^"]*"|'[^']*'|[^\s#'"\[\]{}|>!&*%@`,-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(?P<value>.*)|$)"""
)
_ITEM = re.compile(r"^-(?:\s+|$)")
# A block scalar's header value: | or > with an optional chomping and indentation indicator.
_BLOCK_HEADER = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")
# How many lines after a recognised mistake the parser may still stop.
_REACH = 3


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    indent: int  # columns of leading spaces
    content_column: int  # where the node starts: after "- " on a list item's line
    is_item: bool
    key: str | None
    value: str  # what follows "key:" on the line, without a comment

    @property
    def is_key(self) -> bool:
        return self.key is not None

    @property
    def kind(self) -> str:
        return "item" if self.is_item else "key" if self.is_key else "text"

    @property
    def has_scalar_value(self) -> bool:
        return self.is_key and bool(self.value) and not _BLOCK_HEADER.match(self.value)


@dataclass(frozen=True)
class _Block:
    """A block scalar (``key: >-`` or ``key: |``) and the lines that spoil it."""

    header: _Line
    first: _Line | None  # its first line of text, which sets its indentation
    spoilers: tuple[int, ...]  # lines that continue it, indented too little


@dataclass(frozen=True)
class ParserReport:
    """What libyaml said: its marks' 1-based lines and its own words."""

    problem: str
    problem_line: int
    context: str | None = None
    context_line: int | None = None


def explain(text: str, report: ParserReport) -> tuple[int, str]:
    """The line at fault and a plain message saying what is wrong there and what to do."""
    source = _Source(text)
    raw = report.problem if not report.context else f"{report.problem}, {report.context}"
    for explainer in (
        source.tab,
        source.folded_text,
        source.open_quote,
        source.open_bracket,
        source.reserved_character,
        source.undefined_alias,
        source.second_document,
        source.indentation,
    ):
        found = explainer(report)
        if found is not None:
            return found
    return report.problem_line, (
        f"line {report.problem_line} is not valid YAML: check its indentation and the line "
        f"before it, and put in quotes a text that holds ': ', ' #' or starts with a sign "
        f"[YAML parser: {raw}]"
    )


class _Source:
    def __init__(self, text: str) -> None:
        self.raw_lines = _LINE_BREAK.split(text)
        self.blocks = self._blocks()
        self.in_block = {
            number
            for block in self.blocks
            for number in range(block.header.number + 1, self._block_end(block) + 1)
        }

    # -- reading lines --

    def line(self, number: int) -> _Line | None:
        """The line's shape; None for a blank line, a comment or a line past the end."""
        if not 1 <= number <= len(self.raw_lines):
            return None
        raw = self.raw_lines[number - 1].rstrip()
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            return None
        indent = len(raw) - len(stripped)
        content_column = indent
        is_item = bool(_ITEM.match(stripped))
        if is_item:
            rest = stripped[1:].lstrip(" ")
            content_column = indent + len(stripped) - len(rest)
            stripped = rest
        match = _KEY.match(stripped)
        key = match.group("key") if match else None
        value = _without_comment(match.group("value") or "") if match else ""
        return _Line(number, indent, content_column, is_item, key, value)

    def previous(self, number: int) -> _Line | None:
        """The nearest line above that holds structure (not blank, a comment or block text)."""
        for above in range(number - 1, 0, -1):
            if above in self.in_block:
                continue
            found = self.line(above)
            if found is not None:
                return found
        return None

    def _blocks(self) -> list[_Block]:
        blocks = []
        for number in range(1, len(self.raw_lines) + 1):
            header = self.line(number)
            if header is None or not header.is_key or not _BLOCK_HEADER.match(header.value):
                continue
            first: _Line | None = None
            spoilers = []
            below = number + 1
            while below <= len(self.raw_lines):
                line = self.line(below)
                if line is None:  # blank lines belong to the text; so do '#' inside it
                    below += 1
                    continue
                if first is None:
                    if line.indent <= header.content_column:
                        break  # an empty text
                    first = line
                elif line.indent < first.indent:
                    if line.indent > header.content_column or line.kind == "text":
                        spoilers.append(below)  # meant as text, but ends it
                    if line.indent <= header.content_column:
                        break
                below += 1
            blocks.append(_Block(header, first, tuple(spoilers)))
        return blocks

    def _block_end(self, block: _Block) -> int:
        if block.first is None:
            return block.header.number
        end = block.first.number
        for number in range(block.first.number + 1, len(self.raw_lines) + 1):
            line = self.line(number)
            if line is not None:
                if line.indent < block.first.indent:
                    break
                end = number
        return end

    # -- explainers: each recognises one kind of mistake, or returns None --

    def tab(self, report: ParserReport) -> tuple[int, str] | None:
        if "tab" not in report.problem:
            return None
        number = report.problem_line
        for candidate in (number, *range(1, number)):
            raw = self.raw_lines[candidate - 1] if candidate <= len(self.raw_lines) else ""
            if "\t" in raw[: len(raw) - len(raw.lstrip(" \t"))]:
                number = candidate
                break
        return number, (
            f"line {number} is indented with a tab: indent with spaces only "
            f"(YAML does not accept tabs in indentation)"
        )

    def folded_text(self, report: ParserReport) -> tuple[int, str] | None:
        reached = max(report.problem_line, report.context_line or 0)
        spoilers = [
            (number, block)
            for block in self.blocks
            for number in block.spoilers
            if number <= reached and reached - number <= _REACH
        ]
        if not spoilers:
            return None
        number, block = spoilers[-1]
        assert block.first is not None  # a block with spoilers has a first line
        style = "folded" if block.header.value.startswith(">") else "literal"
        return number, (
            f"line {number} seems to continue the {style} text of {block.header.key!r} "
            f"(line {block.header.number}) but is indented less than its first line "
            f"(line {block.first.number}): indent every line of a {style} text "
            f"({block.header.value.split()[0]}) as its first line, more than its key "
            f"{STRUCTURE_HINT}"
        )

    def open_quote(self, report: ParserReport) -> tuple[int, str] | None:
        if "quoted scalar" not in (report.context or "") or report.context_line is None:
            return None
        number = report.context_line
        if "escape" in report.problem:
            return report.problem_line, (
                f"line {report.problem_line} has a backslash that double quotes do not "
                f"allow here: write the text in single quotes, or double the backslash (\\\\)"
            )
        return number, (
            f"the quoted text that starts on line {number} is not closed: end it with the "
            f"same quote mark it starts with (a quote inside it is written twice in single "
            f'quotes, or as \\" in double quotes)'
        )

    def open_bracket(self, report: ParserReport) -> tuple[int, str] | None:
        context = report.context or ""
        if not context.startswith("while parsing a flow") or report.context_line is None:
            return None
        bracket = "{ }" if "mapping" in context else "[ ]"
        return report.context_line, (
            f"the {bracket} started on line {report.context_line} is not closed where "
            f"expected: close it, and put in quotes any text inside it that holds a comma, "
            f"a colon or a bracket"
        )

    def undefined_alias(self, report: ParserReport) -> tuple[int, str] | None:
        if "undefined alias" not in report.problem:
            return None
        number = report.problem_line
        return number, (
            f"on line {number} a value starts with '*', which YAML reads as a reference to an "
            f"anchor ('&name') defined above: put the value in quotes"
        )

    def reserved_character(self, report: ParserReport) -> tuple[int, str] | None:
        if "cannot start any token" not in report.problem:
            return None
        number = report.problem_line
        return number, (
            f"on line {number} a value starts with a character YAML keeps for itself "
            f'(such as %, @ or `): put the value in quotes, for example unit: "%"'
        )

    def second_document(self, report: ParserReport) -> tuple[int, str] | None:
        if "single document" not in f"{report.context} {report.problem}":
            return None
        number = report.problem_line
        return number, (
            f"line {number} starts a second YAML document ('---'): a file holds only one; "
            f"remove the line, or move what follows it to a file of its own"
        )

    def indentation(self, report: ParserReport) -> tuple[int, str] | None:
        number = report.problem_line
        if report.context == "while scanning a simple key" and report.context_line:
            number = report.context_line  # a line that is neither key nor item, read on
        line = self.line(number)
        above = self.previous(number)
        if line is None or above is None:
            return None
        if line.kind == "text":
            return number, (
                f"line {number} is neither 'key: value' nor a list item ('- '): if it "
                f"continues the text of line {above.number}, indent it more than that "
                f"line's key or write the text after >- ; if it is a key, add the ':' "
                f"after it"
            )
        if line.indent > above.content_column and above.has_scalar_value:
            if line.is_key and not line.is_item and " " in (line.key or ""):
                # Keys in these files are ids: words with spaces are text going on.
                return number, (
                    f"line {number} continues the text of line {above.number} and holds "
                    f"': ', which YAML reads as a key: put that text in quotes (\"...\"), or "
                    f"write it after >- on the lines below"
                )
            return number, (
                f"line {number} is indented more than line {above.number}, which already has "
                f"its value: give it the same indentation as line {above.number} "
                f"{STRUCTURE_HINT}"
            )
        if "mapping values are not allowed" in report.problem and line.is_key:
            return number, (
                f"line {number} holds ': ' inside a text, which YAML reads as a key: put the "
                f'text in quotes ("..."), or write it after >- on the lines below'
            )
        return self._misaligned(line)

    def _misaligned(self, line: _Line) -> tuple[int, str] | None:
        """A line at an indentation no open level has, or a key among list items (or an item
        among keys): name the line it should line up with."""
        levels = self._open_levels(line.number)
        own = line.indent if line.is_item else line.content_column
        number = line.number
        if line.is_item:
            items = [lv for col, lv in levels.items() if lv.line.is_item and col == lv.line.indent]
            if own not in {lv.column for lv in items} and items:
                nearest = min(items, key=lambda lv: (abs(lv.column - own), -lv.column))
                return self._item_out_of_line(line, nearest.line)
        if own not in levels:
            higher = [lv for lv in levels if lv > own]
            lower = [lv for lv in levels if lv < own]
            candidates = [
                levels[lv]
                for lv in (min(higher, default=None), max(lower, default=None))
                if lv is not None
            ]
            same_kind = [c for c in candidates if c.line.is_item == line.is_item]
            if len(same_kind) == 1:
                match = same_kind[0]
                direction = "less" if own < match.column else "more"
                what = "the item of its list" if line.is_item else "the key"
                return number, (
                    f"line {number} is indented {direction} than {what} above it (line "
                    f"{match.line.number}): give it the same indentation as line "
                    f"{match.line.number} {STRUCTURE_HINT}"
                )
            near = " or ".join(dict.fromkeys(f"line {c.line.number}" for c in candidates))
            spaces = "1 space" if own == 1 else f"{own} spaces"
            return number, (
                f"line {number} is indented {spaces}, which lines up with no line above "
                f"it: give it the same indentation as the line it belongs with ({near}) "
                f"{STRUCTURE_HINT}"
            )
        level = levels[own]
        if line.is_item and not level.line.is_item:
            return number, (
                f"line {number} starts a list item ('- ') among the keys of a mapping (line "
                f"{level.line.number}): a list goes under a key of its own ('key:' above it), "
                f"indented more than that key {STRUCTURE_HINT}"
            )
        if not line.is_item and level.line.is_item and level.column == level.line.indent:
            sibling = self._key_of_item(level.line, line.number)
            return number, (
                f"line {number} is indented less than the other keys of its list item (line "
                f"{sibling}): give it the same indentation as line {sibling}, or start a new "
                f"item with '- ' {STRUCTURE_HINT}"
            )
        return None

    def _item_out_of_line(self, line: _Line, item: _Line) -> tuple[int, str]:
        """``line``, a list item, does not line up with ``item``, the nearest item above it.
        When ``item`` opens its list, it may be the one out of line: the items after
        ``line`` tell."""
        number = line.number
        if self._opens_list(item):
            if self._more_items_at(line):
                return item.number, (
                    f"line {item.number}, the first item of its list, is indented "
                    f"differently from the items after it (line {number}): give every item "
                    f"of the list the same indentation {STRUCTURE_HINT}"
                )
            return number, (
                f"line {number} and line {item.number}, the first item of its list, are not "
                f"indented the same: give every item of the list the same indentation "
                f"{STRUCTURE_HINT}"
            )
        direction = "less" if line.indent < item.indent else "more"
        return number, (
            f"line {number} is indented {direction} than the item of its list above it (line "
            f"{item.number}): give it the same indentation as line {item.number} "
            f"{STRUCTURE_HINT}"
        )

    def _opens_list(self, item: _Line) -> bool:
        above = self.previous(item.number)
        return above is None or (
            above.indent <= item.indent and not (above.is_item and above.indent == item.indent)
        )

    def _more_items_at(self, line: _Line) -> bool:
        """Whether another item follows ``line`` at its indentation, in the same list."""
        for number in range(line.number + 1, len(self.raw_lines) + 1):
            below = self.line(number)
            if below is None or number in self.in_block or below.indent > line.indent:
                continue
            return below.indent == line.indent and below.is_item
        return False

    def _open_levels(self, number: int) -> dict[int, _Level]:
        """The columns a line may start at, given the lines above: those of the line above
        and of each enclosing line, nearest first (an item's line gives its dash's column
        and its key's)."""
        levels: dict[int, _Level] = {}
        lowest: int | None = None
        above = self.previous(number)
        while above is not None:
            if lowest is None or above.indent < lowest:
                levels.setdefault(above.content_column, _Level(above, above.content_column))
                levels.setdefault(above.indent, _Level(above, above.indent))
                lowest = above.indent
                if lowest == 0:
                    break
            above = self.previous(above.number)
        return levels

    def _key_of_item(self, item: _Line, before: int) -> int:
        """The nearest line above ``before`` that holds a key of ``item``'s mapping."""
        for number in range(before - 1, item.number, -1):
            line = self.line(number)
            if line is not None and number not in self.in_block:
                if line.indent == item.content_column and line.is_key:
                    return number
        return item.number


@dataclass(frozen=True)
class _Level:
    line: _Line  # the nearest line above that opens this column
    column: int


def _without_comment(value: str) -> str:
    if value.startswith(("'", '"')):
        return value.strip()
    return re.split(r"\s#", value, maxsplit=1)[0].strip()
