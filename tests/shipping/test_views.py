"""Shipping pages and the checkout simulator: roles, tenancy, forms with inline errors."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.shipping import services
from apps.shipping.models import Rate, Zone

PAGES = [
    "/store/alpha/shipping/",
    "/store/alpha/shipping/zones/new/",
    "/store/alpha/shipping/carriers/",
    "/store/alpha/shipping/simulator/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("manager", 200), ("support", 403)])
def test_shipping_pages_by_role(client_for, make_member, store, path, role, status):
    user = make_member(store, role)

    assert client_for(user).get(path).status_code == status


def test_support_has_no_shipping_or_payments_entry(client_for, support):
    page = client_for(support).get("/store/alpha/").content.decode()

    assert "/store/alpha/shipping/" not in page
    assert "/store/alpha/payments/" not in page


def test_another_stores_zone_is_404(client_for, other_store, make_member, shipping_setup):
    outsider = make_member(other_store, "owner")
    zone = shipping_setup["zone"]

    client = client_for(outsider)
    assert client.get(f"/store/alpha/shipping/zones/{zone.pk}/").status_code == 404
    assert client.get(f"/store/bravo/shipping/zones/{zone.pk}/").status_code == 404
    assert client.post(f"/store/bravo/shipping/zones/{zone.pk}/delete/").status_code == 404
    assert Zone.objects.filter(pk=zone.pk).exists()


def test_zone_form_shows_every_error_inline_and_keeps_the_input(client_for, owner, store):
    response = client_for(owner).post(
        "/store/alpha/shipping/zones/new/",
        {"name": "Germany", "countries": "DE, XX", "postal_include": "SW*1, 10000-19999"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "“XX” is not a country code, e.g. DE." in page
    assert "“SW*1” is not a postal rule" in page
    assert "DE, XX" in page
    assert not Zone.objects.exists()


def test_rate_form_refuses_overlapping_bands(client_for, owner, shipping_setup):
    zone = shipping_setup["zone"]

    response = client_for(owner).post(
        f"/store/alpha/shipping/zones/{zone.pk}/rates/new/",
        {
            "name": "Heavy",
            "service": shipping_setup["standard"].pk,
            "kind": "weight",
            "bands": "0-5: 4\n4-8: 6",
            "price": "",
        },
    )

    assert response.status_code == 400
    assert "The bands 0-5 and 4-8 overlap" in response.content.decode()
    assert not Rate.objects.filter(name="Heavy").exists()


def test_zone_page_warns_about_band_gaps(client_for, owner, shipping_setup):
    zone = shipping_setup["zone"]

    page = client_for(owner).get(f"/store/alpha/shipping/zones/{zone.pk}/").content.decode()

    assert "Standard: carts of 10 kg and more get no price from this rate." in page


def test_zones_page_names_countries_the_store_cannot_ship_to(client_for, owner, shipping_setup):
    page = client_for(owner).get("/store/alpha/shipping/").content.decode()

    assert "You can't ship to 248 countries at all" in page
    assert "France" in page


def test_simulator_shows_options_exclusions_and_payments(client_for, manager, shipping_setup):
    response = client_for(manager).get(
        "/store/alpha/shipping/simulator/",
        {"sku": ["MUG-1", "SOFA-1"], "qty": ["1", "1"], "country": "DE", "postal_code": "10115"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Standard: no weight band covers a cart of 16.5 kg" in page
    assert "Express: not for items tagged “oversized” (SOFA-1)" in page
    assert "No payment method is offered for this order." in page


def test_simulator_names_bad_rows(client_for, owner, shipping_setup):
    response = client_for(owner).get(
        "/store/alpha/shipping/simulator/",
        {"sku": ["MUG-1", "NO-SUCH"], "qty": ["0", "1"], "country": "DE"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "The quantity must be at least 1, not 0." in page
    assert "unknown SKU NO-SUCH" in page
    assert 'value="NO-SUCH"' in page


def test_rate_form_shows_field_and_cross_field_errors_in_one_round(
    client_for, owner, shipping_setup
):
    zone = shipping_setup["zone"]

    response = client_for(owner).post(
        f"/store/alpha/shipping/zones/{zone.pk}/rates/new/",
        {
            "name": "Bulky",
            "service": shipping_setup["express"].pk,
            "kind": "flat",
            "price": "abc",
            "min_weight": "10",
            "max_weight": "5",
            "handling_fee": "1.999",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "The price must be a number like 19.90." in page
    assert "The handling fee has more than two decimals" in page
    assert "The maximum weight (5 kg) is below the minimum (10 kg)." in page
    assert not Rate.objects.filter(name="Bulky").exists()


def test_service_form_shows_every_error_at_once(client_for, owner, shipping_setup):
    carrier = shipping_setup["carrier"]

    response = client_for(owner).post(
        f"/store/alpha/shipping/carriers/{carrier.pk}/services/new/",
        {"name": "Cargo", "code": "Bad Code!", "days_min": "5", "days_max": "2"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "The code may hold lowercase letters" in page
    assert "The slowest delivery cannot be faster than the fastest one." in page


def test_zone_form_shows_every_error_at_once(client_for, owner, store):
    response = client_for(owner).post(
        "/store/alpha/shipping/zones/new/",
        {"name": "", "countries": "", "regions": "BE", "postal_exclude": "SW1**"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a name." in page
    assert "Name the country the regions or postal codes belong to." in page
    assert "a prefix ends in one *" in page


def test_a_yen_store_refuses_decimals_in_the_rate_form(client_for, owner, store, shipping_setup):
    store.currency = "JPY"
    store.save()
    zone = shipping_setup["zone"]

    response = client_for(owner).post(
        f"/store/alpha/shipping/zones/{zone.pk}/rates/new/",
        {"name": "Yen", "service": shipping_setup["express"].pk, "kind": "subtotal",
         "bands": "0-5000: 490\n5000-: 4.90"},
    )  # fmt: skip

    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2: JPY prices have no decimals; write the price like 5." in page


def test_simulator_dates_count_from_the_stores_today(
    client_for, owner, store, shipping_setup, monkeypatch
):
    store.timezone = "Asia/Tokyo"
    store.save()
    thursday_night_utc = datetime.datetime(2026, 12, 3, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: thursday_night_utc)  # Friday in Tokyo

    page = (
        client_for(owner)
        .get("/store/alpha/shipping/simulator/", {"sku": ["MUG-1"], "qty": ["1"], "country": "DE"})
        .content.decode()
    )

    assert "Arrives Mon 7 Dec (1–1 business days)" in page  # Express: Friday + 1 business day


def test_simulator_shows_the_owner_a_turned_off_service_apart(
    client_for, owner, store, shipping_setup
):
    services.service_update(
        store=store, actor=owner, service=shipping_setup["express"], name="Express",
        code="dhl-express", days_min=1, days_max=1, is_active=False,
    )  # fmt: skip

    page = (
        client_for(owner)
        .get("/store/alpha/shipping/simulator/", {"sku": ["MUG-1"], "qty": ["1"], "country": "DE"})
        .content.decode()
    )

    assert "Express: its service DHL Express is turned off" in page
    assert "Shoppers are not offered these and are not told why; only you see them here." in page


def test_simulator_says_what_it_does(client_for, owner, shipping_setup):
    page = client_for(owner).get("/store/alpha/shipping/simulator/").content.decode()

    assert "Save with an empty row" not in page
    assert "Nothing is saved or ordered" in page
