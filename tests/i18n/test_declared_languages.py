"""The catalogs must hold a questionnaire's texts only in the languages it declares
(and every page, mail and PDF message in every language)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from assessor.domain.loading import load_questionnaire
from assessor.domain.texts import questionnaire_texts
from tests.domain.test_loader import BASE
from tests.i18n.test_catalogs import catalog_problems, declared_languages


def test_only_the_declared_languages_must_hold_a_questionnaires_texts(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(BASE.replace("language: en\n", "language: en\nlanguages: [en, nl]\n"))
    questionnaire = load_questionnaire(path).questionnaire
    assert questionnaire is not None
    texts = list(questionnaire_texts(questionnaire))
    declared = declared_languages([path])
    assert declared == {"t": frozenset({"en", "nl"})}

    extracted = Catalog()
    extracted.add("Next")  # a page's text
    for text in texts:
        extracted.add(text.text, context=text.context)

    french = Catalog(locale="fr")
    french.add("Next", "Suivant")
    assert catalog_problems("fr", french, extracted, declared) == []
    french.add(texts[0].text, "", context=texts[0].context)  # present but empty: fine too
    assert catalog_problems("fr", french, extracted, declared) == []
    assert catalog_problems("fr", Catalog(locale="fr"), extracted, declared) == [
        "missing: (None, 'Next')"
    ]

    dutch = Catalog(locale="nl")
    dutch.add("Next", "Volgende")
    for text in texts[1:]:
        dutch.add(text.text, f"NL {text.text}", context=text.context)
    assert catalog_problems("nl", dutch, extracted, declared) == [
        f"missing: ({texts[0].context!r}, {texts[0].text!r})"
    ]
    dutch.add(texts[0].text, "", context=texts[0].context)
    assert catalog_problems("nl", dutch, extracted, declared) == [
        f"untranslated: ({texts[0].context!r}, {texts[0].text!r})"
    ]
    dutch.add(texts[0].text, "NL", context=texts[0].context, flags=["fuzzy"])
    assert catalog_problems("nl", dutch, extracted, declared) == [
        f"fuzzy: ({texts[0].context!r}, {texts[0].text!r})"
    ]
