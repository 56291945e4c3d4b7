"""A cluster administrator takes a questionnaire from a file to published, in the browser's
pages: upload, every message with its line, a draft kept, publish (a new version by itself),
withdraw; the platform administrator does the same for platform-wide questionnaires."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessor.services.questionnaires.publishing import MAX_QUESTIONNAIRE_BYTES
from assessor.storage.db import db
from assessor.storage.models import (
    Assessment,
    QuestionnaireDraft,
    QuestionnaireEntry,
    QuestionnaireSource,
    Role,
)
from tests.advisers.helpers import make_account, signed_in_client
from tests.conftest import DATA, fetch_pdf
from tests.web.helpers import answer_every_type, csrf_from, post_form, start

BALTIC = "example-baltic-freight"
RHINE = "example-rhine-scheldt"
LIST = "/advisers/cluster/questionnaires"
NEW = "/advisers/cluster/questionnaires/new"

# The cluster's own questionnaire: the tests' every-type questionnaire under another id.
COLD_CHAIN = (
    (DATA / "every-type.yaml")
    .read_text(encoding="utf-8")
    .replace("id: every-type", "id: cold-chain-check")
    .replace("version: 2", "version: 1")
    .replace("title: Every type", "title: Cold-chain check")
)


def with_mistakes(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with two mistakes, and the line of each with a word of its message."""
    lines = text.split("\n")
    level = lines.index("  - {id: developing, label: Developing, min: 25}")
    lines[level] = "  - {id: developing, label: Developing, min: 125}"
    name = lines.index("        max_length: 300")
    lines[name] = "        max_length: lots"
    return "\n".join(lines), {level + 1: "min", name + 1: "max_length"}


def cluster_admin(app: Flask, email: str = "chief@example.org", cluster: str = BALTIC):
    return signed_in_client(app, make_account(app, email, cluster, Role.CLUSTER_ADMIN))


def upload(client: FlaskClient, url: str, text: str | bytes, filename: str = "cold-chain.yaml"):
    data = text.encode() if isinstance(text, str) else text
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(
        url,
        data={"csrf_token": token, "action": "upload", "file": (BytesIO(data), filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def post_multipart(
    client: FlaskClient, url: str, fields: dict[str, str], file: bytes | None = None
):
    """POST ``fields`` (and ``file``) as the browser's multipart form, with the body built
    here: the test client would spool a large body to a temporary file it never closes (an
    unraisable warning, later)."""
    fields = {"csrf_token": csrf_from(client.get(url).get_data(as_text=True)), **fields}
    boundary = "b0undary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value.encode()
        + b"\r\n"
        for name, value in fields.items()
    ]
    if file is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.yaml"'
            "\r\nContent-Type: application/yaml\r\n\r\n".encode()
            + file
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def draft_url(client: FlaskClient) -> str:
    """The address of the draft the last upload or check created (from the list page)."""
    page = client.get(LIST).get_data(as_text=True)
    return re.search(r'href="(/advisers/cluster/questionnaires/drafts/[^"]+)"', page).group(1)


def publish_text(client: FlaskClient, url: str, text: str):
    """Publish ``text`` from the editor at ``url``: ask, then confirm. Returns the list page."""
    token = csrf_from(client.get(url).get_data(as_text=True))
    asked = client.post(url, data={"csrf_token": token, "action": "publish", "source": text})
    assert asked.status_code == 200, asked.get_data(as_text=True)[:3000]
    page = asked.get_data(as_text=True)
    assert "Yes, publish" in page
    form = page[page.index('class="confirm-publish') :]
    action = re.search(r'<form method="post" action="([^"]+)"', form).group(1)
    checked = re.search(r'name="checked" value="([^"]+)"', form).group(1)
    return client.post(
        action,
        data={
            "csrf_token": token,
            "action": "publish",
            "source": text,
            "checked": checked,
            "confirmed": "yes",
        },
        follow_redirects=True,
    )


def offered_on(client: FlaskClient, url: str) -> bool:
    return 'value="cold-chain-check"' in client.get(url).get_data(as_text=True)


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_from_a_file_with_mistakes_to_published_for_one_cluster_only(any_app: Flask) -> None:
    app = any_app
    admin = cluster_admin(app)
    assert "Questionnaires" in admin.get("/advisers/").get_data(as_text=True)  # in the bar
    broken, mistakes = with_mistakes(COLD_CHAIN)

    checked = upload(admin, NEW, broken)
    assert checked.status_code == 200
    page = checked.get_data(as_text=True)
    assert "2 problems" in page
    for line, word in mistakes.items():
        # the message links to its line, and the line is marked with the message under it
        assert re.search(
            rf'<a href="#line-{line}" data-line="{line}">Line {line}</a>: [^<]*{word}', page
        )
        marked = re.search(rf'<li id="line-{line}" class="at-fault">(.*?)</li>', page, re.S)
        assert marked
        assert word in marked.group(1)
    # The preview button posts the text to the preview page.
    assert 'formaction="/advisers/cluster/questionnaires/preview"' in page
    assert count(app, QuestionnaireEntry) == 1  # every-type, from the files; nothing else
    assert count(app, QuestionnaireDraft) == 1  # only the draft is kept
    with app.app_context():
        assert db.session.scalar(select(QuestionnaireDraft.source)) == broken

    # Publishing a text with mistakes is refused with the same messages.
    url = draft_url(admin)
    token = csrf_from(admin.get(url).get_data(as_text=True))
    refused = admin.post(url, data={"csrf_token": token, "action": "publish", "source": broken})
    assert "2 problems" in refused.get_data(as_text=True)
    assert "Yes, publish" not in refused.get_data(as_text=True)

    done = publish_text(admin, url, COLD_CHAIN)
    page = done.get_data(as_text=True)
    assert "Published as version 1." in page
    assert "http://assessor.test/c/example-baltic-freight?questionnaire=cold-chain-check" in page
    assert count(app, QuestionnaireDraft) == 0  # published: nothing left to edit

    public = app.test_client()
    assert offered_on(public, f"/c/{BALTIC}")
    assert not offered_on(public, f"/c/{RHINE}")
    assert not offered_on(public, "/start")
    token = start(public, "cold-chain-check", BALTIC)
    answer_every_type(public, token)
    refused = post_form(public, "/start", {"questionnaire": "cold-chain-check", "cluster": RHINE})
    assert refused.status_code == 400

    rhine = cluster_admin(app, "bob@example.org", RHINE)
    assert "cold-chain-check" not in rhine.get(LIST).get_data(as_text=True)
    for path in ("edit", "v1.yaml"):
        assert rhine.get(f"{LIST}/cold-chain-check/{path}").status_code == 404
    assert admin.get(f"{LIST}/cold-chain-check/edit").status_code == 200
    rhine_token = csrf_from(rhine.get(LIST).get_data(as_text=True))
    withdraw = {"csrf_token": rhine_token, "withdrawn": "yes", "confirmed": "yes"}
    assert rhine.post(f"{LIST}/cold-chain-check/withdrawn", data=withdraw).status_code == 404


def test_the_check_names_topics_no_service_uses_and_the_services_of_each_action(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    admin = cluster_admin(app, cluster=RHINE)
    misspelt = COLD_CHAIN.replace("topics: [energy-data]", "topics: [energy-dta]")
    line = misspelt.split("\n").index("    topics: [energy-dta]") + 1
    page = upload(admin, NEW, misspelt).get_data(as_text=True)
    assert re.search(
        rf'<a href="#line-{line}">Line {line}</a>: action measure-fuel: no service has the '
        "topic “energy-dta”; did you mean “energy-data”\\? It is the action.s main topic",
        page,
    )
    assert "Services each action would get in the plans of Rhine" in page
    table = page[page.index('class="table-scroll action-services"') :]
    assert "renew-fleet" in table
    assert "go-digital" in table
    assert "No service" in table  # measure-fuel, whose only topic no service has


def test_the_check_counts_the_untranslated_texts_of_each_declared_language(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    admin = cluster_admin(app, cluster=RHINE)
    in_two = COLD_CHAIN.replace("language: en\n", "language: en\nlanguages: [en, nl]\n", 1)
    page = upload(admin, NEW, in_two).get_data(as_text=True)
    counts = page[page.index('id="untranslated-heading"') :]
    assert re.search(r'<span lang="en">English</span>: the questionnaire.s own language', counts)
    untranslated = re.search(r'<span lang="nl">Dutch</span>: (\d+) texts untranslated', counts)
    assert untranslated
    assert int(untranslated.group(1)) > 20  # every text of the file: none is in Dutch yet
    assert "get the questionnaire in another language, with a notice" in counts


def test_changed_content_is_the_next_version_and_the_same_content_is_no_change(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    admin = cluster_admin(app)
    publish_text(admin, NEW, COLD_CHAIN)
    respondent = app.test_client()
    first = start(respondent, "cold-chain-check", BALTIC)

    reworded = COLD_CHAIN.replace("text: Fuel data?", "text: Do you record fuel per vehicle?")
    asked = upload(admin, f"{LIST}/cold-chain-check/edit", reworded)
    assert "Publishing serves it as version 2; version 1 is served now." in asked.get_data(
        as_text=True
    )
    done = publish_text(admin, asked.request.path, reworded)  # the file still says version 1
    assert "Published as version 2." in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Assessment.questionnaire_version)) == 1
        stored = db.session.scalar(
            select(QuestionnaireSource.source).where(QuestionnaireSource.version == 2)
        )
        assert "version: 2" in stored  # the stored file says which version it is
    assert "Fuel data?" in respondent.get(f"/a/{first}/section/data-section").get_data(as_text=True)
    second = start(respondent, "cold-chain-check", BALTIC)
    assert "Do you record fuel per vehicle?" in respondent.get(
        f"/a/{second}/section/data-section"
    ).get_data(as_text=True)

    # The same content again, with a comment: nothing changes.
    again = publish_text(
        admin,
        f"{LIST}/cold-chain-check/edit",
        "# reviewed\n" + reworded.replace("version: 1", "version: 2"),
    )
    assert "Nothing changed: version 2 of cold-chain-check is already served." in again.get_data(
        as_text=True
    )
    assert count(app, QuestionnaireSource) == 3  # every-type, version 1, version 2

    # Every version is listed with its date, and an older one can be downloaded as it was.
    page = admin.get(LIST).get_data(as_text=True)
    assert "2 published versions" in page
    old = admin.get(f"{LIST}/cold-chain-check/v1.yaml")
    assert old.status_code == 200
    assert old.headers["Content-Disposition"] == 'attachment; filename="cold-chain-check-v1.yaml"'
    assert "text: Fuel data?" in old.get_data(as_text=True)
    assert admin.get(f"{LIST}/cold-chain-check/v3.yaml").status_code == 404

    # A text with another id, on the edit page, would be another questionnaire: it says so.
    renamed = upload(
        admin,
        f"{LIST}/cold-chain-check/edit",
        COLD_CHAIN.replace("cold-chain-check", "reefer-check"),
    )
    assert "publishing it adds a new questionnaire, and cold-chain-check stays as it is" in (
        renamed.get_data(as_text=True)
    )


def test_withdrawn_is_not_offered_and_old_results_stay(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    admin = cluster_admin(app)
    publish_text(admin, NEW, COLD_CHAIN)
    respondent = app.test_client()
    token = start(respondent, "cold-chain-check", BALTIC)
    answer_every_type(respondent, token)
    csrf = csrf_from(respondent.get(f"/a/{token}/review").get_data(as_text=True))
    respondent.post(f"/a/{token}/submit", data={"csrf_token": csrf})

    csrf = csrf_from(admin.get(LIST).get_data(as_text=True))
    url = f"{LIST}/cold-chain-check/withdrawn"
    asked = admin.post(url, data={"csrf_token": csrf, "withdrawn": "yes"})
    assert "Yes, withdraw it" in asked.get_data(as_text=True)  # asks first, changes nothing
    assert offered_on(respondent, f"/c/{BALTIC}")
    done = admin.post(url, data={"csrf_token": csrf, "withdrawn": "yes", "confirmed": "yes"})
    assert done.status_code == 302
    assert not offered_on(respondent, f"/c/{BALTIC}")
    assert "Withdrawn" in admin.get(LIST).get_data(as_text=True)
    results = respondent.get(f"/a/{token}/results")
    assert results.status_code == 200
    assert "Cold-chain check" in results.get_data(as_text=True)

    admin.post(url, data={"csrf_token": csrf, "withdrawn": "no", "confirmed": "yes"})
    assert offered_on(respondent, f"/c/{BALTIC}")


def test_only_administrators_and_never_without_the_csrf_token(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    adviser = signed_in_client(app, make_account(app, "ada@example.org", BALTIC))
    for url in (LIST, NEW, "/advisers/platform/questionnaires"):
        assert adviser.get(url).status_code == 403
    assert "/advisers/cluster/questionnaires" not in adviser.get("/advisers/").get_data(
        as_text=True
    )
    admin = cluster_admin(app)
    assert admin.get("/advisers/platform/questionnaires").status_code == 403
    assert app.test_client().get(LIST).status_code == 302  # to the sign-in page

    without_token = admin.post(NEW, data={"action": "check", "source": COLD_CHAIN})
    assert without_token.status_code == 400
    assert count(app, QuestionnaireDraft) == 0
    publish_text(admin, NEW, COLD_CHAIN)
    withdrawn = admin.post(
        f"{LIST}/cold-chain-check/withdrawn", data={"withdrawn": "yes", "confirmed": "yes"}
    )
    assert withdrawn.status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(
                select(QuestionnaireEntry.is_retired).where(
                    QuestionnaireEntry.questionnaire_id == "cold-chain-check"
                )
            )
            is False
        )


def test_a_file_too_large_or_not_utf8_is_refused_with_a_message(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    admin = cluster_admin(app)
    latin1 = upload(
        admin, NEW, COLD_CHAIN.replace("Fuel data?", "Données carburant?").encode("latin-1")
    )
    assert latin1.status_code == 400
    assert "This file is not UTF-8 text." in latin1.get_data(as_text=True)
    padding = "# " + "x" * 78 + "\n"
    huge = COLD_CHAIN + padding * (MAX_QUESTIONNAIRE_BYTES // len(padding) + 1)
    too_large = post_multipart(admin, NEW, {"action": "upload"}, huge.encode())
    assert too_large.status_code == 400
    assert "larger than 512 KB" in too_large.get_data(as_text=True)
    pasted = post_multipart(admin, NEW, {"action": "check", "source": huge})
    assert pasted.status_code == 400
    assert "larger than 512 KB" in pasted.get_data(as_text=True)
    assert "xxxxxxxx" in pasted.get_data(as_text=True)  # the text typed is not lost
    empty = post_multipart(admin, NEW, {"action": "check", "source": "  \n"})
    assert empty.status_code == 400
    assert count(app, QuestionnaireDraft) == 0


def test_a_draft_keeps_the_text_until_discarded(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    admin = cluster_admin(app)
    broken, _ = with_mistakes(COLD_CHAIN)
    token = csrf_from(admin.get(NEW).get_data(as_text=True))
    saved = admin.post(NEW, data={"csrf_token": token, "action": "check", "source": broken})
    assert saved.status_code == 303
    url = saved.headers["Location"]
    # Another administrator of the cluster finds it, on the list and from "edit".
    colleague = cluster_admin(app, "second@example.org")
    assert url in colleague.get(LIST).get_data(as_text=True)
    page = colleague.get(url).get_data(as_text=True)
    assert "min: 125" in page
    assert "2 problems" in page
    rhine = cluster_admin(app, "bob@example.org", RHINE)
    assert rhine.get(url).status_code == 404
    # A second new draft of the same questionnaire keeps both texts, and says so.
    fixed = post_multipart(colleague, NEW, {"action": "check", "source": COLD_CHAIN})
    second = colleague.get(fixed.headers["Location"]).get_data(as_text=True)
    assert "Another draft of cold-chain-check is being edited" in second
    assert f'href="{url}"' in second
    assert count(app, QuestionnaireDraft) == 2
    page = colleague.get(url).get_data(as_text=True)
    token = csrf_from(page)
    discarded = colleague.post(url, data={"csrf_token": token, "action": "discard"})
    assert discarded.status_code == 302
    assert count(app, QuestionnaireDraft) == 1


def test_the_platform_administrator_publishes_for_every_cluster(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    platform = signed_in_client(
        app, make_account(app, "root@example.org", None, Role.PLATFORM_ADMIN)
    )
    page = platform.get("/advisers/platform/questionnaires").get_data(as_text=True)
    assert "every-type" in page
    assert "comes from the server's questionnaires folder" in page
    done = publish_text(platform, "/advisers/platform/questionnaires/new", COLD_CHAIN)
    assert "http://assessor.test/start?questionnaire=cold-chain-check" in done.get_data(
        as_text=True
    )
    public = app.test_client()
    assert offered_on(public, "/start")
    assert offered_on(public, f"/c/{RHINE}")
    # A cluster cannot take the id of a platform-wide questionnaire.
    admin = cluster_admin(app)
    taken = upload(admin, NEW, COLD_CHAIN)
    assert "already used by another questionnaire" in taken.get_data(as_text=True)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_published_on_one_server_started_and_planned_on_another(
    make_app: Callable[..., Flask], database: str
) -> None:
    first = make_app(database=database, CATALOGUE_REFRESH_SECONDS=0)
    second = make_app(
        SQLALCHEMY_DATABASE_URI=first.config["SQLALCHEMY_DATABASE_URI"], CATALOGUE_REFRESH_SECONDS=0
    )
    respondent = second.test_client()
    assert not offered_on(respondent, f"/c/{BALTIC}")  # the second server has read it before
    publish_text(cluster_admin(first), NEW, COLD_CHAIN)
    token = start(respondent, "cold-chain-check", BALTIC)
    answer_every_type(respondent, token)
    csrf = csrf_from(respondent.get(f"/a/{token}/review").get_data(as_text=True))
    assert respondent.post(f"/a/{token}/submit", data={"csrf_token": csrf}).status_code == 302
    plan = fetch_pdf(respondent, f"/a/{token}/plan.pdf")
    assert plan.status_code == 200
    assert plan.data.startswith(b"%PDF")


def test_two_publications_checked_at_once_never_share_a_version(
    make_app: Callable[..., Flask],
) -> None:
    """Two administrators check their changes at the same moment: both texts would become
    version 2; the second to publish is told to check again, not given version 2 too."""
    from assessor.services.clusters import cluster_by_slug
    from assessor.services.questionnaires.publishing import (
        PublishedMeanwhile,
        check_text,
        publish,
    )

    app = make_app()
    with app.app_context():
        baltic = cluster_by_slug(BALTIC)
        publish(check_text(COLD_CHAIN, baltic), baltic, None)
        first = check_text(COLD_CHAIN.replace("Cold-chain check", "Cold chain"), baltic)
        second = check_text(COLD_CHAIN.replace("Cold-chain check", "Cold-chain"), baltic)
        assert first.questionnaire.version == second.questionnaire.version == 2
        assert publish(first, baltic, None).version == 2
        with pytest.raises(PublishedMeanwhile):
            publish(second, baltic, None)
        assert check_text(second.text, baltic).questionnaire.version == 3


def test_awkward_texts_get_a_message_never_a_500(any_app: Flask) -> None:
    """A NUL in an uploaded file (PostgreSQL stores none), and a version written on a line
    of its own, which publishing cannot renumber."""
    admin = cluster_admin(any_app)
    refused = upload(admin, NEW, COLD_CHAIN.replace("title: ", "title: \x00", 1))
    assert refused.status_code == 400
    assert "This file is not UTF-8 text" in refused.get_data(as_text=True)
    assert count(any_app, QuestionnaireDraft) == 0

    publish_text(admin, NEW, COLD_CHAIN)
    split = COLD_CHAIN.replace("version: 1", "version:\n  1").replace(
        "Cold-chain check", "Cold chain"
    )
    page = upload(admin, NEW, split)
    assert page.status_code == 200
    assert "write the version on one line at the top level, as `version: 2`" in page.get_data(
        as_text=True
    )


def test_a_language_added_in_the_browser_is_kept_without_a_new_version(
    make_app: Callable[..., Flask],
) -> None:
    """The languages a questionnaire is offered in are not its content: adding one publishes
    the text under the version served, and its translation page opens."""
    app = make_app()
    admin = cluster_admin(app)
    publish_text(admin, NEW, COLD_CHAIN)
    in_two = COLD_CHAIN.replace("language: en\n", "language: en\nlanguages: [en, fi]\n", 1)
    checked = upload(admin, f"{LIST}/cold-chain-check/edit", in_two).get_data(as_text=True)
    assert "Publishing keeps this text for version 1" in checked
    edit = f"{LIST}/cold-chain-check/edit"
    draft = admin.get(edit).headers.get("Location", edit)  # the draft the upload kept
    done = publish_text(admin, draft, in_two).get_data(as_text=True)
    assert "Published as version 1." in done
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(QuestionnaireSource)
                .where(QuestionnaireSource.questionnaire_id == "cold-chain-check")
            )
            == 1
        )
        assert "languages: [en, fi]" in db.session.scalar(
            select(QuestionnaireSource.source).where(
                QuestionnaireSource.questionnaire_id == "cold-chain-check"
            )
        )
    page = admin.get("/advisers/cluster/questionnaires/cold-chain-check/translations/fi")
    assert page.status_code == 200


def test_an_id_another_cluster_took_meanwhile_is_never_overwritten(
    make_app: Callable[..., Flask],
) -> None:
    from assessor.services.clusters import cluster_by_slug
    from assessor.services.questionnaires.publishing import (
        PublishedMeanwhile,
        check_text,
        publish,
    )

    app = make_app()
    with app.app_context():
        baltic, rhine = cluster_by_slug(BALTIC), cluster_by_slug(RHINE)
        late = check_text(COLD_CHAIN.replace("version: 1", "version: 5"), baltic)
        publish(check_text(COLD_CHAIN, rhine), rhine, None)
        with pytest.raises(PublishedMeanwhile):
            publish(late, baltic, None)
        entry = db.session.scalar(
            select(QuestionnaireEntry).where(
                QuestionnaireEntry.questionnaire_id == "cold-chain-check"
            )
        )
        assert (entry.cluster_id, entry.version) == (rhine.id, 1)
