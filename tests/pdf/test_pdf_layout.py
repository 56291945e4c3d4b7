"""What a reader sees on the printed page (issue 15, items 1, 2, 9 and 10): a question of
the appendix never parted from its answer, relative strengths where no theme is strong,
scale answers with their meaning, and a workshop summary with small legend chips, captions
on their tables' page and the cluster's logo.

Every PDF is kept in the test's tmp_path (``plan.pdf``, ``summary.pdf``) to look at with
``pdftoppm -png -r 60`` when a test fails.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader

from assessor.presentation.plan import appendix_answer
from assessor.presentation.results import ScoreView, highlights
from assessor.services import assessments
from assessor.services.plans import plan_view_of
from tests.advisers.helpers import (
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import RELEASED_V2, SHIPPED, fetch_pdf
from tests.domain.test_personas import PERSONAS, answers_of
from tests.web.helpers import answer_every_type, csrf_from, start
from tests.web.test_personas_web import answer_every_page


def squeezed(text: str) -> str:
    """Text as a line-breaking, hyphenating page may have set it: without white space and
    hyphens (soft or written), so that "green-\\nhouse gas" matches "greenhouse gas"."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def page_texts(data: bytes) -> list[str]:
    return [squeezed(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def submitted_persona(app: Flask, persona: str, questionnaire: str) -> tuple[str, bytes]:
    """A persona's answers submitted through the web; (token, the plan PDF)."""
    client = app.test_client()
    token = start(
        client,
        questionnaire=questionnaire,
        cluster=PERSONAS[persona]["cluster"],
        company=f"{persona.title()} Ltd",
    )
    answer_every_page(client, token, answers_of(persona, questionnaire))
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    assert client.post(f"/a/{token}/submit", data={"csrf_token": csrf}).status_code == 302
    response = fetch_pdf(client, f"/a/{token}/plan.pdf")
    assert response.status_code == 200
    return token, response.data


@pytest.fixture
def flagship_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=SHIPPED)


@pytest.mark.parametrize(
    ("persona", "questionnaire"),
    [("haulier-40", "logistics-maturity"), ("mixed", "logistics-maturity")],
)
def test_every_appendix_question_shares_a_page_with_its_answer(
    flagship_app: Flask, tmp_path: Path, persona: str, questionnaire: str
) -> None:
    with flagship_app.app_context():
        token, data = submitted_persona(flagship_app, persona, questionnaire)
        (tmp_path / "plan.pdf").write_bytes(data)
        appendix = plan_view_of(assessments.find_assessment(token)).appendix
    pages = page_texts(data)
    rows = [row for _, rows in appendix for row in rows]
    assert len(rows) > 40  # a long appendix: it spans several pages
    appendix_start = next(i for i, page in enumerate(pages) if "Appendix:youranswers" in page)
    assert len(pages) - appendix_start >= 2
    for question, answer in rows:
        on = [i for i in range(appendix_start, len(pages)) if squeezed(question) in pages[i]]
        assert on, f"the question is not whole on any page: {question!r}"
        page = pages[on[0]]
        after = page[page.index(squeezed(question)) + len(squeezed(question)) :]
        assert squeezed(answer) in after, (
            f"page {on[0] + 1}: {question!r} is not followed by its answer {answer!r}"
        )


# The workshop summary.


@pytest.fixture
def workshop_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=RELEASED_V2)


def finished_workshop(app: Flask) -> str:
    """A Baltic Freight Cluster workshop with four finished participants; its public id."""
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser, title="Green & digital breakfast — Kotka, 6 Dec")
    code = join_code_of(adviser, public_id)
    for number in range(4):
        join_and_finish(app, code, company=f"Haulier {number}", share=True)
    return public_id


def finished_flagship_workshop(app: Flask) -> str:
    """A workshop on the flagship questionnaire (three dimensions of many themes: the
    summary runs over pages), three companies finished; its public id."""
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(
        adviser, title="Full assessment in Kotka", questionnaire="logistics-maturity"
    )
    code = join_code_of(adviser, public_id)
    for persona in ["micro-haulier", "mixed", "customs-broker"]:
        with app.app_context():  # one per participant: its requests share ``g``
            participant(app, code, persona)
    return public_id


def participant(app: Flask, code: str, persona: str) -> None:
    """A persona joins with ``code``, answers the flagship and shares the result."""
    client = app.test_client()
    page = client.get(f"/j/{code}").get_data(as_text=True)
    joined = client.post(f"/j/{code}", data={"csrf_token": csrf_from(page), "company": persona})
    assert joined.status_code == 302, joined.get_data(as_text=True)[:3000]
    token = re.search(r"/a/([A-Za-z0-9_-]+)", joined.headers["Location"]).group(1)
    answer_every_page(client, token, answers_of(persona, "logistics-maturity"))
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    data = {"csrf_token": csrf, "share": "yes"}
    assert client.post(f"/a/{token}/submit", data=data).status_code == 302


def summary_pdf(app: Flask, public_id: str, tmp_path: Path, language: str = "en") -> bytes:
    """The summary as an adviser of the cluster downloads it in ``language``."""
    adviser = signed_in_client(app, make_account(app, f"bo-{language}@example.org"))
    response = fetch_pdf(adviser, f"/{language}/advisers/workshops/{public_id}/summary.pdf")
    assert response.mimetype == "application/pdf"
    (tmp_path / f"summary-{language}.pdf").write_bytes(response.data)
    return response.data


def summary_layout(app: Flask, public_id: str, language: str = "en"):  # type: ignore[no-untyped-def]
    """The summary laid out by WeasyPrint (its pages of boxes), as the PDF is rendered."""
    from flask_babel import force_locale
    from weasyprint import HTML

    from assessor.paths import STATIC_DIR
    from assessor.pdf.fetcher import StaticOnlyFetcher
    from assessor.services.workshop_summary import summary_state
    from assessor.storage.db import db
    from assessor.storage.models import Workshop

    with app.test_request_context(), force_locale(language):
        workshop = db.session.query(Workshop).filter_by(public_id=public_id).one()
        state = summary_state(workshop)
        assert state is not None
        html = state.html
    fetcher = StaticOnlyFetcher(STATIC_DIR)
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render()


def text_out_of_its_cell(document) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts of the summary's table cells that run past their cell's right edge."""
    found = []
    for page in document.pages:
        for cell in boxes(page._page_box):
            if type(cell).__name__ != "TableCellBox":
                continue
            right = cell.position_x + cell.margin_width()
            for text in boxes(cell):
                if type(text).__name__ == "TextBox" and text.position_x + text.width > right + 0.5:
                    found.append(text.text)
    return found


def boxes(box):  # type: ignore[no-untyped-def]
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def local_name(box) -> str:  # type: ignore[no-untyped-def]
    """The tag of a box's element without its namespace (inline SVG has one)."""
    return str(getattr(box, "element_tag", "") or "").rsplit("}", 1)[-1]


def element_class(box) -> str:  # type: ignore[no-untyped-def]
    element = getattr(box, "element", None)
    return "" if element is None else element.get("class") or ""


def test_the_summary_legend_swatches_are_chip_sized(workshop_app: Flask) -> None:
    public_id = finished_workshop(workshop_app)
    document = summary_layout(workshop_app, public_id)
    swatches = [
        box
        for page in document.pages
        for box in boxes(page._page_box)
        if local_name(box) == "svg" and "swatch" in element_class(box).split()
    ]
    assert len(swatches) >= 4  # one per level in every table's header
    for swatch in swatches:
        em = swatch.style["font_size"]
        assert 0.5 * em <= swatch.width <= 1.2 * em, (swatch.width, em)
        assert 0.5 * em <= swatch.height <= 1.2 * em, (swatch.height, em)


def test_the_summary_keeps_words_whole_and_captions_with_their_tables(
    flagship_app: Flask, tmp_path: Path
) -> None:
    public_id = finished_flagship_workshop(flagship_app)
    data = summary_pdf(flagship_app, public_id, tmp_path)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2  # its tables run over a page break
    texts = [page.extract_text() or "" for page in reader.pages]
    whole = "\n".join(texts)
    for words in ["Dimension", "Average score", "Decarbonisation", "Established"]:
        assert words in " ".join(whole.split()), words  # never "Dimen-sion", "Aver-age"
    tables = whole.split("Most frequent priority actions")[0]  # prose may hyphenate
    hyphenated = re.search(r"\w[-\u2010\u00ad]\s*\n\s*\w", tables)
    assert hyphenated is None, f"a word is hyphenated across lines: {hyphenated}"
    # German words are long: the columns still hold them whole.
    # (no app context around the requests: Flask-Babel keeps a locale in it)
    german = summary_pdf(flagship_app, public_id, tmp_path, "de")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(german)).pages)
    for word in ["Durchschnittliche", "Fortgeschritten", "Teilnehmende", "Digitalisierung"]:
        assert word in text, word
    tables = text.split("Am häufigsten priorisierte Maßnahmen")[0]
    assert re.search(r"\w[-\u2010\u00ad]\s*\n\s*\w", tables) is None
    assert text_out_of_its_cell(summary_layout(flagship_app, public_id, "de")) == []
    # Every table's caption is on the page of the table's rows: a table of a dimension's
    # themes is short, and kept whole on one page with its caption.
    document = summary_layout(flagship_app, public_id)
    captions: dict[int, int] = {}
    row_pages: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in boxes(page._page_box):
            if local_name(box) == "caption":
                captions.setdefault(id(box.element), number)
            if local_name(box) == "table" and type(box).__name__ == "TableBox":
                caption = box.element.find("caption")
                body_rows = [
                    row
                    for group in box.children
                    if local_name(group) == "tbody"
                    for row in group.children
                ]
                if caption is not None and body_rows:
                    row_pages.setdefault(id(caption), set()).add(number)
    assert len(captions) >= 4  # the dimensions, then each dimension's themes
    assert {k: {page} for k, page in captions.items()} == row_pages


def test_the_summary_shows_the_cluster_logo_on_its_first_page(
    workshop_app: Flask, tmp_path: Path
) -> None:
    public_id = finished_workshop(workshop_app)
    with workshop_app.app_context():
        data = summary_pdf(workshop_app, public_id, tmp_path)
    first = PdfReader(io.BytesIO(data)).pages[0]
    assert first["/Resources"].get("/XObject"), "no image on the first page"
    document = summary_layout(workshop_app, public_id)
    logos = [
        box
        for box in boxes(document.pages[0]._page_box)
        if local_name(box) == "img" and "logo" in element_class(box).split()
    ]
    assert len(logos) == 1
    millimetre = 96 / 25.4  # CSS pixels
    assert 10 * millimetre <= logos[0].width <= 45.5 * millimetre  # as wide as on the plan
    assert logos[0].height <= 22.5 * millimetre


# Strengths where no theme is strong yet.


def theme(item_id: str, score: float | None) -> ScoreView:
    return ScoreView(item_id, item_id.title(), score, None, None)


def test_a_dimension_without_a_strength_names_its_strongest_themes_so_far() -> None:
    themes = [theme("a", 40), theme("b", 10), theme("c", 30), theme("d", 0), theme("e", None)]
    found = highlights(themes, listed=None, strongest=2)
    assert found.strengths == ()
    assert [t.id for t in found.strongest_so_far] == ["a", "c"]
    assert [t.id for t in found.gaps] == ["d", "b"]  # the weakest, not every theme
    many = [theme(f"t{n}", 5 * n) for n in range(8)]
    found = highlights(many, listed=None, strongest=2)
    assert [t.id for t in found.strongest_so_far] == ["t7", "t6"]
    assert [t.id for t in found.gaps] == ["t0", "t1", "t2"]


def test_strengths_are_themes_at_the_threshold_when_there_are_any() -> None:
    found = highlights([theme("a", 50), theme("b", 20), theme("c", 70)], listed=None, strongest=2)
    assert [t.id for t in found.strengths] == ["c", "a"]
    assert [t.id for t in found.gaps] == ["b"]
    assert found.strongest_so_far == ()


def test_nothing_stands_out_when_every_theme_scores_the_same() -> None:
    found = highlights([theme("a", 0), theme("b", 0), theme("c", 0)], listed=None, strongest=2)
    assert found.strongest_so_far == ()
    assert len(found.gaps) == 3


def test_the_plan_names_relative_strengths_instead_of_none(
    flagship_app: Flask, tmp_path: Path
) -> None:
    with flagship_app.app_context():
        token, data = submitted_persona(flagship_app, "micro-haulier", "logistics-maturity")
        (tmp_path / "plan.pdf").write_bytes(data)
        view = plan_view_of(assessments.find_assessment(token)).view
    weak = [d for d in view.dimensions if not d.strengths]
    assert weak, "the micro haulier has a dimension without a theme at 50"
    for dimension in weak:
        assert dimension.strongest_so_far
        assert len(dimension.gaps) <= 3
        assert min(t.score for t in dimension.strongest_so_far) > max(
            t.score for t in dimension.gaps
        )
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert "Your strongest themes so far" in text
    assert "No theme reaches 50 yet." not in text


# Scale answers in the appendix.


def test_a_scale_answer_says_what_it_means(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        client = app.test_client()
        token = start(client, company="Acme")
        answer_every_type(client, token)  # Eco-driving: 4 on a scale from 1 (Never) to 5 (Always)
        csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
        client.post(f"/a/{token}/submit", data={"csrf_token": csrf})
        data = fetch_pdf(client, f"/a/{token}/plan.pdf").data
    (tmp_path / "plan.pdf").write_bytes(data)
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert "Eco-driving 4 of 5 (1 = Never, 5 = Always)" in text


def test_a_labelled_point_of_a_scale_is_printed_with_its_label(app: Flask, every_type) -> None:
    eco = every_type.questions_by_id["eco"]  # from 1 (Never) to 5 (Always)
    with app.app_context():
        assert appendix_answer(eco, 5) == "5 of 5 — Always"
        assert appendix_answer(eco, 1) == "1 of 5 — Never"
        assert appendix_answer(eco, 2) == "2 of 5 (1 = Never, 5 = Always)"


# Short chapters flow on.


def test_the_quick_checks_short_dimensions_share_a_page(
    flagship_app: Flask, tmp_path: Path
) -> None:
    with flagship_app.app_context():
        _, data = submitted_persona(flagship_app, "micro-haulier", "quick-check")
    (tmp_path / "plan.pdf").write_bytes(data)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    dimension_pages = [
        i for i, text in enumerate(pages) if "Compared with similar companies" in text
    ]
    assert sum(text.count("Compared with similar companies") for text in pages) == 3
    assert len(set(dimension_pages)) < 3, "each short dimension on a page of its own"
    # The next steps follow the chapter before them rather than fill a page of their own.
    heading = next(i for i, text in enumerate(pages) if "\nNext steps\n" in f"\n{text}\n")
    assert len(pages[heading].split("Next steps")[0].strip()) > 200
    # The contact is a sentence of its own: no parenthesis right after the cluster's.
    whole = " ".join(" ".join(pages).split())
    assert "Talk to Baltic Freight Cluster (example) about the services" in whole
    assert ") (" not in whole


def test_a_changed_print_stylesheet_changes_both_cache_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF cached before a stylesheet fix is not served after it."""
    from assessor.paths import STATIC_DIR
    from assessor.services import plans, workshop_summary

    before = (plans._design_fingerprint(), workshop_summary._stylesheet_fingerprint())
    changed = tmp_path / "static"
    (changed / "css").mkdir(parents=True)
    stylesheet = (STATIC_DIR / "css" / "print.css").read_text(encoding="utf-8")
    (changed / "css" / "print.css").write_text(stylesheet + "\ntr { color: red; }\n")
    monkeypatch.setattr(plans, "STATIC_DIR", changed)
    monkeypatch.setattr(workshop_summary, "STATIC_DIR", changed)
    plans._design_fingerprint.cache_clear()
    workshop_summary._stylesheet_fingerprint.cache_clear()
    try:
        after = (plans._design_fingerprint(), workshop_summary._stylesheet_fingerprint())
    finally:
        plans._design_fingerprint.cache_clear()
        workshop_summary._stylesheet_fingerprint.cache_clear()
    assert before[0] != after[0]
    assert before[1] != after[1]
