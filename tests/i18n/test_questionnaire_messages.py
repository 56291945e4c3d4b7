"""Questionnaire texts as gettext messages: extracted with contexts, used with the same ones."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT
from babel.messages.pofile import read_po

from assessor.babel_extractor import QuestionnaireExtractionError, extract_questionnaire
from assessor.domain.loading import load_questionnaire
from assessor.domain.texts import questionnaire_texts, translate_questionnaire
from tests.conftest import DATA, FLAGSHIP_V2, SHIPPED


def extract(path: Path) -> list[tuple[int, str, tuple[str, str], list[str]]]:
    with path.open("rb") as handle:
        return list(extract_questionnaire(handle, {}, [], {}))


def test_every_text_is_a_message_with_its_context_line_and_comment() -> None:
    # Version 2 as released: it has a question of every type (scale labels, number units).
    found = {entry[2][0]: entry for entry in extract(FLAGSHIP_V2)}
    line, function, (context, text), comments = found[
        "logistics-maturity:questions/d-fuel-data/options/invoices/label"
    ]
    assert function == "pgettext"
    assert text == "Annual totals from invoices"
    source = FLAGSHIP_V2.read_text(encoding="utf-8").splitlines()
    assert "Annual totals from invoices" in source[line - 1]  # the line of the text itself
    assert comments == [
        "Answer to: How well do you know the fuel and electricity your vehicles and sites use?"
    ]
    for expected in [
        "logistics-maturity:title",
        "logistics-maturity:intro",
        "logistics-maturity:levels/advanced/label",
        "logistics-maturity:dimensions/skills/label",
        "logistics-maturity:themes/e-documents/label",
        "logistics-maturity:sections/vehicles/intro",
        "logistics-maturity:questions/g-efti/text",
        "logistics-maturity:questions/d-fleet-renewal/help",
        "logistics-maturity:questions/p-fleet/unit",
        "logistics-maturity:questions/s-ops-digital/labels/5",
        "logistics-maturity:actions/efti-readiness/text",
        "logistics-maturity:references/data-act/title",
    ]:
        assert expected in found, expected
    assert "logistics-maturity:questions/d-zero-km/unit" not in found  # "%": nothing to translate


def test_the_app_asks_for_exactly_the_extracted_messages() -> None:
    for path in sorted(SHIPPED.glob("*.yaml")):
        questionnaire = load_questionnaire(path).questionnaire
        extracted = {(context, text) for _, _, (context, text), _ in extract(path)}
        asked: set[tuple[str, str]] = set()

        def translate(context: str, text: str, asked: set = asked) -> str:
            asked.add((context, text))
            return f"[{text}]"

        translated = translate_questionnaire(questionnaire, translate)
        assert asked == extracted, path.name
        assert {(t.context, t.text) for t in questionnaire_texts(questionnaire)} == extracted
        # Only texts change: ids, scores and rules are the same objects' values.
        assert all(q.text.startswith("[") for q in translated.questions)
        assert [q.id for q in translated.questions] == [q.id for q in questionnaire.questions]
        assert [o.score for q in translated.questions for o in q.options] == [
            o.score for q in questionnaire.questions for o in q.options
        ]


def test_an_invalid_questionnaire_stops_extraction_with_its_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nid: broken\n", encoding="utf-8")
    with pytest.raises(QuestionnaireExtractionError, match=r"broken.yaml:1: "):
        extract(broken)


def pybabel(*args: str, cwd: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", *args], cwd=cwd, check=True
    )


def test_changing_an_english_text_makes_its_translation_fuzzy(tmp_path: Path) -> None:
    """The catalog workflow of docs/translations.md, on a copy of a questionnaire."""
    (tmp_path / "questionnaires").mkdir()
    questionnaire = tmp_path / "questionnaires" / "every-type.yaml"
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    questionnaire.write_text(original, encoding="utf-8")
    (tmp_path / "babel.cfg").write_text("[questionnaire: questionnaires/*.yaml]\n")
    (tmp_path / "translations").mkdir()
    pot = "translations/messages.pot"
    pybabel("extract", "-F", "babel.cfg", "-o", pot, ".", cwd=tmp_path)
    pybabel("init", "-i", pot, "-d", "translations", "-l", "fr", cwd=tmp_path)
    po = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace(
            'msgid "Fuel data?"\nmsgstr ""', 'msgid "Fuel data?"\nmsgstr "Données carburant ?"'
        ),
        encoding="utf-8",
    )

    questionnaire.write_text(original.replace("Fuel data?", "Fuel data per vehicle?"))
    pybabel("extract", "-F", "babel.cfg", "-o", pot, ".", cwd=tmp_path)
    pybabel("update", "-i", pot, "-d", "translations", "--ignore-obsolete", cwd=tmp_path)

    catalog = read_po(io.BytesIO(po.read_bytes()))
    message = catalog.get("Fuel data per vehicle?", context="every-type:questions/fuel/text")
    assert message is not None
    assert message.fuzzy  # shown in English until a translator confirms it
    assert message.string == "Données carburant ?"  # the old translation is kept as a suggestion
    assert catalog.get("Fuel data?", context="every-type:questions/fuel/text") is None


def test_no_questionnaire_text_looks_like_a_format_string() -> None:
    """Babel checks "20% less" as if it held a placeholder ("% le") and then refuses to
    compile a translation that writes "20 % in meno"; such texts need other wording."""
    for path in sorted(SHIPPED.glob("*.yaml")):
        for _, _, (context, text), _ in extract(path):
            found = [m.group(0) for m in PYTHON_FORMAT.finditer(text) if m.group(0) != "%%"]
            assert found == [], f"{context}: {text!r} contains {found}"


def test_the_v3_keys_survive_translation_and_add_no_message() -> None:
    path = DATA / "options" / "options.yaml"
    questionnaire = load_questionnaire(path).questionnaire
    assert questionnaire is not None
    extracted = {(context, text) for _, _, (context, text), _ in extract(path)}
    # Conditions, addressed ids and DMA dimensions are rules, never texts.
    assert not any(
        "visible_if" in context or "addresses" in context or "dma" in context
        for context, _ in extracted
    )
    assert not any(text in {"heavy", "digital-readiness", "measures"} for _, text in extracted)

    translated = translate_questionnaire(questionnaire, lambda context, text: f"[{text}]")
    measures = translated.questions_by_id["measures"]
    assert measures.options_by_id["aero"].label == "[Aerodynamic kits]"
    assert (
        measures.options_by_id["aero"].visible_if
        == questionnaire.questions_by_id["measures"].options_by_id["aero"].visible_if
        is not None
    )
    assert translated.questions_by_id["cyber"].dma == questionnaire.questions_by_id["cyber"].dma
    assert [a.addresses for a in translated.actions] == [a.addresses for a in questionnaire.actions]
    assert translated.actions_by_id["cyber-basics"].addresses != ()
