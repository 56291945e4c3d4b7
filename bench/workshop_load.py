"""Workshop load: a room of participants on gunicorn + PostgreSQL while the adviser watches.

1. N participants (default 200) join one workshop by its short link, answer the quick
   check with think time, and submit; they arrive spread over a ramp so that the whole
   workshop fits in 5 minutes. Meanwhile the adviser's dashboard and the projector view
   poll their live fragments every 2 seconds.
2. The database then gets 100,000 more finished assessments (500 other workshops, with
   their derived rows), and the dashboard's queries for a 200-participant workshop are
   timed in-process, as is the live fragment over HTTP.

Reports errors and latency percentiles. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_self_assessment import (  # noqa: E402
    CSRF,
    Client,
    answer_sections,
    flask,
    fresh_database,
    report,
    run,
    start_gunicorn,
)

from assessor.domain.catalogue import load_catalogue  # noqa: E402
from assessor.domain.model import Questionnaire  # noqa: E402

PASSWORD = "benchmark passphrase"
ADVISER = "bench@example.org"


def create_adviser(env: dict[str, str]) -> None:
    """The adviser who runs the benchmark's workshop (signed in with ``sign_in``)."""
    flask(
        env,
        "users",
        "create",
        ADVISER,
        "--name",
        "Bench",
        "--cluster",
        "example-baltic-freight",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )


def participant(
    port: int,
    code: str,
    questionnaire: Questionnaire,
    seed: int,
    delay: float,
    think: float,
    timings,
    errors,
    finished: list[str] | None = None,
) -> None:
    """One participant from the short link to the results; the assessment's token goes to
    ``finished``."""
    time.sleep(delay)
    rng = random.Random(seed)
    client = Client(port, timings, errors, think, rng)
    _, _, page = client.request("join page", "GET", f"/j/{code}")
    token = CSRF.search(page).group(1)
    _, location, _ = client.request(
        "join", "POST", f"/j/{code}", [("csrf_token", token), ("company", f"Bench {seed}")]
    )
    _, location, _ = client.request("resume", "GET", urllib.parse.urlparse(location).path)
    path = urllib.parse.urlparse(location).path
    path = answer_sections(client, questionnaire, path, token, rng, "answer (save)")
    if path is None:
        return
    client.request("review", "GET", path)
    client.request(
        "submit",
        "POST",
        path.replace("/review", "/submit"),
        [("csrf_token", token), ("share", rng.choice(["yes", "no"]))],
    )
    client.request("results", "GET", path.replace("/review", "/results"))
    if finished is not None:
        finished.append(path.split("/")[2])


def poller(
    port: int,
    path: str,
    kind: str,
    stop: threading.Event,
    cookie: dict[str, str],
    timings,
    errors,
    every: float = 2.0,
) -> None:
    client = Client(port, timings, errors)
    client.cookies = dict(cookie)
    while not stop.is_set():
        client.request(kind, "GET", path)
        stop.wait(every)


def sign_in(port: int, email: str) -> dict[str, str]:
    client = Client(port, defaultdict(list), [])
    _, _, page = client.request("sign-in page", "GET", "/advisers/sign-in")
    token = CSRF.search(page).group(1)
    status, _, _ = client.request(
        "sign-in",
        "POST",
        "/advisers/sign-in",
        [("csrf_token", token), ("email", email), ("password", PASSWORD)],
    )
    if status != 302:
        sys.exit("could not sign in as the benchmark adviser")
    return dict(client.cookies)


def new_workshop(port: int, cookie: dict[str, str]) -> tuple[str, str]:
    client = Client(port, defaultdict(list), [])
    client.cookies = dict(cookie)
    _, _, page = client.request("new", "GET", "/advisers/workshops/new")
    token = CSRF.search(page).group(1)
    _, location, _ = client.request(
        "new",
        "POST",
        "/advisers/workshops/new",
        [
            ("csrf_token", token),
            ("title", "Benchmark workshop"),
            ("held_on", "2026-12-01"),
            ("questionnaire", "quick-check"),
            ("language", "en"),
        ],
    )
    public_id = urllib.parse.urlparse(location).path.rsplit("/", 1)[1]
    _, _, page = client.request("dashboard", "GET", f"/advisers/workshops/{public_id}")
    code = page.split('class="join-code">', 1)[1].split("<", 1)[0].replace(" ", "")
    return public_id, code


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fill_database(admin_url: str, questionnaire: Questionnaire, count: int) -> None:
    """``count`` finished assessments in 500 workshops, with their derived rows, in SQL."""
    keys = (
        ["overall"]
        + [f"dimension:{d.id}" for d in questionnaire.dimensions]
        + [f"theme:{t.id}" for t in questionnaire.themes]
    )
    actions = [a.id for a in questionnaire.actions]
    levels = questionnaire.levels
    level_case = (
        "CASE "
        + " ".join(f"WHEN s >= {level.min} THEN '{level.id}'" for level in reversed(levels))
        + " END"
    )
    score_keys = ", ".join(f"('{k}')" for k in keys)
    action_rows = ", ".join(f"('{a}', {i + 1})" for i, a in enumerate(actions[:5]))
    sql = f"""
    INSERT INTO workshop (public_id, cluster_id, title, held_on, questionnaire_id, language,
                          join_code, is_open, results_shown, created_at)
    SELECT 'w' || g || substr(md5(g::text), 1, 12), (SELECT min(id) FROM cluster), 'Filler ' || g,
           DATE '2026-01-01', 'quick-check', 'en', 'F' || g, false, true, now()
    FROM generate_series(1, 500) g;
    INSERT INTO assessment (token, public_id, questionnaire_id, questionnaire_version,
        questionnaire_sha256, cluster_id, language, share_with_cluster, created_at, updated_at,
        submitted_at, revision, workshop_id)
    SELECT 't' || g || md5(random()::text), 'p' || g || substr(md5(g::text), 1, 10), 'quick-check',
           1, 'bench', (SELECT min(id) FROM cluster), 'en', g % 3 = 0, now(), now(), now(), 1,
           (SELECT min(id) FROM workshop WHERE title LIKE 'Filler %') + g % 500
    FROM generate_series(1, {count}) g;
    INSERT INTO result_facet (assessment_id, kind, key, value, score)
    SELECT a.id, 'score', k.key, {level_case}, s
    FROM assessment a
    CROSS JOIN (VALUES {score_keys}) AS k(key)
    CROSS JOIN LATERAL (SELECT random() * 100 AS s) r
    WHERE a.questionnaire_sha256 = 'bench';
    INSERT INTO result_facet (assessment_id, kind, key, value, score)
    SELECT a.id, 'action', k.key, NULL, k.rank
    FROM assessment a CROSS JOIN (VALUES {action_rows}) AS k(key, rank)
    WHERE a.questionnaire_sha256 = 'bench' AND (a.id + k.rank) % 2 = 0;
    ANALYZE workshop; ANALYZE assessment; ANALYZE result_facet;
    """
    subprocess.run(["psql", admin_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def time_dashboard(env: dict[str, str], public_id: str, runs: int = 30) -> list[float]:
    os.environ.update(env)
    from sqlalchemy import select

    from assessor import create_app
    from assessor.services import workshops
    from assessor.storage.db import db
    from assessor.storage.models import Workshop

    app = create_app()
    times = []
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.public_id == public_id))
        questionnaire = workshops.questionnaire_of(workshop)
        workshops.dashboard(workshop, questionnaire)  # warm the connection pool
        for _ in range(runs):
            started = time.perf_counter()
            workshops.dashboard(workshop, questionnaire)
            times.append(time.perf_counter() - started)
            db.session.rollback()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--ramp", type=float, default=120.0, help="seconds over which they arrive")
    parser.add_argument("--think", type=float, default=6.0, help="mean seconds between requests")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--stored", type=int, default=100_000, help="assessments for phase 2")
    args = parser.parse_args()

    questionnaire = load_catalogue(ROOT / "questionnaires").get("quick-check")
    env, bench_admin_url = fresh_database("assessor_workshop_bench")
    create_adviser(env)
    # Everybody comes from 127.0.0.1, like a room behind one venue address: the default
    # join limit (JOIN_RATE_LIMIT) must let the whole room in.
    server = start_gunicorn(env, args.workers, args.port)
    try:
        cookie = sign_in(args.port, ADVISER)
        public_id, code = new_workshop(args.port, cookie)
        print(
            f"gunicorn {args.workers} workers, PostgreSQL; {args.participants} participants "
            f"arriving over {args.ramp:g} s, {args.think:g} s mean think time; dashboard and "
            f"projector polling every 2 s"
        )
        timings: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        stop = threading.Event()
        pollers = [
            threading.Thread(
                target=poller,
                args=(
                    args.port,
                    f"/advisers/workshops/{public_id}/live",
                    "dashboard (live)",
                    stop,
                    cookie,
                    timings,
                    errors,
                ),
            ),
            threading.Thread(
                target=poller,
                args=(
                    args.port,
                    f"/advisers/workshops/{public_id}/projector/live",
                    "projector (live)",
                    stop,
                    cookie,
                    timings,
                    errors,
                ),
            ),
        ]
        for thread in pollers:
            thread.start()
        rng = random.Random(1)
        seconds = run(
            [
                threading.Thread(
                    target=participant,
                    args=(
                        args.port,
                        code,
                        questionnaire,
                        i,
                        rng.uniform(0, args.ramp),
                        args.think,
                        timings,
                        errors,
                    ),
                )
                for i in range(args.participants)
            ]
        )
        stop.set()
        for thread in pollers:
            thread.join()
        report(
            f"Workshop of {args.participants} participants, all finished in {seconds:.0f} s "
            f"(target: within 300 s)",
            timings,
            seconds,
            errors,
        )
        for kind in ("answer (save)", "dashboard (live)"):
            print(
                f"  p95 {kind}: {percentile(timings[kind], 0.95) * 1000:.1f} ms (target < 200 ms)"
            )

        print(f"\nFilling the database with {args.stored:,} more finished assessments ...")
        started = time.perf_counter()
        fill_database(bench_admin_url, questionnaire, args.stored)
        print(f"  filled in {time.perf_counter() - started:.0f} s")
        query_times = time_dashboard(env, public_id)
        print(
            f"dashboard queries of the {args.participants}-participant workshop with "
            f"{args.stored:,} other assessments stored: median "
            f"{statistics.median(query_times) * 1000:.1f} ms, p95 "
            f"{percentile(query_times, 0.95) * 1000:.1f} ms over {len(query_times)} runs "
            f"(target < 200 ms)"
        )
        live: dict[str, list[float]] = defaultdict(list)
        live_errors: list[str] = []
        client = Client(args.port, live, live_errors)
        client.cookies = dict(cookie)
        for _ in range(30):
            client.request("dashboard (live)", "GET", f"/advisers/workshops/{public_id}/live")
        print(
            f"live fragment over HTTP with {args.stored:,} stored: median "
            f"{statistics.median(live['dashboard (live)']) * 1000:.1f} ms, p95 "
            f"{percentile(live['dashboard (live)'], 0.95) * 1000:.1f} ms, "
            f"{len(live_errors)} errors"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
