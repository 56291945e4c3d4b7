"""``flask translations``: status, .po out and in, from the command line."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from flask import Flask

from tests.languages.conftest import DUTCH


def test_status_export_and_import(languages_app: Flask, tmp_path: Path) -> None:
    runner = languages_app.test_cli_runner()
    status = runner.invoke(args=["translations", "status"])
    assert status.exit_code == 0, status.output
    assert status.output == "cold-chain version 1: en offered, nl 11 untranslated\n"

    po = tmp_path / "nl.po"
    exported = runner.invoke(args=["translations", "export", "cold-chain", "nl", "-o", str(po)])
    assert exported.exit_code == 0, exported.output
    catalog = read_po(io.BytesIO(po.read_bytes()))
    for message in catalog:
        if message.id:
            message.string = DUTCH[message.context]
    catalog.get("Cold-chain check", context="cold-chain:title").string = "Koel %(keten)s"
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po.write_bytes(buffer.getvalue())
    refused = runner.invoke(args=["translations", "import", "cold-chain", "nl", str(po)])
    assert refused.exit_code == 1
    assert f"{po}: cold-chain:title: The English text has no placeholder" in refused.output

    catalog.get("Cold-chain check", context="cold-chain:title").string = "Koelketencheck"
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    po.write_bytes(buffer.getvalue())
    imported = runner.invoke(args=["translations", "import", "cold-chain", "nl", str(po)])
    assert imported.exit_code == 0, imported.output
    assert imported.output == f"{po}: 11 translations changed\n"
    status = runner.invoke(args=["translations", "status", "cold-chain"])
    assert status.output == "cold-chain version 1: en offered, nl offered\n"

    unknown = runner.invoke(args=["translations", "export", "cold-chain", "fr"])
    assert unknown.exit_code == 1
    assert "'cold-chain' does not declare 'fr'" in unknown.output
