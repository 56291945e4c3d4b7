"""Accounts, sign-in and workshops for the adviser tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessor.services.accounts import create_user
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Assessment, Role
from tests.web.helpers import csrf_from

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    email: str
    cluster: str | None


def make_account(
    app: Flask,
    email: str,
    cluster: str | None = "example-baltic-freight",
    role: Role = Role.ADVISER,
) -> Account:
    with app.app_context():
        found = cluster_by_slug(cluster) if cluster else None
        create_user(email, email.split("@")[0].title(), role, found, PASSWORD)
    return Account(email, cluster)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    page = client.get("/advisers/sign-in").get_data(as_text=True)
    return client.post(
        "/advisers/sign-in",
        data={"csrf_token": csrf_from(page), "email": email, "password": password},
    )


def signed_in_client(app: Flask, account: Account) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client, account.email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def create_workshop(client: FlaskClient, title: str = "Quick check in Turku", **fields) -> str:
    """Create a workshop as the signed-in adviser; returns its public id."""
    page = client.get("/advisers/workshops/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "title": title,
        "held_on": "2026-12-01",
        "questionnaire": "quick-check",
        "language": "en",
        **fields,
    }
    response = client.post("/advisers/workshops/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def join_code_of(client: FlaskClient, public_id: str) -> str:
    html = client.get(f"/advisers/workshops/{public_id}").get_data(as_text=True)
    return re.search(r'class="join-code">([A-Z0-9 ]+)<', html).group(1).replace(" ", "")


QUICK_CHECK_ANSWERS = {
    "company": {"p-activities": ["own-fleet"], "p-size": "small"},
    "decarbonisation": {
        "q-energy-data": "invoices",
        "q-footprint": "never",
        "q-target": "intention",
        "q-efficiency": ["eco-driving"],
    },
    "digitalisation": {
        "q-digital-plan": "ideas",
        "q-systems": ["tms-wms"],
        "q-efti": "paper",
        "q-data": "spreadsheets",
    },
    "skills": {"q-training-plan": "yearly", "q-staff-skills": "3"},
}


def join_and_finish(
    app: Flask,
    code: str,
    company: str = "",
    share: bool = False,
    answers: dict | None = None,
    finish: bool = True,
) -> str:
    """A participant in their own browser: join, answer the quick check, submit."""
    client = app.test_client()
    page = client.get(f"/j/{code}").get_data(as_text=True)
    joined = client.post(f"/j/{code}", data={"csrf_token": csrf_from(page), "company": company})
    assert joined.status_code == 302, joined.get_data(as_text=True)[:1000]
    token = re.search(r"/a/([A-Za-z0-9_-]+)", joined.headers["Location"]).group(1)
    for section, values in (answers or QUICK_CHECK_ANSWERS).items():
        url = f"/a/{token}/section/{section}"
        csrf = csrf_from(client.get(url).get_data(as_text=True))
        saved = client.post(url, data={"csrf_token": csrf, "navigate": "next", **values})
        assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    if finish:
        csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
        data = {"csrf_token": csrf, "share": "yes" if share else "no"}
        assert client.post(f"/a/{token}/submit", data=data).status_code == 302
    return token


def accept_invitation(client: FlaskClient, path: str, name: str, password: str = PASSWORD):
    """Open an invitation link's page and create the account; the response."""
    page = client.get(path).get_data(as_text=True)
    return client.post(
        path,
        data={
            "csrf_token": csrf_from(page),
            "name": name,
            "password": password,
            "password_again": password,
        },
    )


def adviser_id_of(app: Flask, token: str) -> str:
    """The id advisers see for the assessment of this respondent token."""
    with app.app_context():
        return db.session.scalar(select(Assessment.public_id).where(Assessment.token == token))
