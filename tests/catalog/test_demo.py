"""The demo catalog: a tree, products with variants, low and sold-out stock, images, history."""

import io
import random

import pytest

from apps.catalog import demo
from apps.catalog.models import Category, InventoryMovement, Product, ProductImage, Variant
from apps.core.demo import DemoContext, Progress


def _seed(store, owner, seed=7):
    context = DemoContext(
        rng=random.Random(seed), scale="small", progress=Progress(stream=io.StringIO())
    )
    context.stores["main"] = store
    context.users["owner"] = owner
    demo.seed(context)
    return context


@pytest.fixture
def small_demo(monkeypatch):
    monkeypatch.setattr(demo, "PRODUCTS_PER_SCALE", 40)
    monkeypatch.setattr(demo, "IMAGES", 2)


@pytest.mark.usefixtures("small_demo")
def test_demo_catalog_has_a_tree_variants_stock_states_and_images(store, owner):
    _seed(store, owner)

    apparel = Category.objects.get(store=store, name="Apparel")
    assert sorted(apparel.children.values_list("name", flat=True)) == [
        "Knitwear",
        "Shirts",
        "Trousers",
    ]
    assert Product.objects.for_store(store).count() == 40
    variants = Variant.objects.for_store(store)
    assert variants.count() > 80
    assert variants.filter(track_inventory=True, stock_quantity=0).exists()
    assert variants.filter(track_inventory=True, stock_quantity__range=(1, 5)).exists()
    assert variants.filter(compare_at_price__isnull=False).exists()
    assert ProductImage.objects.for_store(store).exclude(thumbnail="").count() >= 2
    assert InventoryMovement.objects.for_store(store).exclude(note="Opening stock").count() > 0


@pytest.mark.usefixtures("small_demo")
def test_demo_catalog_is_deterministic(store, other_store, owner, make_member):
    other_owner = make_member(other_store, "owner")
    _seed(store, owner)
    _seed(other_store, other_owner)

    def catalog(s):
        return list(
            Variant.objects.for_store(s)
            .order_by("sku")
            .values_list("sku", "price", "stock_quantity", "product__title", "product__status")
        )

    assert catalog(store) == catalog(other_store)
