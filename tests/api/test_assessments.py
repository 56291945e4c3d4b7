"""GET /api/v1/assessments and /assessments/<id>: what a cluster's token sees, a page at a
time, with the results page's figures."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta

from flask import Flask

from tests.api.helpers import BALTIC, IBERIAN, api, new_token, submitted, token_of


def test_a_page_holds_the_clusters_visible_assessments_newest_first(any_app: Flask) -> None:
    token = new_token(any_app)
    start = datetime(2026, 11, 2, 9, 0)
    shared = submitted(any_app, company="Shared Oy", at=start)
    one_to_one = submitted(
        any_app, company="Met Oy", share=False, one_to_one=True, at=start + timedelta(hours=1)
    )
    submitted(any_app, company="Private Oy", share=False, at=start + timedelta(hours=2))
    submitted(any_app, IBERIAN, company="Elsewhere SL", at=start + timedelta(hours=3))
    submitted(any_app, None, company="No Cluster Ltd", at=start + timedelta(hours=4))
    response = api(any_app.test_client(), "/assessments", token)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert [item["id"] for item in body["items"]] == [one_to_one, shared]
    assert body["next"] is None
    assert body["next_url"] is None
    met, oy = body["items"]
    assert (met["company_name"], met["shared"], met["one_to_one"]) == ("Met Oy", False, True)
    assert (oy["company_name"], oy["shared"], oy["one_to_one"]) == ("Shared Oy", True, False)
    assert oy["submitted_at"] == "2026-11-02T09:00:00Z"
    assert oy["questionnaire"]["id"] == "quick-check"
    assert oy["url"] == f"http://assessor.test/api/v1/assessments/{shared}"


def test_pages_cover_every_assessment_once_without_gaps(any_app: Flask) -> None:
    """Seven assessments, three of them submitted in the same second (the id breaks ties),
    read three at a time; an assessment shared while paging does not shift the pages."""
    token = new_token(any_app)
    start = datetime(2026, 10, 1, 8, 0)
    moments = [start, start, start, *(start + timedelta(days=d) for d in range(1, 5))]
    expected = [submitted(any_app, company=f"Company {n}", at=at) for n, at in enumerate(moments)]
    client = any_app.test_client()
    seen: list[str] = []
    url = "/assessments?limit=3"
    pages = 0
    while url:
        body = api(client, url, token).get_json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if pages == 1:  # shared meanwhile: newest of all, so on no page still to come
            submitted(any_app, company="Late Oy", at=start + timedelta(days=30))
        assert (body["next"] is None) == (body["next_url"] is None)
        url = body["next_url"].split("/api/v1", 1)[1] if body["next_url"] else ""
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == set(expected)
    newest_first = list(reversed(expected[3:])) + sorted(expected[:3], reverse=True)
    # Within one second the newest id first; public ids are random, so compare as sets.
    assert seen[:4] == newest_first[:4]
    assert set(seen[4:]) == set(expected[:3])


def test_filters_and_bad_parameters(app: Flask) -> None:
    token = new_token(app)
    old = submitted(app, company="Old Oy", at=datetime(2026, 1, 5, 12, 0))
    new = submitted(app, company="New Oy", at=datetime(2026, 3, 1, 0, 0))
    full = submitted(
        app,
        company="Full Oy",
        questionnaire="logistics-maturity",
        persona="haulier-40",
        at=datetime(2026, 3, 2, 0, 0),
    )
    client = app.test_client()

    def ids(query: str) -> list[str]:
        response = api(client, f"/assessments?{query}", token)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [item["id"] for item in response.get_json()["items"]]

    assert ids("since=2026-03-01") == [full, new]
    assert ids("questionnaire_id=quick-check") == [new, old]
    assert ids("questionnaire_id=quick-check&since=2026-01-06") == [new]
    assert ids("questionnaire_id=nothing-such") == []
    for query, field in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("since=2026-13-01", "since"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=" + "A" * 10, "cursor"),
        # A position whose id no database column holds (PostgreSQL: integer out of range).
        (
            "cursor="
            + base64.urlsafe_b64encode(b"2026-01-01T00:00:00|99999999999999999999")
            .decode()
            .rstrip("="),
            "cursor",
        ),
    ]:
        response = api(client, f"/assessments?{query}", token)
        assert response.status_code == 400, query
        error = response.get_json()["error"]
        assert error["code"] == "invalid-parameters"
        assert set(error["fields"]) == {field}, query


def test_the_record_has_the_results_pages_figures_and_texts(app: Flask) -> None:
    """The full assessment of a haulier with the Baltic cluster's services, read in German:
    every score, level, action and service as the results page has them."""
    token = new_token(app)
    public_id = submitted(
        app,
        company="Spedition Weber",
        questionnaire="logistics-maturity",
        persona="haulier-40",
        language="de",
    )
    client = app.test_client()
    record = api(client, f"/assessments/{public_id}?lang=de", token).get_json()
    respondent = token_of(app, public_id)
    page = client.get(f"/a/{respondent}/results", headers={"Accept": "application/json"}).get_json()
    assert record["overall"]["score"] == page["overall"]["score"] is not None
    assert record["overall"]["level"] == page["overall"]["level"]
    assert [(d["id"], d["score"], d["level"]) for d in record["dimensions"]] == [
        (d["id"], d["score"], d["level"]) for d in page["dimensions"]
    ]
    assert [
        [(t["id"], t["score"], t["level"]) for t in d["themes"]] for d in record["dimensions"]
    ] == [[(t["id"], t["score"], t["level"]) for t in d["themes"]] for d in page["dimensions"]]
    assert record["actions"] == page["actions"]
    focus = record["plan"]["focus"]
    assert [(a["id"], a["services_from"]) for a in focus] == [
        (a["id"], a["services_from"]) for a in page["plan"]["focus"]
    ]
    assert [[s["key"] for s in a["services"]] for a in focus] == [
        a["services"] for a in page["plan"]["focus"]
    ]
    assert [a["id"] for a in record["plan"]["more"]] == page["plan"]["more"]
    assert any(a["services_from"] == "cluster" and a["services"] for a in focus)
    # Texts in German, as the German results page shows them.
    html = client.get(f"/de/a/{respondent}/results").get_data(as_text=True)
    for action in focus:
        assert f"<h4>{action['title']}</h4>" in html, action["title"]
        for service in action["services"]:
            assert service["title"] in html
    assert record["overall"]["level_label"] in html
    english = api(client, f"/assessments/{public_id}?lang=en", token).get_json()
    assert english["plan"]["focus"][0]["title"] != focus[0]["title"]
    by_header = api(
        client, f"/assessments/{public_id}", token, headers={"Accept-Language": "de-DE,de"}
    ).get_json()
    assert by_header["plan"]["focus"][0]["title"] == focus[0]["title"]
    refused = api(client, f"/assessments/{public_id}?lang=xx", token)
    assert refused.status_code == 400
    assert set(refused.get_json()["error"]["fields"]) == {"lang"}


def test_follow_up_links_name_only_what_the_cluster_sees(app: Flask) -> None:
    token = new_token(app)
    first = submitted(app, company="Repeat Oy")
    second = submitted(app, previous=first, persona="best-in-class")
    client = app.test_client()
    earlier = api(client, f"/assessments/{first}", token).get_json()["follow_up"]
    later = api(client, f"/assessments/{second}", token).get_json()["follow_up"]
    assert earlier == {
        "previous": None,
        "next": [{"id": second, "url": f"http://assessor.test/api/v1/assessments/{second}"}],
    }
    assert later["previous"]["id"] == first
    assert later["next"] == []
    unshared = submitted(app, company="Quiet Oy", share=False)
    hidden_follow_up = submitted(app, previous=unshared)  # inherits "not shared"
    assert api(client, f"/assessments/{hidden_follow_up}", token).status_code == 404


def test_a_token_never_sees_another_clusters_assessments(any_app: Flask) -> None:
    baltic, iberian = new_token(any_app, BALTIC), new_token(any_app, IBERIAN)
    theirs = submitted(any_app, IBERIAN, company="Verde SL")
    ours = submitted(any_app, BALTIC, company="Nordic Oy")
    client = any_app.test_client()
    listed = api(client, "/assessments", baltic).get_json()["items"]
    assert [item["id"] for item in listed] == [ours]
    for path in (f"/assessments/{theirs}", "/assessments/" + "x" * 40):
        response = api(client, path, baltic)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not-found"
        assert "Verde" not in response.get_data(as_text=True)
    assert api(client, f"/assessments/{theirs}", iberian).get_json()["company_name"] == "Verde SL"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", ours)
