"""Load+validate every shipped questionnaire, and score flagship assessments.

Prints medians and 95th percentiles; see bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessor.domain.actions import triggered_actions  # noqa: E402
from assessor.domain.answers import check_answers  # noqa: E402
from assessor.domain.catalogue import questionnaire_files  # noqa: E402
from assessor.domain.loading import load_questionnaire  # noqa: E402
from assessor.domain.model import Question, Questionnaire, QuestionType  # noqa: E402
from assessor.domain.scoring import evaluate  # noqa: E402
from assessor.domain.visibility import visibility  # noqa: E402

FLAGSHIP = "logistics-maturity"


def complete_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, object]:
    """A random but complete and valid answer to every question, among the options offered
    for the answers given so far."""
    answers: dict[str, object] = {}
    for question in questionnaire.questions:
        hidden = visibility(questionnaire, answers).hidden_options_of(question.id)  # type: ignore[arg-type]
        answers[question.id] = _answer(question, rng, hidden)
    return answers


def _answer(question: Question, rng: random.Random, hidden: frozenset[str]) -> object:
    offered = [o for o in question.options if o.id not in hidden]
    match question.type:
        case QuestionType.CHOICE:
            return rng.choice(offered).id
        case QuestionType.MULTI:
            plain = [o.id for o in offered if not o.exclusive]
            return rng.sample(plain, k=rng.randint(1, len(plain))) if plain else [offered[0].id]
        case QuestionType.SCALE:
            return rng.randint(int(question.min), int(question.max))
        case QuestionType.NUMBER:
            low = question.min if question.min is not None else 0
            high = question.max if question.max is not None else low + 1000
            return round(rng.uniform(low, high), 1)
        case _:
            return "Some free text for the benchmark"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--scorings", type=int, default=2000)
    args = parser.parse_args()

    files = questionnaire_files(ROOT / "questionnaires")
    size = sum(f.stat().st_size for f in files)
    load_times = []
    for _ in range(args.loads):
        start = time.perf_counter()
        results = [load_questionnaire(f) for f in files]
        load_times.append(time.perf_counter() - start)
    bad = [str(e) for r in results for e in r.errors]
    if bad:
        sys.exit("invalid questionnaire:\n" + "\n".join(bad))
    print(
        f"load+validate {len(files)} files ({size / 1024:.0f} KiB): "
        f"median {statistics.median(load_times) * 1000:.1f} ms, "
        f"p95 {percentile(load_times, 0.95) * 1000:.1f} ms over {args.loads} runs (target < 200 ms)"
    )

    flagship = next(r.questionnaire for r in results if r.questionnaire.id == FLAGSHIP)
    rng = random.Random(1)
    answer_sets = [complete_answers(flagship, rng) for _ in range(100)]
    score_times = []
    for index in range(args.scorings):
        raw = answer_sets[index % len(answer_sets)]
        start = time.perf_counter()
        answers, problems = check_answers(flagship, raw)
        result = evaluate(flagship, answers)
        triggered_actions(result)
        score_times.append(time.perf_counter() - start)
        assert not problems
    print(
        f"score one flagship assessment ({len(flagship.questions)} questions, "
        f"{len(flagship.actions)} actions; check + score + actions): "
        f"median {statistics.median(score_times) * 1e6:.0f} µs, "
        f"p95 {percentile(score_times, 0.95) * 1e6:.0f} µs over {args.scorings} runs (target < 1 ms)"
    )


if __name__ == "__main__":
    main()
