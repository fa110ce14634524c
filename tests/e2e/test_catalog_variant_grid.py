"""The variant grid shows every value whole: each input is as wide as its longest value, the
grid scrolls sideways in its own box (never the page), and errors wrap inside their cell."""

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

# read-only measurements (never used to change the page)
CUT_INPUTS = """rows => rows.flatMap(row => [...row.querySelectorAll(
    'input:not([type=hidden]):not([type=checkbox]), select')]
  .filter(input => input.scrollWidth > input.clientWidth)
  .map(input => `${input.id}: ${input.value} (${input.scrollWidth} > ${input.clientWidth})`))"""
OUTSIDE_THEIR_CELL = """rows => rows.flatMap(row => [...row.querySelectorAll(
    '.field-error, .variant-check, input:not([type=hidden]), select')]
  .filter(el => {
    const cell = el.closest('td').getBoundingClientRect(), box = el.getBoundingClientRect();
    return box.left < cell.left - 0.5 || box.right > cell.right + 0.5;
  })
  .map(el => `${el.className || el.id}: ${el.textContent.trim().slice(0, 40)}`))"""


def _fill_variant(page: Page, index: int, values: dict) -> None:
    for name, value in values.items():
        page.locator(f"#id_variants-{index}-{name}").fill(value)


def _cut_inputs(page: Page) -> list[str]:
    page.wait_for_load_state("load")  # the stylesheet applied before measuring
    return page.locator("[data-variant-row]").evaluate_all(CUT_INPUTS)


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
    assert _cut_inputs(page) == []

    # a failed save: every error in its own cell, wrapped; the inputs still whole
    page.locator("#id_variants-0-barcode").fill("12345678901234")
    page.locator("#id_variants-1-compare_at_price").fill("1.00")
    page.locator("#id_variants-0-DELETE").check()
    page.locator(".save-bar").get_by_role("button", name="Save product").click()
    expect(page.locator(".form-error-summary")).to_be_visible()
    expect(page.locator("#id_variants-0-barcode")).to_have_value("12345678901234")
    assert _cut_inputs(page) == []
    assert page.locator("[data-variant-row]").evaluate_all(OUTSIDE_THEIR_CELL) == []
    scroller = page.locator(".variant-table-scroll")
    assert _right_edge(page.locator("#product-form")) <= 1400
    # the Remove box is reachable: scrolled into view inside the grid's own box
    page.locator("#id_variants-0-DELETE").scroll_into_view_if_needed()
    expect(page.locator("#id_variants-0-DELETE")).to_be_in_viewport()

    # on a phone: the page itself never scrolls sideways, only the grid's box
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.url)
    expect(page.locator("#id_variants-0-sku")).to_have_value(LONG_SKU)
    assert _cut_inputs(page) == []
    assert _right_edge(page.locator("#product-form")) <= 390
    box = scroller.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # the grid is wider than its box, which scrolls
    assert scroller.locator("table").bounding_box()["width"] > box["width"]


def _right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]
