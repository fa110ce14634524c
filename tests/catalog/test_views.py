"""Catalog pages: permissions, the product list (partials, query count), forms, bulk, stock."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.catalog.models import Category, InventoryMovement, Product, ProductImage, Variant
from tests.catalog.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

BASE = "/store/alpha/catalog/"


def _form_data(**overrides):
    data = {
        "title": "Linen shirt",
        "handle": "",
        "description": "",
        "status": "active",
        "category": "",
        "vendor": "Acme",
        "tags": "summer, linen",
        "option1_name": "Size",
        "option2_name": "",
        "low_stock_threshold": "5",
        "seo_title": "",
        "seo_description": "",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "1000",
    }
    for index, (size, sku) in enumerate((("M", "LS-M"), ("L", "LS-L"))):
        data.update(
            {
                f"variants-{index}-id": "",
                f"variants-{index}-option1": size,
                f"variants-{index}-option2": "",
                f"variants-{index}-sku": sku,
                f"variants-{index}-price": "39.90",
                f"variants-{index}-compare_at_price": "",
                f"variants-{index}-cost": "",
                f"variants-{index}-stock_quantity": "3",
                f"variants-{index}-track_inventory": "on",
                f"variants-{index}-weight": "",
                f"variants-{index}-weight_unit": "g",
                f"variants-{index}-barcode": "",
            }
        )
    data.update(overrides)
    return data


# --- permissions ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["", "products/new/", "categories/", "low-stock/"], ids=["list", "new", "cat", "low"]
)
def test_support_role_gets_403_on_catalog_pages(store, support, client_for, path):
    response = client_for(support).get(BASE + path)

    assert response.status_code == 403


def test_support_role_cannot_post_a_product(store, support, client_for):
    response = client_for(support).post(BASE + "products/new/", _form_data())

    assert response.status_code == 403
    assert not Product.objects.exists()


def test_another_stores_objects_are_404(store, other_store, owner, client_for):
    foreign = VariantFactory(product__store=other_store)
    foreign_category = CategoryFactory(store=other_store)
    client = client_for(owner)

    assert client.get(f"{BASE}products/{foreign.product_id}/").status_code == 404
    assert client.get(f"{BASE}variants/{foreign.pk}/").status_code == 404
    response = client.post(f"{BASE}products/{foreign.product_id}/delete/")
    assert response.status_code == 404
    response = client.post(f"{BASE}categories/{foreign_category.pk}/delete/")
    assert response.status_code == 404
    assert Product.objects.filter(pk=foreign.product_id).exists()


def test_a_store_the_user_is_not_in_is_404(other_store, owner, client_for):
    assert client_for(owner).get("/store/bravo/catalog/").status_code == 404


# --- list -----------------------------------------------------------------------------------------
def test_empty_catalog_offers_the_first_product(store, owner, client_for):
    response = client_for(owner).get(BASE)

    assert response.status_code == 200
    assert "Add your first product" in response.text


def test_product_list_searches_by_sku_and_filters_by_stock(store, owner, client_for):
    VariantFactory(
        product__store=store, product__title="Linen shirt", sku="LIN-1", stock_quantity=0
    )
    VariantFactory(product__store=store, product__title="Wool sweater", sku="WOO-1")

    by_sku = client_for(owner).get(BASE, {"q": "lin-1"})
    out = client_for(owner).get(BASE, {"stock": "out"})

    assert "Linen shirt" in by_sku.text and "Wool sweater" not in by_sku.text
    assert "Linen shirt" in out.text and "Wool sweater" not in out.text
    assert "Stock: Out of stock" in out.text  # the filter chip


def test_product_list_htmx_request_returns_only_the_table(store, owner, client_for):
    VariantFactory(product__store=store, product__title="Linen shirt")

    response = client_for(owner).get(BASE, {"sort": "title"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="product-table"')
    assert "<html" not in response.text
    assert "Linen shirt" in response.text


def test_product_list_query_count_does_not_grow_with_rows(
    store, owner, client_for, django_assert_num_queries
):
    client = client_for(owner)
    category = CategoryFactory(store=store)
    for _n in range(2):
        VariantFactory(product__store=store, product__category=category)
    client.get(BASE)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for _n in range(20):
        product = ProductFactory(store=store, category=category, tags=["x"])
        VariantFactory(product=product)
        VariantFactory(product=product)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(BASE)
    with django_assert_num_queries(len(few.captured_queries) + 1):  # + the SKU lookup
        searched = client.get(BASE, {"q": "product"})

    assert response.status_code == 200
    assert response.text.count("data-product=") == 22
    assert searched.text.count("data-product=") == 22  # every factory title has "Product"


def test_every_column_sorts(store, owner, client_for):
    VariantFactory(product__store=store)
    client = client_for(owner)
    for key in ("title", "status", "category", "vendor", "stock", "price", "updated"):
        for sort in (key, f"-{key}"):
            assert client.get(BASE, {"sort": sort}).status_code == 200


# --- product form ---------------------------------------------------------------------------------
def test_product_create_form_saves_product_with_two_variants(store, owner, client_for):
    response = client_for(owner).post(BASE + "products/new/", _form_data())

    product = Product.objects.get(store=store)
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}products/{product.pk}/"
    assert (product.title, product.handle, product.tags) == (
        "Linen shirt",
        "linen-shirt",
        ["summer", "linen"],
    )
    rows = list(
        product.variants.order_by("position").values_list("sku", "option_values", "stock_quantity")
    )
    assert rows == [("LS-M", {"Size": "M"}, 3), ("LS-L", {"Size": "L"}, 3)]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"variants-1-price": "-1"}, "The price cannot be negative."),
        ({"variants-1-compare_at_price": "10"}, "The compare-at price must be at least the price"),
        ({"variants-1-stock_quantity": "-4"}, "Stock cannot be negative."),
        ({"variants-1-sku": "LS-M"}, "The SKU LS-M is used by another row of this product."),
        ({"variants-1-sku": "TAKEN"}, "The SKU TAKEN is already used by"),
        ({"handle": "taken-handle"}, "Another product already uses the handle"),
        ({"handle": "Not a slug!"}, "Use only lowercase letters, digits and hyphens."),
        ({"category": "999999"}, "This category does not exist in this store; pick one."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_product_form_shows_errors_inline_and_saves_nothing(
    store, owner, client_for, overrides, message
):
    VariantFactory(product__store=store, product__handle="taken-handle", sku="TAKEN")

    response = client_for(owner).post(BASE + "products/new/", _form_data(**overrides))

    assert response.status_code == 400
    assert message in response.text
    assert 'class="field-error"' in response.text
    assert Product.objects.for_store(store).count() == 1


def test_product_edit_form_updates_variant_and_records_stock_change(store, owner, client_for):
    product = ProductFactory(store=store, title="Mug")
    variant = VariantFactory(product=product, sku="MUG-1", stock_quantity=5)
    data = _form_data(
        title="Big mug",
        **{
            "variants-TOTAL_FORMS": "1",
            "variants-INITIAL_FORMS": "1",
            "variants-0-id": str(variant.pk),
            "variants-0-sku": "MUG-1",
            "variants-0-price": "12.50",
            "variants-0-stock_quantity": "9",
        },
    )

    response = client_for(owner).post(f"{BASE}products/{product.pk}/", data)

    assert response.status_code == 302
    variant.refresh_from_db()
    assert (variant.price, variant.stock_quantity) == (Decimal("12.50"), 9)
    movement = InventoryMovement.objects.get(variant=variant)
    assert (movement.delta, movement.reason, movement.actor) == (4, "correction", owner)


def test_product_edit_page_shows_variants_and_images(store, owner, client_for):
    variant = VariantFactory(product__store=store, product__title="Mug", sku="MUG-1")

    response = client_for(owner).get(f"{BASE}products/{variant.product_id}/")

    assert response.status_code == 200
    assert 'value="MUG-1"' in response.text
    assert "Add an image" in response.text
    assert f"{BASE}variants/{variant.pk}/" in response.text


def test_product_delete_is_confirmed_and_removes_it(store, owner, client_for):
    product = ProductFactory(store=store)
    client = client_for(owner)

    page = client.get(f"{BASE}products/{product.pk}/")
    response = client.post(f"{BASE}products/{product.pk}/delete/")

    assert 'data-confirm="Delete' in page.text
    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()


# --- images ---------------------------------------------------------------------------------------
def test_image_upload_and_bad_type(store, owner, client_for, png_bytes):
    product = ProductFactory(store=store)
    client = client_for(owner)

    good = client.post(
        f"{BASE}products/{product.pk}/images/",
        {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png"), "alt_text": "Front"},
    )
    bad = client.post(
        f"{BASE}products/{product.pk}/images/",
        {"image": SimpleUploadedFile("a.png", b"hello", "image/png")},
    )

    assert good.status_code == 302
    assert bad.status_code == 400
    assert "not an image we can read" in bad.text
    assert list(ProductImage.objects.values_list("alt_text", flat=True)) == ["Front"]


# --- bulk -----------------------------------------------------------------------------------------
def test_bulk_archive_all_matching_the_filter(store, owner, client_for):
    for title in ("Linen shirt", "Linen trousers"):
        ProductFactory(store=store, title=title, status="active")
    ProductFactory(store=store, title="Mug", status="active")

    response = client_for(owner).post(
        BASE + "products/bulk/", {"action": "archive", "scope": "all", "q": "linen"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{BASE}?q=linen"
    statuses = dict(Product.objects.values_list("title", "status"))
    assert statuses == {"Linen shirt": "archived", "Linen trousers": "archived", "Mug": "active"}


def test_bulk_on_selected_ids_ignores_other_stores(store, other_store, owner, client_for):
    mine = ProductFactory(store=store, status="draft")
    theirs = ProductFactory(store=other_store, status="draft")

    client_for(owner).post(
        BASE + "products/bulk/",
        {"action": "activate", "scope": "selected", "ids": [mine.pk, theirs.pk]},
    )

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("active", "draft")


def test_bulk_price_change_shows_a_preview_then_applies(store, owner, client_for):
    variant = VariantFactory(product__store=store, price="10.00", sku="P-1")
    client = client_for(owner)
    data = {
        "action": "adjust_price",
        "scope": "selected",
        "ids": [variant.product_id],
        "mode": "percent",
        "value": "-10",
    }

    preview = client.post(BASE + "products/bulk/", data)
    variant.refresh_from_db()
    price_after_preview = variant.price
    applied = client.post(BASE + "products/bulk/", {**data, "confirmed": "on"})

    assert preview.status_code == 200
    assert "Preview price change" in preview.text
    assert "€9.00" in preview.text
    assert price_after_preview == Decimal("10.00")
    assert applied.status_code == 302
    variant.refresh_from_db()
    assert variant.price == Decimal("9.00")


def test_bulk_without_selection_explains(store, owner, client_for):
    ProductFactory(store=store)

    response = client_for(owner).post(BASE + "products/bulk/", {"action": "archive"}, follow=True)

    assert "Select at least one product" in response.text


# --- stock ----------------------------------------------------------------------------------------
def test_stock_adjust_page_records_and_lists_the_movement(store, owner, client_for):
    variant = VariantFactory(product__store=store, stock_quantity=4)
    client = client_for(owner)

    response = client.post(
        f"{BASE}variants/{variant.pk}/", {"delta": "-3", "reason": "damaged", "note": "Water"}
    )
    page = client.get(f"{BASE}variants/{variant.pk}/")

    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.stock_quantity == 1
    assert "Damaged or lost" in page.text and "Water" in page.text and "Ada Owner" in page.text


def test_stock_adjust_page_refuses_negative_stock_inline(store, owner, client_for):
    variant = VariantFactory(product__store=store, stock_quantity=2)

    response = client_for(owner).post(
        f"{BASE}variants/{variant.pk}/", {"delta": "-5", "reason": "sold"}
    )

    assert response.status_code == 400
    assert "Only 2 in stock" in response.text
    variant.refresh_from_db()
    assert variant.stock_quantity == 2


def test_low_stock_page_lists_low_tracked_variants_only(store, owner, client_for):
    product = ProductFactory(store=store, low_stock_threshold=5)
    VariantFactory(product=product, sku="LOW-1", stock_quantity=2)
    VariantFactory(product=product, sku="FULL-1", stock_quantity=50)
    VariantFactory(product=product, sku="UNTRACKED", stock_quantity=0, track_inventory=False)

    response = client_for(owner).get(BASE + "low-stock/")

    assert "LOW-1" in response.text
    assert "FULL-1" not in response.text and "UNTRACKED" not in response.text


# --- categories -----------------------------------------------------------------------------------
def test_category_page_creates_moves_and_counts(store, owner, client_for):
    client = client_for(owner)
    client.post(BASE + "categories/new/", {"name": "Apparel", "parent": ""})
    apparel = Category.objects.get(store=store, name="Apparel")
    client.post(BASE + "categories/new/", {"name": "Shirts", "parent": str(apparel.pk)})
    shirts = Category.objects.get(store=store, name="Shirts")
    ProductFactory(store=store, category=shirts)
    ProductFactory(store=store, category=apparel)
    home = CategoryFactory(store=store, name="Home", position=5)

    client.post(f"{BASE}categories/{home.pk}/move/", {"direction": "up"})
    page = client.get(BASE + "categories/")

    assert page.text.index("Home") < page.text.index("Apparel")
    assert "2 <small" in page.text  # Apparel counts its subcategory's product


def test_category_create_with_empty_name_shows_the_error(store, owner, client_for):
    response = client_for(owner).post(BASE + "categories/new/", {"name": ""})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Category.objects.exists()


def test_variant_rows_can_be_removed_from_the_form(store, owner, client_for):
    product = ProductFactory(store=store)
    keep = VariantFactory(product=product, sku="KEEP")
    drop = VariantFactory(product=product, sku="DROP")
    data = _form_data(
        **{
            "variants-INITIAL_FORMS": "2",
            "variants-0-id": str(keep.pk),
            "variants-0-sku": "KEEP",
            "variants-1-id": str(drop.pk),
            "variants-1-sku": "DROP",
            "variants-1-DELETE": "on",
        }
    )

    response = client_for(owner).post(f"{BASE}products/{product.pk}/", data)

    assert response.status_code == 302
    assert list(Variant.objects.filter(product=product).values_list("sku", flat=True)) == ["KEEP"]
