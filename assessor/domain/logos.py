"""Cluster logos: a small PNG or SVG with nothing in it that runs or fetches.

Logos come from catalogue files and from cluster administrators' uploads; they end up
on the cover of every plan (WeasyPrint) and on adviser pages, so both paths apply the
same checks.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

from PIL import Image, UnidentifiedImageError

LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
LOGO_MAX_BYTES = 200_000
LOGO_MAX_PIXELS = 4000  # per side: larger gains nothing on an A4 cover

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# Elements that run code or pull in other documents; everything else is drawing.
_FORBIDDEN_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
}


def logo_type_of(data: bytes) -> str | None:
    """``image/png`` or ``image/svg+xml`` judged by the content, or None."""
    if data.startswith(_PNG_SIGNATURE):
        return "image/png"
    head = data[:1000].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return "image/svg+xml"
    return None


def logo_problem(data: bytes, kind: str) -> str | None:
    """Why this logo is refused, in a few words, or None when it is fine."""
    if len(data) > LOGO_MAX_BYTES:
        return f"is {len(data)} bytes; at most {LOGO_MAX_BYTES} allowed"
    if kind == "image/png":
        return _png_problem(data)
    if kind == "image/svg+xml":
        return _svg_problem(data)
    return "must be a PNG or SVG image"


def _png_problem(data: bytes) -> str | None:
    if not data.startswith(_PNG_SIGNATURE):
        return "is not a PNG image"
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


def _svg_problem(data: bytes) -> str | None:
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        return "must not declare a DOCTYPE or entities"
    if b"<?xml-stylesheet" in lowered:  # a processing instruction: not in the parsed tree
        return "must not load anything from elsewhere in its styles"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return f"is not well-formed SVG ({exc})"
    if root.tag != f"{_SVG_NAMESPACE}svg":
        return "must have an <svg> root element in the SVG namespace"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if name in _FORBIDDEN_ELEMENTS:
            return f"must not contain <{name}>"
        if name == "style" and _fetches((element.text or "").lower()):
            return "must not load anything from elsewhere in its styles"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return f"must not have event handlers ({local})"
            if local == "href" and not value.startswith(("#", "data:image/")):
                return f"must not link to other files ({value[:60]!r})"
            if local == "style" and _fetches(value.lower()):
                return "must not load anything from elsewhere in its styles"
    return None


def _fetches(css: str) -> bool:
    """Whether CSS text refers to another resource (``url(#id)`` stays inside)."""
    return "@import" in css or any(
        not rest.lstrip(" '\"").startswith("#") for rest in css.split("url(")[1:]
    )
