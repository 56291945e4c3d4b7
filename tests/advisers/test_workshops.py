"""Workshops: join codes, the lifecycle, the live dashboard, exports and the summary."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from assessor.services import workshops
from assessor.storage.db import db
from assessor.storage.models import Assessment, Workshop
from tests.advisers.helpers import (
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import fetch_pdf
from tests.web.helpers import csrf_from


@pytest.fixture
def adviser(app: Flask):
    return signed_in_client(app, make_account(app, "ada@example.org"))


def test_join_codes_are_easy_to_read_aloud() -> None:
    codes = {workshops.new_join_code() for _ in range(2000)}
    assert len(codes) > 1990  # 32^6 possibilities: clashes are rare (and retried)
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("0O1Il")
        assert workshops.normalise_code(code) == code


@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=6, max_size=6))
def test_typed_codes_are_forgiving_about_case_spaces_and_dashes(code: str) -> None:
    typed = f" {code[:3].lower()}-{code[3:]} "
    assert workshops.normalise_code(typed) == code


@pytest.mark.parametrize("typed", ["ABC1234", "ABCD0E", "ABC 23I", "AB", "", "ÄBC234", "ABC234X"])
def test_impossible_codes_are_refused(typed: str) -> None:
    assert workshops.normalise_code(typed) is None


def test_a_workshop_from_creation_to_export(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    dashboard = adviser.get(f"/advisers/workshops/{public_id}").get_data(as_text=True)
    assert f"/j/{code}" in dashboard  # the short link
    assert "<svg" in dashboard
    assert 'class="qr"' in dashboard
    qr = adviser.get(f"/advisers/workshops/{public_id}/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    assert qr.data.startswith(b"<svg")

    join_and_finish(app, code, company="Sharing Oy", share=True)
    join_and_finish(app, code, company="Private Oy")
    live = adviser.get(f"/advisers/workshops/{public_id}/live").get_data(as_text=True)
    assert re.search(r'class="count">2</span> joined', live)
    assert "appear when at least 3 participants have finished" in live
    assert "Sharing Oy" in live
    assert "Private Oy" not in live  # nothing about someone who did not agree to share

    join_and_finish(app, code, company='=HYPERLINK("http://evil.example")', share=True)
    join_and_finish(app, code, finish=False)  # still answering
    live = adviser.get(f"/advisers/workshops/{public_id}/live").get_data(as_text=True)
    assert re.search(r'class="count">4</span> joined', live)
    assert re.search(r'class="count">1</span> in progress', live)
    assert re.search(r'class="count">3</span> finished', live)
    # Two who share and one who does not: that one waits for two more who do not share.
    assert "Most frequent priority actions" not in live
    assert "1 finished participant who does not share" in live
    join_and_finish(app, code)
    join_and_finish(app, code)
    live = adviser.get(f"/advisers/workshops/{public_id}/live").get_data(as_text=True)
    assert re.search(r'class="count">5</span> finished', live)
    assert "Most frequent priority actions" in live
    assert "Calculate your first carbon footprint" not in live  # not a quick-check action
    assert "Measure your energy use and calculate your footprint" in live

    rows = list(
        csv.reader(
            io.StringIO(
                adviser.get(f"/advisers/workshops/{public_id}/export.csv").data.decode("utf-8-sig")
            )
        )
    )
    header, labels, body = rows[0], rows[1], rows[2:]  # codes, then names for people
    assert len(body) == 2  # the two who shared
    assert labels[header.index("company")] == "Company"
    assert {
        "profile:p-size",
        "score:overall",
        "level:skills:transition-skills",
        "answer:q-efti:label",
    } <= set(header)
    record = dict(zip(header, body[0], strict=True))
    assert record["company"] == "Sharing Oy"
    assert record["profile:p-size"] == "small"
    assert record["profile:p-size:label"] == "10 to 49"
    assert record["answer:q-efti"] == "paper"
    assert record["answer:q-efti:label"] == "On paper"
    assert record["answer:q-systems"] == "tms-wms"
    assert record["level:decarbonisation"] in {"beginner", "developing", "established", "advanced"}
    assert dict(zip(header, body[1], strict=True))["company"].startswith("'=")  # defused

    workbook = load_workbook(
        io.BytesIO(adviser.get(f"/advisers/workshops/{public_id}/export.xlsx").data)
    )
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == header
    assert values[1] == labels
    assert len(values) == 4
    formula_cell = sheet.cell(row=4, column=header.index("company") + 1)
    assert formula_cell.data_type == "s"  # text, never a formula
    assert formula_cell.value == '=HYPERLINK("http://evil.example")'
    assert float(values[2][header.index("score:overall")]) == float(record["score:overall"])

    summary = fetch_pdf(adviser, f"/advisers/workshops/{public_id}/summary.pdf")
    assert summary.mimetype == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=summary.data, capture_output=True, check=True
    ).stdout.decode()
    assert "Quick check in Turku" in text
    assert "6 participants joined" in text
    assert "Most frequent priority actions" in text

    page = adviser.get(f"/advisers/workshops/{public_id}").get_data(as_text=True)
    closed = adviser.post(
        f"/advisers/workshops/{public_id}/close", data={"csrf_token": csrf_from(page)}
    )
    assert closed.status_code == 302
    late = app.test_client()
    late_page = late.get(f"/j/{code}").get_data(as_text=True)
    assert "This workshop is closed" in late_page
    before = _count(app)
    token = csrf_from(late.get("/join").get_data(as_text=True))  # the closed page has no form
    assert late.post(f"/j/{code}", data={"csrf_token": token}).status_code == 200
    assert _count(app) == before  # nobody joins a closed workshop


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Assessment.id)))


def test_the_projector_hides_and_shows_results(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    for _ in range(3):
        join_and_finish(app, code)
    shown = adviser.get(f"/advisers/workshops/{public_id}/projector/live").get_data(as_text=True)
    assert "Most frequent priority actions" in shown
    page = adviser.get(f"/advisers/workshops/{public_id}").get_data(as_text=True)
    adviser.post(
        f"/advisers/workshops/{public_id}/results-shown",
        data={"csrf_token": csrf_from(page), "shown": "no"},
    )
    hidden = adviser.get(f"/advisers/workshops/{public_id}/projector/live").get_data(as_text=True)
    assert "The results are hidden for now." in hidden
    assert "Most frequent priority actions" not in hidden
    projector = adviser.get(f"/advisers/workshops/{public_id}/projector").get_data(as_text=True)
    assert workshops.spaced(code) in projector


def _dashboard_and_its_statements(app: Flask, public_id: str):
    """The workshop's dashboard, and the SQL statements computing it ran."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.public_id == public_id))
        questionnaire = workshops.questionnaire_of(workshop)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            board = workshops.dashboard(workshop, questionnaire)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    return board, statements


def test_the_dashboard_is_computed_in_the_database(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    for share in (True, False, False, True, False):
        join_and_finish(app, code, share=share)
    board, statements = _dashboard_and_its_statements(app, public_id)
    # From the stored result facets: recomputing results in Python would read the answers.
    assert statements
    assert not [s for s in statements if re.search(r"\banswer\b", s)], statements
    assert board.finished == board.counted == 5
    assert len(statements) <= 5  # a few grouped queries
    assert sum(count for _, _, count in board.dimensions[0].levels) == 5
    assert all(s.scored == 5 for s in board.dimensions)
    assert board.actions
    assert board.actions[0].participants == 5
    assert len(board.participants) == 2

    for _ in range(3):
        join_and_finish(app, code)
    larger, statements_now = _dashboard_and_its_statements(app, public_id)
    assert larger.finished == 8
    assert len(statements_now) == len(statements)  # whatever the size of the group


def test_bad_workshop_input_is_refused_next_to_the_field(app: Flask, adviser) -> None:
    page = adviser.get("/advisers/workshops/new").get_data(as_text=True)
    response = adviser.post(
        "/advisers/workshops/new",
        data={
            "csrf_token": csrf_from(page),
            "title": "",
            "held_on": "31/12/2026",
            "questionnaire": "nope",
            "language": "xx",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in [
        "Give the workshop a title.",
        "Enter a date such as 2026-03-31.",
        "Choose a questionnaire.",
        "Choose a language.",
    ]:
        assert message in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Workshop.id))) == 0
    missing_csrf = adviser.post("/advisers/workshops/new", data={"title": "x"})
    assert missing_csrf.status_code == 400


def test_joining_with_a_typed_code(app: Flask, adviser) -> None:
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    client = app.test_client()
    page = client.get("/join").get_data(as_text=True)
    typed = f"{code[:3].lower()} {code[3:]}"
    response = client.post("/join", data={"csrf_token": csrf_from(page), "code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{code}")
    wrong = client.post("/join", data={"csrf_token": csrf_from(page), "code": "ZZZZZZ"})
    assert wrong.status_code == 400
    assert "No workshop has this code" in wrong.get_data(as_text=True)
    impossible = client.post("/join", data={"csrf_token": csrf_from(page), "code": "0O1I00"})
    assert "Codes never contain 0, O, 1 or I" in impossible.get_data(as_text=True)
    assert client.get("/j/ZZZZZZ").status_code == 404


def test_participants_join_in_the_workshop_language_and_get_their_own_plan(
    app: Flask, adviser
) -> None:
    public_id = create_workshop(adviser, language="fi")
    code = join_code_of(adviser, public_id)
    token = join_and_finish(app, code)
    client = app.test_client()
    results = client.get(f"/a/{token}/results", headers={"Accept-Language": "en"})
    assert '<html lang="fi">' in results.get_data(as_text=True)
    assert fetch_pdf(client, f"/a/{token}/plan.pdf").mimetype == "application/pdf"
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.token == token))
        assert assessment.workshop.public_id == public_id
        assert assessment.cluster.slug == "example-baltic-freight"
        assert assessment.language == "fi"


def test_a_new_workshop_speaks_the_cluster_language_unless_told(app: Flask, adviser) -> None:
    form = adviser.get("/advisers/workshops/new").get_data(as_text=True)
    assert re.search(r'<option value="fi" lang="fi" selected>', form)  # Baltic's default
    public_id = create_workshop(adviser, language="fi")
    code = join_code_of(adviser, public_id)
    page = app.test_client().get(f"/j/{code}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert "Twin-transition quick check" not in html  # the questionnaire's title too


def test_a_workshop_keeps_the_version_of_the_day_it_was_created(make_app) -> None:
    """A new version published during a workshop: participants joining later still answer
    the version the others answered, so the group's figures compare like with like."""
    from assessor.services.questionnaires.publishing import check_text, publish
    from tests.conftest import RELEASED_V2

    app = make_app(questionnaires=RELEASED_V2, CATALOGUE_REFRESH_SECONDS=0)
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    code = join_code_of(adviser, create_workshop(adviser))
    first = join_and_finish(app, code)
    with app.app_context():
        text = (RELEASED_V2 / "quick-check.yaml").read_text(encoding="utf-8")
        check = check_text(text.replace("title: ", "title: New ", 1), None)
        assert check.ok, check.errors
        published = publish(check, None, None)
        assert published.version > 1
    later = join_and_finish(app, code)
    with app.app_context():
        versions = dict(
            db.session.execute(
                select(Assessment.token, Assessment.questionnaire_version).where(
                    Assessment.token.in_([first, later])
                )
            ).all()
        )
    assert versions[first] == versions[later] == published.version - 1
    started = app.test_client()
    page = started.get("/start?questionnaire=quick-check").get_data(as_text=True)
    assert "New " in page  # outside the workshop, the new version is what is offered
