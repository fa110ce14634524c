"""An owner sets up shipping through the forms (carrier, services, a zone, a weight-band rate
with a free-shipping threshold, an express rate with a weight limit), then runs the checkout
simulator for a cart on each side of the threshold."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.catalog.factories import ProductFactory, VariantFactory
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def _add_service(page, carrier: str, name: str, code: str, fastest: str, slowest: str):
    page.locator(".carrier-block", has_text=carrier).get_by_role("link", name="Add service").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Code").fill(code)
    page.get_by_label("Fastest delivery (business days)").fill(fastest)
    page.get_by_label("Slowest delivery (business days)").fill(slowest)
    page.get_by_label("Tracking URL").fill("https://dhl.example/track?id={tracking_number}")
    page.get_by_role("button", name="Add service").click()
    expect(page.locator(".toast")).to_contain_text(f"Service “{carrier} {name}” added.")


def _simulate(page, quantity: str):
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Shipping").click()
    page.get_by_role("link", name="Checkout simulator").click()
    page.get_by_label("SKU 1").fill("MUG-1")
    page.get_by_label("Quantity").first.fill(quantity)
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Postal code").fill("10115")
    page.get_by_role("button", name="Simulate checkout").click()


def test_owner_sets_up_weight_bands_and_free_shipping_then_simulates(browser_page):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    VariantFactory(
        product=ProductFactory(store=store, title="Ceramic mug"),
        sku="MUG-1", price="12.00", weight="500", weight_unit="g",
    )  # fmt: skip
    page = browser_page
    login(page, owner.email)

    # a carrier and two services
    page.goto("/store/acme/shipping/")
    page.get_by_role("link", name="Carriers").click()
    page.get_by_label("Name").fill("DHL")
    page.get_by_role("button", name="Add carrier").click()
    expect(page.locator(".toast")).to_contain_text("Carrier “DHL” added.")
    page.get_by_role("link", name="Cancel").click()
    _add_service(page, "DHL", "Standard", "dhl-standard", "2", "4")
    _add_service(page, "DHL", "Express", "dhl-express", "1", "1")

    # a zone: a bad country first, kept and explained, then fixed
    page.get_by_role("link", name="Zones and rates").click()
    expect(page.locator("#coverage-banner")).to_contain_text("You can't ship to")
    page.get_by_role("link", name="Add zone").click()
    page.get_by_label("Name").fill("Germany")
    page.get_by_label("Countries").fill("DE, XX")
    page.get_by_role("button", name="Add zone").click()
    expect(page.locator(".field-error")).to_have_text("“XX” is not a country code, e.g. DE.")
    expect(page.get_by_label("Countries")).to_have_value("DE, XX")
    page.get_by_label("Countries").fill("DE")
    page.get_by_role("button", name="Add zone").click()
    expect(page.locator(".toast")).to_contain_text("Zone “Germany” added.")

    # the weight-band rate with a free-shipping threshold
    page.get_by_role("link", name="Add rate").first.click()
    page.get_by_label("Name (optional)").fill("Standard")
    page.get_by_label("Carrier service").select_option(label="DHL Standard (dhl-standard)")
    page.get_by_label("Priced").select_option("weight")
    page.get_by_label("Bands").fill("0-2: 4.90\n2-10: 7.90")
    page.get_by_label("Free shipping from").fill("50")
    page.get_by_role("button", name="Add rate").click()
    expect(page.locator(".toast")).to_contain_text("Rate “Standard” added to Germany.")
    expect(page.locator("#band-warnings")).to_contain_text(
        "Standard: carts of 10 kg and more get no price from this rate."
    )

    # an express rate up to 1.5 kg
    page.get_by_role("link", name="Add rate").first.click()
    page.get_by_label("Name (optional)").fill("Express")
    page.get_by_label("Carrier service").select_option(label="DHL Express (dhl-express)")
    page.get_by_label("Priced").select_option("flat")
    page.get_by_label("Price (optional)").fill("9.90")
    page.get_by_label("Maximum weight (kg)").fill("1.5")
    page.get_by_role("button", name="Add rate").click()
    expect(page.locator(".toast")).to_contain_text("Rate “Express” added to Germany.")

    # below the threshold: 2 mugs, €24.00, 1 kg
    _simulate(page, "2")
    results = page.locator("#shipping-results")
    expect(results).to_contain_text("Cart: €24.00, 1 kg. Zone: Germany (by country).")
    options = results.locator(".option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("Standard")
    expect(options.nth(0)).to_contain_text("€4.90")
    expect(options.nth(1)).to_contain_text("Express")
    expect(options.nth(1)).to_contain_text("€9.90")
    expect(page.locator("#shipping-excluded")).to_have_count(0)
    assert "sku=MUG-1" in page.url and "country=DE" in page.url  # shareable

    # over the threshold: 5 mugs, €60.00, 2.5 kg: Standard is free, Express too heavy
    page.get_by_label("Quantity").first.fill("5")
    page.get_by_role("button", name="Simulate checkout").click()
    expect(results).to_contain_text("Cart: €60.00, 2.5 kg.")
    expect(options).to_have_count(1)
    expect(options.nth(0)).to_contain_text("Standard")
    expect(options.nth(0)).to_contain_text("Free")
    expect(page.locator("#shipping-excluded")).to_have_text(
        "Express: cart weight 2.5 kg is over its 1.5 kg limit"
    )

    # the shared address shows the same simulation to another visit
    page.goto(page.url)
    expect(page.locator("#shipping-excluded")).to_contain_text("over its 1.5 kg limit")
