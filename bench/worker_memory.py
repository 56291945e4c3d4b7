"""Memory of the web workers: proportional set size (PSS) of each gunicorn worker.

gunicorn with 4 workers (the production settings of gunicorn.conf.py) on PostgreSQL. The
workers are warmed with respondents through the flagship (every page, submit, results),
then each worker's memory is read from ``/proc/<pid>/smaps_rollup``: PSS (shared pages
divided among the processes sharing them, the fair share of each), RSS and private pages.
PDF plans are leaving web workers (rendered by separate worker processes): with ``--pdf``
every worker still renders some through the plan's download address, once it returns the
PDF itself, and is read again.

    .venv/bin/python bench/worker_memory.py                 # 4 workers
    .venv/bin/python bench/worker_memory.py --workers 2
    .venv/bin/python bench/worker_memory.py --pdf           # then PDF plans in each worker

Issue 14's target: a web worker's PSS at most 40 MiB with 4 workers, once PDFs leave the
web request. Not part of the test run.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import threading
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_self_assessment import (  # noqa: E402
    fresh_database,
    run,
    start_gunicorn,
    warm_up,
)

from assessor.domain.catalogue import load_catalogue  # noqa: E402

TARGET_PSS_MIB = 40.0
FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty")


def memory_of(pid: int) -> dict[str, float]:
    """The process's figures from smaps_rollup, in MiB."""
    figures: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in FIELDS:
            figures[name] = int(rest.split()[0]) / 1024
    return figures


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def report(title: str, master: int) -> list[float]:
    print(f"\n{title}")
    print(f"  {'process':10} {'PSS MiB':>8} {'RSS MiB':>8} {'private MiB':>12}")
    rows = [("master", master)] + [
        (f"worker {i + 1}", pid) for i, pid in enumerate(worker_pids(master))
    ]
    worker_pss = []
    for name, pid in rows:
        m = memory_of(pid)
        private = m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
        print(f"  {name:10} {m['Pss']:8.1f} {m['Rss']:8.1f} {private:12.1f}")
        if name != "master":
            worker_pss.append(m["Pss"])
    print(
        f"  median worker PSS {statistics.median(worker_pss):.1f} MiB, largest {max(worker_pss):.1f}"
    )
    return worker_pss


def download_plans(port: int, token: str, count: int) -> None:
    """Ask for the plan in several languages, so that each worker renders at least one."""
    for i in range(count):
        language = ["", "/fr", "/de", "/nl", "/fi", "/pl", "/es", "/it"][i % 8]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", f"{language}/a/{token}/plan.pdf")
        connection.getresponse().read()
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8795)
    parser.add_argument(
        "--pdf", action="store_true", help="then render PDF plans in every worker, read again"
    )
    args = parser.parse_args()
    questionnaire = load_catalogue(ROOT / "questionnaires").get("logistics-maturity")
    assert questionnaire is not None
    env, _ = fresh_database("assessor_bench_memory")
    env["FLASK_PLAN_PDF_RATE_LIMIT"] = "1000000 per minute"
    server = start_gunicorn(env, args.workers, args.port)
    try:
        print(f"gunicorn with {args.workers} workers (gunicorn.conf.py) on PostgreSQL")
        token = warm_up([args.port], questionnaire)
        before = report("after respondents (pages only)", server.pid)
        if args.pdf:
            threads = [
                threading.Thread(target=download_plans, args=(args.port, token, 8))
                for _ in range(args.workers)
            ]
            run(threads)
            after = report("after PDF plans in 8 languages (WeasyPrint loaded)", server.pid)
            grown: dict[str, float] = defaultdict(float)
            grown["median"] = statistics.median(after) - statistics.median(before)
            print(f"\nPDF rendering adds {grown['median']:.1f} MiB to a worker's PSS (median)")
        else:
            print("\nPDF plans: not measured (not applicable to web workers any more; --pdf)")
        met = "met   " if max(before) <= TARGET_PSS_MIB else "missed"
        print(
            f"target: {met} web worker PSS at most {TARGET_PSS_MIB:.0f} MiB with {args.workers} workers "
            f"(pages only: largest {max(before):.1f} MiB)"
        )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
