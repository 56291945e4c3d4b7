"""The results page as people read it (issue 15, items 4 and 5), in Chromium at a phone's,
a laptop's and a large screen's width, in English and Finnish: every radar label whole and
inside its chart at a readable size, no horizontal scrolling, no word split inside a word in
the score table, the peer chart (or one sentence when the group is too small), the previous
assessment's outline on a follow-up, the levels explained, the peers above the plan on a
phone.

Set ASSESSOR_SCREENSHOTS to a folder to keep a full-page screenshot of every case.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from assessor.services import assessments
from assessor.services.clusters import cluster_by_slug
from assessor.storage.models import Assessment
from tests.conftest import SHIPPED

PERSONAS = Path(__file__).parents[1] / "personas" / "logistics-maturity"
VIEWPORTS = {"phone": (375, 812), "laptop": (1366, 768), "large": (1920, 1080)}
SCREENSHOTS = os.environ.get("ASSESSOR_SCREENSHOTS")


def persona(name: str) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((PERSONAS / f"{name}.json").read_text("utf-8"))
    return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}


def submit(
    app: Flask, name: str, company: str, previous: Assessment | None = None, language: str = "en"
) -> str:
    """A submitted assessment of the flagship questionnaire with a persona's answers."""
    with app.app_context():
        if previous is None:
            questionnaire = assessments.catalogue().get("logistics-maturity")
            assert questionnaire is not None
            cluster = cluster_by_slug("example-baltic-freight")
            assessment = assessments.start_assessment(questionnaire, cluster, language, company)
        else:
            earlier = assessments.find_assessment(previous.token)
            assert earlier is not None
            assessment = assessments.start_follow_up(earlier)
        assessments.save_answers(assessment, persona(name))
        assessments.submit(assessment)
        return assessment.token


def found(app: Flask, token: str) -> Assessment:
    with app.app_context():
        assessment = assessments.find_assessment(token)
        assert assessment is not None
        return assessment


@pytest.fixture(scope="module")
def peers_and_follow_up(tmp_path_factory):
    """Filled once for the module: a haulier, its follow-up, and enough other companies
    for a peer group (the app is built anew per test; its database file is kept)."""
    return tmp_path_factory.mktemp("results")


def serve_with_company(live_server, *, peers: bool, follow_up: bool) -> tuple[Any, str]:
    server = live_server(questionnaires=SHIPPED)
    app = server.app
    if peers:
        for index, name in enumerate(
            ["best-in-class", "forwarder", "micro-haulier", "dont-know", "beginner", "haulier-40"]
        ):
            submit(app, name, f"Peer {index}")
    token = submit(app, "micro-haulier" if follow_up else "haulier-40", "Kuljetus Mäkinen Oy")
    if follow_up:
        token = submit(app, "haulier-40", "", previous=found(app, token))
    return server, token


def open_results(browser, url: str, viewport: str, language: str):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{url}{prefix}/a/{{token}}/results".replace("{token}", page_token(url)))
    return context, page


def page_token(url: str) -> str:
    return url.rsplit("#", 1)[1] if "#" in url else ""


def visible_radar(page):
    radars = page.locator("svg.radar-chart-svg:visible")
    assert radars.count() == 1
    return radars.first


RADAR_CHECK = """svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(t).fontSize) * scale;
    return {text: t.textContent, left: r.left - box.left, right: box.right - r.right,
            top: r.top - box.top, bottom: box.bottom - r.bottom, size,
            rect: [r.left, r.top, r.right, r.bottom]};
  });
}"""

# For each cell of the score table, whether a word of it is drawn on two lines.
SPLIT_WORDS = """table => {
  const split = [];
  for (const cell of table.querySelectorAll('th, td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A break after a hyphen or at a soft hyphen (between syllables, drawn) is no split.
      const re = /[^\\s\\-\\u2010\\u00ad]+/g;
      let m;
      while ((m = re.exec(node.textContent))) {
        // The line of a word's first letter and of its last: a word split in two has them
        // on different lines. (Chromium gives a range that starts right after a soft hyphen
        // a rect for the hyphen drawn at the end of the line above: the lowest rect counts.)
        const lineOf = offset => {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          return Math.max(...[...range.getClientRects()].map(r => Math.round(r.top)));
        };
        const lines = new Set([lineOf(m.index), lineOf(m.index + m[0].length - 1)]);
        if (lines.size > 1) split.push(cell.textContent.trim() + ': ' + m[0]);
      }
    }
  }
  return split;
}"""


def check_readable(page) -> None:
    """The radar's text whole, inside the chart, 12 px or more (a hair under for rounding);
    the page no wider than the window; no word split in the score table."""
    labels = visible_radar(page).evaluate(RADAR_CHECK)
    assert len(labels) >= 17 + 3 + 1, labels  # themes, dimensions' legend, this assessment
    for label in labels:
        assert "…" not in label["text"], label
        assert min(label["left"], label["right"], label["top"], label["bottom"]) >= 0, label
        assert label["size"] >= 11.8, label
    for index, one in enumerate(labels):  # and no label drawn over another
        for other in labels[index + 1 :]:
            a, b = one["rect"], other["rect"]
            apart = (
                a[2] <= b[0] + 0.5 or b[2] <= a[0] + 0.5 or a[3] <= b[1] + 0.5 or b[3] <= a[1] + 0.5
            )
            assert apart, (one["text"], other["text"])
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wider = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 60))"""
    )
    assert overflow <= 0, wider
    split = page.locator("table.score-table").evaluate(SPLIT_WORDS)
    assert split == [], split


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


# The large screen draws the laptop's layout: en and fi cover it, de and pl the other two.
READABLE_CASES = [
    (viewport, language)
    for language in ("en", "fi", "de", "pl")
    for viewport in VIEWPORTS
    if not (language in ("de", "pl") and viewport == "large")
]


@pytest.mark.parametrize(("viewport", "language"), READABLE_CASES)
def test_radar_and_table_can_be_read(browser, live_server, viewport: str, language: str) -> None:
    server, token = serve_with_company(live_server, peers=False, follow_up=False)
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{server.url}{prefix}/a/{token}/results")
    screenshot(page, f"results-{language}-{viewport}")
    check_readable(page)
    # Grouped by dimension: a coloured band and a legend entry for each.
    radar = visible_radar(page)
    assert radar.locator("path.band").count() == 3
    assert radar.locator("g.legend-dimension").count() == 3
    assert radar.locator("polygon.previous").count() == 0  # a first assessment
    # The levels explained, with what it takes to reach the next.
    levels = page.locator(".level-item")
    assert levels.count() == 4
    assert page.locator(".level-item.is-current").count() == 1
    assert page.locator(".level-next").count() == 4
    # Too few similar companies: one sentence, not one per group.
    assert page.locator(".peers .peer-too-small").count() == 1
    assert page.locator(".peer-row").count() == 0

    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_follow_up_and_peers(browser, live_server, viewport: str) -> None:
    server, token = serve_with_company(live_server, peers=True, follow_up=True)
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{server.url}/a/{token}/results")
    screenshot(page, f"results-follow-up-peers-{viewport}")
    check_readable(page)
    radar = visible_radar(page)
    assert radar.locator("polygon.previous").count() == 1
    assert radar.locator("polygon.previous").get_attribute("stroke-dasharray")
    assert radar.locator("g.legend-previous").count() == 1
    assert "Previous assessment" in (radar.locator("g.legend-previous").text_content() or "")
    # The peer chart: overall and each dimension with the company, the median and the
    # middle half, and how many the company is ahead of.
    group = page.locator(".peer-group").first
    rows = group.locator(".peer-row")
    assert rows.count() == 4
    for index in range(4):
        row = rows.nth(index)
        assert row.locator("rect.peer-you").count() == 1
        assert row.locator("rect.peer-median").count() == 1
        assert row.locator("rect.peer-iqr").count() == 1
        text = row.inner_text()
        for words in ("You:", "Median:", "Middle half:"):
            assert words in text, text
        assert "Ahead of" in row.locator(".peer-rank").inner_text()
    if viewport == "phone":
        # The comparison and the sharing choice come before the long plan.
        peers_top = page.locator("#peers-title").bounding_box()
        sharing_top = page.locator("#sharing-title").bounding_box()
        plan_top = page.locator("#actions-title").bounding_box()
        assert peers_top
        assert sharing_top
        assert plan_top
        assert peers_top["y"] < plan_top["y"]
        assert sharing_top["y"] < plan_top["y"]
    context.close()


def test_the_checks_see_what_the_review_saw(browser) -> None:
    """The checks above fail on the faults of the review (finding 5): a score table whose
    cells break words anywhere, and a radar label running out of its chart."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_content(
        """<body style="overflow-wrap: anywhere">
        <table class="score-table" style="width: 12rem"><tr><th>Decarbonisation</th>
        <td>Developing</td><td>Score</td></tr></table>
        <svg viewBox="0 0 300 100" width="300"><text x="200" y="50" font-size="14">Rules,
        reporting and labels</text></svg></body>"""
    )
    assert page.locator("table.score-table").evaluate(SPLIT_WORDS) != []
    (label,) = page.locator("svg").evaluate(RADAR_CHECK)
    assert label["right"] < 0
    context.close()
