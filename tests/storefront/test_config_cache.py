"""The store's checkout config, cached in each process under a version kept in the shared cache
(apps/core/configcache.py): a quote loads the full config at most once, and a change made
anywhere is seen by the next quote."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.catalog.services import category_change, category_create
from apps.core import configcache
from apps.payments import services as payment_services
from apps.shipping import services
from apps.shipping.engine import ShippingConfig
from apps.shipping.models import Rate

QUOTE = "/api/storefront/v1/shipping/quote"
METHODS = "/api/storefront/v1/payment-methods"
BODY = {
    "items": [{"sku": "MUG-1", "quantity": 1}],
    "destination": {"country": "DE", "postal_code": "10115"},
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    configcache.local_forget_all()
    yield
    cache.clear()
    configcache.local_forget_all()


@pytest.fixture
def api(store):
    return Client(headers={"X-Store-Key": store.publishable_key})


def quote(api, body=BODY):
    response = api.post(QUOTE, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def express_price(answer) -> str:
    return next(o["price"] for o in answer["options"] if o["service"] == "dhl-express")


class ConfigLoads:
    """Counts the shipping configs unpickled from the shared cache (the cost that made a quote
    take ~100 ms with 50 zones × 20 rates) and the configs built from the database."""

    def __init__(self):
        self.unpickled = 0
        self.built = 0

    def __enter__(self):
        real_loads = pickle.loads
        real_build = ShippingConfig.build

        def loads(data, *args, **kwargs):
            value = real_loads(data, *args, **kwargs)
            if isinstance(value, ShippingConfig):
                self.unpickled += 1
            return value

        def build(*args, **kwargs):
            self.built += 1
            return real_build(*args, **kwargs)

        self._patches = [
            mock.patch("pickle.loads", loads),
            mock.patch.object(ShippingConfig, "build", build),
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in reversed(self._patches):
            patch.stop()


def test_a_quote_loads_the_full_config_at_most_once(api, shipping_setup):
    quote(api)  # builds the config and stores it in the shared cache
    configcache.local_forget_all()  # a process that has not read it yet

    with ConfigLoads() as loads:
        quote(api)
    assert (loads.unpickled, loads.built) == (1, 0)

    with ConfigLoads() as loads:
        quote(api)
        quote(api)
    assert (loads.unpickled, loads.built) == (0, 0)


def test_payment_methods_do_not_load_the_shipping_config_again(api, shipping_setup):
    quote(api)

    with ConfigLoads() as loads:
        response = api.get(METHODS + "?country=DE&total=20&shipping_service=dhl-standard")
    assert response.status_code == 200
    assert (loads.unpickled, loads.built) == (0, 0)


def test_a_warm_quote_asks_the_shared_cache_once_for_the_version(api, store, shipping_setup):
    quote(api)
    real_get = configcache.cache.get
    keys = []

    def get(key, *args, **kwargs):
        keys.append(key)
        return real_get(key, *args, **kwargs)

    with mock.patch.object(configcache, "cache", mock.Mock(wraps=cache, get=get)):
        quote(api)
    assert keys == [f"storeconfig:version:{store.pk}"]


def test_a_rate_change_is_seen_by_the_next_quote(api, store, owner, shipping_setup):
    assert express_price(quote(api)) == "9.90"

    services.rate_update(
        store=store, actor=owner, rate=Rate.objects.get(name="Express"), name="Express",
        service=shipping_setup["express"], price="11.00", max_weight="30",
    )  # fmt: skip

    assert express_price(quote(api)) == "11.00"


def test_a_change_made_by_another_process_is_seen_through_the_version(api, store, shipping_setup):
    assert express_price(quote(api)) == "9.90"
    # another process changes the rate: its rows and the version in the shared cache change,
    # this process's own copy does not
    Rate.objects.filter(name="Express").update(price=Decimal("12.50"))
    assert express_price(quote(api)) == "9.90"  # nothing told this process yet

    configcache.config_version_bump(store.pk)  # what that process's service call does

    assert express_price(quote(api)) == "12.50"


def test_a_lost_version_rebuilds_instead_of_serving_a_stale_copy(api, store, shipping_setup):
    assert express_price(quote(api)) == "9.90"
    Rate.objects.filter(name="Express").update(price=Decimal("13.00"))

    cache.clear()  # Redis restarted or evicted the keys

    assert express_price(quote(api)) == "13.00"


def test_a_payment_method_change_is_seen_by_the_next_answer(api, store, owner, shipping_setup):
    method = payment_services.method_create(
        store=store, actor=owner, kind="cash_on_delivery", code="cod",
        display_name="Cash on delivery", fee_fixed="2",
    )  # fmt: skip
    url = METHODS + "?country=DE&total=20"
    assert [m["fee"] for m in api.get(url).json()["methods"]] == ["2.00"]

    payment_services.method_update(
        store=store, actor=owner, method=method, kind="cash_on_delivery", code="cod",
        display_name="Cash on delivery", fee_fixed="3",
    )  # fmt: skip

    assert [m["fee"] for m in api.get(url).json()["methods"]] == ["3.00"]


def test_a_renamed_category_shows_in_the_next_quote(api, store, owner, shipping_setup):
    home = category_create(store=store, actor=owner, name="Home")
    services.rate_update(
        store=store, actor=owner, rate=Rate.objects.get(name="Express"), name="Express",
        service=shipping_setup["express"], price="9.90", excluded_categories=[home.pk],
    )  # fmt: skip
    mug = shipping_setup["mug"].product
    mug.category = home
    mug.save()
    reasons = [e["reason"] for e in quote(api)["excluded"]]
    assert any("“Home”" in reason for reason in reasons), reasons

    category_change(store=store, actor=owner, category=home, name="Home & living")

    reasons = [e["reason"] for e in quote(api)["excluded"]]
    assert any("“Home & living”" in reason for reason in reasons), reasons


@pytest.fixture
def home_excluded(store, owner, shipping_setup):
    """Express is not for products in “Home” or any category below it."""
    home = category_create(store=store, actor=owner, name="Home")
    services.rate_update(
        store=store, actor=owner, rate=Rate.objects.get(name="Express"), name="Express",
        service=shipping_setup["express"], price="9.90", excluded_categories=[home.pk],
    )  # fmt: skip
    return home


def express_offered(api) -> bool:
    return any(o["service"] == "dhl-express" for o in quote(api)["options"])


def test_a_warm_quote_reads_the_category_tree_from_the_cache(
    api, store, shipping_setup, home_excluded
):
    quote(api)
    with CaptureQueriesContext(connection) as queries:
        quote(api)
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "catalog_category" not in tables
    assert len(queries.captured_queries) == 1  # the cart's variants


def test_a_category_created_below_an_excluded_one_is_excluded_in_the_next_quote(
    api, store, owner, shipping_setup, home_excluded
):
    assert express_offered(api)  # warms the cached tree before the new category exists

    kitchen = category_create(store=store, actor=owner, name="Kitchen", parent=home_excluded)
    mug = shipping_setup["mug"].product
    mug.category = kitchen
    mug.save()

    assert not express_offered(api)


def test_a_category_moved_below_an_excluded_one_is_excluded_in_the_next_quote(
    api, store, owner, shipping_setup, home_excluded
):
    garden = category_create(store=store, actor=owner, name="Garden")
    mug = shipping_setup["mug"].product
    mug.category = garden
    mug.save()
    assert express_offered(api)

    category_change(store=store, actor=owner, category=garden, name="Garden", parent=home_excluded)

    assert not express_offered(api)
