"""Section pages reuse the markup of questions they rendered before
(assessor/web/self_assessment/markup.py): each question must still show its own
assessment's answer, error, visibility and language."""

from __future__ import annotations

from flask import Flask, get_template_attribute

from assessor.domain.conditions import to_mapping
from assessor.services.assessments import questionnaires_offered
from assessor.web.self_assessment import markup
from assessor.web.self_assessment.forms import section_form
from assessor.web.self_assessment.markup import RenderedQuestions
from tests.web.helpers import post_form, start


def question_block(page: str, question_id: str) -> str:
    block = page[page.index(f'id="question-{question_id}"') :]
    end = block.find('<div class="question', 10)
    return block if end < 0 else block[:end]


def test_each_assessment_sees_its_own_answers(client, ctx) -> None:
    answered, unanswered = start(client), start(client)
    client.get(f"/a/{unanswered}/section/profile")  # the unanswered markup is now kept
    post_form(client, f"/a/{answered}/section/profile", {"activities": ["haulage", "warehouse"]})

    mine = question_block(client.get(f"/a/{answered}/section/profile").text, "activities")
    other = question_block(client.get(f"/a/{unanswered}/section/profile").text, "activities")

    assert 'checked id="activities-0"' in mine
    assert 'checked id="activities-1"' in mine
    assert 'checked id="activities-2"' not in mine
    assert "checked" not in other


def test_visibility_follows_the_answers(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    page = client.get(f"/a/{token}/section/fleet-section").text
    assert '<div class="question" id="question-eco"' in page
    assert "hidden>" in question_block(page, "eco").split("\n", 3)[2]

    post_form(
        client,
        f"/a/{token}/section/fleet-section",
        {"vehicles": "2", "euro6": "10", "navigate": "back"},
    )
    page = client.get(f"/a/{token}/section/fleet-section").text
    assert "hidden>" not in question_block(page, "eco").split("\n", 3)[2]
    assert 'value="2"' in question_block(page, "vehicles")


def test_an_error_is_shown_once_and_not_kept(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    response = post_form(client, f"/a/{token}/section/fleet-section", {"vehicles": "lots"})
    assert response.status_code == 400
    assert 'id="error-vehicles"' in question_block(response.text, "vehicles")
    assert 'value="lots"' in question_block(response.text, "vehicles")

    page = client.get(f"/a/{token}/section/fleet-section").text
    assert "error-vehicles" not in page
    assert 'value="lots"' not in page


def test_the_language_of_the_page_is_the_language_of_each_question(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    english = question_block(client.get(f"/a/{token}/section/fleet-section").text, "vehicles")
    french = question_block(client.get(f"/fr/a/{token}/section/fleet-section").text, "vehicles")
    assert 'lang="fr"' in client.get(f"/fr/a/{token}/section/fleet-section").text
    assert "10,000" in english
    assert "10,000" not in french


def test_kept_markup_is_what_the_macro_writes_and_the_cache_is_bounded(app: Flask) -> None:
    cache = RenderedQuestions(size=2)
    with app.test_request_context("/"):
        questionnaire = questionnaires_offered(None)[0]
        section = questionnaire.sections_by_id["data-section"]
        form = section_form(section, {"fuel": "yes", "tools": ("tms",)})
        macro = get_template_attribute("assessment/_macros.html", "question_block")
        for question in section.questions:
            field = form[question.id]
            first = cache.markup(question, field, None, True)
            assert cache.markup(question, field, None, True) is first  # reused
            assert first == macro(question, field, None, True, to_mapping(question.visible_if))
            assert cache.markup(question, field, "Wrong.", True) != first
            if question.options:  # which options are offered is part of the state
                hidden = frozenset({question.options[0].id})
                assert cache.markup(question, field, None, True, hidden) != first
        assert len(cache) == 2
    assert len(section.questions) > 2


def test_section_pages_write_a_question_once_per_state(client, ctx, monkeypatch) -> None:
    """A question is written out (by the template macro) the first time it is shown in a
    given state; a page that shows it in that state again, for any assessment, reuses it."""
    monkeypatch.setattr(markup, "rendered_questions", RenderedQuestions())
    written: list[str] = []
    write = markup._render

    def counted(question, field, error, shown, hidden_options, glossary=()):  # type: ignore[no-untyped-def]
        written.append(question.id)
        return write(question, field, error, shown, hidden_options, glossary)

    monkeypatch.setattr(markup, "_render", counted)
    token = start(client)
    first = client.get(f"/a/{token}/section/data-section").text
    assert sorted(written) == ["budget", "certs", "fuel", "method", "tools"]  # all unanswered
    written.clear()
    again = client.get(f"/a/{token}/section/data-section").text
    other = client.get(f"/a/{start(client)}/section/data-section").text
    assert written == []  # the same states: nothing written again
    questions = first[first.index('<div class="question') : first.index("</form>")]
    for page in (again, other):  # and the same markup
        assert page[page.index('<div class="question') : page.index("</form>")] == questions
    post_form(client, f"/a/{token}/section/data-section", {"fuel": "no", "navigate": "back"})
    written.clear()
    client.get(f"/a/{token}/section/data-section")
    assert sorted(written) == ["certs", "fuel"]  # fuel answered, certs now hidden


def test_what_a_respondent_typed_is_not_kept(client, ctx, monkeypatch) -> None:
    kept = RenderedQuestions()
    monkeypatch.setattr(markup, "rendered_questions", kept)
    token = start(client)
    post_form(
        client,
        f"/a/{token}/section/profile",
        {"activities": ["haulage"], "company": "Acme Secret Logistics", "navigate": "back"},
    )
    page = client.get(f"/a/{token}/section/profile").text
    assert "Acme Secret Logistics" in page
    assert "Acme Secret Logistics" not in "".join(html for _, html in kept._entries.values())
    assert len(kept) == 3  # both questions unanswered, then the ticked activities
    post_form(client, f"/a/{token}/section/fleet-section", {"vehicles": "bad", "eco": "3"})
    assert not any("bad" in html for _, html in kept._entries.values())
