"""Tenancy: a user of store A can reach nothing of store B's, through any URL.

The test enumerates the URL patterns itself, so every page and API endpoint added later is
covered without editing it. A pattern whose object parameter it can't resolve fails loudly
(name the parameter after its model, e.g. ``<int:product_id>``, or add an alias below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.accounts.models import ApiKey, Invitation, Membership
from tests.factories import MembershipFactory, StoreFactory, UserFactory

# parameter name (without "_id") -> app_label.ModelName, where the name alone doesn't say it
ALIASES = {
    "api_key": "accounts.ApiKey",
    "key": "accounts.ApiKey",
    "import": "catalog.ImportJob",
    "import_job": "catalog.ImportJob",
    "job": "catalog.ImportJob",
    "export": "catalog.ExportJob",
    "order_export": "orders.OrderExportJob",
    "image": "catalog.ProductImage",
    "movement": "catalog.InventoryMovement",
    "entry": "audit.AuditEntry",
    "service": "shipping.CarrierService",
    "method": "payments.PaymentMethod",
}


@dataclass
class Route:
    name: str
    path: str
    params: list[str]
    callback: object


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = ":".join(filter(None, [namespace, ns])) if ns else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield prefix + str(entry.pattern), name, entry


def _params(path: str) -> list[str]:
    route_params = re.findall(r"<(?:\w+:)?(\w+)>", path)
    regex_params = re.findall(r"\(\?P<(\w+)>", path)
    return route_params + regex_params


def store_scoped_routes() -> list[Route]:
    routes = []
    for path, name, entry in _walk(get_resolver().url_patterns):
        params = _params(path)
        if "format" in params:  # DRF's format-suffix twins of the same views
            continue
        is_store_page = "handle" in params
        is_api = path.startswith("api/v1/") or path.startswith("^api/v1/")
        if not (is_store_page or (is_api and params)):
            continue
        assert name, f"URL pattern {path!r} has no name; every store-scoped URL needs one"
        routes.append(Route(name=name, path=path, params=params, callback=entry.callback))
    return routes


def _model_for(param: str, route: Route):
    if param == "pk":
        view_class = getattr(route.callback, "cls", None)
        queryset = getattr(view_class, "queryset", None)
        if queryset is not None:
            return queryset.model
        basename = route.name.split(":")[-1].rsplit("-", 1)[0].replace("-", "")
        param = basename
    base = re.sub(r"_(id|pk)$", "", param)
    if base in ALIASES:
        return apps.get_model(ALIASES[base])
    compact = base.replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == compact and any(f.name == "store" for f in model._meta.fields):
            return model
    raise AssertionError(
        f"{route.name}: can't tell which model the URL parameter <{param}> names; "
        f"name it <int:modelname_id> or add it to ALIASES in {__file__}"
    )


@pytest.fixture
def world(db):
    """Store A with its owner; store B with one object of every store-owned kind."""
    store_a = StoreFactory(handle="store-a", name="Store A")
    store_b = StoreFactory(handle="store-b", name="Store B")
    user_a = UserFactory(email="a@a.test")
    MembershipFactory(user=user_a, store=store_a, role="owner")
    user_b = UserFactory(email="b@b.test")
    MembershipFactory(user=user_b, store=store_b, role="owner")
    _create_one_of_everything(store_b, user_b)
    return store_a, store_b, user_a


def _create_one_of_everything(store, user):
    from decimal import Decimal

    from apps.audit.services import audit_record
    from apps.catalog.models import (
        BulkJob,
        Category,
        ExportJob,
        ImportJob,
        InventoryMovement,
        Product,
        Variant,
    )

    Invitation.objects.create(
        store=store,
        email="x@b.test",
        role="support",
        token_hash="0" * 64,
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    ApiKey.objects.create(store=store, name="B key", prefix="bbbbbbbb", key_hash="1" * 64)
    category = Category.objects.create(store=store, name="B things", slug="b-things")
    product = Product.objects.create(
        store=store, title="B shirt", handle="b-shirt", category=category
    )
    variant = Variant.objects.create(store=store, product=product, sku="B-1", price=Decimal("9"))
    InventoryMovement.objects.create(
        store=store, variant=variant, delta=1, quantity_after=1, reason="received"
    )
    ImportJob.objects.create(store=store, original_name="b.csv", file_format="csv", file="b.csv")
    BulkJob.objects.create(store=store, action="archive", product_ids=[product.pk], total=1)
    ExportJob.objects.create(store=store, file_format="csv", params={})
    audit_record(store=store, actor=user, action="test", target=product)
    _create_images(store, product)
    _create_checkout_settings(store)
    _create_orders(store)


def _create_orders(store):
    from apps.orders.models import OrderExportJob
    from tests.orders.helpers import make_order

    make_order(store)
    OrderExportJob.objects.create(store=store, params={})


def _create_checkout_settings(store):
    from apps.payments.models import PaymentMethod
    from apps.shipping.models import Carrier, CarrierService, Rate, Zone

    carrier = Carrier.objects.create(store=store, name="B carrier")
    service = CarrierService.objects.create(store=store, carrier=carrier, name="B", code="b")
    zone = Zone.objects.create(store=store, name="B zone", countries=["DE"])
    Rate.objects.create(store=store, zone=zone, service=service, name="B rate")
    PaymentMethod.objects.create(store=store, kind="paypal", code="b", display_name="B pay")


def _create_images(store, product):
    from apps.catalog.models import ProductImage

    ProductImage.objects.create(store=store, product=product, image="b.png", alt_text="B")


def _object_id(model, store, route, field: str = "pk") -> int:
    if model is Membership:
        row = Membership.objects.filter(store=store).first()
    else:
        row = model.objects.filter(store=store).first()
    assert row is not None, (
        f"{route.name}: store B has no {model.__name__}; create one in "
        f"_create_one_of_everything() in {__file__}"
    )
    return getattr(row, field)


def _kwargs(route: Route, handle: str, store_b) -> dict:
    kwargs = {}
    for param in route.params:
        if param == "handle":
            kwargs[param] = handle
        elif param == "number":  # an order's address names it by its number in the store
            kwargs[param] = _object_id(apps.get_model("orders.Order"), store_b, route, "number")
        else:
            kwargs[param] = _object_id(_model_for(param, route), store_b, route)
    return kwargs


def test_the_enumeration_finds_the_store_pages():
    names = {route.name for route in store_scoped_routes()}

    assert {
        "core:home",
        "accounts:store-settings",
        "accounts:staff-list",
        "audit:audit-list",
    } <= names


def test_store_b_pages_are_404_for_a_user_of_store_a(world, client_for):
    store_a, store_b, user_a = world
    client = client_for(user_a)
    failures = []
    for route in store_scoped_routes():
        if "handle" not in route.params:
            continue
        url = reverse(route.name, kwargs=_kwargs(route, store_b.handle, store_b))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                failures.append(f"{method.upper()} {url} ({route.name}) -> {status}")

    assert failures == []


def test_store_b_objects_are_404_through_store_a(world, client_for):
    """Store A's own pages and API, with store B's object ids: still 404."""
    store_a, store_b, user_a = world
    client = client_for(user_a)
    failures = []
    for route in store_scoped_routes():
        if set(route.params) <= {"handle"}:
            continue
        url = reverse(route.name, kwargs=_kwargs(route, store_a.handle, store_b))
        headers = {"HTTP_X_STORE": store_a.handle}
        # the first method the URL accepts (a 405 means: try the next one)
        for method in ("get", "post", "patch", "put", "delete"):
            response = getattr(client, method)(url, **headers)
            if response.status_code != 405:
                break
        if response.status_code != 404:
            failures.append(f"{url} ({route.name}) -> {response.status_code}")

    assert failures == []


def test_store_time_zone_does_not_leak_into_the_next_request(world, client_for):
    from django.utils import timezone as django_timezone

    store_a, _store_b, user_a = world
    store_a.timezone = "Asia/Tokyo"
    store_a.save()
    client = client_for(user_a)

    client.get(f"/store/{store_a.handle}/")

    assert django_timezone.get_current_timezone_name() == "UTC"


PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:invitation-accept",
    "core:health",
    "schema",
    "swagger-ui",
}


def test_every_page_and_endpoint_needs_a_login_except_the_public_ones(world):
    """Anonymous requests are sent to log in (pages) or refused (API) everywhere else."""
    _store_a, store_b, _user_a = world
    client = Client()
    failures = []
    checked = 0
    for path, name, entry in _walk(get_resolver().url_patterns):
        params = _params(path)
        if not name or name in PUBLIC_URL_NAMES or "format" in params:
            continue
        route = Route(name=name, path=path, params=params, callback=entry.callback)
        if any(p not in {"handle"} and not p.endswith(("_id", "pk")) for p in params):
            continue  # e.g. <uidb64>/<token> of the public reset link
        url = reverse(name, kwargs=_kwargs(route, store_b.handle, store_b))
        checked += 1
        for method in ("get", "post", "patch", "put", "delete"):
            response = getattr(client, method)(url)
            if response.status_code != 405:
                break
        redirected_to_login = response.status_code == 302 and response["Location"].startswith(
            "/login/"
        )
        if not (redirected_to_login or response.status_code in (401, 403)):
            failures.append(f"{method.upper()} {url} ({name}) -> {response.status_code}")

    assert checked > 40
    assert failures == []
