"""Where a template joins two parts of a sentence ("Line 12: …", the scores not compared
"a; b"), the punctuation between them is translated too: French puts a no-break space
before the colon and the semicolon, and the parts stay escaped."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask, render_template, render_template_string
from flask_babel import force_locale

NOTE = '{% from "results/_charts.html" import versions_note %}{{ versions_note(view) }}'
NOT_COMPARED = SimpleNamespace(
    previous_version=1,
    questionnaire_version=2,
    not_compared=("the overall score", "Skills (Training, Digital skills)"),
)
UNTRANSLATED = {
    "untranslated": {"en": 0, "de": 3},
    "check": SimpleNamespace(questionnaire=SimpleNamespace(language="en")),
}


@pytest.mark.parametrize(("language", "space"), [("en", ""), ("fr", "\u00a0"), ("de", "")])
def test_the_punctuation_between_two_parts_follows_the_language(
    app: Flask, language: str, space: str
) -> None:
    with app.test_request_context(), force_locale(language):
        note = render_template_string(NOTE, view=NOT_COMPARED)
        counts = render_template("advisers/_questionnaire_untranslated.html", **UNTRANSLATED)
    assert f"the overall score{space}; Skills (Training, Digital skills)." in note
    assert '<span lang="de">' in counts
    assert f"</span>{space}: 3 " in counts


def test_the_parts_stay_escaped(app: Flask) -> None:
    line = (
        '{% set link %}<a href="#line-3">{{ _("Line %(line)s", line=3) }}</a>{% endset %}'
        '{{ _("%(label)s: %(text)s", label=link, text=message) }}'
    )
    with app.test_request_context(), force_locale("fr"):
        html = render_template_string(line, message="<script>x</script>")
    assert html == '<a href="#line-3">Ligne 3</a>\u00a0: &lt;script&gt;x&lt;/script&gt;'
