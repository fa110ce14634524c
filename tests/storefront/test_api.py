"""The storefront API's checkout endpoints: shapes, every bad input, key, CORS, limits."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from apps.payments import services as payment_services

QUOTE = "/api/storefront/v1/shipping/quote"
METHODS = "/api/storefront/v1/payment-methods"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(store):
    store.allowed_origins = ["https://shop.example"]
    store.save()
    client = Client(headers={"X-Store-Key": store.publishable_key})
    return client


def post(client, body, **headers):
    return client.post(QUOTE, json.dumps(body), content_type="application/json", headers=headers)


def cart(*items, country="DE", postal_code="10115", **extra):
    return {
        "items": [{"sku": sku, "quantity": qty} for sku, qty in items],
        "destination": {"country": country, "region": "BE", "postal_code": postal_code},
        **extra,
    }


def test_quote_has_the_design_shape(api, shipping_setup):
    response = post(api, cart(("MUG-1", 2)))

    assert response.status_code == 200
    assert response.json() == {
        "options": [
            {
                "carrier": "DHL",
                "service": "dhl-standard",
                "name": "Standard",
                "price": "4.90",
                "currency": "EUR",
                "delivery_days": [2, 4],
            },
            {
                "carrier": "DHL",
                "service": "dhl-express",
                "name": "Express",
                "price": "9.90",
                "currency": "EUR",
                "delivery_days": [1, 1],
            },
        ],
        "excluded": [],
    }


def test_quote_explains_exclusions_and_free_shipping(api, shipping_setup):
    response = post(api, cart(("SOFA-1", 2)))

    body = response.json()
    assert [(o["name"], o["price"]) for o in body["options"]] == []
    assert body["excluded"] == [
        {"name": "Standard", "reason": "Standard: no weight band covers a cart of 32 kg"},
        {"name": "Express", "reason": "Express: not for items tagged “oversized” (SOFA-1)"},
    ]
    response = post(api, cart(("MUG-1", 5)))  # 60.00: over the free-shipping threshold
    assert response.json()["options"][0]["price"] == "0.00"


def test_every_bad_input_is_listed_at_once(api, shipping_setup):
    response = post(
        api,
        {
            "items": [
                {"sku": "NO-SUCH", "quantity": 1},
                {"sku": "MUG-1", "quantity": 0},
                {"sku": "MUG-1", "quantity": -2},
                {"sku": "MUG-1", "quantity": "two"},
            ],
            "destination": {"country": "XX"},
            "currency": "USD",
        },
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "items[0].sku": ["unknown SKU NO-SUCH"],
            "items[1].quantity": ["The quantity must be at least 1, not 0."],
            "items[2].quantity": ["The quantity must be at least 1, not -2."],
            "items[3].quantity": ["The quantity is a whole number, e.g. 2."],
            "destination.country": ["unknown country XX"],
            "currency": ["The store sells in EUR, not USD."],
        },
        "code": "invalid",
    }


def test_postal_code_in_the_wrong_shape(api, store, owner, shipping_setup):
    from apps.shipping import services

    services.zone_create(
        store=store, actor=owner, name="Berlin", countries="DE", postal_include="10000-14999"
    )

    response = post(api, cart(("MUG-1", 1), postal_code="SW1A 1AA"))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "destination.postal_code": [
            "“SW1A 1AA” is not a postal code of Germany: its postal codes are digits, e.g. 10000."
        ]
    }


def test_malformed_bodies(api, shipping_setup):
    response = api.post(QUOTE, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"

    response = post(api, {"items": "MUG-1"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"items", "destination.country"}


def test_no_zone_is_an_explained_empty_answer(api, shipping_setup):
    body = post(api, cart(("MUG-1", 1), country="BR", postal_code="")).json()

    assert body == {
        "options": [],
        "excluded": [{"name": "Shipping", "reason": "The store does not ship to Brazil."}],
    }


def test_unknown_or_missing_key_is_401(shipping_setup):
    response = post(Client(), cart(("MUG-1", 1)))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"

    response = post(Client(headers={"X-Store-Key": "mp_pk_nope"}), cart(("MUG-1", 1)))
    assert response.status_code == 401


def test_another_stores_key_does_not_see_this_stores_skus(other_store, shipping_setup):
    client = Client(headers={"X-Store-Key": other_store.publishable_key})

    response = post(client, cart(("MUG-1", 1)))

    assert response.status_code == 400
    assert response.json()["errors"]["items[0].sku"] == ["unknown SKU MUG-1"]


def test_cors_only_for_the_stores_origins(api, shipping_setup):
    allowed = post(api, cart(("MUG-1", 1)), Origin="https://shop.example")
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example"

    refused = post(api, cart(("MUG-1", 1)), Origin="https://evil.example")
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused

    preflight = Client().options(
        QUOTE,
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "X-Store-Key" in preflight["Access-Control-Allow-Headers"]
    unknown = Client().options(QUOTE, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in unknown


def test_rate_limit_per_key(api, settings, shipping_setup):
    settings.STOREFRONT_RATE = "3/min"

    statuses = [post(api, cart(("MUG-1", 1))).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = post(api, cart(("MUG-1", 1)))
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["code"] == "throttled"


def test_body_size_is_bounded(api, settings, shipping_setup):
    settings.STOREFRONT_MAX_BODY_BYTES = 200
    body = cart(*[(f"SKU-{n}", 1) for n in range(20)])

    response = post(api, body)

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_quote_queries_are_bounded(api, shipping_setup, django_assert_max_num_queries):
    post(api, cart(("MUG-1", 1)))  # warms the key and config caches

    with django_assert_max_num_queries(1):
        assert post(api, cart(("MUG-1", 1), ("SOFA-1", 1))).status_code == 200


@pytest.fixture
def methods(store, owner, shipping_setup):
    payment_services.method_create(
        store=store, actor=owner, kind="card", code="card", display_name="Card",
        gateway="Stripe", fee_fixed="0.25", fee_percent="2.9", gateway_secret="sk_live_secret",
    )  # fmt: skip
    payment_services.method_create(
        store=store, actor=owner, kind="cash_on_delivery", code="cod",
        display_name="Cash on delivery", max_total="100", countries="DE",
        shipping_service_codes=["dhl-express"], instructions="Pay the courier.",
    )  # fmt: skip


def test_payment_methods_have_the_design_shape(api, methods):
    response = api.get(METHODS, {"country": "DE", "total": "49.90", "currency": "EUR"})

    assert response.status_code == 200
    assert response.json() == {
        "methods": [
            {
                "code": "card",
                "name": "Card",
                "kind": "card",
                "fee": "1.70",
                "currency": "EUR",
                "instructions": "",
                "test_mode": False,
            },
            {
                "code": "cod",
                "name": "Cash on delivery",
                "kind": "cash_on_delivery",
                "fee": "0.00",
                "currency": "EUR",
                "instructions": "Pay the courier.",
                "test_mode": False,
            },
        ],
        "excluded": [],
    }
    assert "sk_live_secret" not in response.content.decode()


def test_payment_methods_explain_exclusions(api, methods):
    body = api.get(
        METHODS, {"country": "DE", "total": "149.90", "shipping_service": "dhl-standard"}
    ).json()

    assert body["excluded"] == [
        {
            "name": "Cash on delivery",
            "reason": "Cash on delivery: only for orders up to €100.00; this one is €149.90",
        }
    ]
    body = api.get(
        METHODS, {"country": "DE", "total": "49", "shipping_service": "dhl-standard"}
    ).json()
    assert body["excluded"][0]["reason"] == "Cash on delivery: only with shipping by DHL Express"


def test_payment_methods_bad_query(api, methods):
    response = api.get(
        METHODS, {"country": "ZZ", "total": "-1", "currency": "GBP", "shipping_service": "x"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "country": ["unknown country ZZ"],
        "total": ["The order total cannot be negative."],
        "currency": ["The store sells in EUR, not GBP."],
        "shipping_service": ["unknown shipping service x"],
    }


def test_a_turned_off_method_is_not_shown_to_shoppers(api, store, owner, methods):
    payment_services.method_create(
        store=store, actor=owner, kind="paypal", code="paypal", display_name="PayPal",
        is_enabled=False,
    )  # fmt: skip

    body = api.get(METHODS, {"country": "DE", "total": "20"}).json()

    assert "PayPal" not in json.dumps(body)


def test_a_deeply_nested_body_is_a_400_in_the_error_shape(api, shipping_setup):
    body = "[" * 30_000 + "]" * 30_000  # under the body bound, deeper than any parser goes

    response = api.post(QUOTE, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "errors": {"non_field_errors": ["The body nests deeper than 32 levels."]},
        "code": "parse_error",
    }


def test_a_turned_off_service_is_simply_not_offered(api, store, owner, shipping_setup):
    from apps.shipping import services

    express = shipping_setup["express"]
    services.service_update(
        store=store, actor=owner, service=express, name="Express", code="dhl-express",
        days_min=1, days_max=1, is_active=False,
    )  # fmt: skip

    body = post(api, cart(("MUG-1", 1))).json()

    assert [option["name"] for option in body["options"]] == ["Standard"]
    assert body["excluded"] == []


def test_order_totals_follow_the_money_rule_of_the_stores_currency(api, store, methods):
    response = api.get(METHODS, {"country": "DE", "total": "49.999"})
    assert response.json()["errors"] == {
        "total": ["The order total has more than two decimals; write it like 19.90."]
    }

    store.currency = "JPY"
    store.save()
    cache.clear()
    response = api.get(METHODS, {"country": "DE", "total": "4990.5"})
    assert response.json()["errors"] == {
        "total": ["JPY prices have no decimals; write the order total like 4991."]
    }
    assert api.get(METHODS, {"country": "DE", "total": "4990"}).status_code == 200


@pytest.mark.parametrize("currency", [5, ["EUR"], {"code": "EUR"}])
def test_a_currency_that_is_not_text_is_named_plainly(api, shipping_setup, currency):
    response = post(api, cart(("MUG-1", 1), currency=currency))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "currency": ["Give the currency as a three-letter code, e.g. EUR."]
    }
