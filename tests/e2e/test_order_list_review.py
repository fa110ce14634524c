"""The order list's review findings, as a person meets them: the export link follows a filter
chosen through htmx, and the refund form shows only while the order can be refunded."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory
from tests.orders.helpers import make_order


def test_the_export_of_a_status_filtered_list_holds_only_that_status(browser_page, celery_eager):
    store = StoreFactory(handle="acme", name="Acme")
    manager = UserFactory(email="mia@acme.test", full_name="Mia Manager")
    MembershipFactory(user=manager, store=store, role="manager")
    paid = make_order(store, customer={"email": "paid@example.com"})
    placed = make_order(store, status="placed", customer={"email": "placed@example.com"})
    page = browser_page
    login(page, manager.email)
    page.goto("/store/acme/orders/")
    expect(page.locator(f'tr[data-order="{placed.number}"]')).to_be_visible()

    page.get_by_label("Status").select_option("placed")  # htmx swaps the table only
    expect(page.locator(f'tr[data-order="{paid.number}"]')).to_have_count(0)
    export = page.get_by_role("link", name="Export these orders")
    expect(export).to_have_attribute("href", re.compile(r"status=placed"))
    export.click()

    expect(page.get_by_role("heading", name="1 order")).to_be_visible()
    page.get_by_role("button", name="Build the CSV file").click()
    download_link = page.get_by_role("link", name=re.compile(r"^Download "))
    expect(download_link).to_be_visible(timeout=15_000)
    with page.expect_download() as info:
        download_link.click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [row["number"] for row in rows] == [str(placed.number)]
    assert {row["status"] for row in rows} == {"placed"}


def test_the_refund_form_shows_only_while_the_order_can_be_refunded(browser_page):
    store = StoreFactory(handle="acme", name="Acme")
    support = UserFactory(email="sam@acme.test", full_name="Sam Support")
    MembershipFactory(user=support, store=store, role="support")
    order = make_order(store, lines=[{"sku": "MUG-1", "quantity": 1, "unit_price": "10.00"}],
                       discount_total="0", shipping={})  # fmt: skip
    placed = make_order(store, status="placed")
    page = browser_page
    login(page, support.email)

    page.goto(f"/store/acme/orders/{placed.number}/")
    expect(page.locator("#refund-card")).to_contain_text("No refunds or returns yet.")
    expect(page.get_by_text("Refund or return items")).to_have_count(0)

    page.goto(f"/store/acme/orders/{order.number}/")
    page.get_by_text("Refund or return items").click()
    page.get_by_label("Refund for MUG-1").fill("10.00")
    page.get_by_role("button", name="Record refund or return").click()
    page.get_by_role("button", name="Refund €10.00").click()  # the confirmation dialog

    expect(page.locator("#toasts").get_by_text("Refunded €10.00.")).to_be_visible()
    expect(page.locator("#refund-card")).to_contain_text("€10.00 refunded")
    expect(page.get_by_text("Refund or return items")).to_have_count(0)
