"""The live workshop figures never let the adviser compute the results of a participant
who chose not to share them, by watching the figures change when that participant finishes."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.advisers.helpers import (
    QUICK_CHECK_ANSWERS,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.conftest import RELEASED_V2, fetch_pdf
from tests.web.helpers import csrf_from

# Answers far from the helper's usual ones, so that adding them would move every figure.
STRONG_ANSWERS = {
    **QUICK_CHECK_ANSWERS,
    "decarbonisation": {
        "q-energy-data": "per-trip",
        "q-footprint": "iso-14083",
        "q-target": "intention",
        "q-efficiency": ["eco-driving"],
    },
    "digitalisation": {
        "q-digital-plan": "plan",
        "q-systems": ["tms-wms"],
        "q-efti": "ecmr-efti",
        "q-data": "spreadsheets",
    },
    "skills": {"q-training-plan": "budget", "q-staff-skills": "5"},
}


def _figures(page: str) -> str:
    """Everything of the live page that is computed from results."""
    tables = re.findall(r'<table class="data-table spreads">.*?</table>', page, re.S)
    actions = re.findall(r'<ol class="frequent-actions">.*?</ol>', page, re.S)
    assert tables, "no figures on the page"
    return "\n".join(tables + actions)


@pytest.fixture(params=["sqlite", "postgresql"])
def workshop_app(request: pytest.FixtureRequest, make_app) -> Flask:
    return make_app(database=request.param, questionnaires=RELEASED_V2)


def test_a_participant_who_does_not_share_never_changes_the_figures_alone(
    workshop_app: Flask,
) -> None:
    app = workshop_app
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    live = f"/advisers/workshops/{public_id}/live"
    for company in ("A Oy", "B Oy", "C Oy"):
        join_and_finish(app, code, company=company, share=True)
    shared_only = _figures(adviser.get(live).get_data(as_text=True))

    # One, then two participants who keep their results: finished, yet not in the figures.
    for expected_waiting in (1, 2):
        join_and_finish(app, code, answers=STRONG_ANSWERS, share=False)
        page = adviser.get(live).get_data(as_text=True)
        assert re.search(rf'class="count">{3 + expected_waiting}</span> finished', page)
        assert _figures(page) == shared_only
        assert f"{expected_waiting} finished participant" in page
        assert "groups of 3" in page
        summary = fetch_pdf(adviser, f"/advisers/workshops/{public_id}/summary.pdf")
        assert summary.status_code == 200

    # The third makes a group that cannot be told apart: the three enter together.
    join_and_finish(app, code, answers=STRONG_ANSWERS, share=False)
    page = adviser.get(live).get_data(as_text=True)
    assert _figures(page) != shared_only
    assert "not in the figures yet" not in page


def test_without_anyone_sharing_the_figures_grow_by_whole_groups(workshop_app: Flask) -> None:
    app = workshop_app
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    live = f"/advisers/workshops/{public_id}/live"
    for _ in range(3):
        join_and_finish(app, code)
    first_group = _figures(adviser.get(live).get_data(as_text=True))
    join_and_finish(app, code, answers=STRONG_ANSWERS)
    join_and_finish(app, code, answers=STRONG_ANSWERS)
    assert _figures(adviser.get(live).get_data(as_text=True)) == first_group
    join_and_finish(app, code, answers=STRONG_ANSWERS)
    assert _figures(adviser.get(live).get_data(as_text=True)) != first_group


def _change_sharing(app: Flask, token: str, share: bool) -> None:
    client = app.test_client()
    page = client.get(f"/a/{token}/results").get_data(as_text=True)
    answer = client.post(
        f"/a/{token}/sharing",
        data={"csrf_token": csrf_from(page), "share": "yes" if share else "no"},
    )
    assert answer.status_code == 302


def test_changing_ones_sharing_choice_never_moves_one_participant_alone(
    workshop_app: Flask,
) -> None:
    """The outside review's variants: a participant in the figures starts sharing (the
    groups must not be formed anew around the one still waiting), and a sharer withdraws
    (they must not push a waiting participant out, or pull one in)."""
    app = workshop_app
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    public_id = create_workshop(adviser)
    code = join_code_of(adviser, public_id)
    live = f"/advisers/workshops/{public_id}/live"
    sharer = join_and_finish(app, code, company="First Oy", share=True)
    private = [join_and_finish(app, code) for _ in range(3)]  # one group of three
    before = _figures(adviser.get(live).get_data(as_text=True))
    join_and_finish(app, code, answers=STRONG_ANSWERS)  # waits for two more
    assert _figures(adviser.get(live).get_data(as_text=True)) == before

    _change_sharing(app, private[0], share=True)  # already in: nothing moves
    assert _figures(adviser.get(live).get_data(as_text=True)) == before
    _change_sharing(app, sharer, share=False)  # already in: stays in, nothing moves
    page = adviser.get(live).get_data(as_text=True)
    assert _figures(page) == before
    assert "1 finished participant who does not share" in page
