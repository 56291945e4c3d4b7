"""The PDF plan shows an applying deadline with its action, the month in the plan's
language (the stand-alone form, as the references' checked months); a deadline whose
``applies_if`` does not hold for the company is not shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.pdf.test_plan_pdf import plan_text, submit_warehouse
from tests.web.helpers import DATA, start


@pytest.fixture
def app(make_app, tmp_path: Path) -> Flask:
    text = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    for action, deadline in [
        ("measure-fuel", '{month: "2027-10"}'),
        # go-digital's deadline is for hauliers only: this warehouse does not see it
        ("go-digital", '{month: "2028-03", applies_if: {question: activities, includes: haulage}}'),
    ]:
        line = f"  - id: {action}\n"
        assert text.count(line) == 1
        text = text.replace(line, f"{line}    deadline: {deadline}\n")
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "every-type.yaml").write_text(text, encoding="utf-8")
    return make_app(questionnaires=folder)


@pytest.mark.parametrize(
    ("prefix", "shown", "not_shown"),
    [
        ("", "Measure fuel Next steps (3–12 months) Applies to you from October 2027", "2028"),
        ("/de", "Gilt für Sie ab Oktober 2027", "2028"),
        ("/pl", "Dotyczy Państwa od: październik 2027", "2028"),
    ],
)
def test_the_plan_shows_an_applying_deadline_in_its_language(
    app: Flask, prefix: str, shown: str, not_shown: str
) -> None:
    text = plan_text(app, prefix)
    assert shown in text
    assert not_shown not in text


def test_a_duty_already_in_force_applies_since_its_month(make_app, tmp_path: Path) -> None:
    text = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    line = "  - id: measure-fuel\n"
    assert text.count(line) == 1
    text = text.replace(line, f'{line}    deadline: {{month: "2020-01"}}\n')
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "every-type.yaml").write_text(text, encoding="utf-8")
    app = make_app(questionnaires=folder)
    pdf = plan_text(app)
    assert "Applies to you since January 2020" in pdf
    assert "Applies to you from" not in pdf
    client = app.test_client()
    token = start(client)
    submit_warehouse(client, token, company="Acme")
    page = client.get(f"/de/a/{token}/results").get_data(as_text=True)
    assert "Gilt für Sie seit Januar 2020" in page
