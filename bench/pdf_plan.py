"""PDF plan: full render time vs. WeasyPrint's time for the same HTML (the floor),
and the cached download. See bench/README.md."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from questionnaire_engine import complete_answers  # noqa: E402

from assessor import create_app  # noqa: E402
from assessor.domain.answers import check_answers  # noqa: E402
from assessor.paths import STATIC_DIR  # noqa: E402
from assessor.pdf.render import render_pdf  # noqa: E402
from assessor.services import assessments, plans  # noqa: E402
from assessor.services.clusters import cluster_by_slug  # noqa: E402
from assessor.storage.db import db  # noqa: E402
from assessor.storage.models import PlanDocument  # noqa: E402


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--downloads", type=int, default=200)
    parser.add_argument("--questionnaire", default="logistics-maturity")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"}
    )
    with app.app_context():
        questionnaire = app.extensions["assessor.questionnaires"].get(args.questionnaire)
        cluster = cluster_by_slug("example-rhine-scheldt")
        assessment = assessments.start_assessment(
            questionnaire, cluster, "en", "Benchmark Logistics BV"
        )
        answers, problems = check_answers(
            questionnaire, complete_answers(questionnaire, random.Random(7))
        )
        assert not problems
        assessments.save_answers(assessment, answers)
        assessments.submit(assessment)

        def full() -> None:
            db.session.query(PlanDocument).delete()
            db.session.commit()
            plans.plan_pdf(assessment)

        full()  # warm-up: imports WeasyPrint, loads fonts
        full_times = timed(full, args.renders)
        html = plans.plan_html_of(assessment)
        floor_times = timed(lambda: render_pdf(html, STATIC_DIR), args.renders)
        size = len(plans.plan_pdf(assessment))
        client = app.test_client()
        url = f"/a/{assessment.token}/plan.pdf"
        client.get(url)
        cached_times = timed(lambda: client.get(url), args.downloads)
    full_median, floor_median = statistics.median(full_times), statistics.median(floor_times)
    print(
        f"plan of {args.questionnaire}: {len(html) / 1024:.0f} KiB of HTML, {size / 1024:.0f} KiB of PDF"
    )
    print(
        f"full render (view data + template + WeasyPrint): median {full_median * 1000:.0f} ms over {args.renders} (target < 1000 ms)"
    )
    print(
        f"floor (WeasyPrint alone, same HTML):             median {floor_median * 1000:.0f} ms over {args.renders}"
    )
    print(f"full / floor: {full_median / floor_median:.2f} (target <= 1.5)")
    print(
        f"cached download through the app: median {statistics.median(cached_times) * 1000:.1f} ms over {args.downloads} (target < 50 ms)"
    )


if __name__ == "__main__":
    main()
