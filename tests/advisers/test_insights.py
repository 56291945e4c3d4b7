"""The insights pages: who sees them, the filter form and its messages, a report labelled
with the questionnaire and the cluster's services (in the reader's language), hidden cells
and suppressed reports. The reports are built by hand (insights_reports.py): the figures
are the insights service's tests'; here, how a page shows them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessor.services.insights import report as insights
from assessor.services.insights.filters import InsightFilters
from assessor.storage.models import Role
from tests.advisers.helpers import make_account, signed_in_client
from tests.advisers.insights_reports import (
    ANSWERED,
    differencing_report,
    sample_platform,
    sample_report,
    too_few_report,
)
from tests.conftest import SHIPPED

PAGE = "/advisers/cluster/insights"
PLATFORM_PAGE = "/advisers/platform/insights"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=SHIPPED)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int | None, InsightFilters]]:
    """The service answers with the sample report; the (cluster id, filters) it was asked."""
    calls: list[tuple[int | None, InsightFilters]] = []

    def report(cluster, filters):
        calls.append((cluster.id, filters))
        return sample_report(cluster.id, filters)

    def platform(filters):
        calls.append((None, filters))
        return sample_platform(filters)

    monkeypatch.setattr(insights, "questionnaires_answered", lambda cluster: list(ANSWERED))
    monkeypatch.setattr(insights, "cluster_report", report)
    monkeypatch.setattr(insights, "platform_insights", platform)
    return calls


def _text(html: str) -> str:
    """The page's text, tags dropped and spaces folded, for phrases that span elements."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _field(html: str, name: str) -> str:
    """The form's block for one field: its label, message and input, up to the next field."""
    blocks = [b for b in html.split('<div class="question') if f'<label for="{name}"' in b]
    assert len(blocks) == 1, f"no field {name}"
    return blocks[0]


def _client(app: Flask, email: str, cluster: str | None, role: Role) -> FlaskClient:
    return signed_in_client(app, make_account(app, email, cluster, role))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_who_sees_the_pages(make_app: Callable[..., Flask], asked, database: str) -> None:
    app = make_app(database=database, questionnaires=SHIPPED)
    anonymous = app.test_client()
    for page in (PAGE, PLATFORM_PAGE):
        response = anonymous.get(page)
        assert response.status_code == 302
        assert "/advisers/sign-in" in response.headers["Location"]

    baltic_adviser = _client(app, "ana@baltic.example", "example-baltic-freight", Role.ADVISER)
    baltic_admin = _client(app, "bo@baltic.example", "example-baltic-freight", Role.CLUSTER_ADMIN)
    rhine_adviser = _client(app, "cor@rhine.example", "example-rhine-scheldt", Role.ADVISER)
    platform_admin = _client(app, "pat@platform.example", None, Role.PLATFORM_ADMIN)
    with app.app_context():
        from assessor.services.clusters import cluster_by_slug

        baltic = cluster_by_slug("example-baltic-freight").id
        rhine = cluster_by_slug("example-rhine-scheldt").id

    for client in (baltic_adviser, baltic_admin):
        page = client.get(PAGE)
        assert page.status_code == 200
        assert "Baltic Freight Cluster (example)" in page.get_data(as_text=True)
    # The adviser of another cluster sees their own cluster's figures, whatever they ask.
    page = rhine_adviser.get(PAGE + "?cluster=example-baltic-freight&cluster_id=1")
    assert page.status_code == 200
    assert "Rhine–Scheldt Logistics Cluster (example)" in page.get_data(as_text=True)
    assert [cluster for cluster, _filters in asked] == [baltic, baltic, rhine]

    # The platform page is the platform administrator's alone, and vice versa.
    for client in (baltic_adviser, baltic_admin, rhine_adviser):
        assert client.get(PLATFORM_PAGE).status_code == 403
    assert platform_admin.get(PAGE).status_code == 403
    assert platform_admin.get(PLATFORM_PAGE).status_code == 200
    assert asked[-1][0] is None
    # The links in the navigation.
    assert f'href="{PAGE}"' in baltic_adviser.get("/advisers/companies").get_data(as_text=True)
    assert f'href="{PLATFORM_PAGE}"' in platform_admin.get("/advisers/platform").get_data(
        as_text=True
    )


def test_the_report_is_labelled_and_hidden_cells_say_why(app: Flask, asked) -> None:
    client = _client(app, "ana@baltic.example", "example-baltic-freight", Role.CLUSTER_ADMIN)
    html = client.get(PAGE + "?size=small&since=2026-01-01").get_data(as_text=True)
    text = _text(html)
    assert "23 companies · Logistics twin-transition maturity assessment · versions 2, 3" in text
    # Profile options, levels, dimensions and themes by their labels, not their ids.
    for label in (
        "Road haulage with our own vehicles 12 (52%)",
        "10 to 49 9 (39%)",
        "Estonia 8",
        "Beginner",
        "Decarbonisation",
        "Emissions accounting 23",
        "Digital strategy and leadership",
    ):
        assert label in text, label
    # The median and middle half beside each row's levels.
    assert "Overall 23 6 9 hidden hidden 42 30 to 58" in text
    # A hidden cell reads "hidden" (a second smallest hidden with a small one is no
    # "fewer than 5"), explained once; a wholly hidden row draws no bar.
    assert text.count("a figure about fewer than 5 companies is hidden") == 1
    assert re.search(r"Electronic documents hidden (hidden ){4}— —", text)
    # The stacked bar: the levels shown as wide as their counts, the hidden rest in grey.
    overall_bar = re.search(r'<tr class="depth-0">.*?</svg>', html, re.S).group(0)
    widths = re.findall(r'<rect x="[\d.]+" width="([\d.]+)"', overall_bar)
    assert [float(w) for w in widths] == [26.09, 39.13, 34.78]
    assert "#c9d1d9" in overall_bar
    # Gaps, focus actions, services (linked to their page), actions without a service.
    assert "Emissions accounting Decarbonisation 11" in text
    assert "Measure the fuel and electricity you use 9 (39%)" in text
    assert "eFTI and e-CMR readiness workshop 8 (35%)" in text
    assert 'href="https://baltic-freight.example/services/efti-ecmr-readiness"' in html
    assert "Only the network's catalogue has a service" in text
    assert "Nobody offers a service" in text
    # Readiness per rule, titled from the questionnaire's references.
    assert "eFTI Regulation (EU) 2020/1056" in text
    assert re.search(r"Ready .*Preparing .*Unaware .*Don't know", text)
    # Progress: first → latest median, the median change, improved and declined.
    assert re.search(r"Overall 6 38 → 47 \+8 5 hidden", text)
    assert re.search(r"Digitalisation 6 45 → 43 −2 hidden hidden", text)
    # The DMA correspondence, said to be one and not an official score.
    assert "not an official DMA score" in text
    assert re.search(r"Green digitalisation 4 questions .*? 23 55 35 to 66", text)
    assert re.search(r"Automation and artificial intelligence \d+ questions? .*? hidden — —", text)
    # Exports with the page's filters.
    query = "since=2026-01-01&amp;size=small"
    for path in ("export.xlsx", "report.pdf", "dma.csv"):
        assert f'href="{PAGE}/{path}?{query}"' in html, path
    assert f'href="{PAGE}/export.csv?view=levels&amp;{query}"' in html
    assert asked[-1][1] == InsightFilters(since=date(2026, 1, 1), size="small")


def test_bad_filters_get_a_message_next_to_their_field(app: Flask, asked) -> None:
    client = _client(app, "ana@baltic.example", "example-baltic-freight", Role.ADVISER)
    query = (
        "since=2026-13-40&until=2026-02-01&questionnaire_id=logistics-maturity&version=9"
        "&activity=space-travel&size=small&country=" + "x" * 200
    )
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Enter a date as YYYY-MM-DD." in _field(html, "since")
    assert "Choose a version from the list." in _field(html, "version")
    assert "Choose an option from the list." in _field(html, "activity")
    assert "This value is too long." in _field(html, "country")
    assert "error-message" not in _field(html, "size")
    assert 'aria-invalid="true"' in _field(html, "version")
    assert 'class="error-summary"' in html
    # The figures are those of the filters understood; the others are left out.
    assert asked[-1][1] == InsightFilters(
        until=date(2026, 2, 1),
        questionnaire_id="logistics-maturity",
        size="small",
    )
    # A questionnaire nobody answered, and a period that ends before it starts.
    html = client.get(f"{PAGE}?questionnaire_id=nope&since=2026-03-01&until=2026-02-01").get_data(
        as_text=True
    )
    assert "Choose a questionnaire from the list." in _field(html, "questionnaire_id")
    assert "The end of the period is before its start." in _field(html, "until")
    assert asked[-1][1] == InsightFilters(since=date(2026, 3, 1))


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (too_few_report, "Fewer than 5 companies match these filters, so no figure is shown"),
        (
            differencing_report,
            "This filter would single out fewer than 5 companies: widen it. Compared with the"
            " figures without the filter on size",
        ),
    ],
    ids=["too-few", "differencing"],
)
def test_a_suppressed_report_says_why_and_shows_no_figure(
    app: Flask, asked, monkeypatch: pytest.MonkeyPatch, report, message: str
) -> None:
    monkeypatch.setattr(insights, "cluster_report", lambda cluster, f: report(cluster.id, f))
    client = _client(app, "ana@baltic.example", "example-baltic-freight", Role.ADVISER)
    html = client.get(PAGE + "?size=small").get_data(as_text=True)
    text = _text(html)
    assert message in text
    assert "Levels per dimension and theme" not in text
    assert "export.xlsx" not in html
    assert 'name="size"' in html  # the form stays, to widen the filters


def test_no_shared_assessment_yet(app: Flask) -> None:
    # The service itself (no monkeypatching): a cluster nobody shared anything with.
    client = _client(app, "ana@baltic.example", "example-baltic-freight", Role.ADVISER)
    text = _text(client.get(PAGE).get_data(as_text=True))
    assert "No company has shared its results with the cluster yet." in text
    platform_admin = _client(app, "pat@platform.example", None, Role.PLATFORM_ADMIN)
    assert "No company has shared its results with a cluster yet." in _text(
        platform_admin.get(PLATFORM_PAGE).get_data(as_text=True)
    )


def test_labels_in_the_readers_language(app: Flask, asked) -> None:
    client = _client(app, "ana@baltic.example", "example-baltic-freight", Role.ADVISER)
    response = client.get("/fr" + PAGE)
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    for label in (
        "Transport routier avec nos propres véhicules",
        "Débutant",
        "Décarbonation",
        "Règlement eFTI (UE) 2020/1056",
    ):
        assert label in text, label
    assert "Road haulage with our own vehicles" not in text
    assert re.search(r"12 \(52\s%\)", text)  # French writes a space before the percent sign


def test_the_platform_page_lists_clusters_and_the_total(app: Flask, asked) -> None:
    client = _client(app, "pat@platform.example", None, Role.PLATFORM_ADMIN)
    html = client.get(PLATFORM_PAGE + "?activity=own-fleet").get_data(as_text=True)
    text = _text(html)
    assert re.search(r"Baltic Freight Cluster 17 6 43 40 48", text)
    assert re.search(r"Iberian Green Logistics hidden hidden — — —", text)
    assert "Every cluster together" in text
    assert "Levels per dimension and theme" in text
    assert "Service demand" not in text  # a cluster's own services: not across clusters
    # The platform's own exports, with the page's filters.
    assert 'href="/advisers/platform/insights/export.xlsx?activity=own-fleet"' in html
    assert "/advisers/cluster/insights/" not in html
    assert asked[-1] == (None, InsightFilters(activity="own-fleet"))
