from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEntry
from apps.catalog import services
from apps.catalog.models import Category, InventoryMovement, Product, ProductImage, Variant
from apps.core.exceptions import DomainError
from tests.catalog.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def _error(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


# --- products -------------------------------------------------------------------------------------
def test_product_create_with_variants_records_audit_and_opening_stock(store, owner):
    category = CategoryFactory(store=store, name="Shirts")

    product = services.product_create(
        store=store,
        actor=owner,
        title="  Linen   Shirt ",
        status="active",
        category=category.pk,
        tags="summer, Linen, summer",
        vendor="Acme",
        variants=[
            {"sku": "LS-M", "price": "39.90", "option_values": {"Size": "M"}, "stock_quantity": 4},
            {"sku": "LS-L", "price": Decimal("39.90"), "compare_at_price": "49.90"},
        ],
    )

    assert product.title == "Linen Shirt"
    assert product.handle == "linen-shirt"
    assert product.tags == ["summer", "Linen"]
    assert product.category == category
    variants = list(product.variants.order_by("position"))
    assert [(v.sku, v.price, v.stock_quantity, v.position) for v in variants] == [
        ("LS-M", Decimal("39.90"), 4, 0),
        ("LS-L", Decimal("39.90"), 0, 1),
    ]
    movement = InventoryMovement.objects.get(variant=variants[0])
    assert (movement.delta, movement.quantity_after, movement.reason, movement.actor) == (
        4,
        4,
        "received",
        owner,
    )
    actions = list(AuditEntry.objects.filter(store=store).values_list("action", flat=True))
    assert sorted(actions) == ["product.created", "variant.created", "variant.created"]


def test_product_create_makes_handle_unique_when_generated(store, owner):
    ProductFactory(store=store, handle="linen-shirt")

    product = services.product_create(store=store, actor=owner, title="Linen shirt")

    assert product.handle == "linen-shirt-2"


def test_product_create_rejects_duplicate_handle(store, owner):
    ProductFactory(store=store, handle="linen-shirt")

    error = _error(
        services.product_create, store=store, actor=owner, title="X", handle="linen-shirt"
    )

    assert error.field == "handle"
    assert "linen-shirt" in error.message
    assert Product.objects.for_store(store).count() == 1


def test_same_handle_and_sku_are_allowed_in_another_store(store, other_store, owner):
    VariantFactory(product__store=other_store, product__handle="shirt", sku="S-1")

    product = services.product_create(
        store=store,
        actor=owner,
        title="Shirt",
        handle="shirt",
        variants=[{"sku": "S-1", "price": 1}],
    )

    assert product.variants.get().sku == "S-1"


def test_product_create_rejects_unknown_category(store, other_store, owner):
    foreign = CategoryFactory(store=other_store)

    for category in (999999, foreign.pk, "shirts"):
        error = _error(
            services.product_create, store=store, actor=owner, title="X", category=category
        )
        assert error.field == "category"
    assert Product.objects.count() == 0


def test_product_create_rejects_empty_title_and_bad_status(store, owner):
    assert _error(services.product_create, store=store, actor=owner, title=" ").field == "title"
    error = _error(services.product_create, store=store, actor=owner, title="X", status="live")
    assert error.field == "status"


def test_product_create_rejects_variant_errors_naming_the_row_and_keeps_nothing(store, owner):
    VariantFactory(product__store=store, sku="TAKEN")
    cases = [
        ({"sku": "TAKEN", "price": "1"}, "variants[1].sku"),
        ({"sku": "N1", "price": "-1"}, "variants[1].price"),
        ({"sku": "N1", "price": "10", "compare_at_price": "9.99"}, "variants[1].compare_at_price"),
        ({"sku": "N1", "price": "10", "stock_quantity": -2}, "variants[1].stock_quantity"),
        ({"sku": "N1", "price": "10", "cost": "-3"}, "variants[1].cost"),
        ({"sku": "N1", "price": "10", "weight": "-1"}, "variants[1].weight"),
        ({"sku": "", "price": "10"}, "variants[1].sku"),
        ({"sku": "OK-0", "price": "10"}, "variants[1].sku"),  # twice in the same product
    ]
    for bad, field in cases:
        error = _error(
            services.product_create,
            store=store,
            actor=owner,
            title="Shirt",
            variants=[{"sku": "OK-0", "price": "5"}, bad],
        )
        assert error.field == field, (bad, error.message)
    assert Product.objects.for_store(store).count() == 1  # the factory's product only
    assert not Variant.objects.filter(sku="OK-0").exists()


def test_product_update_records_only_changed_fields(store, owner):
    product = ProductFactory(store=store, title="Old", vendor="Acme")

    services.product_update(store=store, actor=owner, product=product, title="New", vendor="Acme")

    entry = AuditEntry.objects.get(action="product.updated")
    assert entry.changes == {"title": ["Old", "New"]}
    product.refresh_from_db()
    assert product.title == "New"


def test_product_update_rejects_duplicate_handle(store, owner):
    ProductFactory(store=store, handle="taken")
    product = ProductFactory(store=store, handle="mine")

    error = _error(
        services.product_update, store=store, actor=owner, product=product, handle="taken"
    )

    assert error.field == "handle"
    product.refresh_from_db()
    assert product.handle == "mine"


def test_product_update_of_another_stores_product_is_not_found(store, other_store, owner):
    foreign = ProductFactory(store=other_store, title="Theirs")

    error = _error(services.product_update, store=store, actor=owner, product=foreign, title="x")

    assert error.code == "not_found"
    foreign.refresh_from_db()
    assert foreign.title == "Theirs"


def test_product_save_with_variants_updates_adds_removes_and_records_stock_edit(store, owner):
    product = ProductFactory(store=store)
    keep = VariantFactory(product=product, sku="KEEP", stock_quantity=3)
    drop = VariantFactory(product=product, sku="DROP")

    services.product_save_with_variants(
        store=store,
        actor=owner,
        product=product,
        fields={"title": "Renamed"},
        variants=[
            {"id": keep.pk, "sku": "KEEP", "price": "12.00", "stock_quantity": 10},
            {"id": drop.pk, "delete": True, "sku": "DROP", "price": "1"},
            {"id": None, "sku": "DROP", "price": "2.50", "stock_quantity": 1},
        ],
    )

    assert list(
        product.variants.order_by("position").values_list("sku", "price", "stock_quantity")
    ) == [
        ("KEEP", Decimal("12.00"), 10),
        ("DROP", Decimal("2.50"), 1),
    ]
    movement = InventoryMovement.objects.get(variant=keep)
    assert (movement.delta, movement.reason) == (7, "correction")


# --- variants and stock ---------------------------------------------------------------------------
def test_variant_create_rejects_negative_price_and_low_compare_at(store, owner):
    product = ProductFactory(store=store)

    assert (
        _error(
            services.variant_create,
            store=store,
            actor=owner,
            product=product,
            sku="A",
            price="-0.01",
        ).field
        == "price"
    )
    error = _error(
        services.variant_create,
        store=store,
        actor=owner,
        product=product,
        sku="A",
        price="10",
        compare_at_price="5",
    )
    assert error.field == "compare_at_price"
    assert "at least the price" in error.message
    assert not Variant.objects.filter(product=product).exists()


def test_variant_update_rejects_compare_at_below_existing_price(store, owner):
    variant = VariantFactory(product__store=store, price="20.00")

    error = _error(
        services.variant_update, store=store, actor=owner, variant=variant, compare_at_price="19"
    )

    assert error.field == "compare_at_price"


def test_variant_update_refuses_stock_changes(store, owner):
    variant = VariantFactory(product__store=store)

    error = _error(
        services.variant_update, store=store, actor=owner, variant=variant, stock_quantity=3
    )

    assert error.field == "stock_quantity"


def test_stock_adjust_records_movement_and_audit(store, owner):
    variant = VariantFactory(product__store=store, stock_quantity=5)

    movement = services.stock_adjust(
        store=store, actor=owner, variant=variant, delta=-2, reason="damaged", note="Torn"
    )

    variant.refresh_from_db()
    assert variant.stock_quantity == 3
    assert (movement.delta, movement.quantity_after, movement.reason, movement.note) == (
        -2,
        3,
        "damaged",
        "Torn",
    )
    assert movement.actor == owner
    entry = AuditEntry.objects.get(action="stock.adjusted")
    assert entry.changes == {"stock_quantity": [5, 3], "reason": [None, "damaged"]}


def test_stock_adjust_rejects_going_negative_and_changes_nothing(store, owner):
    variant = VariantFactory(product__store=store, stock_quantity=2)

    error = _error(
        services.stock_adjust, store=store, actor=owner, variant=variant, delta=-3, reason="sold"
    )

    assert error.field == "delta"
    assert "Only 2 in stock" in error.message
    variant.refresh_from_db()
    assert variant.stock_quantity == 2
    assert not InventoryMovement.objects.exists()


def test_stock_adjust_rejects_zero_and_unknown_reason(store, owner):
    variant = VariantFactory(product__store=store)

    assert (
        _error(
            services.stock_adjust, store=store, actor=owner, variant=variant, delta=0, reason="sold"
        ).field
        == "delta"
    )
    assert (
        _error(
            services.stock_adjust,
            store=store,
            actor=owner,
            variant=variant,
            delta=1,
            reason="magic",
        ).field
        == "reason"
    )


def test_stock_set_records_the_difference(store, owner):
    variant = VariantFactory(product__store=store, stock_quantity=8)

    movement = services.stock_set(store=store, actor=owner, variant=variant, quantity=3)

    assert (movement.delta, movement.quantity_after, movement.reason) == (-5, 3, "correction")
    assert (
        _error(services.stock_set, store=store, actor=owner, variant=variant, quantity=-1).field
        == "quantity"
    )


# --- categories -----------------------------------------------------------------------------------
def test_category_create_appends_to_siblings_with_unique_slug(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    first = services.category_create(store=store, actor=owner, name="Shirts", parent=apparel.pk)
    second = services.category_create(store=store, actor=owner, name="Shirts!", parent=apparel)

    assert (first.position, second.position) == (0, 1)
    assert (first.slug, second.slug) == ("shirts", "shirts-2")
    assert AuditEntry.objects.filter(action="category.created").count() == 3


def test_category_move_swaps_with_sibling(store, owner):
    a = services.category_create(store=store, actor=owner, name="A")
    b = services.category_create(store=store, actor=owner, name="B")
    c = services.category_create(store=store, actor=owner, name="C")

    services.category_move(store=store, actor=owner, category=c, direction="up")
    services.category_move(store=store, actor=owner, category=a, direction="up")  # already first

    names = list(
        Category.objects.filter(store=store).order_by("position").values_list("name", flat=True)
    )
    assert names == ["A", "C", "B"]
    assert b.pk


def test_category_set_parent_refuses_a_cycle(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    shirts = services.category_create(store=store, actor=owner, name="Shirts", parent=apparel)

    error = _error(
        services.category_change, store=store, actor=owner, category=apparel, parent=shirts
    )

    assert error.field == "parent"
    apparel.refresh_from_db()
    assert apparel.parent_id is None


def test_category_set_parent_moves_to_end_of_new_siblings(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    services.category_create(store=store, actor=owner, name="Shirts", parent=apparel)
    home = services.category_create(store=store, actor=owner, name="Home")

    moved = services.category_change(store=store, actor=owner, category=home, parent=apparel)

    assert (moved.parent_id, moved.position) == (apparel.pk, 1)


def test_category_delete_lifts_children_and_uncategorises_products(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    shirts = services.category_create(store=store, actor=owner, name="Shirts", parent=apparel)
    product = ProductFactory(store=store, category=apparel)

    services.category_delete(store=store, actor=owner, category=apparel)

    shirts.refresh_from_db()
    product.refresh_from_db()
    assert shirts.parent_id is None
    assert product.category_id is None
    assert not Category.objects.filter(pk=apparel.pk).exists()


# --- images ---------------------------------------------------------------------------------------
def test_image_add_stores_image_and_thumbnail(store, owner, png_bytes):
    product = ProductFactory(store=store)
    upload = SimpleUploadedFile("Red Shirt.png", png_bytes(size=(800, 600)), "image/png")

    image = services.image_add(
        store=store, actor=owner, product=product, upload=upload, alt_text="Red shirt"
    )

    assert image.image.name.endswith("red-shirt.png")
    assert image.thumbnail.name.endswith("red-shirt-thumb.jpg")
    from PIL import Image

    with Image.open(image.thumbnail.path) as thumb:
        assert thumb.size == (320, 240)
    assert (image.alt_text, image.position) == ("Red shirt", 0)


def test_image_add_rejects_non_images_and_oversized_files(store, owner, png_bytes):
    product = ProductFactory(store=store)
    text = SimpleUploadedFile("notes.png", b"not an image at all", "image/png")
    big = SimpleUploadedFile("big.png", png_bytes(), "image/png")
    big.size = services.IMAGE_MAX_BYTES + 1
    bmp = SimpleUploadedFile("x.bmp", png_bytes(fmt="BMP"), "image/bmp")

    for upload, words in ((text, "not an image"), (big, "limit is 10 MB"), (bmp, "BMP")):
        error = _error(services.image_add, store=store, actor=owner, product=product, upload=upload)
        assert error.field == "image"
        assert words in error.message
    assert not ProductImage.objects.exists()


def test_image_reorder_requires_every_image_once(store, owner, png_bytes):
    product = ProductFactory(store=store)
    images = [
        services.image_add(
            store=store,
            actor=owner,
            product=product,
            upload=SimpleUploadedFile(f"{n}.png", png_bytes(), "image/png"),
        )
        for n in range(3)
    ]
    a, b, c = (i.pk for i in images)

    services.image_reorder(store=store, actor=owner, product=product, image_ids=[c, a, b])
    error = _error(
        services.image_reorder, store=store, actor=owner, product=product, image_ids=[c, a]
    )

    order = list(product.images.order_by("position").values_list("pk", flat=True))
    assert order == [c, a, b]
    assert error.field == "image_ids"


# --- bulk -----------------------------------------------------------------------------------------
def test_bulk_archive_changes_only_products_not_archived_and_audits_each(store, owner):
    draft = ProductFactory(store=store, status="draft")
    archived = ProductFactory(store=store, status="archived")
    ProductFactory(store=store, status="active")  # not selected

    result = services.products_bulk_update(
        store=store,
        actor=owner,
        products=Product.objects.filter(pk__in=[draft.pk, archived.pk]),
        options=services.BulkOptions(action="archive"),
    )

    assert (result.matched, result.changed) == (2, 1)
    draft.refresh_from_db()
    assert draft.status == "archived"
    entries = AuditEntry.objects.filter(action="product.bulk_archive")
    assert list(entries.values_list("target_id", flat=True)) == [str(draft.pk)]


def test_bulk_ignores_other_stores_products(store, other_store, owner):
    foreign = ProductFactory(store=other_store, status="active")

    error = _error(
        services.products_bulk_update,
        store=store,
        actor=owner,
        products=Product.objects.filter(pk=foreign.pk),
        options=services.BulkOptions(action="archive"),
    )

    assert error.field == "products"
    foreign.refresh_from_db()
    assert foreign.status == "active"


def test_bulk_add_tag_and_set_category(store, owner):
    category = CategoryFactory(store=store)
    product = ProductFactory(store=store, tags=["Sale"])
    other = ProductFactory(store=store, tags=[])
    products = Product.objects.filter(pk__in=[product.pk, other.pk])

    tagged = services.products_bulk_update(
        store=store,
        actor=owner,
        products=products,
        options=services.BulkOptions(action="add_tag", tag="sale"),
    )
    moved = services.products_bulk_update(
        store=store,
        actor=owner,
        products=products,
        options=services.BulkOptions(action="set_category", category=category.pk),
    )

    product.refresh_from_db()
    other.refresh_from_db()
    assert (product.tags, other.tags) == (["Sale"], ["sale"])
    assert (tagged.changed, moved.changed) == (1, 2)
    assert product.category == category


def test_bulk_adjust_price_by_percent_moves_compare_at_too(store, owner):
    variant = VariantFactory(product__store=store, price="10.00", compare_at_price="15.00")

    services.products_bulk_update(
        store=store,
        actor=owner,
        products=Product.objects.filter(pk=variant.product_id),
        options=services.BulkOptions(action="adjust_price", mode="percent", value="10"),
    )

    variant.refresh_from_db()
    assert (variant.price, variant.compare_at_price) == (Decimal("11.00"), Decimal("16.50"))


def test_bulk_adjust_price_refuses_negative_result_and_changes_nothing(store, owner):
    cheap = VariantFactory(product__store=store, sku="CHEAP", price="3.00")
    dear = VariantFactory(product__store=store, price="30.00")

    error = _error(
        services.products_bulk_update,
        store=store,
        actor=owner,
        products=Product.objects.filter(store=store),
        options=services.BulkOptions(action="adjust_price", mode="amount", value="-5"),
    )

    assert error.field == "value"
    assert "CHEAP" in error.message
    cheap.refresh_from_db()
    dear.refresh_from_db()
    assert (cheap.price, dear.price) == (Decimal("3.00"), Decimal("30.00"))


def test_bulk_on_many_products_audits_each_in_batches(store, owner):
    Product.objects.bulk_create(
        Product(store=store, title=f"P{n}", handle=f"p-{n}", status="draft") for n in range(2100)
    )

    result = services.products_bulk_update(
        store=store,
        actor=owner,
        products=Product.objects.filter(store=store),
        options=services.BulkOptions(action="activate"),
    )

    assert (result.matched, result.changed) == (2100, 2100)
    assert Product.objects.filter(store=store, status="active").count() == 2100
    entries = AuditEntry.objects.filter(action="product.bulk_activate")
    assert entries.count() == 2100
    assert entries.filter(actor=owner, target_repr="P7").count() == 1
