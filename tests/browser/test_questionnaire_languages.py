"""A Polish page on a questionnaire offered in English and Dutch: English texts, whole, and
a notice that says so; the Polish interface around them. Then the platform administrator
translates the last Dutch text in the browser, and Dutch pages show Dutch at once."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from assessor.services.assessments import catalogue
from assessor.services.questionnaires import translations as translations
from assessor.storage.db import db
from assessor.storage.models import QuestionnaireTranslation, Role
from tests.advisers.helpers import PASSWORD, make_account
from tests.browser.test_accessibility import check_page
from tests.languages.conftest import COLD_CHAIN, DUTCH

ENGLISH_QUESTION = "How do you log the temperature in your trailers?"


def test_a_polish_page_shows_the_questionnaire_in_english_with_a_notice(
    browser, live_server, tmp_path: Path
) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "cold-chain.yaml").write_text(COLD_CHAIN, encoding="utf-8")
    server = live_server(questionnaires=folder, QUESTIONNAIRE_TRANSLATIONS_REFRESH=0)
    with server.app.app_context():
        untitled = {k: v for k, v in DUTCH.items() if k != "cold-chain:title"}
        translations.save_translations(catalogue().get("cold-chain"), "nl", untitled, None)
        # A Polish text for a language the questionnaire does not declare: never shown.
        db.session.add(
            QuestionnaireTranslation(
                questionnaire_id="cold-chain",
                language="pl",
                context="cold-chain:questions/logs/text",
                source_text=ENGLISH_QUESTION,
                source_sha256="-",
                text="Jak rejestrujecie temperaturę?",
            )
        )
        db.session.commit()

    page = browser.new_context().new_page()
    page.goto(server.url + "/pl/start")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_text("Cold-chain check")).to_be_visible()  # its title as it is shown
    page.locator("form button[type=submit]").click()
    assert "/section/trucks" in page.url

    notice = page.locator(".questionnaire-language")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("polski")
    expect(notice).to_contain_text("angielski")
    expect(page.get_by_text(ENGLISH_QUESTION)).to_be_visible()
    body = page.locator("body").inner_text()
    assert "Jak rejestrujecie" not in body
    assert not any(text in body for text in DUTCH.values())  # never a mix

    page.get_by_label("On paper by the driver").check()
    page.locator("button[name=navigate][value=next]").click()
    assert page.url.endswith("/review")
    expect(page.locator(".questionnaire-language")).to_have_count(1)
    page.locator("form[action$='/submit'] button[type=submit]").click()
    assert page.url.endswith("/results")
    expect(page.locator(".questionnaire-language")).to_have_count(1)
    expect(page.get_by_text("Fit data loggers in every trailer").first).to_be_visible()
    results = page.url

    # Dutch is declared but lacks its title: a Dutch page is in English too, for now.
    page.goto(results.replace("/pl/", "/nl/"))
    expect(page.get_by_text("Fit data loggers in every trailer").first).to_be_visible()

    make_account(server.app, "root@example.org", None, Role.PLATFORM_ADMIN)
    admin = browser.new_context().new_page()
    admin.goto(server.url + "/advisers/sign-in")
    admin.get_by_label("E-mail address").fill("root@example.org")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.locator(".adviser-nav").get_by_role("link", name="Questionnaires").click()
    admin.get_by_role("link", name="Translations of the questionnaires").click()
    expect(admin.get_by_text("1 text untranslated")).to_be_visible()
    admin.locator("#main").get_by_role("link", name="Nederlands").click()
    expect(admin.locator("#untranslated-count")).to_contain_text("1 of 11 texts is untranslated")
    problems: list[str] = []
    admin.get_by_label("Cold-chain check").fill("Koel %(x)s")
    admin.get_by_role("button", name="Save the translations").click()
    expect(admin.locator(".error-message").first).to_contain_text("remove %(x)s")
    check_page(admin, "translation page with an error", problems)
    admin.get_by_label("Cold-chain check").fill(DUTCH["cold-chain:title"])
    admin.get_by_role("button", name="Save the translations").click()
    expect(admin.get_by_text("Every text is translated.")).to_be_visible()
    assert problems == []

    page.goto(results.replace("/pl/", "/nl/"))
    expect(page.get_by_text(DUTCH["cold-chain:actions/loggers/title"]).first).to_be_visible()
    expect(page.locator(".questionnaire-language")).to_have_count(0)
