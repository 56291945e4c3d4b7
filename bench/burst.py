"""Burst: a workshop room and a batch of self-assessments submit within one minute, and
every one of them downloads its PDF plan, while one more respondent keeps browsing.

The production layout on this machine: gunicorn web workers (gunicorn.conf.py) with the
job queue and the rate-limit counts in a private redis-server, PostgreSQL
(scripts/postgres-for-tests), and PDF worker processes (``flask --app assessor jobs work
--queue pdf``, optionally under ``nice``). Plans are queued at submission
(PLAN_PREPARE_ON_SUBMIT, the default). Each client, once submitted, follows its plan as
the results page's script does (``/a/<token>/plan/status`` after 1.5 s, then 1.5 times
longer each time up to 10 s) and downloads the PDF once it is ready.

Reports errors, plans delivered, latency of ordinary pages (burst clients and the browsing
respondent apart from the plan's status polls and downloads), the drain time (first
submission to last plan ready), the PDF workers' CPU, plans per CPU-minute and the ideal
drain those allow. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_self_assessment import (  # noqa: E402
    CSRF,
    Client,
    _cpu_of,
    cpu_seconds,
    fresh_database,
    respondent,
    start_gunicorn,
)
from workshop_load import (  # noqa: E402
    ADVISER,
    create_adviser,
    new_workshop,
    participant,
    percentile,
    sign_in,
)

from assessor.domain.catalogue import load_catalogue  # noqa: E402
from assessor.domain.model import Questionnaire  # noqa: E402

DATABASE = "assessor_burst_bench"
# What the benchmark measures apart from the ordinary pages.
PLAN_KINDS = ("plan status", "plan download")
UNLIMITED = "1000000 per minute"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_redis(directory: Path) -> tuple[subprocess.Popen, str]:
    """A private redis-server on loopback, without persistence (as the tests start one)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        sys.exit("redis-server is not installed: run scripts/setup (scripts/debian-packages.txt)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit(f"redis-server did not start on port {port}")
            time.sleep(0.05)
    client.close()
    return process, f"redis://127.0.0.1:{port}/0"


def start_pdf_workers(
    env: dict[str, str], count: int, threads: int, nice: int, logs: Path
) -> list[subprocess.Popen]:
    """``count`` worker processes of the pdf queue; ``nice`` lowers their priority so that
    web requests are served first when both want the CPU (nice execs the worker: the pid
    is the worker's, for its CPU time)."""
    command = [str(ROOT / ".venv/bin/flask"), "--app", "assessor", "jobs", "work"]
    command += ["--queue", "pdf", "--threads", str(threads)]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    return [
        subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(logs / f"pdf-worker-{i}.log").open("w"),
        )
        for i in range(count)
    ]


class PlanMonitor(threading.Thread):
    """Notes when each plan's PDF is stored, from the database every 0.25 s: the moment a
    plan is ready, whoever asks next (a client polls at most every 10 s)."""

    def __init__(self, dsn: str) -> None:
        super().__init__(daemon=True)
        self.dsn = dsn
        self.ready: dict[int, float] = {}  # assessment id -> time.time() when seen stored
        self.failed: set[int] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            while not self.stop.is_set():
                rows = connection.execute(
                    "SELECT assessment_id, pdf IS NOT NULL, job_state FROM plan_document"
                ).fetchall()
                now = time.time()
                for assessment_id, stored, state in rows:
                    if stored and assessment_id not in self.ready:
                        self.ready[assessment_id] = now
                    if state == "failed":
                        self.failed.add(assessment_id)
                self.stop.wait(0.25)


def follow_plan(
    port: int,
    token: str,
    timings: dict[str, list[float]],
    errors: list[str],
    delivered: dict[str, float],
    give_up: float,
) -> None:
    """What the results page's script does, then the download: ask for the plan's state at
    once, then after 1.5 s, 1.5 times longer each time up to 10 s; the PDF once ready."""
    client = Client(port, timings, errors)
    deadline = time.monotonic() + give_up
    wait = 1.5
    while True:
        status, _, text = client.request("plan status", "GET", f"/a/{token}/plan/status")
        if status == 200:
            state = json.loads(text)["state"]
            if state != "ready":
                errors.append(f"plan status: {state}")
                return
            break
        if status != 202:
            if status < 400:  # 4xx/5xx and lost connections are counted by the client
                errors.append(f"plan status: HTTP {status}")
            return
        if time.monotonic() > deadline:
            errors.append(f"plan status: still preparing after {give_up:g} s")
            return
        time.sleep(wait)
        wait = min(wait * 1.5, 10.0)
    status, _, text = client.request("plan download", "GET", f"/a/{token}/plan.pdf")
    if status == 200 and text.startswith("%PDF"):
        delivered[token] = time.time()
    elif status < 400:
        errors.append(f"plan download: HTTP {status}, {text[:20]!r}")


def browsing_respondent(
    port: int,
    questionnaire: Questionnaire,
    results_token: str,
    stop: threading.Event,
    timings: dict[str, list[float]],
    errors: list[str],
    every: float,
) -> None:
    """One respondent who keeps loading ordinary pages: the home page, a section page of an
    assessment under way, the results page of a finished one; one page every ``every`` s."""
    client = Client(port, timings, errors)
    _, _, page = client.request("setup", "GET", "/start")
    token = CSRF.search(page).group(1)
    _, location, _ = client.request(
        "setup",
        "POST",
        "/start",
        [("csrf_token", token), ("questionnaire", questionnaire.id), ("cluster", "")],
    )
    _, location, _ = client.request("setup", "GET", urllib.parse.urlparse(location).path)
    section = urllib.parse.urlparse(location).path
    timings.pop("setup", None)
    pages = [
        ("home", "/"),
        ("section page", section),
        ("results", f"/a/{results_token}/results"),
    ]
    while not stop.is_set():
        for kind, path in pages:
            client.request(kind, "GET", path)
            if stop.wait(every):
                return


def lead_time(questionnaire: Questionnaire, think: float) -> float:
    """Seconds from arriving to submitting, with room to spare: the page and the save of each
    section plus the start, review, submit and results, at ``think`` s each and ~50 ms."""
    return (2 * len(questionnaire.sections) + 6) * (think + 0.05) + 5


def client_thread(
    port: int,
    questionnaire: Questionnaire,
    seed: int,
    delay: float,
    think: float,
    workshop_code: str | None,
    timings: dict[str, list[float]],
    plan_timings: dict[str, list[float]],
    errors: list[str],
    tokens: list[str],
    delivered: dict[str, float],
    give_up: float,
) -> threading.Thread:
    """A workshop participant (with ``workshop_code``) or a self-assessment respondent who
    arrives after ``delay`` s, submits, and then follows and downloads the plan."""

    def run() -> None:
        finished: list[str] = []
        if workshop_code is not None:
            participant(
                port, workshop_code, questionnaire, seed, delay, think, timings, errors, finished
            )
        else:
            time.sleep(delay)
            respondent(port, questionnaire, seed, timings, errors, think, finished)
        if finished:
            tokens.append(finished[0])
            follow_plan(port, finished[0], plan_timings, errors, delivered, give_up)

    return threading.Thread(target=run)


def summary(title: str, timings: dict[str, list[float]]) -> list[float]:
    """Per kind of request: count, p50, p95, max (ms); returns every value."""
    print(f"\n{title}")
    print(f"  {'page':<16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    every: list[float] = []
    for kind, values in sorted(timings.items()):
        every += values
        print(
            f"  {kind:<16} {len(values):>6} {statistics.median(values) * 1000:>8.1f} "
            f"{percentile(values, 0.95) * 1000:>8.1f} {max(values) * 1000:>8.1f}"
        )
    if every:
        print(
            f"  {'all':<16} {len(every):>6} {statistics.median(every) * 1000:>8.1f} "
            f"{percentile(every, 0.95) * 1000:>8.1f} {max(every) * 1000:>8.1f}"
        )
    return every


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy so far (every process, anyone's)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_now(server: subprocess.Popen, workers: list[subprocess.Popen], redis_pid: int) -> dict:
    used = cpu_seconds([server.pid])
    # Every backend of the cluster, other checkouts' tests included on a shared machine.
    used["PostgreSQL (whole cluster)"] = used.pop("PostgreSQL")
    used["PDF workers"] = sum(_cpu_of(w.pid, children=False) for w in workers)
    used["redis"] = _cpu_of(redis_pid, children=False)
    used["machine (everyone)"] = machine_busy()
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=200, help="quick-check workshop")
    parser.add_argument("--respondents", type=int, default=50, help="full self-assessments")
    parser.add_argument("--questionnaire", default="logistics-maturity")
    parser.add_argument("--window", type=float, default=60.0, help="s in which all submit")
    parser.add_argument("--think", type=float, default=0.3, help="mean s between requests")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--pdf-workers", type=int, default=1)
    parser.add_argument("--pdf-threads", type=int, default=1, help="threads per PDF worker")
    parser.add_argument("--nice", type=int, default=10, help="niceness of PDF workers (0: none)")
    parser.add_argument("--browse-every", type=float, default=0.5)
    parser.add_argument("--give-up", type=float, default=900.0, help="s a client waits for a plan")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    catalogue = load_catalogue(ROOT / "questionnaires")
    flagship = catalogue.get(args.questionnaire)
    quick = catalogue.get("quick-check")
    if flagship is None or quick is None:
        sys.exit(f"no questionnaire {args.questionnaire!r} or quick-check")
    cores = os.cpu_count() or 1
    logs = Path(tempfile.mkdtemp(prefix="burst-"))
    redis_server, redis_url = start_redis(logs)
    env, bench_url = fresh_database(DATABASE)
    env.update(
        {
            "FLASK_QUEUE_URL": redis_url,
            "FLASK_RATELIMIT_STORAGE_URI": redis_url,
            # Counts are shared in Redis: nothing for the app to accept.
            "FLASK_ACCEPT_PER_PROCESS_RATE_LIMITS": "false",
            # Every simulated client comes from 127.0.0.1: lift the per-address limits on
            # joining, following and downloading plans, which would (rightly) stop a crowd
            # behind one address; their counting still goes to Redis.
            "FLASK_JOIN_RATE_LIMIT": UNLIMITED,
            "FLASK_PLAN_STATUS_RATE_LIMIT": UNLIMITED,
            "FLASK_PLAN_PDF_RATE_LIMIT": UNLIMITED,
        }
    )
    create_adviser(env)
    server = start_gunicorn(env, args.web_workers, args.port)
    workers = start_pdf_workers(env, args.pdf_workers, args.pdf_threads, args.nice, logs)
    monitor = PlanMonitor(bench_url)
    monitor.start()
    try:
        cookie = sign_in(args.port, ADVISER)
        _, code = new_workshop(args.port, cookie)
        print(
            f"{cores} cores ({cpu_model()}); gunicorn {args.web_workers} web workers, "
            f"{args.pdf_workers} PDF worker(s) x {args.pdf_threads} thread(s)"
            f"{f' under nice -n {args.nice}' if args.nice else ' (no nice)'}, Redis queue and "
            f"rate limits, PostgreSQL; {args.participants} quick-check participants and "
            f"{args.respondents} {flagship.id} respondents submitting within {args.window:g} s, "
            f"{args.think:g} s mean think time"
        )

        def crowd(
            participants: int, respondents: int, window: float, seed: int, results: dict
        ) -> list[threading.Thread]:
            rng = random.Random(seed)
            return [
                client_thread(
                    args.port,
                    quick,
                    seed + i,
                    rng.uniform(0, max(0.0, window - lead_time(quick, args.think))),
                    args.think,
                    code,
                    results["timings"],
                    results["plan"],
                    results["errors"],
                    results["tokens"],
                    results["delivered"],
                    args.give_up,
                )
                for i in range(participants)
            ] + [
                client_thread(
                    args.port,
                    flagship,
                    seed + 10_000 + i,
                    rng.uniform(0, max(0.0, window - lead_time(flagship, args.think))),
                    args.think,
                    None,
                    results["timings"],
                    results["plan"],
                    results["errors"],
                    results["tokens"],
                    results["delivered"],
                    args.give_up,
                )
                for i in range(respondents)
            ]

        def new_results() -> dict:
            return {
                "timings": defaultdict(list),
                "plan": defaultdict(list),
                "errors": [],
                "tokens": [],
                "delivered": {},
            }

        # Warm-up: every web worker and PDF worker has loaded questionnaires, templates,
        # fonts and WeasyPrint before the burst, as on a running site.
        warm = new_results()
        warm_threads = crowd(2 * args.web_workers, 2 * args.web_workers, 5, 1, warm)
        for thread in warm_threads:
            thread.start()
        for thread in warm_threads:
            thread.join()
        if warm["errors"] or len(warm["delivered"]) != len(warm_threads):
            sys.exit("warming up failed: " + "; ".join(warm["errors"][:5]) + worker_logs(logs))
        results_token = next(t for t in warm["tokens"] if t in warm["delivered"])

        burst = new_results()
        threads = crowd(args.participants, args.respondents, args.window, 100_000, burst)
        browsing: dict[str, list[float]] = defaultdict(list)
        browsing_errors: list[str] = []
        stop_browsing = threading.Event()
        browser = threading.Thread(
            target=browsing_respondent,
            args=(
                args.port,
                flagship,
                results_token,
                stop_browsing,
                browsing,
                browsing_errors,
                args.browse_every,
            ),
        )
        before = cpu_now(server, workers, redis_server.pid)
        started = time.time()
        browser.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop_browsing.set()
        browser.join()
        seconds = time.time() - started
        after = cpu_now(server, workers, redis_server.pid)
        monitor.stop.set()
        monitor.join()

        errors = burst["errors"] + browsing_errors
        expected = args.participants + args.respondents
        delivered = burst["delivered"]
        ordinary = summary(
            "Burst clients, ordinary pages (everything but the plan's status and PDF):",
            burst["timings"],
        )
        summary("Burst clients, the plan (status polls, PDF downloads):", burst["plan"])
        browsed = summary(
            f"Browsing respondent, one page every {args.browse_every:g} s from the first "
            "arrival to the last plan delivered:",
            browsing,
        )

        with psycopg.connect(bench_url) as connection:
            rows = connection.execute(
                "SELECT id, extract(epoch FROM submitted_at)::float FROM assessment "
                "WHERE token = ANY(%s)",
                (burst["tokens"],),
            ).fetchall()
        submitted = {assessment_id: at for assessment_id, at in rows}
        ready = {i: monitor.ready[i] for i in submitted if i in monitor.ready}
        first, last = min(submitted.values()), max(submitted.values())
        drain = max(ready.values()) - first if ready else float("nan")
        waits = [ready[i] - submitted[i] for i in ready]
        used = {k: after[k] - before[k] for k in after}
        pdf_cpu = used["PDF workers"]
        pdf_cores = min(args.pdf_workers * args.pdf_threads, cores)
        per_plan = pdf_cpu / max(1, len(ready))
        alone = pdf_cpu / pdf_cores
        # Two bounds: the PDF work on the cores its workers can use, and, since they run
        # under nice on the cores the pages use too and take what the pages leave, the
        # burst's whole work (ours: pages, database, queue, this client, PDFs) spread over
        # the machine's cores.
        ours = sum(v for k, v in used.items() if k != "machine (everyone)")
        shared = ours / cores
        ideal = max(alone, shared, (last - first) + per_plan)

        print(f"\nBurst of {seconds:.0f} s (first arrival to last plan delivered)")
        print(f"  submissions: {len(submitted)} in {last - first:.1f} s")
        print(
            f"  plans ready {len(ready)} / {expected}, delivered (PDF downloaded) "
            f"{len(delivered)} / {expected}, failed {len(monitor.failed & set(submitted))}"
        )
        if waits:
            print(
                f"  submission to plan ready: p50 {statistics.median(waits):.1f} s, "
                f"p95 {percentile(waits, 0.95):.1f} s, max {max(waits):.1f} s"
            )
        if delivered:
            print(
                f"  first submission to last plan delivered: {max(delivered.values()) - first:.1f} s"
            )
        print(f"  drain (first submission to last plan ready): {drain:.1f} s")
        print(
            f"  CPU during the burst ({cores} cores x {seconds:.0f} s = {cores * seconds:.0f} s): "
            + ", ".join(f"{k} {v:.1f} s" for k, v in used.items())
        )
        print(
            f"  (the rest of the machine: about {used['machine (everyone)'] - ours:.1f} s, "
            "other people's work: the figures above compete with it)"
        )
        print(
            f"  PDF workers: {pdf_cpu:.1f} CPU s for {len(ready)} plans = {per_plan:.2f} s a plan, "
            f"{60 / per_plan if per_plan else 0:.0f} plans per CPU-minute"
        )
        print(
            f"  PDF work alone on {pdf_cores} core(s) of its own: {alone:.1f} s; on cores shared "
            f"with the pages: all our CPU / {cores} cores = {shared:.1f} s"
        )
        print(
            f"  ideal drain: max({alone:.1f} s, {shared:.1f} s, submission span + one plan = "
            f"{last - first + per_plan:.1f} s) = {ideal:.1f} s; measured {drain:.1f} s = "
            f"{drain / ideal:.2f} x ideal"
        )
        for line in errors[:10]:
            print("  error:", line)

        print("\ntargets:")
        verdicts = [
            (not errors, f"no errors ({len(errors)})"),
            (len(delivered) == expected, f"every plan delivered ({len(delivered)} / {expected})"),
            (
                last - first <= args.window,
                f"all submitted within {args.window:g} s ({last - first:.1f} s)",
            ),
            (
                percentile(ordinary, 0.95) < 0.150,
                f"p95 of ordinary pages of the burst under 150 ms "
                f"({percentile(ordinary, 0.95) * 1000:.1f} ms)",
            ),
            (
                percentile(browsed, 0.95) < 0.150,
                f"p95 of the browsing respondent's pages under 150 ms "
                f"({percentile(browsed, 0.95) * 1000:.1f} ms, max {max(browsed) * 1000:.1f} ms)",
            ),
            (
                drain <= 1.25 * ideal,
                f"drain close to the work on the cores, within 1.25 x ideal "
                f"({drain:.1f} s against {ideal:.1f} s)",
            ),
        ]
        for met, text in verdicts:
            print(f"  {'met' if met else 'MISSED':<6} {text}")
    finally:
        monitor.stop.set()
        monitor.join()
        for process in [*workers, server]:
            process.send_signal(signal.SIGTERM)
        for process in [*workers, server]:
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                process.kill()
        redis_server.terminate()
        redis_server.wait(timeout=10)
        if not args.keep_database:
            admin = bench_url.rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DATABASE}"])


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def worker_logs(logs: Path) -> str:
    return "".join(f"\n{p.name}: {p.read_text()[-2000:]}" for p in sorted(logs.glob("*.log")))


if __name__ == "__main__":
    main()
