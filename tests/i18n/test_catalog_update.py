"""scripts/translations update never guesses: a new message arrives empty; only a reworded
questionnaire text (same node, same context) keeps its former translation, marked fuzzy."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from assessor.catalog_update import merge


def test_new_messages_arrive_empty_and_a_reworded_node_keeps_its_translation_fuzzy() -> None:
    catalog = Catalog(locale="nl")
    catalog.add("Delete my assessment", "Mijn beoordeling verwijderen")
    catalog.add("Never", "Nooit", context="q:questions/a/options/never/label")
    catalog.add("Dropped", "Weg")

    template = Catalog()
    template.add("Delete my assessment")
    template.add("Delete my assessments")  # new, and very close to a translated one
    template.add("Never ever", context="q:questions/a/options/never/label")  # reworded
    template.add("Never", context="q:questions/b/options/never/label")  # a new node

    merge(catalog, template)

    assert catalog.get("Delete my assessment").string == "Mijn beoordeling verwijderen"
    new = catalog.get("Delete my assessments")
    assert not new.string
    assert not new.fuzzy
    reworded = catalog.get("Never ever", context="q:questions/a/options/never/label")
    assert (reworded.string, reworded.fuzzy) == ("Nooit", True)
    other_node = catalog.get("Never", context="q:questions/b/options/never/label")
    assert not other_node.string
    assert not other_node.fuzzy
    assert catalog.get("Dropped") is None
