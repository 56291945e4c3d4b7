"""The insights exports: the workbook (a sheet per view, headers in the reader's language
with the codes beside them, hidden cells empty), a view as CSV, the EU DMA correspondence,
the cluster report PDF; filters read from the query string; who may download what.

Until the insights service lands, its report is built here by hand (with hidden cells,
and a suppressed one) and put in place of ``cluster_report`` / ``platform_insights``."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest
from flask import Flask
from openpyxl import load_workbook

from assessor.services.insights import report as insights
from assessor.services.insights.figures import (
    ActionCount,
    Breakdown,
    ClusterRow,
    CountRow,
    Distribution,
    DmaFigure,
    InsightsReport,
    PlatformInsights,
    Progress,
    RuleReadiness,
    ServiceDemand,
    ServiceSource,
    Suppressed,
    UnservedAction,
)
from assessor.services.insights.filters import InsightFilters
from assessor.storage.models import Role
from tests.advisers.helpers import make_account, signed_in_client

BASE = "/advisers/cluster/insights"
PLATFORM = "/advisers/platform/insights"
INJECTION = '=HYPERLINK("http://evil.example","x")'


def _report(cluster_id: int | None, filters: InsightFilters) -> InsightsReport:
    """Eight companies on logistics-maturity; cells about fewer than 5 are hidden (None)."""
    return InsightsReport(
        cluster_id=cluster_id,
        filters=filters,
        questionnaire_id="logistics-maturity",
        versions=(2,),
        minimum=5,
        companies=8,
        breakdowns=(
            Breakdown(
                "size",
                (CountRow("small", 6, 0.75), CountRow("micro", None), CountRow("large", None)),
                answered=8,
            ),
        ),
        distributions=(
            Distribution(
                "overall",
                8,
                (
                    CountRow("beginner", None),
                    CountRow("developing", 5, 0.625),
                    CountRow("established", None),
                    CountRow("advanced", None),
                ),
                median=41.25,
                lower_quartile=30.0,
                upper_quartile=55.5,
            ),
            Distribution(
                "dimension:decarbonisation",
                8,
                (CountRow("beginner", 8, 1.0),),
                median=20.0,
                lower_quartile=12.5,
                upper_quartile=25.0,
            ),
            Distribution("theme:energy-data", None, (), None, None, None),
        ),
        gaps=(CountRow("energy-data", 6, 0.75), CountRow("core-systems", None)),
        focus_actions=(
            ActionCount("measure-energy", 7, 0.875),
            ActionCount("set-target", None, None),
        ),
        triggered_actions=(
            ActionCount("measure-energy", 8, 1.0),
            ActionCount("first-footprint", 6, 0.75),
        ),
        service_demand=(
            ServiceDemand("telematics-co2-baseline", 7, 0.875),
            ServiceDemand(INJECTION, None, None),
        ),
        unserved=(UnservedAction("set-target", ServiceSource.NETWORK, 6, 0.75),),
        readiness=(
            RuleReadiness(
                "efti",
                "g-efti",
                8,
                (
                    CountRow("ready", 5, 0.625),
                    CountRow("preparing", None),
                    CountRow("unaware", None),
                    CountRow("unknown", None),
                ),
            ),
        ),
        progress=(Progress("overall", 5, 35.0, 42.5, 6.0, 5, None),),
        follow_ups=5,
        dma=(DmaFigure("data-management", 3, 8, 47.5, 40.0, 60.0),),
    )


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, InsightFilters]]:
    """The reports asked for: (cluster slug or "platform", filters)."""
    seen: list[tuple[object, InsightFilters]] = []

    def cluster_report(cluster, filters):
        seen.append((cluster.slug, filters))
        return _report(cluster.id, filters)

    def platform_insights(filters):
        seen.append(("platform", filters))
        return PlatformInsights(
            _report(None, filters),
            (
                ClusterRow("example-baltic-freight", "Baltic", 8, 5, {"overall": 41.25}),
                ClusterRow("example-rhine-scheldt", "Rhine", None, None, {"overall": None}),
            ),
        )

    monkeypatch.setattr(insights, "cluster_report", cluster_report)
    monkeypatch.setattr(insights, "platform_insights", platform_insights)
    return seen


def _rows(sheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_has_a_sheet_per_view_in_the_readers_language(app: Flask, calls: list) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    response = adviser.get(f"/fr{BASE}/export.xlsx?size=small&since=2026-01-01")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="insights-example-baltic-freight-'
    )
    assert calls == [
        ("example-baltic-freight", InsightFilters(since=date(2026, 1, 1), size="small"))
    ]
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 10  # "About", then the nine views
    about, companies, levels, _gaps, actions, services, _unserved, readiness, progress, dma = (
        book.worksheets
    )

    about_rows = {row[0]: row for row in _rows(about)[2:]}
    assert about_rows["cluster"][2:4] == [
        "example-baltic-freight",
        "Baltic Freight Cluster (example)",
    ]
    assert about_rows["filter:size"][2] == "small"
    assert about_rows["filter:since"][2] == "2026-01-01"
    assert about_rows["minimum"][2] == 5
    assert "et non d’un score DMA officiel" in about_rows["dma"][3]  # in French

    codes, labels, *data = _rows(levels)
    assert codes[:3] == ["score", "score:label", "scored"]
    named = dict(zip(codes, labels, strict=True))
    assert named["median"] == "Médiane"  # the app's words in French
    assert named["score"].startswith("Score")  # the label column's code column beside it
    overall, decarbonisation, energy_data = (dict(zip(codes, row, strict=True)) for row in data)
    assert overall["score:label"] == "Score global"
    assert overall["median"] == 41.3  # rounded halves up, one decimal
    assert overall["level:developing"] == 5
    assert overall["level:beginner"] is None  # hidden: empty, never 0
    hidden_cell = levels.cell(row=3, column=codes.index("level:beginner") + 1)
    assert hidden_cell.comment.text == (
        "Masqué (moins de 5 entreprises, ou permettrait de retrouver un tel chiffre)"
    )
    assert levels.cell(row=3, column=codes.index("level:developing") + 1).comment is None
    assert overall["hidden"] == "level:beginner;level:beginner:share;level:established;" + (
        "level:established:share;level:advanced;level:advanced:share"
    )
    assert decarbonisation["score"] == "dimension:decarbonisation"
    assert decarbonisation["score:label"] == "Décarbonation"  # the questionnaire, in French
    assert energy_data["scored"] is None
    assert "scored" in energy_data["hidden"]
    share_cell = levels.cell(row=3, column=codes.index("level:developing:share") + 1)
    assert share_cell.value == 0.625
    assert share_cell.number_format == "0.0%"

    size_rows = _rows(companies)[2:]
    assert [row[2] for row in size_rows] == ["small", "micro", "large"]
    assert size_rows[1][4] is None
    assert size_rows[1][-1] == "companies;share"

    action_codes, _labels, *action_rows = _rows(actions)
    assert [row[0] for row in action_rows] == ["measure-energy", "set-target", "first-footprint"]
    assert action_rows[2][action_codes.index("focus")] is None  # not in any focus: no figure
    assert action_rows[2][-1] is None  # and nothing hidden about it

    service_rows = _rows(services)[2:]
    assert service_rows[0][1] != "telematics-co2-baseline"  # the service's title
    injected = services.cell(row=4, column=1)
    assert injected.value == INJECTION
    assert injected.data_type == "s"

    readiness_codes, _labels, readiness_row = _rows(readiness)
    assert readiness_row[:3] == ["efti", readiness_row[1], "g-efti"]
    assert "2020/1056" in readiness_row[1]  # the rule's title beside its code
    assert readiness_row[readiness_codes.index("ready:share")] == 0.625
    assert readiness_row[readiness_codes.index("unaware")] is None
    assert _rows(progress)[2][-1] == "declined"
    assert _rows(dma)[2][0] == "Correspondance, et non score DMA officiel"


def test_a_view_as_csv_and_the_dma_correspondence(app: Flask, calls: list) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    response = adviser.get(f"{BASE}/export.csv?view=services")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    codes, labels, first, second = csv.reader(io.StringIO(response.data.decode("utf-8-sig")))
    assert codes == ["service", "service:label", "plans", "share", "hidden"]
    assert labels[2] == "Plans recommending it"
    assert first[2:] == ["7", "0.875", ""]
    assert second[0] == "'" + INJECTION  # defused, as the workshop exports are
    assert second[2:] == ["", "", "plans;share"]

    assert adviser.get(f"{BASE}/export.csv?view=nothing").status_code == 404
    assert adviser.get(f"{BASE}/export.csv").status_code == 404
    assert adviser.get(f"{BASE}/export.csv?view=clusters").status_code == 404  # the platform's

    dma = adviser.get(f"{BASE}/dma.csv")
    rows = list(csv.reader(io.StringIO(dma.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["basis", "dimension", "dimension:label"]
    assert rows[2][:3] == [
        "Correspondence, not an official DMA score",
        "data-management",
        "Data management",
    ]
    assert (
        'filename="dma-correspondence-example-baltic-freight-' in dma.headers["Content-Disposition"]
    )


def test_a_filter_that_cannot_be_read_is_a_400_page(app: Flask, calls: list) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    for path in ("export.xlsx", "export.csv?view=levels&", "dma.csv", "report.pdf"):
        separator = "&" if "?" in path else "?"
        response = adviser.get(f"/de{BASE}/{path}{separator}since=yesterday")
        assert response.status_code == 400, path
        page = response.get_data(as_text=True)
        assert 'lang="de"' in page
        assert "JJJJ-MM-TT" in page  # the field's message, in the page's language
    assert calls == []  # nothing computed


def test_each_cluster_gets_its_own_figures_and_the_platform_every_clusters(
    any_app: Flask, calls: list
) -> None:
    app = any_app
    assert app.test_client().get(f"{BASE}/export.xlsx").status_code == 302  # sign in first
    other = signed_in_client(app, make_account(app, "bea@example.org", "example-rhine-scheldt"))
    admin = signed_in_client(
        app, make_account(app, "cy@example.org", "example-rhine-scheldt", Role.CLUSTER_ADMIN)
    )
    other.get(f"{BASE}/export.xlsx")
    admin.get(f"{BASE}/dma.csv")
    assert [slug for slug, _filters in calls] == ["example-rhine-scheldt"] * 2
    assert other.get(f"{PLATFORM}/export.xlsx").status_code == 403
    assert admin.get(f"{PLATFORM}/dma.csv").status_code == 403

    root = signed_in_client(app, make_account(app, "root@example.org", None, Role.PLATFORM_ADMIN))
    assert root.get(f"{BASE}/export.xlsx").status_code == 403  # no cluster of its own
    book = load_workbook(io.BytesIO(root.get(f"{PLATFORM}/export.xlsx").data))
    clusters = book.worksheets[-1]
    rows = _rows(clusters)
    assert rows[0][:4] == ["cluster", "cluster:label", "companies", "follow_ups"]
    assert rows[3][:4] == ["example-rhine-scheldt", "Rhine", None, None]
    assert "companies;follow_ups" in rows[3][-1]
    csv_rows = list(
        csv.reader(
            io.StringIO(root.get(f"{PLATFORM}/export.csv?view=clusters").data.decode("utf-8-sig"))
        )
    )
    assert csv_rows[2][0] == "example-baltic-freight"
    assert calls[-1][0] == "platform"


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_the_cluster_report_pdf(app: Flask, calls: list, monkeypatch: pytest.MonkeyPatch) -> None:
    from assessor.pdf import render

    rendered: list[str] = []
    real_render = render.render_pdf

    def recording_render(html, static_dir):
        rendered.append(html)
        return real_render(html, static_dir)

    monkeypatch.setattr(render, "render_pdf", recording_render)
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    response = adviser.get(f"{BASE}/report.pdf?size=small")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert (
        'filename="cluster-report-example-baltic-freight-'
        in response.headers["Content-Disposition"]
    )
    text = _pdf_text(response.data)
    assert "Baltic Freight Cluster (example)" in text  # the cover and every page's footer
    assert "Size: 10 to 49" in text  # the filters on the cover, in words
    sections = [
        "Companies",
        "Levels",
        "Gaps and focus actions",
        "Service demand",
        "Regulatory readiness",
        "Progress",
        "EU DMA correspondence",
        "About these figures",
    ]
    positions = [text.index(title, text.index("8 companies")) for title in sections]
    assert positions == sorted(positions), "sections in the page's order"
    assert "hidden" in text  # a hidden cell says so
    assert "not an official DMA score" in text
    assert "fewer than 5 companies" in text
    html = rendered[0]  # the cluster's branding, as its plans have it
    assert "--brand: #0b4f6c;" in html
    assert '<img class="logo" src="data:image/' in html

    def suppressed(cluster, filters):
        return InsightsReport(
            cluster.id, filters, "logistics-maturity", (2,), 5, None, Suppressed.TOO_FEW
        )

    again = adviser.get(f"{BASE}/report.pdf?size=small")
    assert again.data == response.data
    assert len(rendered) == 1  # the same report that day: rendered once

    root = signed_in_client(app, make_account(app, "root@example.org", None, Role.PLATFORM_ADMIN))
    platform = _pdf_text(root.get(f"{PLATFORM}/report.pdf").data)
    assert "Every cluster" in platform
    assert platform.index("Rhine") > platform.index("Clusters", platform.index("8 companies"))

    monkeypatch.setattr(insights, "cluster_report", suppressed)
    text = _pdf_text(adviser.get(f"{BASE}/report.pdf?size=large").data)
    assert "Fewer than 5 companies match these filters: no figure is shown." in text
    assert "Regulatory readiness" not in text


def test_the_report_is_bounded_by_a_rate_limit_per_account(make_app, calls: list) -> None:
    from tests.conftest import RELEASED_V2

    app = make_app(
        questionnaires=RELEASED_V2,
        RATELIMIT_ENABLED=True,
        INSIGHTS_REPORT_RATE_LIMIT="1 per minute",
    )
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    assert adviser.get(f"{BASE}/report.pdf").status_code == 200
    assert adviser.get(f"{BASE}/report.pdf").status_code == 429
    colleague = signed_in_client(app, make_account(app, "bo@example.org"))
    assert colleague.get(f"{BASE}/report.pdf").status_code == 200  # counted per account


def test_a_suppressed_report_says_why_and_an_empty_one_is_still_a_workbook(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    # No assessment at all (the service as it is before any is shared).
    book = load_workbook(io.BytesIO(adviser.get(f"{BASE}/export.xlsx").data))
    assert len(book.sheetnames) == 10
    assert all(sheet.max_row <= 2 for sheet in book.worksheets[1:]), "headers only"

    def differencing(cluster, filters):
        return InsightsReport(
            cluster.id,
            filters,
            "logistics-maturity",
            (2,),
            5,
            None,
            Suppressed.DIFFERENCING,
            suppressed_by="size",
        )

    monkeypatch.setattr(insights, "cluster_report", differencing)
    about = adviser.get(f"{BASE}/export.csv?view=about&size=small").data.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(about))}
    assert rows["suppressed"][2] == "differencing"
    assert "without “Size”" in rows["suppressed"][3]
    assert rows["companies"][2] == ""
    assert rows["companies"][-1] == "value"  # hidden, not 0


def test_another_clusters_own_questionnaire_lends_no_text(
    app: Flask, calls: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from assessor.services.insights.exports import build
    from assessor.services.questionnaires.catalogue import ServedCatalogue

    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    with app.app_context():
        catalogue = build.served()
    entry = catalogue.entries["logistics-maturity"]
    elsewhere = replace(entry, cluster_id=999_999)  # no cluster of the test's
    monkeypatch.setattr(
        build, "served", lambda: ServedCatalogue({"logistics-maturity": elsewhere}, {})
    )
    about = adviser.get(f"{BASE}/export.csv?view=about").data.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(about))}
    assert rows["questionnaire"][2:4] == ["logistics-maturity", ""]
    levels = adviser.get(f"{BASE}/export.csv?view=levels").data.decode("utf-8-sig")
    assert "Decarbonisation" not in levels  # codes only
