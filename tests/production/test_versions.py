"""A questionnaire file changes: old assessments keep their version; a reused version is
reported and the last good content served; comments are not a change."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from assessor.storage.db import db
from assessor.storage.models import QuestionnaireSource, Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.conftest import DATA, collected_log
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


def test_a_changed_file_under_a_used_version_is_reported_and_the_last_good_one_served(
    make_app, tmp_path: Path
) -> None:
    """A file that changed but kept its version must not take the site down: the app starts,
    says what is wrong and how to fix it, and serves the content published before."""
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    folder = questionnaires(tmp_path, original)
    make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    questionnaires(tmp_path, original.replace("text: Fuel data?", "text: Fuel?"))
    with collected_log("assessor") as log:
        app = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    version_line = original.splitlines().index("version: 2") + 1
    expected = (
        f"{folder / 'every-type.yaml'}:{version_line}: version 2 of 'every-type' was already "
        "published with other content; set `version` to 3"
    )
    assert [str(p) for p in app.extensions["assessor.questionnaire_problems"]][0].startswith(
        expected
    )
    assert any(r.getMessage().startswith(expected) for r in log)
    platform = signed_in_client(
        app, make_account(app, "ops@example.org", None, Role.PLATFORM_ADMIN)
    )
    listing = platform.get("/advisers/platform/questionnaires").get_data(as_text=True)
    assert "not served as they are" in listing
    assert f"{folder / 'every-type.yaml'}:{version_line}: version 2 of" in listing
    assert "set `version` to 3" in listing
    client = app.test_client()
    page = client.get(f"/a/{start(client)}/section/data-section").get_data(as_text=True)
    assert "Fuel data?" in page  # the published content, not the changed file
    assert not re.search(r"<legend>Fuel\?\s*<", page)


def test_comments_and_layout_are_not_a_new_content(make_app, tmp_path: Path) -> None:
    """Only what a file says counts: a comment, quoting and re-folded text change nothing."""
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    folder = questionnaires(tmp_path, original)
    first = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    client = first.test_client()
    token = start(client)
    answer_every_type(client, token)
    restyled = "# Reviewed by the cluster's sustainability adviser.\n" + original.replace(
        "text: Fuel data?", 'text: "Fuel data?"  # the wording agreed in March'
    )
    assert restyled != original
    questionnaires(tmp_path, restyled)
    second = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    assert second.extensions["assessor.questionnaire_problems"] == ()
    with second.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireSource)) == 1
    client = second.test_client()
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    assert client.post(f"/a/{token}/submit", data={"csrf_token": csrf}).status_code == 302


def test_a_new_version_reaches_a_running_server_without_a_restart(make_app, tmp_path: Path) -> None:
    """Two app servers on one database: what one publishes, the other serves at its next
    look at the catalogue (every CATALOGUE_REFRESH_SECONDS; 0 here), with no restart."""
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    running = make_app(
        questionnaires=questionnaires(tmp_path, original),
        SQLALCHEMY_DATABASE_URI=database,
        CATALOGUE_REFRESH_SECONDS=0,
    )
    client = running.test_client()
    assert "Fuel data?" in client.get(f"/a/{start(client)}/section/data-section").get_data(
        as_text=True
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "every-type.yaml").write_text(
        original.replace("version: 2", "version: 3").replace("text: Fuel data?", "text: Fuel?"),
        encoding="utf-8",
    )
    make_app(questionnaires=other, SQLALCHEMY_DATABASE_URI=database)  # the second server
    page = client.get(f"/a/{start(client)}/section/data-section").get_data(as_text=True)
    assert re.search(r"<legend>Fuel\?\s*<", page)


def test_a_file_taken_away_withdraws_its_questionnaire(make_app, tmp_path: Path) -> None:
    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    folder = questionnaires(tmp_path, original)
    first = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    client = first.test_client()
    token = start(client)
    answer_every_type(client, token)
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    client.post(f"/a/{token}/submit", data={"csrf_token": csrf})
    (folder / "every-type.yaml").unlink()
    (folder / "other.yaml").write_text(
        original.replace("id: every-type", "id: other-one"), encoding="utf-8"
    )
    second = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    client = second.test_client()
    start_page = client.get("/start").get_data(as_text=True)
    assert 'value="other-one"' in start_page
    assert 'value="every-type"' not in start_page
    results = client.get(f"/a/{token}/results", headers={"Accept": "application/json"})
    assert results.status_code == 200  # earlier assessments keep their content
    assert results.json["version"] == 2


def test_the_migration_keeps_stored_contents_by_what_they_say(make_app, tmp_path: Path) -> None:
    """Databases made before contents were kept by what they say: the upgrade rehashes each
    stored source and the assessments follow it, so they keep finding their content."""
    import hashlib

    from flask_migrate import upgrade
    from sqlalchemy import text

    from assessor.domain.loading import content_sha256
    from assessor.storage.migrations import migrations_of

    source = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    old_hash = hashlib.sha256(source.encode()).hexdigest()
    database = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=database, AUTO_SETUP_DATABASE=False)
    with app.app_context():
        directory = migrations_of(app).directory
        upgrade(directory=directory, revision="c4d2a9e7f013")
        db.session.execute(
            text(
                "INSERT INTO questionnaire_source (questionnaire_id, version, sha256, path, "
                "source, created_at) VALUES ('every-type', 2, :sha, 'q.yaml', :source, "
                "CURRENT_TIMESTAMP)"
            ),
            {"sha": old_hash, "source": source},
        )
        db.session.execute(
            text(
                "INSERT INTO assessment (token, public_id, questionnaire_id, "
                "questionnaire_version, questionnaire_sha256, language, share_with_cluster, "
                "in_workshop_figures, created_at, updated_at, revision) VALUES ('t0ken', "
                "'pub1', 'every-type', 2, :sha, 'en', 0, 0, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 0)"
            ),
            {"sha": old_hash},
        )
        db.session.commit()
        upgrade(directory=directory)
        new_hash = content_sha256(source)
        assert new_hash != old_hash
        assert db.session.scalar(text("SELECT questionnaire_sha256 FROM assessment")) == new_hash
        assert db.session.scalar(text("SELECT sha256 FROM questionnaire_source")) == new_hash
    restarted = make_app(questionnaires=DATA, SQLALCHEMY_DATABASE_URI=database)
    with restarted.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireSource)) == 1
    assert restarted.test_client().get("/a/t0ken").status_code == 302  # to its first page


def test_a_withdrawal_outlasts_restarts_and_a_file_taken_away_comes_back_with_it(
    make_app, tmp_path: Path
) -> None:
    """An administrator's withdrawal is a decision: a restart with the same file (or a newer
    version of it) does not undo it. A questionnaire withdrawn because its file was taken
    away is offered again when the file comes back."""
    from assessor.services.questionnaires.publishing import set_retired
    from assessor.storage.models import QuestionnaireEntry

    original = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    folder = questionnaires(tmp_path, original)
    first = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    with first.app_context():
        set_retired(db.session.scalar(select(QuestionnaireEntry)), True)

    def offered(app) -> bool:
        return 'value="every-type"' in app.test_client().get("/start").get_data(as_text=True)

    questionnaires(tmp_path, original.replace("version: 2", "version: 3"))
    assert not offered(make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database))

    with first.app_context():
        set_retired(db.session.scalar(select(QuestionnaireEntry)), False)
    (folder / "every-type.yaml").rename(tmp_path / "away.yaml")
    assert not offered(make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database))
    (tmp_path / "away.yaml").rename(folder / "every-type.yaml")
    assert offered(make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database))


def test_tagging_eu_rules_keeps_the_version_and_serves_the_tags(make_app, tmp_path: Path) -> None:
    """The shipped flagship's `rule` and `readiness` tags are not content: a server that
    published it without them restarts on the tagged file with no warning, the same version
    and content hash, and serves the tagged text; so does publishing the tags in the browser."""
    from assessor.domain.loading import content_sha256
    from assessor.services.questionnaires.catalogue import served
    from assessor.services.questionnaires.publishing import check_text, publish
    from tests.conftest import SHIPPED
    from tests.domain.test_readiness import _untagged

    tagged = (SHIPPED / "logistics-maturity.yaml").read_text(encoding="utf-8")
    untagged = _untagged(tagged)
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "logistics-maturity.yaml").write_text(untagged, encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'shared.sqlite'}"

    def flagship():
        return served().entries["logistics-maturity"].questionnaire

    with make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database).app_context():
        before = flagship()
        assert before.questions_by_id["d-reg-ets2"].rule is None
    (folder / "logistics-maturity.yaml").write_text(tagged, encoding="utf-8")
    restarted = make_app(questionnaires=folder, SQLALCHEMY_DATABASE_URI=database)
    assert restarted.extensions["assessor.questionnaire_problems"] == ()
    with restarted.app_context():
        after = flagship()
        assert (after.version, after.source_sha256) == (before.version, before.source_sha256)
        assert after.source_sha256 == content_sha256(tagged)
        assert after.questions_by_id["d-reg-ets2"].rule == "ets2"
        sources = db.session.scalars(select(QuestionnaireSource.source)).all()
        assert sources == [tagged]  # one content, now with its tags

        # In the browser: the text served without its tags, then with them again.
        for text, rule in ((untagged, None), (tagged, "ets2")):
            check = check_text(text, None)
            assert check.ok
            assert check.unchanged
            assert check.rewritten
            publish(check, None, None)
            assert flagship().version == before.version
            assert flagship().questions_by_id["d-reg-ets2"].rule == rule
