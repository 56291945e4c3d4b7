"""Where a request's time goes: each page of the flagship flow and the trivial page,
in process (no HTTP server), on PostgreSQL, wall time and CPU time; and the cost of
the database floor (a statement in a fresh session). See bench/README.md.

The load benchmark says how many requests a server carries; this one says what a
single request costs and which part of it is the database, to guide optimisation.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_self_assessment import CSRF, answer_sections, fresh_database  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from assessor import create_app  # noqa: E402
from assessor.domain.catalogue import load_catalogue  # noqa: E402
from assessor.services.assessments import find_assessment, stored_answers  # noqa: E402
from assessor.storage.db import db  # noqa: E402
from assessor.storage.models import Assessment  # noqa: E402


class InProcessClient:
    """The load test's client interface on Flask's test client, timing wall and CPU."""

    def __init__(self, app, wall: dict, cpu: dict) -> None:
        self.client = app.test_client()
        self.wall, self.cpu, self.errors = wall, cpu, []

    def request(self, kind: str, method: str, path: str, form=None) -> tuple[int, str, str]:
        started, used = time.perf_counter(), time.process_time()
        response = self.client.open(path, method=method, data=MultiDict(form or []))
        self.wall[kind].append(time.perf_counter() - started)
        self.cpu[kind].append(time.process_time() - used)
        if response.status_code >= 400:
            self.errors.append(f"{kind}: HTTP {response.status_code} {path}")
        location = response.headers.get("Location", "")
        return response.status_code, location, response.get_data(as_text=True)


def one_respondent(app, questionnaire, rng: random.Random, wall: dict, cpu: dict) -> None:
    client = InProcessClient(app, wall, cpu)
    _, _, page = client.request("start page", "GET", "/start")
    token = CSRF.search(page).group(1)
    _, location, _ = client.request(
        "start", "POST", "/start", [("csrf_token", token), ("questionnaire", questionnaire.id)]
    )
    _, location, _ = client.request("resume", "GET", urllib.parse.urlparse(location).path)
    path = answer_sections(
        client, questionnaire, urllib.parse.urlparse(location).path, token, rng, "save section"
    )
    client.request("review", "GET", path)
    client.request("submit", "POST", path.replace("/review", "/submit"), [("csrf_token", token)])
    client.request("results", "GET", path.replace("/review", "/results"))
    client.request("trivial page", "GET", "/privacy")
    if client.errors:
        sys.exit("\n".join(client.errors))


def per_call(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and mean CPU time of a call, each in a fresh session."""
    walls, used = [], time.process_time()
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        db.session.remove()
        walls.append(time.perf_counter() - started)
    return statistics.median(walls), (time.process_time() - used) / repeat


def store_peers(admin_url: str, questionnaire, count: int) -> None:  # noqa: ANN001
    """``count`` submitted assessments with scores and profile answers, in SQL: every
    results page then compares with groups of about a third to all of them."""
    keys = (
        ["overall"]
        + [f"dimension:{d.id}" for d in questionnaire.dimensions]
        + [f"theme:{t.id}" for t in questionnaire.themes]
    )
    profile = {
        q.profile: [o.id for o in q.options][:4]
        for q in questionnaire.questions
        if q.profile in ("activity", "size", "country")
    }
    facets = "\n".join(
        f"""INSERT INTO result_facet (assessment_id, kind, key, value, score)
        SELECT id, 'profile', '{key}', (ARRAY{values!r})[1 + id % {len(values)}], NULL
        FROM assessment WHERE questionnaire_sha256 = 'bench';"""
        for key, values in profile.items()
    )
    sql = f"""
    INSERT INTO assessment (token, public_id, questionnaire_id, questionnaire_version,
        questionnaire_sha256, language, share_with_cluster, created_at, updated_at,
        submitted_at, revision)
    SELECT 't' || g || md5(random()::text), 'p' || g || substr(md5(g::text), 1, 10),
           '{questionnaire.id}', {questionnaire.version}, 'bench', 'en', false,
           now(), now(), now() - g * interval '1 minute', 1
    FROM generate_series(1, {count}) g;
    INSERT INTO result_facet (assessment_id, kind, key, value, score)
    SELECT a.id, 'score', k.key, NULL, random() * 100
    FROM assessment a CROSS JOIN (VALUES {", ".join(f"('{k}')" for k in keys)}) AS k(key)
    WHERE a.questionnaire_sha256 = 'bench';
    {facets}
    ANALYZE assessment; ANALYZE result_facet;
    """
    subprocess.run(["psql", admin_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--questionnaire", default="logistics-maturity")
    parser.add_argument(
        "--stored",
        type=int,
        default=0,
        help="first store this many submitted assessments of the questionnaire (peers)",
    )
    args = parser.parse_args()
    questionnaire = load_catalogue(ROOT / "questionnaires").get(args.questionnaire)
    env, admin_url = fresh_database("assessor_bench_costs")
    if args.stored:
        started = time.perf_counter()
        store_peers(admin_url, questionnaire, args.stored)
        print(
            f"stored {args.stored:,} submitted assessments in {time.perf_counter() - started:.1f} s"
        )
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "bench"}
        | {"RATELIMIT_ENABLED": False}
        # Pages only: a plan queued at submission would be rendered by the embedded worker,
        # a thread of this process, whose CPU the measurements would count.
        | {"PLAN_PREPARE_ON_SUBMIT": False}
    )
    rng = random.Random(3)
    warm_wall: dict[str, list[float]] = defaultdict(list)
    for _ in range(3):
        one_respondent(app, questionnaire, rng, warm_wall, defaultdict(list))
    wall: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.respondents):
        one_respondent(app, questionnaire, rng, wall, cpu)

    print(f"{args.respondents} respondents, in process, PostgreSQL")
    print(f"  {'request':<14} {'count':>6} {'median ms':>10} {'CPU ms':>8}")
    for kind in wall:
        print(
            f"  {kind:<14} {len(wall[kind]):>6} {statistics.median(wall[kind]) * 1000:>10.2f}"
            f" {statistics.mean(cpu[kind]) * 1000:>8.2f}"
        )
    flow = [kind for kind in wall if kind != "trivial page"]
    requests = sum(len(wall[kind]) for kind in flow)
    flow_cpu = sum(sum(cpu[kind]) for kind in flow) / requests
    trivial_cpu = statistics.mean(cpu["trivial page"])
    print(
        f"  flow average CPU {flow_cpu * 1000:.2f} ms a request, trivial page"
        f" {trivial_cpu * 1000:.2f} ms: ratio {trivial_cpu / flow_cpu:.0%}"
    )

    with app.app_context():
        token = db.session.scalar(select(Assessment.token).order_by(Assessment.id.desc()).limit(1))
        floor = {
            "SELECT 1 (checkout, ping, BEGIN, ROLLBACK)": lambda: db.session.execute(
                text("SELECT 1")
            ).scalar(),
            "find the assessment by token (ORM)": lambda: find_assessment(token),
            "find it, read and check its answers": lambda: stored_answers(find_assessment(token)),
        }
        print("database, each in a fresh session")
        for label, function in floor.items():
            median, mean_cpu = per_call(function, 500)
            print(f"  {label:<44} {median * 1000:>6.3f} ms, CPU {mean_cpu * 1000:.3f} ms")


if __name__ == "__main__":
    main()
