"""The variant summary on each product (lowest price, tracked stock, in/low/out) is kept by the
database on every write path, so the 100k-product list can sort and filter on it by index."""

from decimal import Decimal

from django.db import connection

from apps.catalog.models import Product, ProductSummary, Variant
from tests.catalog.factories import ProductFactory, VariantFactory


def _summary(product):
    summary = ProductSummary.objects.get(product=product)
    return summary.price_min, summary.stock_total, summary.stock_state


def test_a_product_without_variants_is_out_of_stock(store):
    product = ProductFactory(store=store)

    assert _summary(product) == (None, 0, "out")


def test_variant_inserts_updates_and_deletes_keep_the_summary(store):
    product = ProductFactory(store=store, low_stock_threshold=5)
    cheap = VariantFactory(product=product, price="9.00", stock_quantity=3)
    VariantFactory(product=product, price="12.00", stock_quantity=20)
    assert _summary(product) == (Decimal("9.00"), 23, "low")

    Variant.objects.filter(pk=cheap.pk).update(stock_quantity=30, price="15.00")
    assert _summary(product) == (Decimal("12.00"), 50, "in")

    Variant.objects.filter(product=product).update(stock_quantity=0)
    assert _summary(product) == (Decimal("12.00"), 0, "out")

    Variant.objects.filter(pk=cheap.pk).delete()
    assert _summary(product) == (Decimal("12.00"), 0, "out")


def test_untracked_variants_are_always_sellable_and_not_counted(store):
    product = ProductFactory(store=store)
    VariantFactory(product=product, price="5.00", stock_quantity=0, track_inventory=False)

    assert _summary(product) == (Decimal("5.00"), 0, "in")


def test_a_new_threshold_moves_the_product_between_in_and_low(store):
    product = ProductFactory(store=store, low_stock_threshold=2)
    VariantFactory(product=product, stock_quantity=4)
    assert _summary(product)[2] == "in"

    product.low_stock_threshold = 10
    product.save()

    assert _summary(product)[2] == "low"


def test_deleting_a_product_deletes_its_summary(store):
    product = ProductFactory(store=store)
    VariantFactory(product=product)

    Product.objects.filter(pk=product.pk).delete()

    assert not ProductSummary.objects.filter(product_id=product.pk).exists()


def test_one_statement_over_many_variants_updates_each_product(store):
    products = [ProductFactory(store=store) for _ in range(3)]
    for product in products:
        VariantFactory(product=product, stock_quantity=10, price="10.00")

    with connection.cursor() as cursor:  # as the import's SQL path writes
        cursor.execute(
            "UPDATE catalog_variant SET stock_quantity = 0 WHERE store_id = %s", [store.pk]
        )

    assert [_summary(p)[2] for p in products] == ["out", "out", "out"]


def test_the_list_sorts_by_price_and_stock_with_and_without_a_search(store, owner, client_for):
    for title, stock, price in (
        ("Linen A", 5, "30.00"),
        ("Linen B", 50, "10.00"),
        ("Linen C", 0, "20.00"),
    ):
        VariantFactory(
            product__store=store, product__title=title, stock_quantity=stock, price=price
        )
    client = client_for(owner)
    base = f"/store/{store.handle}/catalog/"

    def titles(**params):
        response = client.get(base, params)
        return [p.title for p in response.context["rows"]]

    assert titles(sort="price") == ["Linen B", "Linen C", "Linen A"]
    assert titles(sort="-stock") == ["Linen B", "Linen A", "Linen C"]
    assert titles(sort="-price", q="linen") == ["Linen A", "Linen C", "Linen B"]
    assert titles(stock="out") == ["Linen C"]


def test_the_import_sql_path_keeps_the_summary(store, owner):
    from apps.catalog.io.bulk import BulkImport
    from apps.catalog.io.columns import COLUMN_NAMES

    headers = ["handle", "title", "sku", "price", "stock_quantity"]
    rows = [
        (2, ["linen-shirt", "Linen shirt", "LS-M", "30.00", "2"]),
        (3, ["linen-shirt", "", "LS-L", "25.00", "40"]),
    ]
    mapping = {name: name for name in headers if name in COLUMN_NAMES}
    with BulkImport(store=store, headers=headers, mapping=mapping) as bulk:
        bulk.stage(rows)
        bulk.check()
        bulk.apply(actor=owner)

    product = Product.objects.get(store=store, handle="linen-shirt")
    assert _summary(product) == (Decimal("25.00"), 42, "low")


def test_a_large_import_refreshes_the_planner_statistics(store, owner, monkeypatch):
    from apps.catalog import services as io_services
    from apps.catalog.io.columns import COLUMN_NAMES

    monkeypatch.setattr(io_services.imports, "STATISTICS_REFRESH_ROWS", 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")
    row = dict.fromkeys(COLUMN_NAMES, "")
    rows = []
    for n in range(3):
        row.update(handle=f"p-{n}", title=f"P {n}", sku=f"P-{n}", price="5.00")
        rows.append([row[name] for name in COLUMN_NAMES])

    io_services.catalog_rows_load(store=store, actor=owner, name="t", rows=rows, total=3)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'catalog_productsummary'"
            " AND analyze_count > 0"
        )
        assert cursor.fetchone()[0] == 1
