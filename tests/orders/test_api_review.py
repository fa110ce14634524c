"""The outside review of issue #7, API side: the store's currency, http(s) image addresses,
tracking numbers with later statuses, malformed list filters and the lines' shape."""

import pytest
from django.test import Client

from apps.accounts import services as account_services
from apps.orders.models import Order
from tests.orders.helpers import make_order, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(store, owner):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="Shop")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _send(client, method, url, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def test_an_order_in_a_currency_the_store_does_not_sell_is_refused(api, store):
    response = _send(api, "post", "/api/v1/orders/", order_body(currency="USD"))

    assert response.status_code == 400
    [message] = response.json()["errors"]["currency"]
    assert "USD" in message and store.currency in message
    assert Order.objects.count() == 0


def test_an_order_without_a_currency_is_in_the_stores(api, store):
    body = order_body()
    del body["currency"]

    response = _send(api, "post", "/api/v1/orders/", body)

    assert response.status_code == 201 and response.json()["currency"] == store.currency


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "ftp://files.example/a.png",
        "//cdn.example/a.png",
        "JAVASCRIPT:alert(1)",
    ],
)
def test_a_line_image_url_that_is_not_http_is_refused(api, url):
    lines = [{"sku": "A", "quantity": 1, "unit_price": "1.00", "image_url": url}]

    response = _send(api, "post", "/api/v1/orders/", order_body(lines=lines, discount_total="0"))

    assert response.status_code == 400
    assert "http" in response.json()["errors"]["lines[0].image_url"][0]
    assert Order.objects.count() == 0


def test_a_line_image_url_over_https_is_kept(api):
    lines = [{"sku": "A", "quantity": 1, "unit_price": "1.00",
              "image_url": "https://cdn.example/a.png"}]  # fmt: skip

    response = _send(api, "post", "/api/v1/orders/", order_body(lines=lines, discount_total="0"))

    assert response.status_code == 201
    assert response.json()["lines"][0]["image_url"] == "https://cdn.example/a.png"


def test_delivered_with_a_tracking_number_keeps_it(api, store):
    order = make_order(store)
    url = f"/api/v1/orders/{order.pk}/"
    _send(api, "patch", url, {"status": "fulfilled"})
    _send(api, "patch", url, {"status": "shipped", "tracking_number": "JJD1"})

    delivered = _send(api, "patch", url, {"status": "delivered", "tracking_number": "JJD2"})

    assert delivered.status_code == 200, delivered.json()
    assert delivered.json()["status"] == "delivered"
    assert delivered.json()["shipping"]["tracking_number"] == "JJD2"


def test_a_tracking_number_with_a_status_that_has_none_is_refused(api, store):
    order = make_order(store, status="placed")

    response = _send(
        api, "patch", f"/api/v1/orders/{order.pk}/", {"status": "paid", "tracking_number": "X1"}
    )

    assert response.status_code == 400
    assert "tracking_number" in response.json()["errors"]
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("placed", "")


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("from=2025-13-01", "from"),
        ("to=yesterday", "to"),
        ("status=teleported", "status"),
        ("channel=carrier-pigeon", "channel"),
        ("country=Germany", "country"),
        ("total_min=ten", "total_min"),
        ("total_max=NaN", "total_max"),
        ("from=2025-03-02&to=2025-03-01", "from"),
    ],
)
def test_a_malformed_list_filter_is_a_400_naming_the_parameter(api, store, query, param):
    make_order(store)

    response = api.get(f"/api/v1/orders/?{query}")

    assert response.status_code == 400, response.content
    assert param in response.json()["errors"]


def test_empty_filters_are_no_filters(api, store):
    make_order(store)

    response = api.get("/api/v1/orders/?status=&from=&channel=")

    assert response.status_code == 200 and len(response.json()["results"]) == 1


def test_lines_sent_as_an_object_say_they_must_be_a_list(api):
    body = order_body(lines={"sku": "A", "quantity": 1, "unit_price": "1.00"})

    response = _send(api, "post", "/api/v1/orders/", body)

    assert response.status_code == 400
    assert "list" in response.json()["errors"]["lines"][0]


def test_a_null_line_is_named_with_its_position(api):
    body = order_body(lines=[{"sku": "A", "quantity": 1, "unit_price": "30.00"}, None])

    response = _send(api, "post", "/api/v1/orders/", body)

    assert response.status_code == 400
    [message] = response.json()["errors"]["lines[1]"]
    assert "empty" in message and "sku" in message
