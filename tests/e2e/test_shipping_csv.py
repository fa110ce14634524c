"""A manager exports the zones and rates, edits the CSV in a "spreadsheet" (the file on disk),
uploads it, sees the bad row in the check, fixes it, imports it and sees the change on the
zone's page."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from apps.shipping import services
from apps.shipping.models import Rate
from tests.catalog.io_factories import media_root  # noqa: F401
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def _edit(path, change) -> None:
    """Open the CSV as a spreadsheet would, change its rows, save it again."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    change(rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.usefixtures("media_root")
def test_manager_exports_edits_and_imports_the_zones(browser_page, tmp_path):
    owner = UserFactory(email="olivia@shop.test")
    manager = UserFactory(email="max@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    MembershipFactory(user=manager, store=store, role="manager")
    carrier = services.carrier_create(store=store, actor=owner, name="DHL")
    standard = services.service_create(
        store=store, actor=owner, carrier=carrier, name="Standard", code="dhl-standard",
        days_min=2, days_max=4,
    )  # fmt: skip
    germany = services.zone_create(store=store, actor=owner, name="Germany", countries="DE")
    services.rate_create(
        store=store, actor=owner, zone=germany, service=standard, name="Standard",
        kind="weight", bands="0-2: 4.90\n2-10: 7.90",
    )  # fmt: skip
    page = browser_page
    login(page, manager.email)

    # export
    page.goto("/store/acme/shipping/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("acme-shipping-zones-")

    # edit: a cheaper first band, and a new zone with a country code that doesn't exist
    def first_edit(rows):
        rows[0]["bands"] = "0-2: 3.90; 2-10: 7.90"
        rows.append({**rows[0], "zone": "Nordics", "countries": "SE, XX", "zone_position": ""})

    _edit(path, first_edit)

    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("Zones and rates file").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    errors = page.locator(".errors-table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").nth(0)).to_have_text("3")
    expect(errors.first.locator("td").nth(1)).to_have_text("countries")
    expect(errors.first.locator("td").nth(2)).to_have_text("“XX” is not a country code, e.g. DE.")
    expect(page.get_by_role("button", name="Import 2 rows")).to_have_count(0)
    assert Rate.objects.get(name="Standard").bands[0] == ["0", "2", "4.90"]

    # fix the row on disk and upload again
    def fix(rows):
        rows[1]["countries"] = "SE"

    _edit(path, fix)
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Zones and rates file").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    expect(page.locator(".errors-table")).to_have_count(0)
    page.get_by_role("button", name="Import 2 rows").click()

    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator(".banner-success")).to_have_text("Every row was imported.")
    page.get_by_role("link", name="View zones").click()
    page.get_by_role("link", name="Germany").click()
    expect(page.locator(".band-list")).to_contain_text("0–2 kg: €3.90")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Shipping").click()
    expect(page.get_by_role("link", name="Nordics")).to_be_visible()
