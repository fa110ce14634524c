import factory

from apps.catalog.models import Category, InventoryMovement, Product, Variant
from tests.factories import StoreFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    position = factory.Sequence(lambda n: n)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    handle = factory.Sequence(lambda n: f"product-{n}")
    status = "active"
    vendor = "Acme"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    store = factory.SelfAttribute("product.store")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = "19.90"
    stock_quantity = 20
    track_inventory = True


class InventoryMovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryMovement

    variant = factory.SubFactory(VariantFactory)
    store = factory.SelfAttribute("variant.store")
    delta = 5
    quantity_after = 5
    reason = "received"
