"""An adviser's home: the workshops to come or still open, and the results shared lately,
only the cluster's own and only those it may see one by one."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask

from tests.advisers.helpers import (
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import RELEASED_V2
from tests.web.helpers import csrf_from


@pytest.fixture(params=["sqlite", "postgresql"])
def both_databases(request: pytest.FixtureRequest, make_app) -> Flask:
    """The home's query on either database (a correlated subquery with a limit)."""
    return make_app(database=request.param, questionnaires=RELEASED_V2)


def _section(page: str, title: str) -> str:
    return re.search(rf"<h2[^>]*>{title}</h2>.*?</section>", page, re.S).group(0)


def test_home_lists_only_what_the_cluster_may_see(both_databases: Flask) -> None:
    app = both_databases
    ada = signed_in_client(app, make_account(app, "ada@example.org"))
    bob = signed_in_client(app, make_account(app, "bob@example.org", "example-rhine-scheldt"))
    ours = join_code_of(ada, create_workshop(ada, "Ours", held_on=date.today().isoformat()))
    theirs = join_code_of(bob, create_workshop(bob, "Theirs"))
    join_and_finish(app, ours, company="Shared Oy", share=True)
    join_and_finish(app, ours, company="Private Oy", share=False)
    join_and_finish(app, ours, company="Unfinished Oy", share=True, finish=False)
    join_and_finish(app, theirs, company="Rhine BV", share=True)

    page = ada.get("/advisers/").get_data(as_text=True)
    shared = _section(page, "Newly shared results")
    assert "Shared Oy" in shared
    assert "workshop Ours" in shared
    for unseen in ("Private Oy", "Unfinished Oy", "Rhine BV"):
        assert unseen not in page
    link = re.search(r'href="(/advisers/assessments/[^"]+)">Shared Oy<', shared).group(1)
    assert ada.get(link).status_code == 200
    current = _section(page, "Upcoming and open workshops")
    assert "Ours" in current
    assert "today" in current
    assert "Theirs" not in page


def test_closed_workshops_held_before_today_are_past(app: Flask) -> None:
    ada = signed_in_client(app, make_account(app, "ada@example.org"))
    earlier = create_workshop(ada, "Spring session", held_on="2026-03-12")
    page = ada.get(f"/advisers/workshops/{earlier}").get_data(as_text=True)
    ada.post(f"/advisers/workshops/{earlier}/close", data={"csrf_token": csrf_from(page)})
    create_workshop(ada, "Still open from before", held_on="2026-03-13")
    next_week = (date.today() + timedelta(days=7)).isoformat()
    create_workshop(ada, "Next week", held_on=next_week)

    page = ada.get("/advisers/").get_data(as_text=True)
    current = _section(page, "Upcoming and open workshops")
    assert current.index("Still open from before") < current.index("Next week")  # soonest first
    assert "Spring session" not in current
    assert "Spring session" in _section(page, "Past workshops")
    assert "No company has shared its results with the cluster yet." in page
