"""Third review of issue #7 (support search and the order list): dates in the store's time
zone, aliases searchable, the export page's heading and reversed dates, a malformed cursor,
phones kept as text in the CSV, a customer without a name."""

import pytest
from django.test import Client

from apps.accounts import services as account_services
from apps.core.search import global_search
from apps.customers.models import Customer
from apps.orders import selectors, services
from apps.orders.models import OrderExportJob
from apps.orders.selectors import customer_search
from tests.orders.helpers import make_order

pytestmark = pytest.mark.django_db

ORDERS = "/store/alpha/orders/"


@pytest.fixture
def api(store, owner):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="Shop")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# 1. the store's days


def test_search_results_show_the_day_the_order_was_placed_in_the_stores_time_zone(store):
    store.timezone = "America/New_York"
    store.save(update_fields=["timezone"])
    make_order(store, placed_at="2025-03-01T23:30:00-05:00")  # 04:30 on 2 March in UTC

    groups = global_search(store=store, role="owner", query="ada.lovelace@example.com")

    subtitles = [hit.subtitle for group in groups for hit in group.hits]
    assert any("01 Mar 2025" in subtitle for subtitle in subtitles), subtitles
    assert not any("02 Mar 2025" in subtitle for subtitle in subtitles)


def test_the_date_filter_counts_a_late_evening_order_on_the_stores_day(store):
    store.timezone = "America/New_York"
    store.save(update_fields=["timezone"])
    order = make_order(store, placed_at="2025-03-01T23:30:00-05:00")

    def on(day):
        return list(selectors.order_filter(store=store, params={"from": day, "to": day}))

    assert on("2025-03-01") == [order]
    assert on("2025-03-02") == []


# 3. aliases


def _merged(store):
    ada = {"first_name": "Ada", "last_name": "Lovelace"}
    keep = make_order(store, customer={**ada, "email": "ada@new.example", "phone": "+4930111111"})
    old = make_order(store, customer={**ada, "email": "ada@old.example", "phone": "+4930222222"})
    services.customer_merge(store=store, actor="x", keep=keep.customer, duplicate=old.customer)
    return Customer.objects.get(pk=keep.customer_id)


def test_the_old_email_of_a_merged_customer_finds_the_kept_customer(store):
    kept = _merged(store)

    assert [c.pk for c in customer_search(store=store, query="ada@old.example")] == [kept.pk]
    assert [c.pk for c in customer_search(store=store, query="004930222222")] == [kept.pk]
    assert [c.pk for c in customer_search(store=store, query="old.exa")] == [kept.pk]


def test_the_customer_list_finds_a_customer_by_a_merged_email(store, owner, client_for):
    kept = _merged(store)

    page = client_for(owner).get("/store/alpha/customers/", {"q": "ada@old.example"}).text

    assert f"/customers/{kept.pk}/" in page


# 4. the export page's heading


def test_the_export_heading_names_the_chosen_status(store, manager, client_for):
    make_order(store)

    page = client_for(manager).get(ORDERS + "export/", {"status": "shipped"}).text
    plain = client_for(manager).get(ORDERS + "export/").text

    assert "<h1" in page and "Export shipped orders" in page
    assert "<title>Export shipped orders" in page
    assert "Export orders" in plain and "Export shipped" not in plain


# 6. the export page's dates


def test_the_export_page_names_a_start_date_after_the_end_date(store, manager, client_for):
    make_order(store)
    reversed_range = {"from": "2025-03-10", "to": "2025-03-01"}

    page = client_for(manager).get(ORDERS + "export/", reversed_range)
    posted = client_for(manager).post(ORDERS + "export/", reversed_range)

    assert "The start date is after the end date" in page.text
    assert "Every order of the store" not in page.text
    assert posted.status_code == 400
    assert "The start date is after the end date" in posted.text
    assert not OrderExportJob.objects.exists()


# 7. cursor


# "garbage" is no base64; "cD1ub3QtYS1kYXRl" is "p=not-a-date" (was a 500); the last "p=2025-13-45"
@pytest.mark.parametrize("cursor", ["garbage", "cD1ub3QtYS1kYXRl", "cD0yMDI1LTEzLTQ1"])
def test_a_malformed_cursor_is_a_400_naming_it(api, store, cursor):
    make_order(store)

    response = api.get(f"/api/v1/orders/?cursor={cursor}")
    first = api.get("/api/v1/orders/")

    assert first.status_code == 200
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"]["cursor"] == [
        "This cursor is not one the list gave out: start from the first page (no cursor) and "
        "follow the next and previous links."
    ]


# 5. no name


def test_a_customer_without_a_name_shows_no_name_given(store, owner, client_for):
    order = make_order(store, customer={"email": "anon@example.com", "first_name": "",
                                        "last_name": "", "phone": ""},
                       shipping_address={"name": "", "line1": "Hauptstraße 1", "city": "Berlin",
                                         "postal_code": "10115", "country": "DE"})  # fmt: skip
    client = client_for(owner)

    groups = global_search(store=store, role="owner", query="anon@example.com")
    customer_page = client.get(f"/store/alpha/customers/{order.customer_id}/").text
    order_page = client.get(f"{ORDERS}{order.number}/").text

    titles = [hit.title for group in groups for hit in group.hits if "customers" in hit.url]
    assert titles == ["No name given"]
    assert "No name given" in customer_page and "None" not in customer_page
    assert "No name given" in order_page


# 8. the shipping filter


def _ship(service, name, carrier):
    return {"service": service, "name": name, "price": "4.90", "carrier": carrier,
            "tracking_url_template": ""}  # fmt: skip


def test_the_shipping_filter_labels_each_service_by_carrier_and_name(store, owner, client_for):
    make_order(store, shipping=_ship("gls-std", "Standard", "GLS"))
    make_order(store, shipping=_ship("dpd-std", "Standard", "DPD"))
    make_order(store, shipping=_ship("dhl-standard", "DHL Paket", "DHL"))

    choices = selectors.order_filter_choices(store=store)["service"]

    assert choices == [
        ("dhl-standard", "DHL Paket"),  # the carrier already names it
        ("dpd-std", "DPD Standard"),
        ("gls-std", "GLS Standard"),
    ]


def test_the_chosen_shipping_service_shows_as_a_chip_with_its_label(store, owner, client_for):
    make_order(store, shipping=_ship("ups-express", "Express", "UPS"))
    make_order(store)

    page = client_for(owner).get(ORDERS, {"service": "ups-express"}).text

    assert "Shipping: UPS Express" in page
    assert "Shipping: ups-express" not in page
    assert '<option value="ups-express" selected>UPS Express</option>' in page
