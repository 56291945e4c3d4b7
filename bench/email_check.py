"""How long the one e-mail address check takes on pathological input, alone and through
every form that takes an address. See bench/README.md.

The old pattern backtracked quadratically on ``a@....@`` (16 KB took 1.9 s, 64 KB 29.5 s);
the check now refuses anything longer than an address before a pattern sees it.
tests/production/test_input_limits.py checks that every form refuses such input; this
script says how fast.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessor import create_app  # noqa: E402
from assessor.domain.email_addresses import email_problem  # noqa: E402
from tests.conftest import SHIPPED, free_port  # noqa: E402
from tests.production.test_input_limits import PATHOLOGICAL, _post_email_everywhere  # noqa: E402

SIZES = (1_000, 16_000, 64_000, 1_000_000)


def pathological(size: int) -> str:
    return "a@" + "." * size + "@"


def time_check(repeats: int) -> None:
    for size in SIZES:
        address = pathological(size)
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            assert email_problem(address) is not None
            timings.append(time.perf_counter() - started)
        print(
            f"email_problem, {size:>9,} characters: median {statistics.median(timings) * 1e6:.1f} µs"
        )


def time_forms(rounds: int) -> None:
    """The five forms that take an address, in process on SQLite, posted the 50 KB address."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "QUESTIONNAIRES_DIR": str(SHIPPED),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "RATELIMIT_ENABLED": False,
                # Nothing listens here: an address that got through would fail loudly.
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": free_port(),
                "MAIL_USE_TLS": False,
                "MAIL_SENDER": "bench@example.org",
                "PUBLIC_URL": "https://assess.example/",
            }
        )
        timings = []
        for round_ in range(rounds):
            if round_:  # a fresh administrator account each round
                with app.app_context():
                    from assessor.storage.db import db
                    from assessor.storage.models import User

                    db.session.query(User).delete()
                    db.session.commit()
            started = time.perf_counter()
            answers = _post_email_everywhere(app, PATHOLOGICAL)
            timings.append(time.perf_counter() - started)
            refused = sum(status in (200, 400) for status, _ in answers.values())
            assert refused == len(answers), answers.keys()
        print(
            f"all {len(answers)} forms (sign-in, pages and posts included), "
            f"{len(PATHOLOGICAL):,}-character address: median {statistics.median(timings):.3f} s "
            "(target: under 10 s; was minutes with the old pattern)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    time_check(arguments.repeats)
    time_forms(arguments.rounds)


if __name__ == "__main__":
    main()
