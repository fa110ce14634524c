"""An owner meets the warnings and forms the review asked for: a zone that can never apply is
flagged on the zones list and on its page; a payment method form with several mistakes shows
them all at once and keeps the gateway credential typed in."""

from __future__ import annotations

from playwright.sync_api import expect

from apps.payments.models import PaymentMethod
from apps.shipping import services
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def _owner_and_store():
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    return owner, store


def test_a_zone_that_can_never_apply_is_flagged(browser_page):
    owner, store = _owner_and_store()
    services.zone_create(store=store, actor=owner, name="DACH", countries="DE, AT, CH")
    page = browser_page
    login(page, owner.email)

    page.goto("/store/acme/shipping/")
    page.get_by_role("link", name="Add zone").click()
    page.get_by_label("Name").fill("Germany")
    page.get_by_label("Countries").fill("DE")
    page.get_by_role("button", name="Add zone").click()

    expect(page.locator("#shadow-warning")).to_contain_text(
        "No destination can fall into this zone: “DACH” comes first for all of it."
    )
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Shipping").click()
    row = page.locator("tr", has_text="Germany")
    expect(row).to_contain_text("Never applies")
    expect(row).to_contain_text("“DACH” comes first for all of it.")


def test_the_payment_form_shows_every_mistake_and_keeps_the_credential(browser_page):
    owner, _store = _owner_and_store()
    page = browser_page
    login(page, owner.email)

    page.goto("/store/acme/payments/new/")
    page.get_by_label("Name shoppers see").fill("Card")
    page.get_by_label("Code").fill("card")
    page.get_by_label("Gateway credentials").fill("sk_live_typed_1234")
    page.get_by_label("Percent fee").fill("120")
    page.get_by_label("Minimum order total").fill("50")
    page.get_by_label("Maximum order total").fill("10")
    page.get_by_role("button", name="Add payment method").click()

    expect(page.locator(".form-error-summary")).to_contain_text("Please fix the 3 fields below.")
    expect(page.locator("#id_fee_percent_error")).to_have_text("A percent fee is at most 100.")
    expect(page.locator("#id_gateway_error")).to_have_text("Name the card gateway, e.g. Stripe.")
    expect(page.locator("#id_max_total_error")).to_contain_text("is below the minimum (€50.00)")
    expect(page.get_by_label("Gateway credentials")).to_have_value("sk_live_typed_1234")

    page.get_by_label("Gateway (optional)", exact=True).fill("Stripe")
    page.get_by_label("Percent fee").fill("2.9")
    page.get_by_label("Maximum order total").fill("500")
    page.get_by_role("button", name="Add payment method").click()

    expect(page.locator(".toast")).to_contain_text("Payment method “Card” added.")
    assert PaymentMethod.objects.get(code="card").gateway_secret == "sk_live_typed_1234"
