"""The catalog API: CRUD, filters, search, cursor pagination, 400s naming the field."""

import pytest
from django.test import Client

from apps.accounts import services as account_services
from apps.audit.models import AuditEntry
from apps.catalog.models import Category, InventoryMovement, Product, Variant
from tests.catalog.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(store, owner):
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_product_create_with_an_api_key_creates_variants_and_audits_the_key(api, store):
    category = CategoryFactory(store=store)

    response = _post(
        api,
        "/api/v1/products/",
        {
            "title": "Linen shirt",
            "status": "active",
            "category": category.pk,
            "tags": ["summer"],
            "variants": [
                {
                    "sku": "LS-M",
                    "price": "39.90",
                    "option_values": {"Size": "M"},
                    "stock_quantity": 3,
                },
                {"sku": "LS-L", "price": "39.90", "compare_at_price": "49.90"},
            ],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["handle"], body["category"], body["tags"]) == (
        "linen-shirt",
        category.pk,
        ["summer"],
    )
    assert [(v["sku"], v["price"], v["stock_quantity"]) for v in body["variants"]] == [
        ("LS-M", "39.90", 3),
        ("LS-L", "39.90", 0),
    ]
    entry = AuditEntry.objects.get(action="product.created")
    assert entry.actor is None
    assert entry.actor_label == "api-key:ERP"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "X", "handle": "taken"}, "handle"),
        ({"title": "X", "category": 999999}, "category"),
        ({"title": "X", "variants": [{"sku": "TAKEN", "price": "1"}]}, "variants[0].sku"),
        ({"title": "X", "variants": [{"sku": "N", "price": "-1"}]}, "variants[0].price"),
        (
            {"title": "X", "variants": [{"sku": "N", "price": "5", "compare_at_price": "4"}]},
            "variants[0].compare_at_price",
        ),
        (
            {"title": "X", "variants": [{"sku": "N", "price": "5", "stock_quantity": -1}]},
            "variants[0].stock_quantity",
        ),
        ({"title": "X", "variants": [{"sku": "N", "price": "abc"}]}, "variants[0].price"),
        ({"title": "X", "status": "live"}, "status"),
        ({"handle": "no-title"}, "title"),
    ],
)
def test_product_create_bad_input_answers_400_naming_the_field(api, store, payload, field):
    VariantFactory(product__store=store, product__handle="taken", sku="TAKEN")

    response = _post(api, "/api/v1/products/", payload)

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field], body
    assert Product.objects.for_store(store).count() == 1


def test_product_list_filters_searches_and_pages_with_a_cursor(api, store, other_store):
    for n in range(5):
        VariantFactory(product__store=store, product__title=f"Shirt {n}", product__status="active")
    VariantFactory(product__store=store, product__title="Mug", sku="MUG-1")
    ProductFactory(store=store, title="Draft shirt", status="draft")
    ProductFactory(store=other_store, title="Their shirt", status="active")

    first = api.get("/api/v1/products/", {"q": "shirt", "status": "active", "page_size": 3})
    second = api.get(first.json()["next"])
    by_sku = api.get("/api/v1/products/", {"q": "mug-1"})

    titles = [p["title"] for p in first.json()["results"] + second.json()["results"]]
    assert sorted(titles) == [f"Shirt {n}" for n in range(5)]
    assert len(first.json()["results"]) == 3
    assert second.json()["next"] is None
    assert [p["title"] for p in by_sku.json()["results"]] == ["Mug"]


def test_product_patch_and_delete(api, store):
    product = ProductFactory(store=store, title="Old")

    patched = _patch(api, f"/api/v1/products/{product.pk}/", {"title": "New", "tags": ["a"]})
    deleted = api.delete(f"/api/v1/products/{product.pk}/")

    assert patched.status_code == 200
    assert (patched.json()["title"], patched.json()["tags"]) == ("New", ["a"])
    assert deleted.status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()


def test_another_stores_product_is_404_through_the_api(api, other_store):
    foreign = ProductFactory(store=other_store)

    assert api.get(f"/api/v1/products/{foreign.pk}/").status_code == 404
    assert _patch(api, f"/api/v1/products/{foreign.pk}/", {"title": "x"}).status_code == 404
    assert api.delete(f"/api/v1/products/{foreign.pk}/").status_code == 404
    assert Product.objects.filter(pk=foreign.pk, title=foreign.title).exists()


def test_variant_create_update_and_duplicate_sku(api, store):
    product = ProductFactory(store=store)
    VariantFactory(product=product, sku="A-1")

    created = _post(api, "/api/v1/variants/", {"product": product.pk, "sku": "A-2", "price": "5"})
    duplicate = _patch(api, f"/api/v1/variants/{created.json()['id']}/", {"sku": "A-1"})
    bad_product = _post(api, "/api/v1/variants/", {"product": 999999, "sku": "Z", "price": "5"})

    assert created.status_code == 201
    assert duplicate.status_code == 400
    assert list(duplicate.json()["errors"]) == ["sku"]
    assert list(bad_product.json()["errors"]) == ["product"]
    assert Variant.objects.get(pk=created.json()["id"]).sku == "A-2"


def test_variant_patch_refuses_stock_quantity(api, store):
    variant = VariantFactory(product__store=store, stock_quantity=4)

    response = _patch(api, f"/api/v1/variants/{variant.pk}/", {"stock_quantity": 10})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["stock_quantity"]
    variant.refresh_from_db()
    assert variant.stock_quantity == 4


def test_stock_adjustment_through_the_api_records_a_movement(api, store):
    variant = VariantFactory(product__store=store, stock_quantity=4)

    response = _post(
        api,
        f"/api/v1/variants/{variant.pk}/stock-adjustments/",
        {"delta": -1, "reason": "sold", "note": "Order 1001"},
    )
    too_many = _post(
        api, f"/api/v1/variants/{variant.pk}/stock-adjustments/", {"delta": -9, "reason": "sold"}
    )
    history = api.get(f"/api/v1/variants/{variant.pk}/stock-adjustments/")

    assert response.status_code == 201
    assert (response.json()["delta"], response.json()["quantity_after"]) == (-1, 3)
    assert too_many.status_code == 400
    assert list(too_many.json()["errors"]) == ["delta"]
    assert [m["delta"] for m in history.json()["results"]] == [-1]
    assert InventoryMovement.objects.filter(variant=variant).count() == 1


def test_variant_list_low_stock_filter(api, store):
    product = ProductFactory(store=store, low_stock_threshold=5)
    VariantFactory(product=product, sku="LOW", stock_quantity=2)
    VariantFactory(product=product, sku="OK", stock_quantity=50)

    response = api.get("/api/v1/variants/", {"low_stock": "true"})

    assert [v["sku"] for v in response.json()["results"]] == ["LOW"]


def test_category_crud_and_cycle_refused(api, store):
    parent = _post(api, "/api/v1/categories/", {"name": "Apparel"}).json()
    child = _post(api, "/api/v1/categories/", {"name": "Shirts", "parent": parent["id"]}).json()

    cycle = _patch(api, f"/api/v1/categories/{parent['id']}/", {"parent": child["id"]})
    unknown_parent = _post(api, "/api/v1/categories/", {"name": "X", "parent": 999999})
    listed = api.get("/api/v1/categories/", {"parent": parent["id"]})
    deleted = api.delete(f"/api/v1/categories/{child['id']}/")

    assert child["parent"] == parent["id"]
    assert cycle.status_code == 400
    assert list(cycle.json()["errors"]) == ["parent"]
    assert list(unknown_parent.json()["errors"]) == ["category"]
    assert [c["name"] for c in listed.json()["results"]] == ["Shirts"]
    assert deleted.status_code == 204
    assert list(Category.objects.for_store(store).values_list("name", flat=True)) == ["Apparel"]


def test_a_refused_category_patch_changes_nothing(api, store):
    apparel = CategoryFactory(store=store, name="Apparel")
    shirts = CategoryFactory(store=store, name="Shirts", parent=apparel)

    response = _patch(
        api, f"/api/v1/categories/{apparel.pk}/", {"name": "Clothing", "parent": shirts.pk}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent"]
    apparel.refresh_from_db()
    assert (apparel.name, apparel.parent_id) == ("Apparel", None)
    assert not AuditEntry.objects.filter(action__startswith="category.").exists()


def test_a_category_patch_checks_the_new_name_under_the_new_parent(api, store):
    apparel = CategoryFactory(store=store, name="Apparel")
    CategoryFactory(store=store, name="Caps")  # a top-level twin: no clash once moved
    hats = CategoryFactory(store=store, name="Hats")

    response = _patch(api, f"/api/v1/categories/{hats.pk}/", {"name": "Caps", "parent": apparel.pk})

    assert response.status_code == 200, response.content
    hats.refresh_from_db()
    assert (hats.name, hats.parent_id) == ("Caps", apparel.pk)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/products/",
        "/api/v1/products/{product}/",
        "/api/v1/variants/",
        "/api/v1/variants/{variant}/",
        "/api/v1/variants/{variant}/stock-adjustments/",
        "/api/v1/categories/",
    ],
)
def test_support_reads_every_catalog_endpoint_as_on_its_pages(store, support, client_for, path):
    """The API follows the role's pages: support reads the catalog (stock questions)."""
    variant = VariantFactory(product=ProductFactory(store=store))
    client = client_for(support)

    response = client.get(
        path.format(product=variant.product_id, variant=variant.pk), HTTP_X_STORE=store.handle
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/products/"),
        ("patch", "/api/v1/products/{product}/"),
        ("patch", "/api/v1/variants/{variant}/"),
        ("post", "/api/v1/variants/{variant}/stock-adjustments/"),
        ("post", "/api/v1/categories/"),
    ],
)
def test_support_cannot_change_the_catalog_through_the_api(
    store, support, client_for, method, path
):
    variant = VariantFactory(product=ProductFactory(store=store), stock_quantity=3)
    client = client_for(support)

    response = getattr(client, method)(
        path.format(product=variant.product_id, variant=variant.pk),
        {"title": "Changed", "name": "New", "quantity_change": 5, "reason": "restock"},
        content_type="application/json",
        HTTP_X_STORE=store.handle,
    )

    assert response.status_code == 403
    assert response.json() == {
        "errors": {"non_field_errors": ["Your role does not allow this."]},
        "code": "permission_denied",
    }
    variant.refresh_from_db()
    assert (variant.product.title, variant.stock_quantity) != ("Changed", 8)


def test_manager_session_can_use_the_catalog_api(store, manager, client_for):
    ProductFactory(store=store, title="Mug")
    client = client_for(manager)

    response = client.get("/api/v1/products/", HTTP_X_STORE=store.handle)

    assert response.status_code == 200
    assert [p["title"] for p in response.json()["results"]] == ["Mug"]


def test_catalog_api_without_credentials_is_refused(db):
    assert Client().get("/api/v1/products/").status_code in {401, 403}


def test_image_upload_through_the_api_and_a_bad_file(api, store, png_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = ProductFactory(store=store)
    url = f"/api/v1/products/{product.pk}/images/"

    good = api.post(
        url, {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png"), "alt_text": "Front"}
    )
    bad = api.post(url, {"image": SimpleUploadedFile("a.png", b"nope", "image/png")})
    removed = api.delete(f"{url}{good.json()['id']}/")

    assert good.status_code == 201
    assert good.json()["alt_text"] == "Front"
    assert good.json()["thumbnail_url"].startswith("http://testserver/media/")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["image"]
    assert removed.status_code == 204
