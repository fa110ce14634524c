"""Shared by the tests that visit every page (titles, breadcrumbs, wording)."""

import pytest

from apps.accounts import services as account_services
from apps.catalog.models import ImportJob
from apps.core import portal
from apps.payments import services as payment_services
from apps.shipping import services as shipping_services
from apps.shipping.models import ShippingImportJob
from tests.catalog.factories import CategoryFactory, ProductFactory, VariantFactory
from tests.orders.helpers import make_order


@pytest.fixture
def values(store, owner):
    product = ProductFactory(store=store, title="Tee")
    variant = VariantFactory(product=product, sku="TEE-M")
    category = CategoryFactory(store=store, name="Shirts")
    api_key, _raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    invitation, token = account_services.invitation_create(
        store=store, invited_by=owner, email="new@alpha.test", role="manager"
    )
    job = ImportJob.objects.create(store=store, original_name="products.csv")
    carrier = shipping_services.carrier_create(store=store, actor=owner, name="DHL")
    service = shipping_services.service_create(
        store=store, actor=owner, carrier=carrier, name="Standard", code="dhl", days_min=1,
        days_max=2,
    )  # fmt: skip
    zone = shipping_services.zone_create(store=store, actor=owner, name="Germany", countries="DE")
    rate = shipping_services.rate_create(
        store=store, actor=owner, zone=zone, service=service, price="4.90"
    )
    order = make_order(store)
    method = payment_services.method_create(
        store=store, actor=owner, kind="paypal", code="paypal", display_name="PayPal"
    )
    return {
        "number": order.number,
        "order_id": order.pk,
        "customer_id": order.customer_id,
        "handle": store.handle,
        "product_id": product.pk,
        "variant_id": variant.pk,
        "category_id": category.pk,
        "job_id": job.pk,
        "bulk_job_id": 0,
        "membership_id": owner.memberships.get().pk,
        "api_key_id": api_key.pk,
        "invitation_id": invitation.pk,
        "image_id": 0,  # POST-only actions on an image
        "export_id": 0,
        "token": token,
        "uidb64": "MQ",
        "path": "x",
        "carrier_id": carrier.pk,
        "service_id": service.pk,
        "zone_id": zone.pk,
        "rate_id": rate.pk,
        "method_id": method.pk,
        # a checked zones-and-rates import: its page is the dry run
        "import_id": ShippingImportJob.objects.create(
            store=store, original_name="zones.csv", status="checked", summary={"rows": 1}
        ).pk,
    }


@pytest.fixture
def contribute():
    """``contribute(item)``: register ``item`` with the portal for this test only."""
    added = []

    def add(item):
        added.append(portal.register(item))
        return item

    yield add
    for item in added:
        portal.unregister(item)
