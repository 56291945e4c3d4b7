"""A questionnaire file changes: old assessments keep their version, reused versions are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.web.helpers import answer_every_type, csrf_from, post_form, start


def questionnaires(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir(exist_ok=True)
    (folder / "every-type.yaml").write_text(text, encoding="utf-8")
    return folder


def test_assessments_keep_the_version_they_were_answered_on(make_app, tmp_path: Path) -> None:
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    folder = questionnaires(tmp_path, original)
    first = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    client = first.test_client()
    finished = start(client)
    answer_every_type(client, finished)
    csrf = csrf_from(client.get(f"/a/{finished}/review").get_data(as_text=True))
    client.post(f"/a/{finished}/submit", data={"csrf_token": csrf})
    before = client.get(f"/a/{finished}/results", headers={"Accept": "application/json"}).json
    in_progress = start(client)
    post_form(client, f"/a/{in_progress}/section/profile", {"activities": ["warehouse"]})

    # Version 3: the fuel question is worded and scored differently.
    changed = (
        original.replace("version: 2", "version: 3")
        .replace("text: Fuel data?", "text: Do you record fuel per vehicle?")
        .replace("- {id: yes, label: Yes, score: 100}", "- {id: yes, label: Yes, score: 10}")
    )
    questionnaires(tmp_path, changed)
    second = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    client = second.test_client()
    after = client.get(f"/a/{finished}/results", headers={"Accept": "application/json"}).json
    assert after == before  # exactly the same scores and actions
    assert after["version"] == 2
    page = client.get(f"/a/{in_progress}/section/data-section").get_data(as_text=True)
    assert "Fuel data?" in page  # still answering version 2
    assert "Do you record fuel per vehicle?" not in page
    fresh = start(client)
    assert "Do you record fuel per vehicle?" in client.get(
        f"/a/{fresh}/section/data-section"
    ).get_data(as_text=True)


def test_a_changed_file_with_the_same_version_is_refused(make_app, tmp_path: Path) -> None:
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    folder = questionnaires(tmp_path, original)
    make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    questionnaires(tmp_path, original.replace("text: Fuel data?", "text: Fuel?"))
    with pytest.raises(SystemExit) as refused:
        make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    message = str(refused.value)
    assert f"{folder / 'every-type.yaml'}:1: version 2 of 'every-type' was already used" in message
    assert "set `version` to 3" in message
    assert message.endswith("assessor: refusing to start with a reused questionnaire version")
