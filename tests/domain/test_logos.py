"""Cluster logos: only small pictures pass, never anything that runs or fetches."""

from __future__ import annotations

import io
import struct
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image

from assessor.domain.clusters import load_cluster_file
from assessor.domain.logos import LOGO_MAX_BYTES, logo_problem, logo_type_of

SVG = "http://www.w3.org/2000/svg"


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b5d4b").save(buffer, "PNG")
    return buffer.getvalue()


def svg(body: str, root: str = f'<svg xmlns="{SVG}" viewBox="0 0 10 10">') -> bytes:
    return f"{root}{body}</svg>".encode()


def test_a_small_png_and_a_plain_svg_pass() -> None:
    assert logo_type_of(png()) == "image/png"
    assert logo_problem(png(), "image/png") is None
    drawing = svg(
        '<defs><linearGradient id="g"/></defs>'
        '<rect width="10" height="10" fill="url(#g)" style="fill: url(#g)"/>'
        '<use href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/>'
    )
    assert logo_type_of(drawing) == "image/svg+xml"
    assert logo_problem(drawing, "image/svg+xml") is None
    xml_declared = b'<?xml version="1.0" encoding="UTF-8"?>\n' + svg("<title>Logo</title>")
    assert logo_type_of(xml_declared) == "image/svg+xml"
    assert logo_problem(xml_declared, "image/svg+xml") is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<script>alert(1)</script>", "must not contain <script>"),
        ("<SCRIPT>alert(1)</SCRIPT>", "must not contain <script>"),
        ("<foreignObject><p>hi</p></foreignObject>", "must not contain <foreignobject>"),
        ('<rect onclick="alert(1)"/>', "must not have event handlers (onclick)"),
        ('<image href="https://tracker.example/x.png"/>', "must not link to other files"),
        (
            '<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="file:///etc/passwd"/>',
            "must not link to other files",
        ),
        ('<a href="javascript:alert(1)"><rect/></a>', "must not link to other files"),
        ('<rect style="fill: url(https://x.example/p.svg#a)"/>', "from elsewhere in its styles"),
        ("<style>@import 'https://x.example/a.css';</style>", "from elsewhere in its styles"),
        ("<style>rect { fill: url( 'http://x.example/#a') }</style>", "from elsewhere"),
    ],
)
def test_svg_that_runs_or_fetches_is_refused(body: str, reason: str) -> None:
    problem = logo_problem(svg(body), "image/svg+xml")
    assert reason in (problem or "")


def test_svg_with_entities_wrong_root_or_broken_xml_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    )
    assert "DOCTYPE" in logo_problem(laughs, "image/svg+xml")
    assert "root element" in logo_problem(b"<html><svg/></html>", "image/svg+xml")
    assert "root element" in logo_problem(b"<svg><rect/></svg>", "image/svg+xml")  # no namespace
    assert "well-formed" in logo_problem(svg("<rect>"), "image/svg+xml")
    styled = b'<?xml-stylesheet href="https://x.example/a.css"?>' + svg("<rect/>")
    assert "from elsewhere" in logo_problem(styled, "image/svg+xml")


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny file whose header claims a huge picture (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


def test_a_png_claiming_a_gigantic_picture_is_refused_not_a_crash() -> None:
    assert "more pixels than a logo can have" in logo_problem(
        _png_claiming(30000, 30000), "image/png"
    )
    assert "5000x5000 pixels" in logo_problem(_png_claiming(5000, 5000), "image/png")


def test_png_that_is_broken_huge_or_too_large_is_refused() -> None:
    assert "not a PNG" in logo_problem(b"GIF89a....", "image/png")
    assert "readable PNG" in logo_problem(png()[:40], "image/png")
    assert "4001x2 pixels" in logo_problem(png(4001, 2), "image/png")
    too_large = svg("<!--" + "x" * LOGO_MAX_BYTES + "-->")
    assert f"at most {LOGO_MAX_BYTES} allowed" in logo_problem(too_large, "image/svg+xml")
    assert logo_type_of(b"%PDF-1.7") is None
    assert logo_problem(b"%PDF-1.7", "application/pdf") == "must be a PNG or SVG image"


def test_a_catalogue_with_a_scripted_logo_gets_a_validator_line(tmp_path: Path) -> None:
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "bad.svg").write_bytes(svg('<rect onload="steal()"/>'))
    catalogue = tmp_path / "cluster.yaml"
    catalogue.write_text(
        textwrap.dedent(
            """\
            slug: test-cluster
            name: Test cluster
            country: FI
            languages: [en]
            logo: logos/bad.svg
            services: []
            """
        )
    )
    loaded = load_cluster_file(catalogue, "cluster.yaml")
    assert [str(error) for error in loaded.errors] == [
        "cluster.yaml:5: cluster: the logo 'logos/bad.svg' must not have event handlers (onload)"
    ]
    assert loaded.cluster is None
