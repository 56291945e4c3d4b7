"""The same assessment open in two tabs, or answered by two requests at once.

Each concurrent request comes from its own test client (the test client's cookie jar is
not made for threads); the assessment is the same, which is what is under test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, event, func, select

from assessor.services import accounts
from assessor.services import assessments as service
from assessor.services.clusters import cluster_by_slug
from assessor.services.questionnaires.versions import import_files
from assessor.storage.db import db
from assessor.storage.models import (
    Answer,
    Assessment,
    PlanDocument,
    QuestionnaireEntry,
    QuestionnaireSource,
    ResultFacet,
    Role,
    User,
)
from tests.advisers.helpers import PASSWORD, make_account, signed_in_client
from tests.conftest import SHIPPED
from tests.web.helpers import answer_every_type, csrf_from, start, stored

ROUNDS = 15


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment; return their results (a call that raised
    raises here, once all are done)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as error:  # handed to the test's thread below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


class Tab:
    """A browser tab on one page of the assessment, with its form token."""

    def __init__(self, app: Flask, url: str) -> None:
        self.client = app.test_client()
        self.url = url
        self.csrf = csrf_from(self.client.get(url).get_data(as_text=True))

    def post(self, **fields: object) -> Callable[[], int]:
        data = {"csrf_token": self.csrf, **fields}
        return lambda: self.client.post(self.url, data=data).status_code


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_tabs_saving_at_once_lose_nothing(make_app, database: str) -> None:
    app: Flask = make_app(database=database)
    token = start(app.test_client())
    profile = Tab(app, f"/a/{token}/section/profile")
    data_one = Tab(app, f"/a/{token}/section/data-section")
    data_two = Tab(app, f"/a/{token}/section/data-section")
    for round_number in range(ROUNDS):
        fuel = "yes" if round_number % 2 else "no"
        method = {"method": "primary"} if fuel == "yes" else {}
        statuses = race(
            profile.post(activities=["warehouse"], company=f"R{round_number}"),
            data_one.post(fuel=fuel, tools=["tms"], budget=["a"], **method),
            data_two.post(fuel=fuel, tools=["wms"], budget=["a"], **method),
        )
        assert statuses == [302, 302, 302]
        with app.app_context():
            answers = stored(token)
        assert answers["company"] == f"R{round_number}"  # no tab erased another's page
        assert answers["fuel"] == fuel
        assert answers["tools"] in (["tms"], ["wms"])  # one of the two, whole


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_save_racing_a_submit_never_lands_after_it(make_app, database: str) -> None:
    app: Flask = make_app(database=database)
    for _ in range(5):
        client = app.test_client()
        token = start(client)
        answer_every_type(client, token)
        review = Tab(app, f"/a/{token}/review")
        review.url = f"/a/{token}/submit"
        page = Tab(app, f"/a/{token}/section/data-section")
        submit_status, save_status = race(
            review.post(), page.post(fuel="no", tools=["tms"], budget=["a"])
        )
        assert submit_status == 302
        assert save_status == 302  # saved before the submission, or told it is closed
        result = client.get(f"/a/{token}/results", headers={"Accept": "application/json"}).json
        with app.app_context():
            assessment_id = db.session.scalar(
                select(Assessment.id).where(Assessment.token == token)
            )
            overall = db.session.scalar(
                select(ResultFacet.score).where(
                    ResultFacet.assessment_id == assessment_id, ResultFacet.key == "overall"
                )
            )
        # The figures stored at submission are those of the answers as they stand now.
        assert round(overall, 1) == result["overall"]["score"]


# Races that used to end in a 500 (security review M4, I4; code review 3 and 4). Each runs on
# both databases: SQLite serialises writers, PostgreSQL lets them meet at row locks and unique
# indexes, and the two fail differently.

DATABASES = ["sqlite", "postgresql"]


def submitted_assessment(app: Flask) -> str:
    client = app.test_client()
    token = start(client)
    answer_every_type(client, token)
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    assert client.post(f"/a/{token}/submit", data={"csrf_token": csrf}).status_code == 302
    return token


def get(app: Flask, url: str) -> Callable[[], int]:
    client = app.test_client()
    return lambda: client.get(url).status_code


@pytest.mark.parametrize("database", DATABASES)
def test_a_double_click_on_a_new_plan_stores_one_pdf(make_app, database: str) -> None:
    app: Flask = make_app(database=database)
    token = submitted_assessment(app)
    statuses = race(*(get(app, f"/a/{token}/plan.pdf") for _ in range(4)))
    assert statuses == [303] * 4  # each sent to the page that follows the render
    app.extensions["assessor.jobs"].wait_until_idle()
    assert race(*(get(app, f"/a/{token}/plan.pdf") for _ in range(4))) == [200] * 4
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlanDocument)) == 1


@pytest.mark.parametrize("database", DATABASES)
def test_a_new_service_saved_twice_at_once_is_saved_once(make_app, database: str) -> None:
    from tests.advisers.test_cluster_admin import service_form

    app: Flask = make_app(database=database, questionnaires=SHIPPED)
    account = make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN)
    url = "/advisers/cluster/services/new"

    def click() -> Callable[[], int]:
        client = signed_in_client(app, account)
        data = service_form(client, url, id="twin-clinic")
        return lambda: client.post(url, data=data).status_code

    statuses = race(*(click() for _ in range(5)))
    assert sorted(statuses) == [302, 400, 400, 400, 400]  # the others: "has this id" at the id
    with app.app_context():
        keys = [s.key for s in cluster_by_slug("example-baltic-freight").services]
    assert keys.count("twin-clinic") == 1


def invitation_link(app: Flask, email: str, cluster: str = "example-baltic-freight") -> str:
    with app.app_context():
        invited = accounts.invite(cluster_by_slug(cluster), email, Role.ADVISER, None)
    return f"/advisers/invitation/{invited.token}"


def accepting(app: Flask, link: str) -> Callable[[], object]:
    client = app.test_client()
    csrf = csrf_from(client.get(link).get_data(as_text=True))
    data = {"csrf_token": csrf, "name": "Bea", "password": PASSWORD, "password_again": PASSWORD}
    return lambda: client.post(link, data=data)


def accounts_for(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(User.email == email))


@pytest.mark.parametrize("database", DATABASES)
def test_an_invitation_accepted_twice_at_once_makes_one_account(make_app, database: str) -> None:
    app: Flask = make_app(database=database, questionnaires=SHIPPED)
    link = invitation_link(app, "bea@example.org")
    responses = race(*(accepting(app, link) for _ in range(5)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 404, 404, 404, 404], statuses
    for response in responses:
        if response.status_code == 404:  # the link is used: the page says so
            assert "This invitation cannot be used" in response.get_data(as_text=True)
    assert accounts_for(app, "bea@example.org") == 1


@pytest.mark.parametrize("database", DATABASES)
def test_two_invitations_for_one_address_make_one_account(make_app, database: str) -> None:
    """Two clusters invited the same person: whichever link is used first makes the account;
    the other link then says so and leads to signing in, before or during the first."""
    app: Flask = make_app(database=database, questionnaires=SHIPPED)
    first = invitation_link(app, "bea@example.org", "example-baltic-freight")
    second = invitation_link(app, "bea@example.org", "example-rhine-scheldt")
    responses = race(accepting(app, first), accepting(app, second))
    assert sorted(r.status_code for r in responses) == [302, 302]
    targets = sorted(r.headers["Location"] for r in responses)
    assert targets[0].endswith("/advisers/"), targets
    assert "/advisers/sign-in" in targets[1], targets
    assert accounts_for(app, "bea@example.org") == 1

    # Accepted one after the other: the same.
    later = invitation_link(app, "cai@example.org", "example-baltic-freight")
    other = invitation_link(app, "cai@example.org", "example-rhine-scheldt")
    assert accepting(app, later)().status_code == 302
    client = app.test_client()
    csrf = csrf_from(client.get(other).get_data(as_text=True))
    refused = client.post(
        other,
        data={"csrf_token": csrf, "name": "Cai", "password": PASSWORD, "password_again": PASSWORD},
        follow_redirects=True,
    )
    assert refused.status_code == 200
    assert "An account for cai@example.org exists already" in refused.get_data(as_text=True)
    assert accounts_for(app, "cai@example.org") == 1


@pytest.mark.parametrize("database", DATABASES)
def test_inviting_an_address_again_replaces_its_pending_invitation(make_app, database: str) -> None:
    """The administrator sends a new link (the old one was lost, or went to a wrong inbox):
    only the newest link of the cluster for that address works."""
    app: Flask = make_app(database=database, questionnaires=SHIPPED)
    old = invitation_link(app, "bea@example.org")
    new = invitation_link(app, "bea@example.org")
    assert app.test_client().get(old).status_code == 404
    with app.app_context():
        pending = accounts.pending_invitations(cluster_by_slug("example-baltic-freight"))
        assert [i.email for i in pending] == ["bea@example.org"]
    assert accepting(app, new)().status_code == 302


@pytest.mark.parametrize("database", DATABASES)
def test_deleting_while_other_tabs_save_deletes(make_app, database: str) -> None:
    app: Flask = make_app(database=database)
    for _ in range(10):
        token = start(app.test_client())
        tabs = [Tab(app, f"/a/{token}/section/data-section") for _ in range(3)]
        # Stored answers, which the saves overwrite while the delete removes them.
        assert tabs[0].post(fuel="yes", method="primary", tools=["wms"], budget=["b"])() == 302
        deleting = Tab(app, f"/a/{token}/delete")
        statuses = race(
            *(tab.post(fuel="no", tools=["tms"], budget=["a"]) for tab in tabs), deleting.post()
        )
        assert statuses[-1] == 302  # deleted
        assert all(status in (302, 404) for status in statuses[:-1]), statuses
        with app.app_context():
            assert db.session.scalar(select(Assessment).where(Assessment.token == token)) is None
            assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


@pytest.mark.parametrize("database", DATABASES)
def test_a_save_whose_assessment_vanished_meanwhile_is_a_404(
    make_app, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted in another tab between finding the assessment and saving to it."""
    app: Flask = make_app(database=database)
    saving = Tab(app, f"/a/{start(app.test_client())}/section/data-section")
    token = start(app.test_client())
    sharing = Tab(app, f"/a/{token}/review")
    sharing.url = f"/a/{token}/sharing"  # choosing to share changes the row too
    find = service.find_assessment

    def found_then_deleted(wanted: str) -> Assessment | None:
        assessment = find(wanted)
        with db.engine.begin() as other:  # another connection: another tab's request
            other.execute(delete(Assessment).where(Assessment.token == wanted))
        return assessment

    monkeypatch.setattr(service, "find_assessment", found_then_deleted)
    assert saving.post(fuel="no", tools=["tms"], budget=["a"])() == 404
    assert sharing.post(share="yes")() == 404


@pytest.mark.parametrize("database", DATABASES)
def test_five_clicks_on_follow_up_start_one_follow_up(make_app, database: str) -> None:
    app: Flask = make_app(database=database)
    token = submitted_assessment(app)

    def click() -> Callable[[], object]:
        client = app.test_client()
        csrf = csrf_from(client.get(f"/a/{token}/results").get_data(as_text=True))
        return lambda: client.post(f"/a/{token}/follow-up", data={"csrf_token": csrf})

    responses = race(*(click() for _ in range(5)))
    assert [r.status_code for r in responses] == [302] * 5
    assert len({r.headers["Location"] for r in responses}) == 1  # all to the same one
    with app.app_context():
        previous = db.session.scalar(select(Assessment.id).where(Assessment.token == token))
        follow_ups = db.session.scalars(
            select(Assessment.token).where(Assessment.previous_id == previous)
        ).all()
    assert len(follow_ups) == 1
    assert f"/a/{follow_ups[0]}" in responses[0].headers["Location"]


@pytest.mark.parametrize("database", DATABASES)
def test_workers_starting_together_record_a_new_questionnaire_once(make_app, database: str) -> None:
    """gunicorn starts its workers at once; each records the questionnaires' sources. Every
    worker reads before any inserts (held at its first INSERT), as happens when they boot
    together after a new questionnaire version."""
    app: Flask = make_app(database=database)
    workers = 4
    with app.app_context():
        db.session.execute(delete(QuestionnaireEntry))
        db.session.execute(delete(QuestionnaireSource))
        db.session.commit()
        engine = db.engine
    inserting = threading.Barrier(workers, timeout=20)
    held = threading.local()

    def hold_first_insert(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT") and not getattr(held, "done", False):
            held.done = True
            inserting.wait()

    def boot() -> list[str]:
        with app.app_context():
            try:
                return import_files(app.extensions["assessor.questionnaires"])
            finally:
                db.session.remove()

    event.listen(engine, "before_cursor_execute", hold_first_insert)
    try:
        assert race(*(boot for _ in range(workers))) == [[]] * workers  # none failed
    finally:
        event.remove(engine, "before_cursor_execute", hold_first_insert)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireSource)) == 1
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireEntry)) == 1
