"""Preview: an administrator answers a questionnaire text before publishing it, results and
plan included; it is never counted (peers, platform, companies, exports, home page) and
never shared; the purge deletes it after a day."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from assessor.services.clusters import cluster_by_slug
from assessor.services.follow_up import companies_of
from assessor.services.peers import peer_groups
from assessor.services.platform import platform_figures
from assessor.services.questionnaires.publishing import check_text, publish
from assessor.services.recent_results import recently_shared
from assessor.storage.db import db
from assessor.storage.models import Assessment, QuestionnaireSource, ResultFacet, Role, utcnow
from tests.advisers.helpers import QUICK_CHECK_ANSWERS, make_account, signed_in_client
from tests.conftest import RELEASED_V2, fetch_pdf
from tests.web.helpers import csrf_from, post_form

NOTICE = "Preview: not counted in any figure"
CLUSTER = "example-baltic-freight"


def cold_chain_text(title: str = "Cold-chain check") -> str:
    """A cluster's own questionnaire: the quick check under another id and title."""
    text = (RELEASED_V2 / "quick-check.yaml").read_text(encoding="utf-8")
    return text.replace("id: quick-check", "id: cold-chain-check", 1).replace(
        "title: Twin-transition quick check", f"title: {title}", 1
    )


def publish_own(app: Flask, text: str, slug: str = CLUSTER) -> None:
    with app.app_context():
        cluster = cluster_by_slug(slug)
        check = check_text(text, cluster)
        assert check.ok, check.errors
        publish(check, cluster, None)


# Lower than QUICK_CHECK_ANSWERS everywhere: counted, it would move every median and mean.
LOW_ANSWERS = {
    **QUICK_CHECK_ANSWERS,
    "decarbonisation": {
        "q-energy-data": "not-tracked",
        "q-footprint": "never",
        "q-target": "intention",
        "q-efficiency": ["eco-driving"],
    },
    "skills": {"q-training-plan": "no", "q-staff-skills": "1"},
}


def answer(client: FlaskClient, token: str, answers: dict, pages: list[str] | None = None) -> None:
    for section, values in answers.items():
        url = f"/a/{token}/section/{section}"
        page = client.get(url).get_data(as_text=True)
        if pages is not None:
            pages.append(page)
        saved = client.post(url, data={"csrf_token": csrf_from(page), **values})
        assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]


def company_submits(app: Flask, company: str) -> str:
    """A company of the cluster answers the cold-chain check and shares it."""
    client = app.test_client()
    started = post_form(
        client,
        f"/start?cluster={CLUSTER}",
        {"cluster": CLUSTER, "questionnaire": "cold-chain-check", "company": company},
    )
    assert started.status_code == 302, started.get_data(as_text=True)[:2000]
    token = re.search(r"/a/([\w-]+)", started.headers["Location"]).group(1)
    answer(client, token, QUICK_CHECK_ANSWERS)
    csrf = csrf_from(client.get(f"/a/{token}/review").get_data(as_text=True))
    client.post(f"/a/{token}/submit", data={"csrf_token": csrf, "share": "yes"})
    return token


def figures(app: Flask, token: str) -> dict[str, object]:
    """Every figure a preview must leave as it is."""
    with app.app_context():
        cluster = cluster_by_slug(CLUSTER)
        real = db.session.scalar(select(Assessment).where(Assessment.token == token))
        return {
            "platform": [f for f in platform_figures().clusters if f.slug == CLUSTER],
            "companies": companies_of(cluster),
            "recent": recently_shared(cluster.id),
            "peers": [(g.key, g.size, g.medians) for g in peer_groups(real)],
        }


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_submitted_preview_is_shown_as_such_and_counted_nowhere(make_app, database) -> None:
    app = make_app(
        database=database,
        questionnaires=RELEASED_V2,
        PEER_GROUP_MINIMUM=1,
        CATALOGUE_REFRESH_SECONDS=0,
        PLAN_PREPARE_ON_SUBMIT=False,
    )
    publish_own(app, cold_chain_text())
    first = company_submits(app, "Frost Haulage")
    company_submits(app, "Ice Logistics")
    before = figures(app, first)
    assert before["peers"]
    assert before["platform"][0].mean_overall is not None

    admin = signed_in_client(
        app, make_account(app, "admin@example.org", CLUSTER, Role.CLUSTER_ADMIN)
    )
    csrf = csrf_from(admin.get("/advisers/cluster/profile").get_data(as_text=True))
    changed = cold_chain_text("Cold-chain check, reworded")
    response = admin.post(
        "/advisers/cluster/questionnaires/preview", data={"csrf_token": csrf, "source": changed}
    )
    assert response.status_code == 302
    token = re.search(r"/a/([\w-]+)", response.headers["Location"]).group(1)
    first_page = admin.get(response.headers["Location"], follow_redirects=True)
    assert "Cold-chain check, reworded" in first_page.get_data(as_text=True)
    pages: list[str] = []
    answer(admin, token, LOW_ANSWERS, pages)
    assert all(NOTICE in page for page in pages)
    review = admin.get(f"/a/{token}/review").get_data(as_text=True)
    assert NOTICE in review
    assert 'name="share"' not in review  # nothing to share
    # A posted sharing choice changes nothing, at submission and afterwards.
    submitted = admin.post(
        f"/a/{token}/submit", data={"csrf_token": csrf_from(review), "share": "yes"}
    )
    assert submitted.status_code == 302
    results = admin.get(f"/a/{token}/results").get_data(as_text=True)
    assert NOTICE in results
    assert 'name="share"' not in results
    admin.post(f"/a/{token}/sharing", data={"csrf_token": csrf_from(results), "share": "yes"})

    assert figures(app, first) == before
    with app.app_context():
        preview = db.session.scalar(select(Assessment).where(Assessment.token == token))
        assert preview.is_preview
        assert preview.is_submitted
        assert not preview.share_with_cluster
        assert preview.cluster.slug == CLUSTER
        assert not db.session.scalar(
            select(func.count(ResultFacet.id)).where(ResultFacet.assessment_id == preview.id)
        )
        # The previewed content is kept unpublished: its version number is not taken.
        source = db.session.scalar(
            select(QuestionnaireSource).where(
                QuestionnaireSource.sha256 == preview.questionnaire_sha256
            )
        )
        assert source is not None
        assert source.published is False
        public_id = preview.public_id
    # The cluster's advisers cannot open it, even by its id.
    assert admin.get(f"/advisers/assessments/{public_id}").status_code == 404
    assert public_id not in admin.get("/advisers/companies").get_data(as_text=True)
    assert public_id not in admin.get("/advisers/").get_data(as_text=True)

    pdf = fetch_pdf(admin, f"/a/{token}/plan.pdf")
    assert pdf.mimetype == "application/pdf"
    assert NOTICE in pdf_text(pdf.data)


def test_a_preview_in_a_workshop_enters_no_figure_nor_export(make_app) -> None:
    """Previews never join workshops nor are shared; were one so, no figure, list or export
    would show it."""
    from tests.advisers.helpers import create_workshop, join_and_finish, join_code_of

    app = make_app(questionnaires=RELEASED_V2, WORKSHOP_GROUP_MINIMUM=1)
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    workshop = create_workshop(adviser)
    code = join_code_of(adviser, workshop)
    counted = join_and_finish(app, code, "Counted Ltd", share=True)
    previewed = join_and_finish(app, code, "Preview Ltd", share=True)
    with app.app_context():
        db.session.execute(
            update(Assessment).where(Assessment.token == previewed).values(is_preview=True)
        )
        db.session.commit()
    export = adviser.get(f"/advisers/workshops/{workshop}/export.csv").get_data(as_text=True)
    assert "Counted Ltd" in export
    assert "Preview Ltd" not in export
    page = adviser.get(f"/advisers/workshops/{workshop}").get_data(as_text=True)
    assert "Preview Ltd" not in page
    # Shared, it would be on the companies list and the home page: a preview is not.
    companies = adviser.get("/advisers/companies").get_data(as_text=True)
    assert "Counted Ltd" in companies
    assert "Preview Ltd" not in companies
    assert "Preview Ltd" not in adviser.get("/advisers/").get_data(as_text=True)
    with app.app_context():
        preview = db.session.scalar(select(Assessment).where(Assessment.token == previewed))
        assert adviser.get(f"/advisers/assessments/{preview.public_id}").status_code == 404
        (baltic,) = [f for f in platform_figures().clusters if f.slug == CLUSTER]
        assert (baltic.started, baltic.finished, baltic.shared) == (1, 1, 1)
    assert counted


def test_refused_texts_say_what_is_wrong_line_by_line(make_app) -> None:
    app = make_app(questionnaires=RELEASED_V2)
    admin = signed_in_client(
        app, make_account(app, "admin@example.org", CLUSTER, Role.CLUSTER_ADMIN)
    )
    csrf = csrf_from(admin.get("/advisers/cluster/profile").get_data(as_text=True))
    url = "/advisers/cluster/questionnaires/preview"
    broken = cold_chain_text().replace("version: 2", "version: two", 1)
    refused = admin.post(
        url, data={"csrf_token": csrf, "source": broken, "return_to": "/advisers/cluster/x"}
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    line = broken.splitlines().index("version: two") + 1
    assert f'href="#line-{line}"' in page
    assert "version" in page
    assert 'href="/advisers/cluster/x"' in page  # back to the editor it came from
    assert "version: two" in page  # the text is kept, to fix and preview again
    # Another platform's questionnaire id is refused on its id line.
    taken = (RELEASED_V2 / "quick-check.yaml").read_text(encoding="utf-8")
    refused = admin.post(
        url, data={"csrf_token": csrf, "source": taken, "return_to": "https://evil.example/"}
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "already used" in page
    assert "evil.example" not in page
    assert admin.post(url, data={"csrf_token": csrf, "source": " "}).status_code == 400
    with app.app_context():
        assert not db.session.scalar(select(func.count(Assessment.id)))
    # Advisers cannot preview; the platform administrator previews platform-wide ones.
    adviser = signed_in_client(app, make_account(app, "ada@example.org"))
    forbidden = adviser.post(
        url,
        data={
            "csrf_token": csrf_from(adviser.get("/advisers/").get_data(as_text=True)),
            "source": taken,
        },
    )
    assert forbidden.status_code == 403
    platform = signed_in_client(
        app, make_account(app, "root@example.org", None, Role.PLATFORM_ADMIN)
    )
    csrf = csrf_from(platform.get("/advisers/platform").get_data(as_text=True))
    started = platform.post(url, data={"csrf_token": csrf, "source": taken})
    assert started.status_code == 302
    with app.app_context():
        preview = db.session.scalar(select(Assessment))
        assert preview.is_preview
        assert preview.cluster_id is None
        assert preview.questionnaire_id == "quick-check"


def test_the_purge_deletes_previews_after_a_day(make_app) -> None:
    app = make_app(questionnaires=RELEASED_V2)
    publish_own(app, cold_chain_text())
    with app.app_context():
        from assessor.services.questionnaires.offer import start_preview

        cluster = cluster_by_slug(CLUSTER)
        old = start_preview(check_text(cold_chain_text(), cluster), cluster, "en").token
        recent = start_preview(check_text(cold_chain_text(), cluster), cluster, "en").token
        db.session.execute(
            update(Assessment)
            .where(Assessment.token == old)
            .values(created_at=utcnow() - timedelta(hours=25))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 questionnaire previews older than a day" in result.output
    with app.app_context():
        assert set(db.session.scalars(select(Assessment.token))) == {recent}
