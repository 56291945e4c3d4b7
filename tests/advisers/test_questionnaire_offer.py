"""What a cluster offers: its own questionnaires only to itself, the platform's it chose,
and the one its start form selects (or none)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessor.services.clusters import cluster_by_slug
from assessor.storage.models import Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.advisers.test_questionnaire_preview import (
    CLUSTER,
    cold_chain_text,
    company_submits,
    publish_own,
)
from tests.conftest import RELEASED_V2
from tests.web.helpers import post_form

OTHER = "example-iberian-green"
OFFER = "/advisers/cluster/questionnaires/offer"


def _radios(html: str) -> list[tuple[str, bool]]:
    """The questionnaire radio buttons of a form: (id, checked), in order."""
    inputs = re.findall(r'<input [^>]*name="questionnaire"[^>]*>', html)
    return [(re.search(r'value="([^"]*)"', i).group(1), " checked" in i) for i in inputs]


def offered_on(html: str) -> list[str]:
    """The questionnaire ids a form offers, in order."""
    return [value for value, _checked in _radios(html)]


def selected_on(html: str) -> list[str]:
    return [value for value, checked in _radios(html) if checked]


def stored_offer(app: Flask, slug: str = CLUSTER) -> tuple[object, object]:
    with app.app_context():
        cluster = cluster_by_slug(slug)
        return cluster.offered_questionnaires, cluster.default_questionnaire


def save_offer(admin: FlaskClient, chosen: list[str], default: str, automatic: bool = False):
    data = {"questionnaires": chosen, "default_questionnaire": default}
    if automatic:
        data["automatic"] = "yes"
    return post_form(admin, OFFER, data)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_clusters_own_questionnaire_is_offered_to_it_alone(make_app, database) -> None:
    app = make_app(database=database, questionnaires=RELEASED_V2, CATALOGUE_REFRESH_SECONDS=0)
    publish_own(app, cold_chain_text())
    own = signed_in_client(app, make_account(app, "ada@example.org", CLUSTER))
    other = signed_in_client(app, make_account(app, "eva@example.org", OTHER))

    assert "cold-chain-check" in offered_on(app.test_client().get(f"/c/{CLUSTER}").text)
    assert "cold-chain-check" not in offered_on(app.test_client().get(f"/c/{OTHER}").text)
    assert "cold-chain-check" not in offered_on(app.test_client().get("/start").text)
    for form in ("/advisers/workshops/new", "/advisers/one-to-one"):
        assert "cold-chain-check" in offered_on(own.get(form).text)
        assert "cold-chain-check" not in offered_on(other.get(form).text)
        # A forged post of its id: refused next to the field, nothing started.
        forged = post_form(
            other,
            form,
            {"title": "Forged", "questionnaire": "cold-chain-check", "language": "en"},
        )
        assert forged.status_code == 400
        assert "Choose a questionnaire." in forged.text
    refused = post_form(
        app.test_client(),
        "/start",
        {"cluster": OTHER, "questionnaire": "cold-chain-check"},
    )
    assert refused.status_code == 400
    assert "does not offer this questionnaire" in refused.text
    assert (
        post_form(app.test_client(), "/start", {"questionnaire": "cold-chain-check"}).status_code
        == 400
    )

    # A company of the cluster answers it and shares: only the cluster's advisers see it.
    company_submits(app, "Frost Haulage")
    assert "Frost Haulage" in own.get("/advisers/companies").text
    assert "Frost Haulage" not in other.get("/advisers/companies").text
    assert "Frost Haulage" not in other.get("/advisers/").text


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_cluster_administrator_chooses_what_is_offered_and_selected(make_app, database) -> None:
    app = make_app(database=database, questionnaires=RELEASED_V2, CATALOGUE_REFRESH_SECONDS=0)
    admin = signed_in_client(
        app, make_account(app, "admin@example.org", CLUSTER, Role.CLUSTER_ADMIN)
    )
    page = admin.get(OFFER).text
    # At first: every platform questionnaire, new ones too, and the platform's default.
    assert 'id="offer-quick-check" name="questionnaires" value="quick-check" checked' in page
    assert 'id="automatic" name="automatic" value="yes" checked' in page
    assert 'value="logistics-maturity" checked' in page
    assert selected_on(app.test_client().get(f"/c/{CLUSTER}").text) == ["logistics-maturity"]

    # Only the quick check, selected: the start page and the advisers' forms follow.
    assert save_offer(admin, ["quick-check"], "quick-check").status_code == 302
    assert stored_offer(app) == (["quick-check"], "quick-check")
    start_page = app.test_client().get(f"/c/{CLUSTER}").text
    assert offered_on(start_page) == ["quick-check"]
    assert selected_on(start_page) == ["quick-check"]
    assert offered_on(admin.get("/advisers/one-to-one").text) == ["quick-check"]
    assert offered_on(app.test_client().get(f"/c/{OTHER}").text) == [
        "quick-check",
        "logistics-maturity",
    ]
    refused = post_form(
        app.test_client(),
        "/start",
        {"cluster": CLUSTER, "questionnaire": "logistics-maturity"},
    )
    assert refused.status_code == 400
    assert "does not offer this questionnaire" in refused.text

    # Refused, each next to its field, and nothing changes.
    for chosen, default, automatic, message in (
        (["quick-check"], "logistics-maturity", False, "must be one the cluster offers"),
        ([], "", False, "Offer at least one questionnaire"),
        (["quick-check"], "quick-check", True, "only while every platform questionnaire"),
        (["quick-check", "not-a-questionnaire"], "", False, "Choose among the questionnaires"),
    ):
        response = save_offer(admin, chosen, default, automatic)
        assert response.status_code == 400
        assert '<p class="error-message"' in response.text
        assert message in response.text
    assert stored_offer(app) == (["quick-check"], "quick-check")

    # Both again, none selected: the company chooses.
    both = ["quick-check", "logistics-maturity"]
    assert save_offer(admin, both, "", automatic=True).status_code == 302
    assert stored_offer(app) == (None, "")
    start_page = app.test_client().get(f"/c/{CLUSTER}").text
    assert offered_on(start_page) == both
    assert selected_on(start_page) == []
    assert (
        'id="default-none" name="default_questionnaire" value="" checked' in admin.get(OFFER).text
    )
    # A link naming a questionnaire still selects it.
    linked = app.test_client().get(f"/c/{CLUSTER}?questionnaire=quick-check").text
    assert selected_on(linked) == ["quick-check"]
    # Every one, but not new ones automatically: the list is kept as chosen.
    assert save_offer(admin, both, "quick-check").status_code == 302
    assert stored_offer(app) == (["quick-check", "logistics-maturity"], "quick-check")

    # Its own questionnaire can be the default, and is offered besides the ones chosen.
    publish_own(app, cold_chain_text())
    assert save_offer(admin, ["logistics-maturity"], "cold-chain-check").status_code == 302
    start_page = app.test_client().get(f"/c/{CLUSTER}").text
    assert offered_on(start_page) == ["cold-chain-check", "logistics-maturity"]
    assert selected_on(start_page) == ["cold-chain-check"]
    # With its own questionnaire it may offer none of the platform's.
    assert save_offer(admin, [], "cold-chain-check").status_code == 302
    assert offered_on(app.test_client().get(f"/c/{CLUSTER}").text) == ["cold-chain-check"]


def test_only_cluster_administrators_choose(app: Flask) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    assert adviser.get(OFFER).status_code == 403
    platform = signed_in_client(
        app, make_account(app, "root@example.org", None, Role.PLATFORM_ADMIN)
    )
    assert platform.get(OFFER).status_code == 403
    assert app.test_client().get(OFFER).status_code == 302  # to the sign-in page
