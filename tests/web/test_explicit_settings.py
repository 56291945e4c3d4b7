"""Settings reach services as a typed argument (services.settings): the values passed decide,
whatever the app's configuration says (peers, workshop figures, the mail relay), and a
computed peer group keeps its verdict. The result view is built from plain figures
(presentation.results), without a query."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from assessor.domain.model import Questionnaire
from assessor.domain.scoring import evaluate
from assessor.presentation.results import peer_group_text, result_view
from assessor.services.mail import MailNotSent, mail_enabled, send_mail
from assessor.services.peers import PEER_KEYS, PeerGroup, peer_groups
from assessor.services.settings import MailSettings, Settings, current_settings
from assessor.services.workshops import admit_to_figures
from assessor.storage.db import db
from assessor.storage.models import Assessment, Cluster, ResultFacet, Workshop, utcnow
from assessor.web.config import defaults
from tests.conftest import Inbox


def settings_of(app: Flask, **changes: int) -> Settings:
    return Settings.from_config(app.config | {k.upper(): v for k, v in changes.items()})


def submitted(country: str, overall: float, minutes_ago: int) -> Assessment:
    assessment = Assessment(
        questionnaire_id="every-type",
        questionnaire_version=1,
        questionnaire_sha256="x" * 64,
        submitted_at=utcnow() - timedelta(minutes=minutes_ago),
    )
    assessment.facets = [
        ResultFacet(kind="profile", key="country", value=country),
        ResultFacet(kind="score", key="overall", score=overall),
    ]
    db.session.add(assessment)
    return assessment


def test_peer_groups_use_the_minimum_passed_and_keep_their_verdict(any_app: Flask) -> None:
    with any_app.app_context():
        mine = submitted("fi", 50.0, minutes_ago=0)
        for minutes_ago, score in enumerate([20.0, 40.0, 90.0], start=1):
            submitted("fi", score, minutes_ago)
        db.session.commit()

        assert current_settings().peer_group_minimum == 5  # the app's: three peers are too few
        (by_the_app,) = peer_groups(mine)
        assert (by_the_app.size, by_the_app.large_enough, by_the_app.medians) == (3, False, {})

        (group,) = peer_groups(mine, settings_of(any_app, peer_group_minimum=3))
        assert (group.size, group.large_enough, group.medians) == (3, True, {"overall": 40.0})
        any_app.config["PEER_GROUP_MINIMUM"] = 100  # the app changes; the group does not
        assert group.large_enough

        (sampled,) = peer_groups(
            mine, settings_of(any_app, peer_group_minimum=2, peer_median_sample=2)
        )
        assert (sampled.size, sampled.sample, sampled.medians) == (3, 2, {"overall": 30.0})


def test_workshop_figures_admit_groups_of_the_minimum_passed(any_app: Flask) -> None:
    with any_app.app_context():
        cluster = Cluster(slug="a-north", name="North", country="FI")
        workshop = Workshop(
            cluster=cluster,
            title="Turku",
            held_on=date(2026, 12, 1),
            questionnaire_id="every-type",
            language="en",
            join_code="ABCDEF",
        )
        for minutes_ago in range(3):  # three who finished without sharing
            db.session.add(
                Assessment(
                    questionnaire_id="every-type",
                    questionnaire_version=1,
                    questionnaire_sha256="x" * 64,
                    workshop=workshop,
                    submitted_at=utcnow() - timedelta(minutes=minutes_ago),
                )
            )
        db.session.add(workshop)
        db.session.commit()

        admit_to_figures(workshop.id, settings_of(any_app, workshop_group_minimum=2))
        db.session.commit()
        admitted = db.session.scalars(
            select(Assessment.in_workshop_figures).where(Assessment.workshop_id == workshop.id)
        ).all()
        assert sorted(admitted) == [False, True, True]  # one group of two; the third waits

        admit_to_figures(workshop.id)  # the app's minimum (3): one alone is not admitted
        db.session.commit()
        assert db.session.scalar(
            select(Assessment.id).where(Assessment.in_workshop_figures.is_(False))
        )


def test_the_result_view_is_built_from_plain_figures(app: Flask, every_type: Questionnaire) -> None:
    result = evaluate(every_type, {"activities": ("haulage",), "fuel": "yes"})
    before = evaluate(every_type, {"activities": ("haulage",), "fuel": "no"})
    small = PeerGroup("activity", ("haulage",), 2, {}, minimum=3)
    large = PeerGroup("activity", ("haulage", "warehouse"), 4, {"overall": 12.5}, 4, minimum=3)
    with app.app_context():
        view = result_view(
            result,
            before=before,
            previous_submitted=date(2026, 1, 31),
            peers=[small, large],
            peer_minimum=3,
        )
        assert view.peer_minimum == 3
        assert view.previous_date == "January 31, 2026"
        assert [p.shown for p in view.peers] == [False, True]
        assert view.peers[1].text == "Companies with the same activity (Own fleet, Warehousing)"
        assert (view.overall.score, view.overall.change, view.overall.peer_median) == (
            100.0,
            100.0,  # from 0 before
            12.5,  # of the first group large enough
        )
        assert [(t.id, t.score) for t in view.strengths] == [("data", 100.0)]
        assert view.gaps == ()


def test_every_peer_key_reads_as_a_sentence(app: Flask) -> None:
    with app.app_context():
        texts = {peer_group_text(key, "X") for key in PEER_KEYS}
    assert len(texts) == len(PEER_KEYS)
    assert all("(X)" in text for text in texts)


def test_the_mail_relay_passed_is_used_whatever_the_app_says(
    app: Flask, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    relay = MailSettings(
        server="127.0.0.1",
        port=port,
        sender="Assessor <no-reply@north.example>",
        use_tls=False,
        use_ssl=False,
        ca_file=None,
        username=None,
        password=None,
    )
    with app.app_context():
        assert current_settings().mail is None  # the app has no relay: it sends nothing
        assert not mail_enabled()
        with pytest.raises(MailNotSent):
            send_mail("someone@example.org", "Hello", "Body")
        send_mail("someone@example.org", "Hello", "Body", relay)
    (message,) = box.wait_for(1)
    assert message["From"] == "Assessor <no-reply@north.example>"
    assert message["Message-ID"].endswith("@north.example>")


def test_settings_are_read_from_the_configuration(tmp_path: Path) -> None:
    config = defaults(str(tmp_path)) | {"MAIL_SERVER": "smtp.example"}
    settings = Settings.from_config(config)
    assert (settings.peer_group_minimum, settings.workshop_group_minimum) == (5, 3)
    assert settings.printed == (5, 1000, "en")
    chain = Settings.from_config(config | {"SERVICE_LANGUAGE_FALLBACK": "pl, en"})
    assert chain.service_language_fallback == ("pl", "en")
    assert Settings.from_config(config | {"SERVICE_LANGUAGE_FALLBACK": []}).printed == (5, 1000, "")
    assert settings.mail is not None
    assert (settings.mail.server, settings.mail.port, settings.mail.use_tls) == (
        "smtp.example",
        587,
        True,
    )
    assert Settings.from_config(defaults(str(tmp_path))).mail is None
