"""The same assessment open in two tabs, or answered by two requests at once.

Each concurrent request comes from its own test client (the test client's cookie jar is
not made for threads); the assessment is the same, which is what is under test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from assessor.storage.db import db
from assessor.storage.models import Assessment, ResultFacet
from tests.web.helpers import answer_every_type, csrf_from, start, stored

ROUNDS = 15


def race(*calls: Callable[[], int]) -> list[int]:
    """Run the calls at the same moment; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = [0] * len(calls)

    def run(index: int, call: Callable[[], int]) -> None:
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
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
