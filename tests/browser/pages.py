"""Answering questionnaire pages in a real browser, with or without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def _fill_block(block: Locator, choice: int) -> None:
    kind = block.get_attribute("data-type")
    inputs = block.locator("input, textarea")
    count = inputs.count()
    if kind in ("choice", "scale"):
        if any(inputs.nth(i).is_checked() for i in range(count)):
            return
        index = count // 2 if kind == "scale" else min(choice, count - 1)
        inputs.nth(index).check()
    elif kind == "multi":
        if any(inputs.nth(i).is_checked() for i in range(count)):
            return
        plain = [i for i in range(count) if inputs.nth(i).get_attribute("data-exclusive") is None]
        inputs.nth(plain[min(choice, len(plain) - 1)] if plain else 0).check()
    elif kind == "number":
        field = inputs.first
        if field.input_value():
            return
        low = float(field.get_attribute("min") or 0)
        high = float(field.get_attribute("max") or low + 10)
        field.fill(f"{min(high, low + 5):g}")
    elif kind == "text":
        if not inputs.first.input_value():
            inputs.first.fill("Written by the browser test")


def fill_visible(page: Page, choice: int = 1) -> None:
    """Answer every visible question block that has no answer yet, in page order."""
    blocks = page.locator("[data-question]")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        if block.is_visible():  # re-read each time: answers may reveal later blocks
            _fill_block(block, choice)


def answer_page(page: Page, choice: int = 1) -> None:
    """Answer what the page asks and go on; repeats while the server asks for more."""
    start_url = page.url
    for _ in range(5):
        fill_visible(page, choice)
        page.locator("button[name=navigate][value=next]").click()
        page.wait_for_load_state()
        if page.url != start_url:
            return
        # Still here: without JavaScript a newly relevant question only appears now.
        assert page.locator(".error-summary").count() == 1, "stayed on the page without an error"
    raise AssertionError(f"could not get past {start_url}")


def answer_sections(page: Page, count: int | None = None, choice: int = 1) -> int:
    """Answer up to ``count`` section pages (all when None); returns how many."""
    answered = 0
    while "/section/" in page.url and (count is None or answered < count):
        answer_page(page, choice)
        answered += 1
    return answered
