"""The import's mapping page: each section's heading sits inside its own card, at 1400 and
390 px wide (a fieldset's legend is drawn on the border unless it is laid out as a heading)."""

import pytest
from playwright.sync_api import Page, expect

from tests.catalog.io_factories import csv_bytes, media_root, row  # noqa: F401
from tests.e2e.conftest import login
from tests.e2e.layout import BROKEN_WORDS
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def _inside(inner, outer) -> bool:
    a, b = inner.bounding_box(), outer.bounding_box()
    return (
        a["x"] >= b["x"]
        and a["y"] >= b["y"]
        and a["x"] + a["width"] <= b["x"] + b["width"]
        and a["y"] + a["height"] <= b["y"] + b["height"]
    )


def _card_of(page: Page, heading: str):
    title = page.get_by_role("heading", name=heading, exact=True)
    return title, title.locator("xpath=ancestor::*[contains(@class, 'card')][1]")


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("width", [1400, 390])
def test_every_mapping_section_has_its_heading_inside_its_card(new_page, width):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    page = new_page(width, 900)
    login(page, owner.email)

    page.goto("/store/acme/catalog/imports/new/")
    page.get_by_label("Product file").set_input_files(
        files=[{"name": "spring.csv", "mimeType": "text/csv", "buffer": csv_bytes([row()])}]
    )
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_role("heading", name="Match columns")).to_be_visible()

    for heading in ("Columns", "Rows with errors", "Categories"):
        title, card = _card_of(page, heading)
        expect(title).to_be_visible()
        assert _inside(title, card), f"the heading “{heading}” sits outside its card"
    # the card's own padding around the heading, as on every other card
    title, card = _card_of(page, "Categories")
    assert title.bounding_box()["y"] - card.bounding_box()["y"] >= 10


LONG_FILE_NAME = "spring-collection-2026-final-version-supplier-export-with-prices.csv"


@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("width", [1400, 390, 320])
def test_the_mapping_pages_headings_wrap_between_words_and_only_the_file_name_breaks(
    new_page, width
):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    page = new_page(width, 900)
    login(page, owner.email)

    page.goto("/store/acme/catalog/imports/new/")
    page.get_by_label("Product file").set_input_files(
        files=[{"name": LONG_FILE_NAME, "mimeType": "text/csv", "buffer": csv_bytes([row()])}]
    )
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_role("heading", name="Match columns")).to_be_visible()
    page.wait_for_load_state("load")

    texts = page.locator("main h1, main h2, main .page-description, main .card-header p")
    broken = {
        text: words
        for index in range(texts.count())
        if (words := texts.nth(index).evaluate(BROKEN_WORDS))
        for text in [texts.nth(index).inner_text()[:40]]
    }
    assert broken == {}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
