"""``flask --app assessor clusters validate|import|export|list``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PROJECT_ROOT

BAD = """\
slug: Bad Slug
name: X
country: be
languages: [en]
colour: green
services:
  - id: s1
    category: marketing
    title: {en: T}
    description: {en: D}
    topics: []
"""


def test_validate_reports_every_error_with_its_line(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["clusters", "validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:1: cluster: 'slug' 'Bad Slug' must match ^[a-z0-9][a-z0-9-]{{1,62}}$",
        f"{bad}:3: cluster: 'country' 'be' must match ^[A-Z]{{2}}$",
        f"{bad}:5: cluster: 'colour' must be like '#0b5d4b', found 'green'",
        f"{bad}:8: service s1: 'category' must be one of innovation, finance, regulation, internationalisation, training, process, found 'marketing'",
        f"{bad}:11: service s1: 'topics' must not be empty",
    ]


def test_import_refuses_everything_when_one_file_is_bad(runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    good = PROJECT_ROOT / "clusters" / "example-baltic-freight.yaml"
    before = runner.invoke(args=["clusters", "list"]).output
    result = runner.invoke(args=["clusters", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert runner.invoke(args=["clusters", "list"]).output == before


def test_reimport_bumps_the_catalogue_version(runner) -> None:
    path = str(PROJECT_ROOT / "clusters" / "example-baltic-freight.yaml")
    first = runner.invoke(args=["clusters", "import", path])
    second = runner.invoke(args=["clusters", "import", path])
    version = int(first.output.rsplit("catalogue version ", 1)[1].rstrip(")\n"))
    assert f"catalogue version {version + 1})" in second.output
