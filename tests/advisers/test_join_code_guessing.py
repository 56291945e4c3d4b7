"""Workshop join codes cannot be guessed at speed: failed guesses are limited per address,
while a whole room behind one address opens the real code as often as it likes."""

from __future__ import annotations

from flask import Flask

from assessor.services import workshops
from tests.advisers.helpers import create_workshop, join_code_of, make_account, signed_in_client
from tests.conftest import SHIPPED
from tests.web.helpers import csrf_from


def _wrong_codes(real: str, count: int) -> list[str]:
    codes = []
    while len(codes) < count:
        code = workshops.new_join_code()
        if code != real and code not in codes:
            codes.append(code)
    return codes


def _workshop_code(app: Flask) -> str:
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    return join_code_of(adviser, create_workshop(adviser))


def test_guessing_short_links_meets_a_limit_with_the_default_settings(make_app) -> None:
    """``GET /j/<code>`` had no limit: 300 guesses in 1.8 s were all answered."""
    app = make_app(questionnaires=SHIPPED, RATELIMIT_ENABLED=True)
    code = _workshop_code(app)
    guesser = app.test_client()
    statuses = [guesser.get(f"/j/{guess}").status_code for guess in _wrong_codes(code, 300)]
    assert statuses[0] == 404
    assert 429 in statuses
    first_refused = statuses.index(429)
    assert set(statuses[first_refused:]) == {429}  # once held back, every guess waits
    assert first_refused <= 60


def test_a_room_behind_one_address_opens_the_real_code_however_often(make_app) -> None:
    app = make_app(questionnaires=SHIPPED, RATELIMIT_ENABLED=True, JOIN_GUESS_RATE_LIMIT="5/minute")
    code = _workshop_code(app)
    room = app.test_client()
    opened = [room.get(f"/j/{code}").status_code for _ in range(40)]
    assert opened == [200] * 40  # successes are never counted
    mistyped = _wrong_codes(code, 6)
    statuses = [room.get(f"/j/{guess}").status_code for guess in mistyped[:4]]
    assert statuses == [404] * 4
    assert room.get(f"/j/{code}").status_code == 200  # a few typos hold nobody up
    assert room.get(f"/j/{mistyped[4]}").status_code == 404
    # Now the limit is reached: the address waits whatever it asks for, or the answer
    # itself (429 for a wrong code, 200 for a right one) would tell a guesser which is real.
    assert room.get(f"/j/{mistyped[5]}").status_code == 429
    assert room.get(f"/j/{code}").status_code == 429
    elsewhere = room.get(f"/j/{code}", environ_base={"REMOTE_ADDR": "127.0.4.2"})
    assert elsewhere.status_code == 200  # other addresses are not held up


def test_typed_codes_and_short_links_share_one_count_of_failed_guesses(make_app) -> None:
    app = make_app(questionnaires=SHIPPED, RATELIMIT_ENABLED=True, JOIN_GUESS_RATE_LIMIT="6/minute")
    code = _workshop_code(app)
    guesser = app.test_client()
    csrf = csrf_from(guesser.get("/join").get_data(as_text=True))
    wrong = _wrong_codes(code, 7)
    typed = [
        guesser.post("/join", data={"csrf_token": csrf, "code": guess}).status_code
        for guess in wrong[:3]
    ]
    linked = [guesser.get(f"/j/{guess}").status_code for guess in wrong[3:6]]
    assert typed == [400] * 3
    assert linked == [404] * 3
    assert guesser.post("/join", data={"csrf_token": csrf, "code": wrong[6]}).status_code == 429
    assert guesser.get(f"/j/{wrong[6]}").status_code == 429
