"""The variant grid shows every value whole: each input is as wide as its longest value; on a
1400 px screen the whole grid fits its card, on a phone it scrolls sideways in its own box
(never the page); errors wrap inside their cell. Measured by the boxes of the page's elements
(Playwright locators), never by scripts run in the page."""

import html

from playwright.sync_api import Page, expect

from apps.catalog.models import Product
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory

LONG_SKU = "RVW-LONG-SKU-ABCDEFGHIJ-0123456789-XYZ"
VARIANTS = [
    {
        "sku": LONG_SKU,
        "option1": "Extra large",
        "option2": "Midnight blue",
        "price": "1234.50",
        "compare_at_price": "9999999999.99",
        "cost": "9999999999.99",
        "stock_quantity": "1234567",
        "weight": "1228",
        "barcode": "12345678901231",  # GTIN-14
    },
    {
        "sku": LONG_SKU + "-2",
        "option1": "Small",
        "option2": "Sand",
        "price": "9999999999.99",
        "compare_at_price": "",
        "cost": "1234.50",
        "stock_quantity": "9999999",
        "weight": "9999.999",
        "barcode": "12345678901231",
    },
]

NUMERIC = ("price", "compare_at_price", "cost", "stock_quantity", "weight", "barcode")
# an input's padding (0.4rem on each side in the grid, html at 15px) and its 1px borders
INPUT_CHROME = 2 * 0.4 * 15 + 2


def _fill_variant(page: Page, index: int, values: dict) -> None:
    for name, value in values.items():
        page.locator(f"#id_variants-{index}-{name}").fill(value)


def _cut_inputs(page: Page, new_page) -> list[str]:
    """Inputs narrower than their value plus their padding and borders: the value is cut.

    Each value is measured as text in the portal's font on a page of its own (the portal's
    stylesheet and spans holding the values), by the spans' boxes."""
    page.wait_for_load_state("load")  # the stylesheet applied before measuring
    inputs = {}
    for row in range(page.locator("[data-variant-row]").count()):
        for name in ("sku", "option1", "option2", *NUMERIC):
            field = page.locator(f"#id_variants-{row}-{name}")
            inputs[f"{row}-{name}"] = (field, field.input_value())
    ruler = new_page(1400, 900)
    ruler.goto("/login/")  # the live server's address, so the stylesheet's path resolves
    # numbers in the portal's number cells (tabular figures), as the grid's number inputs
    rows = "".join(
        f"<tr><td{' class=num' if key.split('-')[1] in NUMERIC else ''}>"
        f'<span id="w{key}">{html.escape(value)}</span></td></tr>'
        for key, (_, value) in inputs.items()
    )
    # a standards-mode page: in quirks mode a table takes a font size of its own
    ruler.set_content(
        '<!doctype html><link rel="stylesheet" href="/static/css/portal.css">'
        f'<table class="table">{rows}</table>'
    )
    ruler.wait_for_load_state("load")
    cut = []
    for key, (field, value) in inputs.items():
        needed = ruler.locator(f"#w{key}").bounding_box()["width"] + INPUT_CHROME
        width = field.bounding_box()["width"]
        if width + 0.5 < needed:
            cut.append(f"{key} {value!r}: {width:.0f} px < {needed:.0f} px")
    ruler.context.close()
    return cut


def _outside_their_cell(page: Page) -> list[str]:
    """Errors, checkboxes and inputs that reach past the left or right edge of their cell."""
    outside = []
    items = page.locator("[data-variant-row]").locator(
        ".field-error, .variant-check, input:not([type=hidden]), select"
    )
    for item in items.all():
        box = item.bounding_box()
        cell = item.locator("xpath=ancestor::td[1]").bounding_box()
        if box["x"] < cell["x"] - 0.5 or box["x"] + box["width"] > cell["x"] + cell["width"] + 0.5:
            outside.append(item.get_attribute("id") or item.inner_text()[:40])
    return outside


def test_the_variant_grid_shows_long_values_whole_and_scrolls_in_its_own_box(new_page):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    page = new_page(1400, 900)
    login(page, owner.email)

    page.goto("/store/acme/catalog/products/new/")
    page.get_by_label("Title", exact=True).fill("Long values")
    page.get_by_label("First option").fill("Size")
    page.get_by_label("Second option").fill("Colour")
    _fill_variant(page, 0, VARIANTS[0])
    page.get_by_role("button", name="+ Add variant").click()
    _fill_variant(page, 1, VARIANTS[1])
    page.locator(".save-bar").get_by_role("button", name="Create product").click()

    expect(page.locator(".toast")).to_contain_text("Product “Long values” created.")
    product = Product.objects.get(store=store, title="Long values")
    assert sorted(product.variants.values_list("sku", flat=True)) == [LONG_SKU, LONG_SKU + "-2"]
    expect(page.locator("#id_variants-0-sku")).to_have_value(LONG_SKU)
    assert _cut_inputs(page, new_page) == []
    # on a wide screen the whole grid fits its card: no sideways scrolling
    scroller = page.locator(".variant-table-scroll")
    assert _fits(scroller.locator("table"), scroller)

    # a failed save: every error in its own cell, wrapped; the inputs still whole
    page.locator("#id_variants-0-barcode").fill("12345678901234")
    page.locator("#id_variants-1-compare_at_price").fill("1.00")
    page.locator("#id_variants-0-DELETE").check()
    page.locator(".save-bar").get_by_role("button", name="Save product").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    expect(page.locator("#id_variants-0-barcode")).to_have_value("12345678901234")
    assert _cut_inputs(page, new_page) == []
    assert _outside_their_cell(page) == []
    assert _fits(scroller.locator("table"), scroller)
    assert _right_edge(page.locator("#product-form")) <= 1400
    assert _fits(page.locator("#id_variants-0-DELETE"), scroller)  # in sight, never scrolled to

    # on a phone: the page itself never scrolls sideways, only the grid's box
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.url)
    expect(page.locator("#id_variants-0-sku")).to_have_value(LONG_SKU)
    assert _cut_inputs(page, new_page) == []
    assert _right_edge(page.locator("#product-form")) <= 390
    box = scroller.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # the grid is wider than its box, which scrolls
    assert scroller.locator("table").bounding_box()["width"] > box["width"]
    # the Remove box is reachable: scrolled into view inside the grid's own box
    page.locator("#id_variants-0-DELETE").scroll_into_view_if_needed()
    expect(page.locator("#id_variants-0-DELETE")).to_be_in_viewport()


def _fits(inner, outer) -> bool:
    """``inner``'s box lies within ``outer``'s, left to right."""
    inner_box, outer_box = inner.bounding_box(), outer.bounding_box()
    return (
        inner_box["x"] >= outer_box["x"] - 0.5
        and inner_box["x"] + inner_box["width"] <= outer_box["x"] + outer_box["width"] + 0.5
    )


def _right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]
