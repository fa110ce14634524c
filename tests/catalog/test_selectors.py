"""product_filter and the other catalog reads: what each GET parameter selects."""

from decimal import Decimal

import pytest

from apps.catalog import selectors
from apps.catalog.models import Product, ProductSummary
from apps.core.selectors import with_count_cap
from tests.catalog.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def _titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


def test_product_filter_searches_title_vendor_sku_and_exact_tag(store):
    ProductFactory(store=store, title="Linen shirt", vendor="Acme")
    ProductFactory(store=store, title="Mug", vendor="Kiln Co.")
    VariantFactory(product__store=store, product__title="Boot", sku="BT-100")
    ProductFactory(store=store, title="Throw", tags=["Gift", "winter"])
    ProductFactory(store=store, title="Giftwrap-free scarf", tags=["gifted"])

    def search(q):
        return _titles(selectors.product_filter(store=store, params={"q": q}))

    assert search("LINEN") == ["Linen shirt"]
    assert search("kiln") == ["Mug"]
    assert search("bt-1") == ["Boot"]
    assert search("gift") == ["Giftwrap-free scarf", "Throw"]  # title contains, tag exact
    assert search("winter") == ["Throw"]
    assert search("100%") == []  # LIKE wildcards are literal


def test_product_filter_is_scoped_to_the_store(store, other_store):
    ProductFactory(store=store, title="Shirt")
    ProductFactory(store=other_store, title="Shirt elsewhere")
    VariantFactory(product__store=other_store, product__title="Other", sku="SHIRT-9")

    assert _titles(selectors.product_filter(store=store, params={"q": "shirt"})) == ["Shirt"]


def test_product_filter_category_includes_subcategories_and_none(store, other_store):
    apparel = CategoryFactory(store=store, name="Apparel")
    shirts = CategoryFactory(store=store, name="Shirts", parent=apparel)
    ProductFactory(store=store, title="In apparel", category=apparel)
    ProductFactory(store=store, title="In shirts", category=shirts)
    ProductFactory(store=store, title="Loose")
    foreign = CategoryFactory(store=other_store)

    def by(value):
        return _titles(selectors.product_filter(store=store, params={"category": value}))

    assert by(str(apparel.pk)) == ["In apparel", "In shirts"]
    assert by(str(shirts.pk)) == ["In shirts"]
    assert by("none") == ["Loose"]
    assert by(str(foreign.pk)) == []
    assert by("garbage") == ["In apparel", "In shirts", "Loose"]


def test_product_filter_stock_states_partition_products(store):
    def product(title, *variants, threshold=5):
        p = ProductFactory(store=store, title=title, low_stock_threshold=threshold)
        for stock, tracked in variants:
            VariantFactory(product=p, stock_quantity=stock, track_inventory=tracked)
        return p

    product("Plenty", (50, True), (20, True))
    product("One size low", (50, True), (2, True))
    product("One size sold out", (50, True), (0, True))
    product("All sold out", (0, True), (0, True))
    product("Untracked", (0, False))
    product("No variants")
    product("At threshold", (5, True))

    def state(value):
        return _titles(selectors.product_filter(store=store, params={"stock": value}))

    assert state("in") == ["Plenty", "Untracked"]
    assert state("low") == ["At threshold", "One size low", "One size sold out"]
    assert state("out") == ["All sold out", "No variants"]


def test_product_filter_combines_status_vendor_and_ignores_unknown_values(store):
    ProductFactory(store=store, title="A", status="active", vendor="Acme")
    ProductFactory(store=store, title="B", status="draft", vendor="Acme")
    ProductFactory(store=store, title="C", status="active", vendor="Kiln")

    params = {"status": "active", "vendor": "Acme", "stock": "bogus", "sort": "x"}
    assert _titles(selectors.product_filter(store=store, params=params)) == ["A"]
    assert _titles(selectors.product_filter(store=store, params={"status": "nope"})) == [
        "A",
        "B",
        "C",
    ]


def test_product_stock_state_in_python_agrees_with_the_filter(store):
    p = ProductFactory(store=store, low_stock_threshold=3)
    VariantFactory(product=p, stock_quantity=3)
    VariantFactory(product=p, stock_quantity=10)
    selectors.product_rows_prefetch([p])

    assert selectors.product_stock_state(p) == "low"
    assert list(selectors.product_filter(store=store, params={"stock": "low"})) == [p]


def test_stored_summary_and_row_values_agree(store):
    p = ProductFactory(store=store)
    VariantFactory(product=p, stock_quantity=4, price="12.00")
    VariantFactory(product=p, stock_quantity=6, price="9.50")
    VariantFactory(product=p, stock_quantity=100, price="20.00", track_inventory=False)

    stored = ProductSummary.objects.get(product=p)
    row = selectors.product_list_queryset(store=store, params={}).get()
    selectors.product_rows_prefetch([row])
    selectors.product_row_values(row)

    assert (stored.stock_total, stored.price_min, stored.stock_state) == (
        10,
        Decimal("9.50"),
        "low",  # 4 is at or below the default threshold of 5
    )
    assert (row.stock_total, row.variant_count, row.price_min, row.price_max) == (
        10,
        3,
        Decimal("9.50"),
        Decimal("20.00"),
    )


def test_product_list_sorts_by_the_computed_columns(store):
    for title, stock, price in (("A", 5, "30.00"), ("B", 50, "10.00"), ("C", 0, "20.00")):
        VariantFactory(
            product__store=store, product__title=title, stock_quantity=stock, price=price
        )
    queryset = selectors.product_list_queryset(store=store, params={})

    assert [p.title for p in queryset.order_by("summary__stock_total")] == ["C", "A", "B"]
    assert [p.title for p in queryset.order_by("-summary__price_min")] == ["A", "C", "B"]


def test_short_search_matches_title_and_sku_prefixes(store):
    ProductFactory(store=store, title="Merino sweater")
    ProductFactory(store=store, title="Warm merino hat")
    ProductFactory(store=store, title="Summer dress")
    VariantFactory(product__store=store, product__title="Boot", sku="ME-1")

    found = _titles(selectors.product_filter(store=store, params={"q": "me"}))

    assert found == ["Boot", "Merino sweater"]


def test_capped_count_stops_at_the_cap(store, django_assert_num_queries):
    for _n in range(5):
        ProductFactory(store=store)
    capped = with_count_cap(Product.objects.filter(store=store), 3)

    with django_assert_num_queries(1):
        assert capped.filter(status="active").count() == 4
    assert with_count_cap(Product.objects.filter(store=store), 10).count() == 5


def test_product_list_queryset_page_costs_a_fixed_number_of_queries(
    store, django_assert_num_queries
):
    for _n in range(30):
        VariantFactory(product__store=store, product__category=CategoryFactory(store=store))

    with django_assert_num_queries(1):
        rows = list(selectors.product_list_queryset(store=store, params={})[:25])
        [row.category for row in rows]
    with django_assert_num_queries(2):  # the SKU lookup, then the page
        list(selectors.product_list_queryset(store=store, params={"q": "product"})[:25])
    with django_assert_num_queries(2):
        selectors.product_rows_prefetch(rows)


def test_category_tree_counts_products_with_subcategories(store, django_assert_num_queries):
    apparel = CategoryFactory(store=store, name="Apparel", position=0)
    shirts = CategoryFactory(store=store, name="Shirts", parent=apparel, position=0)
    CategoryFactory(store=store, name="Home", position=1)
    ProductFactory(store=store, category=shirts)
    ProductFactory(store=store, category=shirts)
    ProductFactory(store=store, category=apparel)

    with django_assert_num_queries(2):
        flat = selectors.category_flat(store=store)

    assert [(n.category.name, n.depth, n.product_count, n.total_count) for n in flat] == [
        ("Apparel", 0, 1, 3),
        ("Shirts", 1, 2, 2),
        ("Home", 0, 0, 0),
    ]
    assert selectors.category_choices(store=store)[1][1] == "Apparel › Shirts"


def test_bulk_price_preview_shows_new_prices_without_changing_them(store):
    v = VariantFactory(product__store=store, price="10.00", compare_at_price="12.00")

    preview = selectors.bulk_price_preview(
        store=store,
        products=Product.objects.filter(pk=v.product_id),
        mode="amount",
        value=Decimal("2.50"),
    )

    change = preview.changes[0]
    assert (preview.product_count, preview.variant_count) == (1, 1)
    assert (change.new_price, change.new_compare_at_price) == (Decimal("12.50"), Decimal("14.50"))
    v.refresh_from_db()
    assert v.price == Decimal("10.00")
