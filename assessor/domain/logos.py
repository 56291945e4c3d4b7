"""Cluster logos: a small PNG, or an SVG rebuilt from an allow-list of drawing elements.

Logos come from catalogue files and from cluster administrators' uploads; they end up
on the cover of every plan (WeasyPrint) and on adviser pages, so both paths apply the
same checks. An SVG is parsed without DTDs or entities, checked against an allow-list
of elements and attributes, and serialised again from the parsed tree: what is stored
and drawn is never the uploaded text. Its drawing cost is capped as WeasyPrint would
pay it (``<use>`` and ``url(#id)`` references followed, text and gradient stops
counted), so that a small file cannot keep a worker rendering one plan for minutes.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
LOGO_MAX_BYTES = 200_000
LOGO_MAX_PIXELS = 4000  # per side: larger gains nothing on an A4 cover

# Caps on an SVG. Logos exported from Illustrator, Inkscape or Figma have hundreds to a
# few thousand elements, nest groups less than 20 deep, and reuse a shape with <use> at
# most a few dozen times. LOGO_MAX_DRAWN counts the work WeasyPrint would do in units of
# about 80 microseconds of WeasyPrint 70 on a 2-core server (see _Drawing). Measured at
# the cap, the slowest constructs (texts, <use>, opacity, masks, long paths reused, many
# ids) rendered in 0.5 to 1.7 s, so a logo adds at most about 2 s to a plan whatever the
# file holds; a 190 KB Illustrator-style logo of 1,350 paths and 60 gradients costs
# about 7,000 units (0.3 s).
LOGO_MAX_ELEMENTS = 10_000  # elements in the file
LOGO_MAX_DEPTH = 64  # nesting, counted along <use> and url(#id) references too
LOGO_MAX_DRAWN = 20_000  # units of drawing work, every reference followed
LOGO_MAX_SIDE = 10_000  # width and height of the root element, in whatever unit
LOGO_MAX_NUMBER = 1_000_000  # any coordinate or length: far beyond any artboard

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_XLINK_HREF = f"{{{XLINK_NS}}}href"
_XML_SPACE = f"{{{_XML_NS}}}space"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# SVG presentation attributes that change how a logo looks and can only name colours,
# lengths, keywords, fonts or url(#local-id). Left out: filter, marker-*, cursor and
# color-profile (they fetch or draw elements this allow-list does not keep).
_PRESENTATION = frozenset(
    {
        "alignment-baseline",
        "baseline-shift",
        "clip-path",
        "clip-rule",
        "color",
        "direction",
        "display",
        "dominant-baseline",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-size-adjust",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "letter-spacing",
        "mask",
        "opacity",
        "overflow",
        "shape-rendering",
        "stop-color",
        "stop-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
        "text-rendering",
        "unicode-bidi",
        "visibility",
        "word-spacing",
        "writing-mode",
    }
)
_TEXT_POSITION = frozenset({"x", "y", "dx", "dy", "rotate", "textLength", "lengthAdjust"})
# No spreadMethod: WeasyPrint draws a "repeat" or "reflect" gradient once per repetition,
# so a gradient a millionth of a pixel long would keep a worker busy for ever. A logo
# keeps the default ("pad"), which is drawn once.
_GRADIENT = frozenset({"gradientUnits", "gradientTransform"})
_BOX = frozenset({"x", "y", "width", "height"})
_VIEWPORT = _BOX | {"viewBox", "preserveAspectRatio"}
# The drawing elements a logo needs, each with the attributes it may keep besides
# `transform` and the presentation attributes. No <image>, <a>, <pattern>, <marker>,
# <filter>, <foreignObject>, <script>, animation (<set>, <animate…>) or fonts.
_ELEMENTS: dict[str, frozenset[str]] = {
    "svg": _VIEWPORT,
    "g": frozenset(),
    "defs": frozenset(),
    "symbol": _VIEWPORT | {"refX", "refY"},
    "use": _BOX,
    "title": frozenset(),
    "desc": frozenset(),
    "path": frozenset({"d", "pathLength"}),
    "rect": _BOX | {"rx", "ry"},
    "circle": frozenset({"cx", "cy", "r"}),
    "ellipse": frozenset({"cx", "cy", "rx", "ry"}),
    "line": frozenset({"x1", "y1", "x2", "y2"}),
    "polyline": frozenset({"points"}),
    "polygon": frozenset({"points"}),
    "text": _TEXT_POSITION,
    "tspan": _TEXT_POSITION,
    "linearGradient": _GRADIENT | {"x1", "y1", "x2", "y2"},
    "radialGradient": _GRADIENT | {"cx", "cy", "r", "fx", "fy", "fr"},
    "stop": frozenset({"offset"}),
    "clipPath": frozenset({"clipPathUnits"}),
    "mask": _BOX | {"maskUnits", "maskContentUnits"},
}
_HREF_ELEMENTS = frozenset({"use", "linearGradient", "radialGradient"})
_TEXT_ELEMENTS = frozenset({"text", "tspan"})
_KEEPS_TEXT = _TEXT_ELEMENTS | {"title", "desc"}
# Editor bookkeeping and effects WeasyPrint would skip or that only add a shadow: left
# out of the stored logo without refusing it. (<style> is read first, then left out.)
_DROPPED = frozenset({"metadata", "filter", "style"})

_ID = r"[A-Za-z_][A-Za-z0-9_.\-]{0,99}"
_ID_VALUE = re.compile(_ID)
_LOCAL_HREF = re.compile(rf"#({_ID})")
_URL_START = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_URL = re.compile(rf"""url\(\s*(['"]?)#({_ID})\1\s*\)""", re.IGNORECASE)
# Every regular expression here runs in linear time on any input (each character can be
# taken one way only): logos are 200 KB of text chosen by someone else (see review H1).
_FUNCTION = re.compile(r"(?<![A-Za-z-])([A-Za-z-]+)\s*\(|\(")  # a bare "(" names none
_FUNCTIONS = frozenset("url rgb rgba hsl hsla matrix translate scale rotate skewx skewy".split())
# Letters, digits, spaces and the punctuation of colours, lengths, lists, transforms and
# quoted font names. No backslash (CSS escapes), "/" (URLs, comments), "@", "*", ";",
# "<", "&" or braces.
_VALUE_CHARACTERS = re.compile(r"""[\w\s#%.,:()+\-'"]*""")
_QUOTED = re.compile(r"""(?:[^'"]|'[^']*'|"[^"]*")*""")
_NOT_A_NUMBER = re.compile(r"\b(?:inf|infinity|nan)\b", re.IGNORECASE)
# A number as Python's float() (and so WeasyPrint) reads it: "1_000" is a thousand.
_DIGITS = r"\d(?:_?\d)*"
_NUMBER = re.compile(rf"[-+]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?")
_HASHED = re.compile(r"#[\w.\-]*")  # colours and local ids hold digits that are no numbers
_LENGTH = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?")
_CSS_DANGER = re.compile(r"[\\@]|/\*")
_CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_SPACES = re.compile(r"\s*")


_PROPERTY = re.compile(r"-?[A-Za-z][A-Za-z-]*")
_COMPOUND = re.compile(r"(\*|[A-Za-z][\w-]*)?((?:[.#][A-Za-z_][\w-]*)*)")

_MAX_SELECTORS = 2000
_MAX_COMPOUNDS = 4  # "svg g .cls-1 .x": deeper selectors are ignored
_MAX_MATCHING = 10 * LOGO_MAX_ELEMENTS  # selector checks: Illustrator's sheets need ~1 each


def logo_type_of(data: bytes) -> str | None:
    """``image/png`` or ``image/svg+xml`` judged by the content, or None."""
    if data.startswith(_PNG_SIGNATURE):
        return "image/png"
    head = data[:1000].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return "image/svg+xml"
    return None


def clean_logo(data: bytes, kind: str) -> bytes | str:
    """The logo to store, or why it is refused (a ``str``, a few words after "the logo").

    A PNG is stored as sent once Pillow has read it; an SVG is rebuilt from its parsed,
    checked tree, so comments, editor data and anything not on the allow-list are gone.
    Cleaning a cleaned SVG gives the same bytes.
    """
    if len(data) > LOGO_MAX_BYTES:
        return f"is {len(data)} bytes; at most {LOGO_MAX_BYTES} allowed"
    if kind == "image/png":
        return _png_problem(data) or data
    if kind == "image/svg+xml":
        try:
            return _clean_svg(data)
        except _Refused as refused:
            return str(refused)
    return "must be a PNG or SVG image"


def logo_problem(data: bytes, kind: str) -> str | None:
    """Why this logo is refused, in a few words, or None when it is fine."""
    result = clean_logo(data, kind)
    return result if isinstance(result, str) else None


def svg_drawing_cost(data: bytes, limit: int | None = None) -> int:
    """The work WeasyPrint would do to draw this SVG, in elements' worth (see _Drawing).

    Every ``<use>`` instance, ``clip-path`` and ``mask`` reference counts in full, as
    WeasyPrint draws each of them again. Works on any SVG (cleaned or not, for tests
    and diagnostics); raises ValueError on a reference cycle or, with ``limit``, as soon
    as the cost is known to exceed it.
    """
    root = SafeElementTree.fromstring(data, forbid_dtd=True)
    try:
        return _Drawing(root, limit).cost()
    except _Refused as refused:
        raise ValueError(str(refused)) from None


class _Refused(Exception):
    """A logo that is not stored; the message completes "the logo …"."""


def _png_problem(data: bytes) -> str | None:
    if not data.startswith(_PNG_SIGNATURE):
        return "is not a PNG image"
    # Pillow (3 MiB) when a logo is checked, not in every web worker.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
    except Image.DecompressionBombError:  # a small file that claims a gigantic picture
        return f"declares more pixels than a logo can have (at most {LOGO_MAX_PIXELS} per side)"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return f"is not a readable PNG image ({exc})"
    if max(width, height) > LOGO_MAX_PIXELS:
        return f"is {width}x{height} pixels; at most {LOGO_MAX_PIXELS} per side"
    return None


def _clean_svg(data: bytes) -> bytes:
    try:
        # No DTD at all (so no entities and no external references); comments and
        # processing instructions such as <?xml-stylesheet?> are not kept in the tree.
        source = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _Refused("must not declare a DOCTYPE or entities") from None
    except ElementTree.ParseError as exc:
        raise _Refused(f"is not well-formed SVG ({exc})") from None
    if source.tag != f"{{{SVG_NS}}}svg":
        raise _Refused("must have an <svg> root element in the SVG namespace")
    _check_size_of_tree(source)
    clean = _Cleaner(source).clean()
    _check_viewport(clean)
    _Drawing(clean, LOGO_MAX_DRAWN).cost()
    result = _serialised(clean)
    if len(result) > LOGO_MAX_BYTES:  # styles copied onto many elements can grow a file
        raise _Refused(f"is {len(result)} bytes once cleaned; at most {LOGO_MAX_BYTES} allowed")
    return result


def _serialised(clean: ElementTree.Element) -> bytes:
    """SVG as the default namespace and the xlink prefix, as editors write them.

    ElementTree would name them ns0 and ns1 unless registered process-wide, so the
    copy written out uses plain names and declares both namespaces on the root.
    """

    def plain(element: ElementTree.Element) -> ElementTree.Element:
        attributes = {
            "xlink:href" if name == _XLINK_HREF else name: value
            for name, value in element.attrib.items()
        }
        copy = ElementTree.Element(_name(element), attributes)
        copy.text, copy.tail = element.text, element.tail
        copy.extend(plain(child) for child in element)
        return copy

    root = plain(clean)
    root.attrib = {"xmlns": SVG_NS, "xmlns:xlink": XLINK_NS, **root.attrib}
    return ElementTree.tostring(root, encoding="unicode").encode()


def _check_size_of_tree(root: ElementTree.Element) -> None:
    """Element count and nesting, without recursion (a file may nest 40,000 deep)."""
    count = 0
    stack: list[tuple[ElementTree.Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > LOGO_MAX_ELEMENTS:
            raise _Refused(f"has more than {LOGO_MAX_ELEMENTS} elements")
        if depth > LOGO_MAX_DEPTH:
            raise _Refused(f"nests elements more than {LOGO_MAX_DEPTH} deep")
        stack.extend((child, depth + 1) for child in element)


def _local(tag: object) -> str | None:
    """The SVG element's name, or None for anything in another namespace."""
    if isinstance(tag, str) and tag.startswith(f"{{{SVG_NS}}}"):
        return tag[len(SVG_NS) + 2 :]
    return None


def _text(value: str | None) -> str | None:
    # A carriage return would come back as a newline once parsed again (WeasyPrint
    # treats both alike), so cleaning twice gives the same bytes.
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


@dataclass(frozen=True)
class _Selector:
    compounds: tuple[tuple[str | None, frozenset[str], str | None], ...]  # (tag, classes, id)
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[tuple[str, str], ...]


class _Cleaner:
    """Builds the stored tree from the parsed one; raises _Refused on anything hostile."""

    def __init__(self, source: ElementTree.Element) -> None:
        self.source = source
        self.parents = {child: parent for parent in source.iter() for child in parent}
        # Selectors by their last tag, class or id, as CSS engines index them.
        self.selectors: dict[tuple[str, str | None], list[_Selector]] = defaultdict(list)
        for selector in self._stylesheet():
            tag, classes, id_ = selector.compounds[-1]
            key = ("#", id_) if id_ else (".", min(classes)) if classes else ("", tag)
            self.selectors[key].append(selector)
        self.ids: set[str] = set()
        self.matching_work = 0

    def clean(self) -> ElementTree.Element:
        built = self._element(self.source)
        assert built is not None  # the root is an <svg>
        return built

    # <style> sheets are applied to the elements they select (as WeasyPrint would) and
    # left out: the stored logo carries presentation attributes only, no CSS.

    def _stylesheet(self) -> list[_Selector]:
        selectors: list[_Selector] = []
        for element in self.source.iter(f"{{{SVG_NS}}}style"):
            if element.get("type", "text/css") != "text/css" or not element.text:
                continue  # WeasyPrint and browsers ignore other style languages
            sheet = element.text
            _refuse_css_tricks(sheet)
            position = _skip_spaces(sheet, 0)
            while position < len(sheet):
                rule = _CSS_RULE.match(sheet, position)
                if rule is None:
                    raise _Refused("has a <style> sheet with more than plain rules")
                position = _skip_spaces(sheet, rule.end())
                declarations = _declarations(rule.group(2))
                for text in rule.group(1).split(","):
                    parsed = _selector(text)
                    if parsed is None:
                        continue  # pseudo-classes, attributes, ">": never matched here
                    compounds, specificity = parsed
                    order = len(selectors)
                    selectors.append(_Selector(compounds, specificity, order, declarations))
                    if len(selectors) > _MAX_SELECTORS:
                        raise _Refused(f"has more than {_MAX_SELECTORS} CSS selectors")
        return selectors

    def _matching(self, element: ElementTree.Element) -> list[_Selector]:
        """The <style> rules for this element, in the order the cascade applies them."""
        if not self.selectors:
            return []
        keys = [("#", element.get("id")), ("", _local(element.tag)), ("", None)]
        keys.extend((".", name) for name in set(element.get("class", "").split()))
        found = []
        for key in keys:
            for selector in self.selectors.get(key, ()):
                self._work()
                if self._matches(element, selector.compounds):
                    found.append(selector)
        found.sort(key=lambda s: (s.specificity, s.order))
        return found

    def _work(self) -> None:
        self.matching_work += 1
        if self.matching_work > _MAX_MATCHING:
            raise _Refused("has a <style> sheet too complex for a logo")

    def _matches(
        self,
        element: ElementTree.Element,
        compounds: tuple[tuple[str | None, frozenset[str], str | None], ...],
    ) -> bool:
        if not _compound_matches(element, compounds[-1]):
            return False
        ancestor = self.parents.get(element)
        for compound in reversed(compounds[:-1]):  # descendant combinators only
            while ancestor is not None and not _compound_matches(ancestor, compound):
                self._work()
                ancestor = self.parents.get(ancestor)
            if ancestor is None:
                return False
            ancestor = self.parents.get(ancestor)
        return True

    def _element(self, source: ElementTree.Element) -> ElementTree.Element | None:
        name = _local(source.tag)
        if name is None or name in _DROPPED:
            return None  # other namespaces (editor data), comments, metadata, filters
        if name not in _ELEMENTS:
            raise _Refused(f"must not contain <{name.lower()}>")
        clean = ElementTree.Element(f"{{{SVG_NS}}}{name}", self._attributes(source, name))
        if name in _KEEPS_TEXT:
            clean.text = _text(source.text)
        last: ElementTree.Element | None = None
        for child in source:
            built = self._element(child)
            if built is not None:
                clean.append(built)
                last = built
            tail = _text(child.tail) if name in _TEXT_ELEMENTS else None
            if not tail:
                continue
            if built is not None:  # text after a <tspan> is part of the drawing
                built.tail = tail
            elif last is not None:
                last.tail = (last.tail or "") + tail
            else:
                clean.text = (clean.text or "") + tail
        return clean

    def _attributes(self, source: ElementTree.Element, name: str) -> dict[str, str]:
        allowed = _ELEMENTS[name] | _PRESENTATION | {"transform"}
        kept: dict[str, str] = {}
        style: list[tuple[str, str]] = []
        hrefs: dict[str, str] = {}
        space: str | None = None
        for attribute, value in source.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise _Refused(f"must not have event handlers ({local.lower()})")
            if attribute in ("href", _XLINK_HREF):
                if value.strip():
                    hrefs[attribute] = _local_href(value)
            elif attribute == _XML_SPACE:
                space = value if value in ("default", "preserve") else None
            elif attribute == "style":
                _refuse_css_tricks(value)
                style.extend(_declarations(value))
            elif attribute == "id":
                if _ID_VALUE.fullmatch(value) and value not in self.ids:
                    self.ids.add(value)  # later duplicates: WeasyPrint uses the first
                    kept["id"] = value
            elif attribute in allowed:
                kept[attribute] = value
            else:  # class, filter, marker-*, inkscape:*, data-*, aria-*, version…: left out
                _refuse_outside_urls(local, value)  # but a fetch attempt is not a drawing
        # Cascade as WeasyPrint does: attributes < rules of <style> < the style attribute.
        for selector in self._matching(source):
            kept.update(selector.declarations)
        kept.update(style)
        checked = {
            attribute: _checked_value(attribute, value) for attribute, value in sorted(kept.items())
        }
        if space is not None:
            checked[_XML_SPACE] = space
        if hrefs and name in _HREF_ELEMENTS:
            # Both set: WeasyPrint reads xlink:href first, so that is the one kept.
            checked[_XLINK_HREF] = hrefs.get(_XLINK_HREF) or hrefs["href"]
        return checked


def _local_href(value: str) -> str:
    """``#id``: a link to anything else (a file, a web page, javascript:) is refused."""
    value = value.strip()
    if _LOCAL_HREF.fullmatch(value) is None:
        raise _Refused(f"must not link to other files ({value[:60]!r})")
    return value


def _refuse_outside_urls(name: str, value: str) -> None:
    for start in _URL_START.finditer(value):
        if not _LOCAL_URL.match(value, start.start()):
            raise _Refused(f"must not load anything from elsewhere ({name}={value.strip()[:60]!r})")


def _compound_matches(
    element: ElementTree.Element, compound: tuple[str | None, frozenset[str], str | None]
) -> bool:
    tag, classes, id_ = compound
    if tag is not None and _local(element.tag) != tag:
        return False
    if id_ is not None and element.get("id") != id_:
        return False
    return classes <= set(element.get("class", "").split())


def _selector(
    text: str,
) -> tuple[tuple[tuple[str | None, frozenset[str], str | None], ...], tuple[int, int, int]] | None:
    """A selector of tags, classes and ids with descendant combinators, or None."""
    parts = text.split()
    if not parts or len(parts) > _MAX_COMPOUNDS:
        return None
    compounds = []
    ids = classes = tags = 0
    for part in parts:
        match = _COMPOUND.fullmatch(part)
        if match is None:
            return None
        tag = match.group(1) if match.group(1) not in (None, "*") else None
        names = re.findall(r"([.#])([A-Za-z_][\w-]*)", match.group(2))
        id_values = [value for kind, value in names if kind == "#"]
        class_values = frozenset(value for kind, value in names if kind == ".")
        if len(set(id_values)) > 1:
            return None
        compounds.append((tag, class_values, id_values[0] if id_values else None))
        ids, classes, tags = ids + len(id_values), classes + len(class_values), tags + bool(tag)
    return tuple(compounds), (ids, classes, tags)


def _refuse_css_tricks(css: str) -> None:
    # Escapes (\75rl( is url(), @\69mport is @import), at-rules and comments are how CSS
    # hides a reference from a checker; a logo's styles never need them.
    if _CSS_DANGER.search(css):
        raise _Refused("must not use CSS escapes, at-rules or comments in its styles")


def _declarations(block: str) -> tuple[tuple[str, str], ...]:
    """``name: value`` pairs of a style attribute or rule that a logo may keep."""
    kept = []
    for declaration in block.split(";"):
        name, colon, value = declaration.partition(":")
        name = name.strip().lower()
        if not colon or not _PROPERTY.fullmatch(name):
            continue  # what CSS itself would skip
        value = _without_important(value.strip())
        _refuse_outside_urls(name, value)  # even in a rule that selects nothing
        if name in _PRESENTATION:  # checked in full once applied to an element
            kept.append((name, value))
        # font, -inkscape-font-specification, transform (CSS syntax), x…: left out
    return tuple(kept)


def _without_important(value: str) -> str:
    """``red !important`` is ``red``: once inlined there is no cascade left to win."""
    if value.lower().endswith("important") and value[:-9].rstrip().endswith("!"):
        return value[:-9].rstrip()[:-1].rstrip()
    return value


def _checked_value(name: str, value: str) -> str:
    """The value, with url(#id) written one way, or _Refused when a logo has no use for it."""
    value = value.strip()
    shown = f"{name}={value[:60]!r}"
    _refuse_outside_urls(name, value)
    functions = [(match.group(1) or "").lower() for match in _FUNCTION.finditer(value)]
    if any(function not in _FUNCTIONS for function in functions):
        raise _Refused(f"must not use CSS functions other than colours and transforms ({shown})")
    if not _VALUE_CHARACTERS.fullmatch(value) or not _QUOTED.fullmatch(value):
        raise _Refused(f"has a value a drawing does not need ({shown})")
    if name != "font-family":
        if _NOT_A_NUMBER.search(value):
            raise _Refused(f"has a number that is not finite ({shown})")
        for number in _NUMBER.findall(_HASHED.sub(" ", _LOCAL_URL.sub(" ", value))):
            if abs(float(number)) > LOGO_MAX_NUMBER:
                raise _Refused(f"has a number larger than {LOGO_MAX_NUMBER} ({shown})")
    return _LOCAL_URL.sub(lambda match: f"url(#{match.group(2)})", value)


def _check_viewport(root: ElementTree.Element) -> None:
    for side in ("width", "height"):
        value = root.get(side)
        if value is None:
            continue
        match = _LENGTH.fullmatch(value.strip())
        if match is None or not 0 <= float(match.group(1)) <= LOGO_MAX_SIDE:
            raise _Refused(f"has a {side} of {value[:30]!r}; at most {LOGO_MAX_SIDE} allowed")
    view_box = root.get("viewBox")
    if view_box is not None:
        numbers = view_box.replace(",", " ").split()
        try:
            width, height = float(numbers[2]), float(numbers[3])
        except (IndexError, ValueError):
            width = height = -1
        if len(numbers) != 4 or width <= 0 or height <= 0:
            raise _Refused(f"has a viewBox {view_box[:40]!r} that is not four numbers")


# Elements WeasyPrint draws only when referenced, never where they stand in the tree.
_REFERENCED_ONLY = frozenset(
    {"symbol", "clipPath", "mask", "linearGradient", "radialGradient", "pattern", "marker"}
)
_PAINTED = frozenset(
    {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan"}
)
_GRADIENTS = ("linearGradient", "radialGradient")
_PAINT_URL = re.compile(rf"\s*url\(\s*['\"]?#({_ID})")
# Units of drawing cost, each about 80 microseconds of WeasyPrint 70 (measured): an
# element instance, a character of text, a gradient stop painted, 32 characters of
# attribute data (path data, points, transforms are parsed again for every instance),
# 256 elements scanned to find an id.
_DATA_PER_UNIT = 32
_SCAN_PER_UNIT = 256


@dataclass(frozen=True)
class _Cost:
    total: int  # drawing this element once, everything it refers to included
    walk: int  # elements a bounding box of this element visits (g and use recurse)
    group_walk: int  # the same, were the element a <g> (a <symbol> drawn by <use>)
    height: int  # nesting, references followed


class _Drawing:
    """What WeasyPrint does to draw an SVG, counted in units of about the same time.

    ``<use>`` instantiates its target again (inheriting fill and stroke from the
    ``<use>``); ``clip-path`` and ``mask`` draw theirs for every element that names
    them; a gradient is computed for every shape painted with it (inherited fill and
    stroke included); an element with ``opacity`` and a ``<use>`` of a ``<symbol>``
    without a size walk their content once more for a bounding box; each distinct id
    referred to is found by scanning the tree. Costs are memoised per (element,
    inherited paint), so a ``<use>`` bomb is counted in microseconds, and each
    computation is one drawn element at least, so stopping at ``limit`` computations
    also bounds the time spent counting.
    """

    def __init__(self, root: ElementTree.Element, limit: int | None) -> None:
        self.root = root
        self.limit = limit
        self.by_id: dict[str, ElementTree.Element] = {}
        self.paint_in_document: dict[ElementTree.Element, tuple[str | None, str | None]] = {}
        self.depth_in_document: dict[ElementTree.Element, int] = {}
        self._index(root)
        self.memo: dict[tuple[int, str | None, str | None, bool], _Cost] = {}
        self.active: set[ElementTree.Element] = set()
        self.looked_up: set[tuple[str, ElementTree.Element]] = set()
        self.lookups = 0

    def _index(self, root: ElementTree.Element) -> None:
        stack: list[tuple[ElementTree.Element, tuple[str | None, str | None], int]] = [
            (root, (None, None), 1)
        ]
        while stack:
            element, inherited, depth = stack.pop()
            self.paint_in_document[element] = inherited
            self.depth_in_document[element] = depth
            id_ = element.get("id")
            if id_ and id_ not in self.by_id:
                self.by_id[id_] = element
            own = _paint(element, inherited)
            stack.extend((child, own, depth + 1) for child in reversed(element))

    def cost(self) -> int:
        total = self._cost(self.root, None, None, True, 1).total + self.lookups
        self._check(total)
        return total

    def _check(self, total: int) -> None:
        if self.limit is not None and total > self.limit:
            raise _Refused(
                f"is too complex to draw quickly: more than {self.limit} elements' worth of "
                "work once <use> and url(#…) references are followed"
            )

    def _find(self, kind: str, element: ElementTree.Element | None) -> None:
        """WeasyPrint scans the tree once for each id it looks up (per kind of lookup)."""
        if element is None or (kind, element) in self.looked_up:
            return
        self.looked_up.add((kind, element))
        # Measured: a Python call per element of the tree, plus a much cheaper XPath
        # scan at each level down to the element.
        elements, depth = len(self.depth_in_document), self.depth_in_document[element]
        self.lookups += elements * (10 + depth) // (10 * _SCAN_PER_UNIT)
        self._check(self.lookups)

    def _target(self, value: str | None, names: Iterable[str]) -> ElementTree.Element | None:
        match = _PAINT_URL.match(value or "")
        target = self.by_id.get(match.group(1)) if match else None
        return target if target is not None and _name(target) in names else None

    def _cost(
        self,
        element: ElementTree.Element,
        fill: str | None,
        stroke: str | None,
        referenced: bool,
        depth: int,
    ) -> _Cost:
        """The cost of one instance of this element."""
        key = (id(element), fill, stroke, referenced)
        known = self.memo.get(key)
        if depth + (known.height if known else 1) - 1 > LOGO_MAX_DEPTH:
            raise _Refused(
                f"nests elements more than {LOGO_MAX_DEPTH} deep once references are followed"
            )
        if known is not None:
            return known
        if self.limit is not None:
            self._check(len(self.memo))
        self.active.add(element)
        cost = self._uncached(element, fill, stroke, referenced, depth)
        self.active.discard(element)
        self.memo[key] = cost
        self._check(cost.total)
        return cost

    def _uncached(
        self,
        element: ElementTree.Element,
        fill: str | None,
        stroke: str | None,
        referenced: bool,
        depth: int,
    ) -> _Cost:
        name = _name(element)
        if name == "defs" or (name in _REFERENCED_ONLY and not referenced):
            return _Cost(1, 1, 1, 1)
        fill, stroke = _paint(element, (fill, stroke))
        data = sum(len(value) for value in element.attrib.values()) // _DATA_PER_UNIT
        total = 1 + data
        if name in _PAINTED:
            stops = self._stops(fill) + self._stops(stroke)
            total += stops + (data if stops else 0)  # a bounding box for the gradient
        if name in _TEXT_ELEMENTS:  # a layout per element, a glyph per character
            total += 1 + len(element.text or "") + sum(len(child.tail or "") for child in element)
        # (element, inherited fill, inherited stroke, drawn through a reference)
        drawn = [(child, fill, stroke, False) for child in element]
        used = None
        if name == "use":
            href = element.get(_XLINK_HREF) or element.get("href") or ""
            used = self.by_id.get(href[1:]) if href.startswith("#") else None
            if used is not None:  # the copy inherits from the <use>, not from its parent
                self._find("use", used)
                drawn.append((used, fill, stroke, True))
        for attribute, names in (("clip-path", ("clipPath", "path")), ("mask", ("mask",))):
            target = self._target(element.get(attribute), names)
            if target is not None:
                self._find(attribute, target)
                drawn.append((target, *self.paint_in_document[target], True))
        walk = group_walk = height = 1
        for child, child_fill, child_stroke, through_reference in drawn:
            if through_reference and child in self.active:
                raise _Refused("refers to itself through <use>, clip-path or mask")
            cost = self._cost(child, child_fill, child_stroke, through_reference, depth + 1)
            total += cost.total
            height = max(height, cost.height + 1)
            if not through_reference:
                group_walk += cost.walk
            elif child is used:
                walk += cost.walk  # the bounding box of a <use> is its target's
                if _name(used) in ("symbol", "svg") and not (
                    element.get("width") and element.get("height")
                ):
                    total += cost.group_walk  # sized by the bounding box of its content
        if name == "g":
            walk = group_walk
        if element.get("opacity", "1").strip() not in ("1", "1.0"):
            total += 1 + walk  # drawn in a group sized by its bounding box
        return _Cost(total, walk, group_walk, height)

    def _stops(self, paint: str | None) -> int:
        """Stops of the gradient a shape is painted with (inherited from its href if none)."""
        gradient = self._target(paint, _GRADIENTS)
        seen: set[ElementTree.Element] = set()
        while gradient is not None and gradient not in seen:
            seen.add(gradient)
            self._find("gradient", gradient)
            if len(gradient):
                return len(gradient)
            href = gradient.get(_XLINK_HREF) or gradient.get("href") or ""
            gradient = self._target(f"url({href})", _GRADIENTS)
        return 0


def _name(element: ElementTree.Element) -> str:
    """Local name, whatever the namespace (WeasyPrint drops namespaces too)."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _paint(
    element: ElementTree.Element, inherited: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """Fill and stroke of an element, inherited when it sets none (or says inherit)."""
    fill, stroke = element.get("fill"), element.get("stroke")
    return (
        inherited[0] if fill in (None, "inherit") else fill,
        inherited[1] if stroke in (None, "inherit") else stroke,
    )


def _skip_spaces(text: str, position: int) -> int:
    """Where the first character that is not a space stands, from ``position`` on."""
    spaces = _SPACES.match(text, position)
    assert spaces is not None  # r"\s*" matches anywhere, if only the empty string
    return spaces.end()
