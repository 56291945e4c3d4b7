"""Cluster insights with many stored assessments: how long a report takes.

Seeds N submitted assessments (default 100,000) of the flagship questionnaire over C
clusters (default 50), each cluster with the services of an example cluster, straight into
the database in bulk: the facets a submission writes (scores and levels, profile, actions
with the level they are about, the focus, DMA dimensions, readiness), one in five a
follow-up of an earlier one of its cluster, three in ten not shared (in no figure). Then
times, in process and without HTTP, ``cluster_report`` for one cluster (no filter, then a
size filter and a period) and ``platform_insights``, each call as a request makes it
(a fresh session state), and prints p50 and p95 over the runs. The platform's figures are
timed computed (its cache emptied before each call) and kept.

Then the pages themselves through the app (its test client: routing, sign-in, templates,
JSON; no network): the cluster's insights page (no filter and filtered), and the API's
insights, a page of 50 assessments (the first, and the next by its cursor) and one
assessment. For the API's records to be real, the measured cluster's assessments get the
answers of the example companies of tests/personas.

    .venv/bin/python bench/insights.py                       # both databases, 100,000 / 50
    .venv/bin/python bench/insights.py --database sqlite --assessments 20000 --runs 10

See bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import func, insert, select  # noqa: E402

from assessor.domain.model import Questionnaire  # noqa: E402
from assessor.storage.models import (  # noqa: E402
    Assessment,
    Cluster,
    ClusterService,
    ResultFacet,
)

QUESTIONNAIRE = "logistics-maturity"
BATCH = 2_000  # assessments per round of inserts
READINESS = ("ready", "preparing", "preparing", "unaware", "unknown")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def make_app(database: str) -> tuple[Any, Callable[[], None]]:
    """An app on a fresh, migrated database with the example clusters."""
    from assessor import create_app

    config: dict[str, Any] = {
        "SECRET_KEY": "bench",
        "QUESTIONNAIRES_DIR": str(ROOT / "questionnaires"),
        "PLAN_PREPARE_ON_SUBMIT": False,
        "RATELIMIT_ENABLED": False,  # the API's limit per token would stop the runs
    }
    cleanup: Callable[[], None] = lambda: None  # noqa: E731
    if database == "postgresql":
        from load_self_assessment import fresh_database

        env, _ = fresh_database("assessor_bench_insights")
        config["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    else:
        folder = tempfile.TemporaryDirectory(prefix="bench-insights-")
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder.name}/bench.sqlite"
        cleanup = folder.cleanup
    app = create_app(config)
    app.extensions["assessor.jobs"].stop()
    return app, cleanup


def seed(
    questionnaire: Questionnaire, assessments: int, clusters: int, rng: random.Random
) -> list[int]:
    """The clusters and their assessments; returns the clusters' ids."""
    from assessor.storage.db import db

    example = db.session.scalar(select(Cluster).where(Cluster.slug == "example-baltic-freight"))
    services = list(example.services) if example is not None else []
    cluster_ids = []
    for number in range(1, clusters + 1):
        cluster = Cluster(
            slug=f"bench-{number:02d}", name=f"Bench cluster {number:02d}", country="FI"
        )
        cluster.services = [
            ClusterService(
                key=s.key,
                position=s.position,
                category=s.category,
                title=s.title,
                description=s.description,
                topics=s.topics,
                levels=s.levels,
            )
            for s in services
        ]
        db.session.add(cluster)
        db.session.flush()
        cluster_ids.append(cluster.id)
    db.session.commit()

    keys = (
        ["overall"]
        + [f"dimension:{d.id}" for d in questionnaire.dimensions]
        + [f"theme:{t.id}" for t in questionnaire.themes]
    )
    profile = {
        key: [o.id for q in questionnaire.questions if q.profile == key for o in q.options]
        for key in ("activity", "size", "country")
    }
    actions = [a.id for a in questionnaire.actions]
    dma = sorted({q.dma.value for q in questionnaire.questions if q.dma is not None})
    # Questions with a ``rule:`` (the facets work): before it, any four scored ones.
    readiness = [q.id for q in questionnaire.questions if getattr(q, "rule", None)][:4] or [
        q.id for q in questionnaire.questions if q.is_scored
    ][:4]
    levels = [level.id for level in questionnaire.levels]
    start = (db.session.scalar(select(func.max(Assessment.id))) or 0) + 1
    earliest = datetime(2025, 1, 1)
    per_cluster: dict[int, list[int]] = {c: [] for c in cluster_ids}
    for first in range(start, start + assessments, BATCH):
        rows, facets = [], []
        for assessment_id in range(first, min(first + BATCH, start + assessments)):
            cluster_id = rng.choice(cluster_ids)
            earlier = per_cluster[cluster_id]
            previous = rng.choice(earlier[-200:]) if earlier and rng.random() < 0.2 else None
            earlier.append(assessment_id)
            submitted = earliest + timedelta(minutes=assessment_id * 7)
            rows.append(
                {
                    "id": assessment_id,
                    "token": f"bench-{assessment_id}",
                    "public_id": f"bench-{assessment_id}",
                    "questionnaire_id": QUESTIONNAIRE,
                    "questionnaire_version": questionnaire.version,
                    "questionnaire_sha256": questionnaire.source_sha256,
                    "cluster_id": cluster_id,
                    "language": "en",
                    "share_with_cluster": rng.random() < 0.7,
                    "previous_id": previous,
                    "created_at": submitted,
                    "updated_at": submitted,
                    "submitted_at": submitted,
                    "revision": 1,
                }
            )

            def facet(kind: str, key: str, value: str | None, score: float | None) -> None:
                facets.append(  # noqa: B023 (called at once, in this iteration)
                    {
                        "assessment_id": assessment_id,  # noqa: B023 (called at once)
                        "kind": kind,
                        "key": key,
                        "value": value,
                        "score": score,
                    }
                )

            for key in keys:
                score = round(rng.random() * 100, 1)
                facet(
                    "score",
                    key,
                    levels[min(len(levels) - 1, int(score / 100 * len(levels)))],
                    score,
                )
            for key, options in profile.items():
                if options:
                    facet("profile", key, rng.choice(options), None)
            triggered = rng.sample(actions, k=min(len(actions), rng.randint(4, 14)))
            for rank, action_id in enumerate(triggered, start=1):
                facet("action", action_id, rng.choice(levels), rank)
            for rank, action_id in enumerate(triggered[:5], start=1):
                facet("focus", action_id, None, rank)
            for dimension in dma:
                facet("dma", dimension, None, round(rng.random() * 100, 1))
            for question_id in readiness:
                facet("readiness", question_id, rng.choice(READINESS), None)
        db.session.execute(insert(Assessment.__table__), rows)
        db.session.execute(insert(ResultFacet.__table__), facets)
        db.session.commit()
    return cluster_ids


def timed(call: Callable[[], object], runs: int) -> list[float]:
    from assessor.storage.db import db

    call()  # warm: the questionnaire parsed, the connection open
    times = []
    for _ in range(runs):
        db.session.rollback()
        db.session.expire_all()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    db.session.rollback()
    return times


def computed_platform(app: Any) -> object:
    from assessor.services.insights.filters import InsightFilters
    from assessor.services.insights.report import platform_insights

    app.extensions.pop("assessor.platform_insights", None)
    return platform_insights(InsightFilters())


def give_answers(cluster: Cluster, rng: random.Random) -> int:
    """The cluster's assessments get the answers of the example companies (tests/personas):
    the API's records are computed from answers, as the results page's are."""
    import json

    from assessor.storage.db import db
    from assessor.storage.models import Answer

    folder = ROOT / "tests" / "personas" / QUESTIONNAIRE
    personas = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    ids = db.session.scalars(select(Assessment.id).where(Assessment.cluster_id == cluster.id))
    rows = [
        {"assessment_id": assessment_id, "question_id": question_id, "value": value}
        for assessment_id in ids
        for question_id, value in rng.choice(personas).items()
    ]
    for start in range(0, len(rows), 20_000):
        db.session.execute(insert(Answer.__table__), rows[start : start + 20_000])
    db.session.commit()
    return len(rows)


def pages(app: Any, cluster: Cluster, report: Any, runs: int) -> None:
    """The insights page and the API's pages through the app, as a browser and a CRM ask."""
    import re

    from assessor.services.accounts import create_user
    from assessor.services.api_tokens import create_token
    from assessor.storage.db import db
    from assessor.storage.models import Role

    answers = give_answers(cluster, random.Random(18))
    create_user("bench@example.org", "Bench", Role.ADVISER, cluster, "a long bench password")
    _, token = create_token(cluster, "bench", None)
    db.session.commit()
    db.session.remove()
    browser = app.test_client()
    page = browser.get("/advisers/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf is not None
    signed = browser.post(
        "/advisers/sign-in",
        data={
            "csrf_token": csrf.group(1),
            "email": "bench@example.org",
            "password": "a long bench password",
        },
    )
    assert signed.status_code == 302, signed.status_code
    crm = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first = crm.get("/api/v1/assessments?limit=50", headers=headers).get_json()
    one = first["items"][0]["id"]
    size = report.breakdowns[1].rows[0].key if len(report.breakdowns) > 1 else ""
    print(f"  through the app ({answers:,} answers given to the measured cluster):")
    cases = [
        ("insights page, no filter", browser, "/advisers/cluster/insights", {}),
        (
            "insights page, size and period",
            browser,
            f"/advisers/cluster/insights?size={size}&since=2025-03-01",
            {},
        ),
        ("API insights", crm, "/api/v1/insights", headers),
        ("API 50 assessments, first page", crm, "/api/v1/assessments?limit=50", headers),
        ("API 50 assessments, next page", crm, first["next_url"], headers),
        ("API one assessment", crm, f"/api/v1/assessments/{one}", headers),
    ]
    for name, client, url, sent in cases:

        def call(client: Any = client, url: str = url, sent: dict[str, str] = sent) -> None:
            response = client.get(url, headers=sent)
            assert response.status_code == 200, (url, response.status_code)

        times = timed(call, runs)
        print(
            f"  {name:34} p50 {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 0.95):7.1f} ms   (target p95 < 300 ms)"
        )


def run(database: str, assessments: int, clusters: int, runs: int) -> None:
    app, cleanup = make_app(database)
    try:
        with app.app_context():
            from sqlalchemy import text

            from assessor.services.insights.filters import InsightFilters
            from assessor.services.insights.report import cluster_report, platform_insights
            from assessor.services.questionnaires.catalogue import served
            from assessor.storage.db import db

            questionnaire = served().entries[QUESTIONNAIRE].questionnaire
            started = time.perf_counter()
            cluster_ids = seed(questionnaire, assessments, clusters, random.Random(17))
            if database == "postgresql":
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            else:
                db.session.execute(text("ANALYZE"))
            facets = db.session.scalar(select(func.count()).select_from(ResultFacet))
            print(
                f"\n{database}: {assessments:,} assessments over {clusters} clusters, "
                f"{facets:,} facets, seeded in {time.perf_counter() - started:.0f} s"
            )
            cluster = db.session.get(Cluster, cluster_ids[0])
            report = cluster_report(cluster, InsightFilters())
            print(
                f"  one cluster: {report.companies} companies, {report.follow_ups} with a "
                f"follow-up; {len(report.distributions)} distributions, "
                f"{len(report.service_demand)} services"
            )
            cases: list[tuple[str, Callable[[], object]]] = [
                ("cluster_report, no filter", lambda: cluster_report(cluster, InsightFilters())),
                (
                    "cluster_report, size and period",
                    lambda: cluster_report(
                        cluster,
                        InsightFilters(
                            size=report.breakdowns[1].rows[0].key
                            if len(report.breakdowns) > 1
                            else None,
                            since=datetime(2025, 3, 1).date(),
                        ),
                    ),
                ),
                ("platform_insights, computed", lambda: computed_platform(app)),
                ("platform_insights, kept", lambda: platform_insights(InsightFilters())),
            ]
            for name, call in cases:
                times = timed(call, runs if "computed" not in name else max(3, runs // 10))
                print(
                    f"  {name:34} p50 {statistics.median(times):7.1f} ms   "
                    f"p95 {percentile(times, 0.95):7.1f} ms   (target p95 < 300 ms for a cluster)"
                )
            pages(app, cluster, report, runs)
    finally:
        with app.app_context():
            from assessor.storage.db import db

            db.session.remove()
            db.engine.dispose()
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    for database in databases:
        run(database, args.assessments, args.clusters, args.runs)


if __name__ == "__main__":
    main()
