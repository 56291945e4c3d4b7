"""Thousands of malformed requests to every route: never a 5xx, never a changed answer.

Phase one sends requests without a valid form token (what an attacker or a broken client
sends): nothing in the database may change. Phase two sends malformed values with a
valid token: answers may be saved only when they are valid ones.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections import Counter

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assessor.domain.answers import check_answers
from assessor.services.assessments import catalogue
from assessor.storage.db import db
from assessor.storage.models import (
    Answer,
    Assessment,
    AuditEvent,
    Invitation,
    Role,
    User,
    Workshop,
)
from tests.advisers.helpers import (
    PASSWORD,
    create_workshop,
    join_and_finish,
    join_code_of,
    make_account,
    signed_in_client,
)
from tests.advisers.test_sign_in_security import HOSTILE_NEXT, assert_stays_on_the_site
from tests.conftest import RELEASED_V2, _reset_postgres
from tests.web.helpers import csrf_from

TRICKY = [
    "",
    "..",
    "../../etc/passwd",
    "%2e%2e%2f",
    "\x00",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "A" * 5000,
    "ÄÖÜ😀",
    "\ud7ff",
    "-1",
    "0",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "/\t/evil.example",
    "//evil.example",
    # E-mail addresses that backtracked the old pattern, or name two recipients.
    "a@" + "." * 30_000 + "@",
    "a@" + "." * 300,
    "evil.example,victim2@x.example",
    "x" * 243 + "@example.org",
    # One character past the columns' lengths (100, 200, 254, 300) and the text limits.
    "L" * 101,
    "L" * 201,
    "L" * 255,
    "https://" + "L" * 293,
    "L" * 2001,
]
FIELDS = [
    "csrf_token",
    "navigate",
    "share",
    "next_page",
    "questionnaire",
    "cluster",
    "company",
    "email",
    "password",
    "password_again",
    "name",
    "title",
    "held_on",
    "language",
    "code",
    "shown",
    "reopen",
    "role",
    "active",
    "id",
    "category",
    "topics",
    "levels",
    "url",
    "contact_name",
    "contact_email",
    "website",
    "description",
    "title_en",
    "title_fi",
    "description_en",
    "colour",
    "languages",
    "default_language",
    "p-activities",
    "p-size",
    "p-fleet",
    "p-country",
    "d-fuel-data",
    "d-zero-km",
    "s-hours",
    "s-ops-digital",
    "g-systems",
    "q-efficiency",
    "q-staff-skills",
    "page",
    "logo",
    "remove_logo",
    "next",
]


def _png_header(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    checksum = zlib.crc32(b"IHDR" + header) & 0xFFFFFFFF
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + header
        + struct.pack(">I", checksum)
    )


# Starts of files that reach the logo checks: PNG (a gigantic one too), SVG, XML.
FILE_STARTS = [
    b"",
    b"\x89PNG\r\n\x1a\n",
    _png_header(30000, 30000),
    _png_header(1, 1),
    b"<svg xmlns='http://www.w3.org/2000/svg'>",
    b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg>&a;</svg>",
    b"<svg><script>alert(1)</script></svg>",
    # A <use> bomb: 9 levels of 10 references each (M2 of the security review).
    b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
    b"<defs><path id='l0' d='M0 0h1v1z'/>"
    + b"".join(
        f"<g id='l{level}'>".encode() + f"<use xlink:href='#l{level - 1}'/>".encode() * 10 + b"</g>"
        for level in range(1, 10)
    )
    + b"</defs><use xlink:href='#l9'/></svg>",
]
requests_sent: Counter[str] = Counter()
statuses: Counter[int] = Counter()


class World:
    """An app with a cluster, an adviser, a workshop, finished and open assessments."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.adviser = signed_in_client(app, make_account(app, "ada@example.org"))
        self.admin = signed_in_client(
            app, make_account(app, "chief@example.org", role=Role.CLUSTER_ADMIN)
        )
        self.workshop = create_workshop(self.adviser)
        code = join_code_of(self.adviser, self.workshop)
        self.finished = join_and_finish(app, code, company="Fuzz Oy", share=True)
        self.open = join_and_finish(app, code, finish=False)
        self.code = code
        with app.app_context():
            self.assessment_id = db.session.scalar(
                select(Assessment.public_id).where(Assessment.token == self.finished)
            )
        self.rules = list(app.url_map.iter_rules())

    def values(self, argument: str) -> list[str]:
        real = {
            "token": [self.finished, self.open],
            "public_id": [self.workshop, self.assessment_id],
            "code": [self.code],
            "section_id": ["company", "decarbonisation", "skills"],
            "slug": ["example-baltic-freight"],
            "key": ["carbon-baseline-clinic"],
            "filename": ["css/app.css", "../../pyproject.toml"],
        }.get(argument, [])
        return real * 6 + TRICKY  # mostly real objects, so requests reach the handlers

    def snapshot(self) -> tuple:
        with self.app.app_context():
            answers = tuple(
                db.session.execute(
                    select(Answer.assessment_id, Answer.question_id, Answer.value).order_by(
                        Answer.assessment_id, Answer.question_id
                    )
                ).all()
            )
            counts = tuple(
                db.session.scalar(select(func.count()).select_from(model))
                for model in (Assessment, Workshop, User, Invitation, AuditEvent)
            )
            states = tuple(
                db.session.execute(
                    select(
                        Assessment.id, Assessment.submitted_at, Assessment.share_with_cluster
                    ).order_by(Assessment.id)
                ).all()
            )
        return answers, counts[:4], states


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> World:
    from assessor import create_app

    if request.param == "postgresql":
        uri = request.getfixturevalue("postgres_url")
        _reset_postgres(uri)
    else:
        uri = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}"
    app = create_app(
        {
            "TESTING": False,  # errors become 500 pages, as in production
            "SECRET_KEY": "fuzz",
            "QUESTIONNAIRES_DIR": str(RELEASED_V2),
            "SQLALCHEMY_DATABASE_URI": uri,
            "RATELIMIT_ENABLED": False,  # the limits are tested elsewhere; here, volume
        }
    )
    yield World(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def request_strategy(world: World):
    @st.composite
    def build(draw):
        rule = draw(st.sampled_from(world.rules))
        path = rule.rule
        for argument in rule.arguments:
            value = draw(st.sampled_from(world.values(argument)) | st.text(max_size=40))
            path = path.replace(f"<{argument}>", value).replace(f"<path:{argument}>", value)
        prefix = draw(
            st.sampled_from(["", "", "", "", "/fr", "/pl", "/xx", "/..", "/%2e%2e", "/de/"])
        )
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"}) * 6 + ["PUT", "DELETE", "PATCH"]
        method = draw(st.sampled_from(methods))
        fields = draw(
            st.dictionaries(
                st.sampled_from(FIELDS) | st.text(max_size=20),
                st.one_of(
                    st.sampled_from(TRICKY),
                    st.text(max_size=200),
                    st.lists(st.sampled_from(TRICKY) | st.text(max_size=20), max_size=4),
                    st.integers().map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(str),
                    st.tuples(st.sampled_from(FILE_STARTS), st.binary(max_size=200)).map(
                        lambda parts: ("file", parts[0] + parts[1])
                    ),
                ),
                max_size=8,
            )
        )
        raw = draw(st.sampled_from([None, None, b"\xff\xfe\x00bad=%%%", b"a=%E0%A4%A"]))
        headers = draw(
            st.sampled_from(
                [
                    {},
                    {"Accept": "application/json"},
                    {"Accept-Language": "xx;q=abc, ,;"},
                    {"Content-Type": "multipart/form-data; boundary=nope"},
                    {"Cookie": "session=garbage"},
                ]
            )
        )
        signed_in = draw(st.sampled_from(["nobody", "adviser", "adviser", "cluster admin"]))
        return prefix + path, method, fields, raw, headers, signed_in

    return build()


def send(world: World, path: str, method: str, fields, raw, headers, signed_in: str):
    client = {"adviser": world.adviser, "cluster admin": world.admin}.get(
        signed_in, world.app.test_client()
    )
    if "csrf_token" in fields and fields["csrf_token"] == "VALID":
        fields = {**fields, "csrf_token": world.valid_token(client)}
    kwargs = {"headers": headers}
    if method in ("POST", "PUT", "PATCH"):
        if raw is not None:
            kwargs["data"] = raw
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        else:
            # ("file", bytes) values go as uploaded files, named like a logo.
            kwargs["data"] = {
                k: (io.BytesIO(v[1]), "logo.png") if isinstance(v, tuple) else v
                for k, v in fields.items()
            }
    else:
        kwargs["query_string"] = {k: v for k, v in fields.items() if isinstance(v, str)}
    try:
        response = client.open(path, method=method, **kwargs)
    except ValueError:  # the test client itself refuses some URLs (not a server answer)
        return None
    requests_sent[re.sub(r"/[^/]*$", "", path)[:30]] += 1
    statuses[response.status_code] += 1
    response.close()
    return response


def test_phase_one_without_a_valid_form_token_nothing_changes(world: World) -> None:
    before = world.snapshot()

    @settings(
        max_examples=1500,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(request_strategy(world))
    def one(request) -> None:
        path, method, fields, raw, headers, signed_in = request  # any csrf_token is a wrong one
        response = send(world, path, method, fields, raw, headers, signed_in)
        if response is not None:
            assert response.status_code < 500, (method, path, fields, response.status_code)

    one()
    after = world.snapshot()
    assert after[0] == before[0]  # no stored answer changed
    assert after[1] == before[1]  # no assessment, workshop, account or invitation appeared
    assert after[2] == before[2]
    print(f"\nphase one: {sum(requests_sent.values())} requests")


def test_phase_two_with_a_valid_token_only_valid_answers_are_stored(world: World) -> None:
    def valid_token(client) -> str:
        return csrf_from(client.get("/join").get_data(as_text=True))

    world.valid_token = valid_token  # type: ignore[attr-defined]

    @settings(
        max_examples=1000,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(request_strategy(world))
    def one(request) -> None:
        path, method, fields, raw, headers, signed_in = request
        fields["csrf_token"] = "VALID"
        response = send(world, path, method, fields, raw, headers, signed_in)
        if response is not None:
            assert response.status_code < 500, (method, path, fields, response.status_code)

    one()
    with world.app.app_context():
        for assessment in db.session.scalars(select(Assessment)):
            questionnaire = catalogue().get(assessment.questionnaire_id)
            stored = {
                a.question_id: a.value
                for a in db.session.scalars(
                    select(Answer).where(Answer.assessment_id == assessment.id)
                )
            }
            assert check_answers(questionnaire, stored)[1] == [], assessment.id
    routes = {r.rule for r in world.rules}
    print(f"phase two: {sum(requests_sent.values())} requests in all, to {len(routes)} routes")
    print("statuses:", dict(sorted(statuses.items())))
    assert statuses[200] > 100  # the requests reach the pages, not only error handlers
    assert statuses[302] > 10


# Pieces a hostile ``next`` is made of: what browsers strip or read as a slash, schemes,
# hosts, and encodings of them that must stay plain characters of a path.
NEXT_PIECES = [
    "/",
    "//",
    "\\",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    " ",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\ufeff",
    "%09",
    "%0a",
    "%5c",
    "%2f",
    "https:",
    "http://",
    "javascript:",
    "evil.example",
    "@",
    ".",
    "..",
    "?",
    "#",
    ":",
    "\uff0f",
    "advisers",
]
hostile_next = st.one_of(
    st.sampled_from(HOSTILE_NEXT),
    st.lists(
        st.sampled_from(NEXT_PIECES) | st.characters(exclude_categories=("Cs",)), max_size=12
    ).map("".join),
)


def test_hostile_next_values_never_lead_off_the_site(world: World) -> None:
    """A right password with any ``next``: a redirect within the site, never a 5xx."""

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(hostile_next)
    def one(next_value: str) -> None:
        client = world.app.test_client()
        page = client.get("/advisers/sign-in").get_data(as_text=True)
        data = {"csrf_token": csrf_from(page), "email": "ada@example.org", "password": PASSWORD}
        response = client.post("/advisers/sign-in", query_string={"next": next_value}, data=data)
        assert response.status_code < 500, next_value
        if response.status_code == 400:  # only NUL (refused before anything else)
            assert "\x00" in next_value
            return
        assert response.status_code == 302, next_value
        assert_stays_on_the_site(response.headers["Location"])

    one()
