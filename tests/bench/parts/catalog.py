"""Catalog pages of the demo store (seed_demo's bulk catalog) through Django's test Client:
server time of the product list, searches, filters and sorts."""

from __future__ import annotations

from django.test import Client

from tests.bench.parts import Bench


def run(bench: Bench) -> None:
    from apps.accounts.models import User
    from apps.catalog.models import Variant
    from apps.core.models import Store

    store = Store.objects.get(handle="demo")
    owner = User.objects.get(email="owner@demo.test")
    variants = Variant.objects.for_store(store).count()
    bench.notes["demo store variants"] = f"{variants:,}"
    sku = Variant.objects.for_store(store).order_by("-pk").values_list("sku", flat=True).first()
    client = Client()
    client.force_login(owner)
    base = f"/store/{store.handle}/catalog/"

    def page(query: str):
        def call():
            response = client.get(base + query)
            assert response.status_code == 200, response.status_code

        return call

    bench.time("product list, first page", page(""))
    bench.time("product search by title word", page("?q=merino"))
    bench.time("product search by SKU", page(f"?q={sku}"))
    bench.time("product list, stock=low", page("?stock=low"))
    bench.time("product list, sorted by price", page("?sort=price"))
