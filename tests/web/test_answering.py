"""Feedback while answering (issue 15, items 7 to 10), through the test client: progress,
the saved state, welcome back, the country suggested by the cluster, optional marks, the
glossary, the error summary, the one-to-one's consent text, the follow-up's prefilled
answers and its changes, the cluster's entry page and the site's name."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessor.domain.glossary import reference_names
from assessor.domain.model import Reference
from assessor.services import assessments as service
from assessor.services.accounts import create_user
from assessor.services.clusters import cluster_by_slug
from assessor.storage.db import db
from assessor.storage.models import Assessment, Role
from tests.conftest import DATA
from tests.web.helpers import answer_every_type, csrf_from, post_form, start, stored

ANSWERING = DATA / "answering"


@pytest.fixture
def answering_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(questionnaires=ANSWERING)


def question_block(page: str, question_id: str) -> str:
    match = re.search(
        rf'<div class="question[^"]*" id="question-{question_id}".*?\n</div>', page, re.S
    )
    assert match, f"no block for {question_id}"
    return match.group(0)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_total_of_pages_never_grows_when_a_condition_adds_one(client, ctx) -> None:
    token = start(client)
    first = client.get(f"/a/{token}/section/profile").text
    assert "Section 1 of 3" in first  # the fleet page, not asked yet, is counted
    post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    assert "Section 2 of 3" in client.get(f"/a/{token}/section/fleet-section").text
    post_form(
        client, f"/a/{token}/section/fleet-section", {"vehicles": "3", "euro6": "10", "eco": "2"}
    )
    assert "Section 3 of 3" in client.get(f"/a/{token}/section/data-section").text
    # Without the fleet, the fleet page is passed over: the count jumps ahead, never back.
    other = start(client)
    post_form(client, f"/a/{other}/section/profile", {"activities": ["warehouse"]})
    assert "Section 3 of 3" in client.get(f"/a/{other}/section/data-section").text


def test_time_left_shrinks_as_pages_are_answered(answering_app: Flask) -> None:
    client = answering_app.test_client()
    with answering_app.app_context():
        token = start(client, "answering")
        before = client.get(f"/a/{token}/section/profile").text
        assert "About 12 minutes left" in before
        post_form(
            client, f"/a/{token}/section/profile", {"activities": ["warehousing"], "country": "de"}
        )
        after = client.get(f"/a/{token}/section/documents").text
        assert re.search(r"About [1-9] minutes? left", after), text_of(after)[:300]


def test_the_next_page_says_the_last_one_was_saved_once(client, ctx) -> None:
    token = start(client)
    response = post_form(client, f"/a/{token}/section/profile", {"activities": ["haulage"]})
    page = client.get(response.headers["Location"]).text
    assert "Saved: your answers on “Profile”." in page
    assert "Saved: your answers" not in client.get(response.headers["Location"]).text  # once
    assert "Saved: your answers" not in client.get(f"/a/{token}/section/profile").text


def test_the_last_page_saved_is_confirmed_on_the_review(client, ctx) -> None:
    token = start(client)
    answer_every_type(client, token)
    assert "Saved: your answers on “Data”." in client.get(f"/a/{token}/review").text


def test_coming_back_greets_the_company_with_its_progress(client, ctx) -> None:
    token = start(client, company="Kuljetus Mäkinen Oy")
    post_form(client, f"/a/{token}/section/profile", {"activities": ["warehouse"]})
    page = client.get(f"/a/{token}", follow_redirects=True).text
    assert "Welcome back, Kuljetus Mäkinen Oy. 2 of 3 sections done" in page
    # A page of the site sending back to the resume link (after e-mailing it) is no return.
    inside = client.get(
        f"/a/{token}", headers={"Referer": f"http://assessor.test/a/{token}/review"}
    )
    assert "Welcome back" not in client.get(inside.headers["Location"]).text
    # A new assessment's first visit is no return.
    fresh = start(client, company="Other Oy")
    assert "Welcome back" not in client.get(f"/a/{fresh}?started=1", follow_redirects=True).text


def test_the_company_is_named_on_every_page_of_its_assessment(client, ctx) -> None:
    token = start(client, company="Lahti Warehousing Oy")
    assert "Assessment for Lahti Warehousing Oy" in client.get(f"/a/{token}/section/profile").text
    answer_every_type(client, token)
    assert "Assessment for Lahti Warehousing Oy" in client.get(f"/a/{token}/review").text


def test_the_clusters_country_is_suggested_until_answered(answering_app: Flask) -> None:
    client = answering_app.test_client()
    with answering_app.app_context():
        token = start(client, "answering", cluster="example-baltic-freight")  # FI
        block = question_block(client.get(f"/a/{token}/section/profile").text, "country")
        assert re.search(
            r'<input checked id="country-\d" name="country" type="radio" value="fi">', block
        )
        assert stored(token) == {}  # suggested, not saved
        post_form(
            client, f"/a/{token}/section/profile", {"activities": ["warehousing"], "country": "de"}
        )
        block = question_block(client.get(f"/a/{token}/section/profile").text, "country")
        assert 'checked id="country-0"' in block
        assert 'value="fi">' in block
        assert not re.search(
            r'checked id="country-\d" name="country" type="radio" value="fi"', block
        )
        without = start(client, "answering")
        block = question_block(client.get(f"/a/{without}/section/profile").text, "country")
        assert "checked" not in block


def test_only_optional_questions_are_marked(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["warehouse"]})
    page = client.get(f"/a/{token}/section/data-section").text
    post_form(client, f"/a/{token}/section/data-section", {"fuel": "yes", "tools": ["tms"]})
    page = client.get(f"/a/{token}/section/data-section").text
    assert "(optional)" in question_block(page, "certs")
    assert "(optional)" not in question_block(page, "fuel")
    assert "(required)" not in page
    assert "(required)" not in client.get("/start").text


def test_a_question_naming_an_eu_rule_explains_it_on_the_page(answering_app: Flask) -> None:
    client = answering_app.test_client()
    with answering_app.app_context():
        token = start(client, "answering")
        post_form(
            client, f"/a/{token}/section/profile", {"activities": ["warehousing"], "country": "de"}
        )
        block = question_block(client.get(f"/a/{token}/section/documents").text, "efti")
        assert '<details class="glossary"' in block
        assert "What these terms mean: eFTI" in block
        # The very entry of the questionnaire's references, which the PDF prints too.
        assert "Authorities must accept freight information in electronic form." in block
        assert 'href="https://eur-lex.europa.eu/eli/reg/2020/1056/oj"' in block
        page = client.get(f"/a/{token}/section/documents").text
        assert "glossary" not in question_block(page, "remarks")


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("eFTI Regulation (EU) 2020/1056", ("eFTI",)),
        ("CountEmissionsEU, Regulation (EU) 2026/1030", ("CountEmissionsEU",)),
        ("ISO 14083 and the GLEC Framework", ("ISO 14083", "GLEC Framework", "GLEC")),
        ("The e-CMR protocol", ("e-CMR protocol", "e-CMR")),
        ("NIS2 Directive (EU) 2022/2555", ("NIS2",)),
        (
            "CO2 standards for heavy-duty vehicles, Regulation (EU) 2024/1610",
            ("CO2 standards for heavy-duty vehicles",),
        ),
    ],
)
def test_a_reference_is_named_as_questions_name_it(title: str, names: tuple[str, ...]) -> None:
    assert reference_names(Reference("r", title, "text")) == names


def test_the_error_summary_does_not_double_punctuation(client, ctx) -> None:
    token = start(client)
    post_form(client, f"/a/{token}/section/profile", {"activities": ["warehouse"]})
    page = post_form(client, f"/a/{token}/section/data-section", {}).text
    summary = text_of(page.split('id="error-summary"', 1)[1].split("</div>", 1)[0])
    assert "Fuel data? Please answer this question." in summary
    assert "Budget items? Choose at least one option." in summary
    assert "?:" not in summary


def test_scale_answers_show_their_meaning_on_the_review(answering_app: Flask) -> None:
    client = answering_app.test_client()
    with answering_app.app_context():
        token = start(client, "answering")
        post_form(
            client, f"/a/{token}/section/profile", {"activities": ["own-fleet"], "country": "fi"}
        )
        post_form(client, f"/a/{token}/section/fleet", {"eco": "3"})
        post_form(client, f"/a/{token}/section/documents", {"efti": "ready"})
        review = text_of(client.get(f"/a/{token}/review").text)
        assert "3 on a scale from 1 (Never) to 5 (After every trip)" in review
        post_form(client, f"/a/{token}/section/fleet", {"eco": "5"})
        review = text_of(client.get(f"/a/{token}/review").text)
        assert "5 (After every trip) on a scale from 1 to 5" in review


def test_a_one_to_one_says_who_sees_the_results_and_asks_nothing(client, ctx) -> None:
    cluster = cluster_by_slug("example-baltic-freight")
    assert cluster is not None
    adviser = create_user(
        "anna@example.org", "Anna", Role.ADVISER, cluster, "a long enough password"
    )
    questionnaire = service.catalogue().get("every-type")
    assert questionnaire is not None
    assessment = service.start_assessment(
        questionnaire, cluster, "en", "Lahti Warehousing Oy", assisted_by=adviser
    )
    token = assessment.token
    page = client.get(f"/a/{token}/section/profile").text
    assert "Assessment for Lahti Warehousing Oy · with an adviser of Baltic Freight Cluster" in page
    answer_every_type(client, token)
    review = client.get(f"/a/{token}/review").text
    assert "advisers will see its results and action plan" in review
    assert "No, keep them private" not in review
    assert 'name="share"' not in review
    assert "Lahti Warehousing Oy" in review
    # A posted "no" (an old page) changes nothing: the assessment belongs to the cluster.
    client.post(f"/a/{token}/submit", data={"csrf_token": csrf_from(review), "share": "no"})
    db.session.expire_all()
    found = db.session.get(Assessment, assessment.id)
    assert found is not None
    assert found.visible_to_cluster
    # Its results page says the same, with no choice, and keeps the company's own links.
    results = client.get(f"/a/{token}/results").text
    assert "advisers will see its results and action plan" in results
    assert 'name="share"' not in results
    assert "Start a follow-up assessment" in results
    assert f"/a/{token}/delete" in results
    # An old page's "no" changes nothing either, and says how to withdraw it.
    answer = client.post(
        f"/a/{token}/sharing",
        data={"csrf_token": csrf_from(results), "share": "no", "next_page": "results"},
        follow_redirects=True,
    )
    assert "the cluster then no longer sees it" in answer.text
    assert "not shared with anyone" not in answer.text
    db.session.expire_all()
    found = db.session.get(Assessment, assessment.id)
    assert found is not None
    assert found.visible_to_cluster


def test_a_self_assessment_still_asks_whether_to_share(client, ctx) -> None:
    token = start(client, cluster="example-baltic-freight")
    answer_every_type(client, token)
    review = client.get(f"/a/{token}/review").text
    assert "May Baltic Freight Cluster (example) see your results to advise you?" in review
    assert "Who sees these results" not in review


def submit(client: FlaskClient, token: str) -> None:
    page = client.get(f"/a/{token}/review").text
    done = client.post(f"/a/{token}/submit", data={"csrf_token": csrf_from(page)})
    assert done.headers["Location"].endswith("/results"), done.headers["Location"]


def test_a_follow_up_starts_from_the_answers_of_last_time(client, ctx) -> None:
    token = start(client, company="Acme")
    answer_every_type(client, token)
    submit(client, token)
    results = client.get(f"/a/{token}/results").text
    response = client.post(f"/a/{token}/follow-up", data={"csrf_token": csrf_from(results)})
    follow = re.search(r"/a/([A-Za-z0-9_-]+)", response.headers["Location"]).group(1)
    assert follow != token
    assert stored(follow) == stored(token)
    # It opens at its first page, filled in, rather than at the review.
    landing = client.get(f"/a/{follow}?started=1")
    assert landing.headers["Location"].endswith(f"/a/{follow}/section/profile?started=1")
    page = client.get(f"/a/{follow}/section/profile").text
    assert re.search(
        r'<input checked id="activities-0" name="activities" type="checkbox" value="haulage">', page
    )

    review = client.get(f"/a/{follow}/review").text
    assert "changed" not in text_of(review).replace("Change", "")  # nothing moved yet
    post_form(
        client, f"/a/{follow}/section/fleet-section", {"vehicles": "20", "euro6": "50", "eco": "2"}
    )
    review = client.get(f"/a/{follow}/review").text
    rows = {
        m.group(1): text_of(m.group(0))
        for m in re.finditer(
            r'<div class="answer-row[^"]*" data-question="([^"]+)">.*?</div>', review, re.S
        )
    }
    assert "changed" in rows["vehicles"]
    assert "Last time: 12 vehicles" in rows["vehicles"]
    assert "Last time: 4 on a scale from 1 (Never) to 5 (Always)" in rows["eco"]
    assert "changed" not in rows["euro6"].replace("Change", "")
    assert 'class="answer-row is-changed" data-question="vehicles"' in review
    assert "2 answers changed since your last assessment" in text_of(review)


def test_answers_that_no_longer_fit_are_not_carried_over(client, ctx) -> None:
    token = start(client)
    answer_every_type(client, token)
    submit(client, token)
    previous = db.session.scalar(db.select(Assessment).where(Assessment.token == token))
    questionnaire = service.catalogue().get("every-type")
    assert previous is not None
    assert questionnaire is not None
    db.session.execute(
        db.update(service.Answer)
        .where(service.Answer.assessment_id == previous.id, service.Answer.question_id == "euro6")
        .values(value=250)  # out of the range 0..100, as if the range had shrunk since
    )
    db.session.commit()
    carried = service.answers_carried_over(previous, questionnaire)
    assert "euro6" not in carried
    assert carried["vehicles"] == 12


def test_the_clusters_entry_page_welcomes_with_its_name_and_logo(client, ctx) -> None:
    page = client.get("/en/c/example-baltic-freight").text
    assert "Welcome from Baltic Freight Cluster (example)" in page
    assert re.search(
        r'<img src="data:image/svg\+xml;base64,[^"]+" alt="Logo of Baltic Freight Cluster', page
    )
    assert "<title>Baltic Freight Cluster (example) — Start an assessment" in page
    assert "Welcome from" not in client.get("/start").text


def test_the_site_name_and_source_are_settings(make_app: Callable[..., Flask]) -> None:
    app = make_app(SITE_NAME="Green Freight Check", SOURCE_URL="https://code.example.org/assessor")
    page = app.test_client().get("/").text
    assert '<a class="brand" href="/">Green Freight Check</a>' in page
    assert "· Green Freight Check</title>" in page
    assert '<a href="/source">Green Freight Check is open source</a>' in page
    source = app.test_client().get("/source").text
    assert '<a href="https://code.example.org/assessor">' in source
    default = make_app().test_client()
    assert '<a class="brand" href="/">assessor</a>' in default.get("/").text
    assert "code.example.org" not in default.get("/source").text


def test_the_source_page_offers_the_running_code_and_never_the_instance(
    make_app: Callable[..., Flask],
) -> None:
    import io
    import tarfile

    client = make_app().test_client()
    page = client.get("/source").text
    assert "European Union Public Licence (EUPL-1.2)" in page
    assert 'href="/source.tar.gz"' in page
    download = client.get("/source.tar.gz")
    assert download.status_code == 200
    assert download.mimetype == "application/gzip"
    assert download.headers["Content-Disposition"].startswith('attachment; filename="assessor-')
    with tarfile.open(fileobj=io.BytesIO(download.data), mode="r:gz") as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames()}
        served = archive.extractfile(next(m for m in archive if m.name.endswith("web/public.py")))
        assert served is not None
        assert b"def source_archive" in served.read()
    assert {"pyproject.toml", "README.md", "assessor/web/public.py"} <= names
    assert "templates/source.html" in names
    assert not [n for n in names if n.startswith("instance") or n.endswith((".pyc", ".mo"))]
    # No secret file (instance/secret_key and the like) and no database; a template about
    # a webhook's secret is source code.
    assert not [
        n
        for n in names
        if n.rsplit("/", 1)[-1].startswith("secret") or n.endswith((".sqlite", ".db"))
    ]


def test_download_my_answers_is_named_for_a_respondent(client, ctx) -> None:
    token = start(client)
    page = client.get(f"/a/{token}/section/profile").text
    assert "Download my answers" in page
    assert "Download my data (JSON)" not in page


def test_progress_counts_every_page_and_the_questions_still_open(every_type) -> None:
    from assessor.domain.progress import progress

    fleet = every_type.sections_by_id["fleet-section"]
    data = every_type.sections_by_id["data-section"]
    without_fleet = progress(every_type, {"activities": ("warehouse",)}, data)
    with_fleet = progress(every_type, {"activities": ("haulage",)}, data)
    assert (without_fleet.position, without_fleet.total) == (3, 3)
    assert (with_fleet.position, with_fleet.total) == (3, 3)  # the fleet page adds no page
    assert progress(every_type, {"activities": ("haulage",)}, fleet).done == 1
    assert with_fleet.applicable > without_fleet.applicable  # but more questions to answer
    assert with_fleet.minutes_left is None  # the file gives no duration


def test_the_source_archive_leaves_out_dotfiles_and_everything_unlisted(tmp_path) -> None:
    from assessor.services import source_code

    (tmp_path / "assessor").mkdir()
    (tmp_path / "assessor" / "app.py").write_text("print('hello')\n")
    (tmp_path / "assessor" / ".env").write_text("SECRET=1\n")
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text("s3cret\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(source_code._build(tmp_path)), mode="r:gz") as archive:
        names = sorted(name.split("/", 1)[1] for name in archive.getnames())
    assert names == ["assessor/app.py", "pyproject.toml"]


def test_source_downloads_are_limited_per_address(make_app: Callable[..., Flask]) -> None:
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    statuses = [client.get("/source.tar.gz").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
