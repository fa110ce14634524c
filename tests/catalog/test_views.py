"""Catalog pages: permissions, the product list (partials, query count), forms, bulk, stock."""

import re
from decimal import Decimal
from urllib.parse import urlencode

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
# every catalog address: (name, method, path with {product}/{variant}/{category}/{image}/{job})
CATALOG_URLS = [
    ("product list", "get", ""),
    ("product page", "get", "products/{product}/"),
    ("variant stock history", "get", "variants/{variant}/"),
    ("low stock", "get", "low-stock/"),
    ("categories", "get", "categories/"),
    ("new product form", "get", "products/new/"),
    ("create product", "post", "products/new/"),
    ("save product", "post", "products/{product}/"),
    ("delete product", "post", "products/{product}/delete/"),
    ("bulk action", "post", "products/bulk/"),
    ("bulk job progress", "get", "products/bulk/{job}/"),
    ("add image", "post", "products/{product}/images/"),
    ("image alt text", "post", "products/{product}/images/{image}/"),
    ("move image", "post", "products/{product}/images/{image}/move/"),
    ("delete image", "post", "products/{product}/images/{image}/delete/"),
    ("adjust stock", "post", "variants/{variant}/"),
    ("add category", "post", "categories/new/"),
    ("rename category", "post", "categories/{category}/"),
    ("move category", "post", "categories/{category}/move/"),
    ("category parent", "post", "categories/{category}/parent/"),
    ("delete category", "post", "categories/{category}/delete/"),
    ("imports", "get", "imports/"),
    ("import upload", "get", "imports/new/"),
    ("export", "get", "export/"),
]
READ_ONLY = {"product list", "product page", "variant stock history", "low stock", "categories"}


@pytest.fixture
def catalog_objects(store, owner, png_bytes):
    from apps.catalog import services

    variant = VariantFactory(product__store=store, sku="MUG-1", stock_quantity=3)
    category = CategoryFactory(store=store)
    image = services.image_add(
        store=store,
        actor=owner,
        product=variant.product,
        upload=SimpleUploadedFile("a.png", png_bytes(), "image/png"),
        alt_text="",
    )
    job = services.bulk_job_create(
        store=store,
        actor=owner,
        products=Product.objects.for_store(store),
        options=services.BulkOptions(action="draft"),
    )
    return {
        "product": variant.product_id,
        "variant": variant.pk,
        "category": category.pk,
        "image": image.pk,
        "job": job.pk,
    }


@pytest.mark.parametrize("role", ["owner", "manager", "support"])
@pytest.mark.parametrize(("name", "method", "path"), CATALOG_URLS, ids=[u[0] for u in CATALOG_URLS])
def test_each_role_reaches_exactly_the_catalog_pages_it_may(
    store, make_member, client_for, catalog_objects, role, name, method, path
):
    user = make_member(store, role)
    url = BASE + path.format(**catalog_objects)
    before = (
        list(Product.objects.values_list("pk", "title", "status")),
        list(Variant.objects.values_list("pk", "stock_quantity")),
        list(Category.objects.values_list("pk", "name", "parent_id")),
        list(ProductImage.objects.values_list("pk", "alt_text", "position")),
    )

    response = getattr(client_for(user), method)(url)

    allowed = role != "support" or name in READ_ONLY
    if allowed:
        assert response.status_code != 403, f"{role} {method.upper()} {url}"
    else:
        assert response.status_code == 403, f"{role} {method.upper()} {url}"
        after = (
            list(Product.objects.values_list("pk", "title", "status")),
            list(Variant.objects.values_list("pk", "stock_quantity")),
            list(Category.objects.values_list("pk", "name", "parent_id")),
            list(ProductImage.objects.values_list("pk", "alt_text", "position")),
        )
        assert after == before
    if method == "get" and allowed:
        assert response.status_code == 200, f"{role} GET {url}"


WRITE_URL = re.compile(r"/(new|bulk|delete|images|move|parent|imports|export)/|/categories/\d+/$")


def test_support_reads_the_catalog_without_any_edit_control(
    store, support, client_for, catalog_objects
):
    client = client_for(support)
    pages = {
        "list": client.get(BASE),
        "product": client.get(BASE + "products/{product}/".format(**catalog_objects)),
        "variant": client.get(BASE + "variants/{variant}/".format(**catalog_objects)),
        "low": client.get(BASE + "low-stock/"),
        "categories": client.get(BASE + "categories/"),
    }

    for name, page in pages.items():
        assert page.status_code == 200, name
        forms = re.findall(r'<form[^>]*method="post"[^>]*>', page.text)
        catalog_posts = [f for f in forms if "/catalog/" in f]
        assert catalog_posts == [], f"{name}: {catalog_posts}"
        assert 'href="/store/alpha/catalog/products/new/"' not in page.text, name
        assert "/catalog/imports/new/" not in page.text, name
        assert "/catalog/export/" not in page.text, name
    product = pages["product"].text
    assert "MUG-1" in product
    assert "save-bar" not in product and "Delete product" not in product
    assert "Upload image" not in product and "+ Add variant" not in product
    assert "Separate tags with commas" not in product  # no editing hints on a read-only page
    assert "data-bulk-form" not in pages["list"].text
    assert "Adjust stock" not in pages["variant"].text + pages["low"].text
    assert "Stock history" in pages["product"].text


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
        ({"variants-1-compare_at_price": "10"}, "The compare-at price (10.00) must be at least"),
        ({"variants-1-stock_quantity": "-4"}, "The stock cannot be negative."),
        ({"variants-1-sku": "LS-M"}, "The SKU LS-M is used by another row of this product."),
        ({"variants-1-sku": "TAKEN"}, "The SKU TAKEN is already used by"),
        ({"handle": "taken-handle"}, "Another product already uses the handle"),
        ({"handle": "Not a slug!"}, "may only hold letters, digits, hyphens and underscores"),
        ({"category": "999999"}, "This category does not exist in this store; pick one."),
        ({"title": ""}, "Enter a title for the product."),
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


def test_product_form_shows_product_and_variant_errors_in_one_save(store, owner, client_for):
    data = _form_data(title="", **{"variants-1-price": "-1", "variants-0-sku": ""})

    response = client_for(owner).post(BASE + "products/new/", data)

    assert response.status_code == 400
    summary = response.text[response.text.index('class="form-error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "Title: Enter a title for the product." in summary
    assert "Variant 1, SKU: " in summary
    assert "Variant 2, Price: The price cannot be negative." in summary
    assert response.text.count('class="field-error"') == 3
    assert not Product.objects.exists()


def test_product_form_shows_taken_handle_and_skus_with_the_field_errors(store, owner, client_for):
    VariantFactory(product__store=store, product__handle="taken-handle", sku="TAKEN")
    data = _form_data(
        title="",
        handle="taken-handle",
        **{"variants-0-sku": "TAKEN", "variants-1-sku": "TAKEN", "variants-1-price": "-1"},
    )

    response = client_for(owner).post(BASE + "products/new/", data)

    assert response.status_code == 400
    text = response.text
    assert "Title: Enter a title for the product." in text
    assert "Handle: Another product already uses the handle “taken-handle”." in text
    assert "Variant 1, SKU: The SKU TAKEN is already used by another variant." in text
    assert "Variant 2, SKU: The SKU TAKEN is used by another row of this product." in text
    assert "Variant 2, Price: The price cannot be negative." in text
    assert Product.objects.for_store(store).count() == 1


def test_product_form_without_any_variant_says_so_in_plain_words(store, owner, client_for):
    data = _form_data(
        **{"variants-TOTAL_FORMS": "1", "variants-0-DELETE": "on", "variants-1-sku": ""}
    )

    response = client_for(owner).post(BASE + "products/new/", data)

    assert response.status_code == 400
    assert response.text.count("Add at least one variant (a SKU and a price).") == 2
    assert "Please submit" not in response.text
    assert not Product.objects.exists()


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


def test_image_upload_error_shows_at_the_upload_control(store, owner, client_for):
    product = ProductFactory(store=store)

    response = client_for(owner).post(
        f"{BASE}products/{product.pk}/images/",
        {"image": SimpleUploadedFile("a.png", b"hello", "image/png")},
    )

    assert response.status_code == 400
    form = response.text[response.text.index('<form id="add-image"') :]
    form = form[: form.index("</form>")]
    assert f'action="{BASE}products/{product.pk}/images/#add-image"' in form
    assert re.search(r'<input type="file" name="image"[^>]* autofocus', form)
    assert 'aria-invalid="true"' in form and 'aria-describedby="id_image_error' in form
    assert re.search(
        r'<p class="field-error" id="id_image_error" role="alert">[^<]*not an image', form
    )
    assert "form-error-summary" not in response.text  # nothing at the top of the page


# --- bulk -----------------------------------------------------------------------------------------
def _confirmation(page) -> str:
    match = re.search(r'name="confirmation" value="([^"]+)"', page.text)
    assert match, "the page carries no confirmation"
    return match.group(1)


def test_bulk_archive_all_matching_the_filter_asks_first_then_applies(store, owner, client_for):
    for title in ("Linen shirt", "Linen trousers"):
        ProductFactory(store=store, title=title, status="active")
    ProductFactory(store=store, title="Mug", status="active")
    client = client_for(owner)
    data = {"action": "archive", "scope": "all", "filter-q": "linen"}

    asked = client.post(BASE + "products/bulk/", data)
    statuses_after_asking = dict(Product.objects.values_list("title", "status"))
    response = client.post(BASE + "products/bulk/", {**data, "confirmation": _confirmation(asked)})

    assert asked.status_code == 200
    assert "<h1>Archive all 2 matching products?</h1>" in asked.text
    assert "Archive 2 products</button>" in asked.text
    assert "Search: linen" in asked.text
    assert set(statuses_after_asking.values()) == {"active"}
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}?q=linen"
    statuses = dict(Product.objects.values_list("title", "status"))
    assert statuses == {"Linen shirt": "archived", "Linen trousers": "archived", "Mug": "active"}


@pytest.mark.parametrize(
    "confirmation", ["", "forged", "e30:1t0000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
)
def test_crafted_store_wide_post_without_a_valid_confirmation_changes_nothing(
    store, owner, client_for, confirmation
):
    for n in range(3):
        ProductFactory(store=store, title=f"Shirt {n}", status="active")

    response = client_for(owner).post(
        BASE + "products/bulk/",
        {"action": "archive", "scope": "all", "confirmed": "on", "confirmation": confirmation},
    )

    assert response.status_code == 200
    assert "<h1>Archive all 3 matching products?</h1>" in response.text
    assert set(Product.objects.values_list("status", flat=True)) == {"active"}


def test_a_confirmation_applies_only_to_the_action_and_count_it_was_given_for(
    store, owner, client_for
):
    ProductFactory(store=store, title="Shirt", status="draft")
    client = client_for(owner)
    data = {"action": "archive", "scope": "all"}
    token = _confirmation(client.post(BASE + "products/bulk/", data))

    other_action = client.post(
        BASE + "products/bulk/", {"action": "activate", "scope": "all", "confirmation": token}
    )
    ProductFactory(store=store, title="Trousers", status="draft")  # more match now
    more_products = client.post(BASE + "products/bulk/", {**data, "confirmation": token})

    assert other_action.status_code == 200
    assert "<h1>Set the 1 matching product as active?</h1>" in other_action.text
    assert more_products.status_code == 200
    assert "it is now 2 products" in more_products.text
    assert set(Product.objects.values_list("status", flat=True)) == {"draft"}


def test_bulk_form_carries_only_the_list_filters_from_the_address(store, owner, client_for):
    ProductFactory(store=store, title="Linen shirt")

    response = client_for(owner).get(
        BASE + "?q=linen&scope=all&confirmed=on&confirmation=x&action=archive&vendor=Acme&page=1"
    )

    form = response.text[response.text.index('id="bulk-form"') :]
    form = form[: form.index("</form>")]
    hidden = re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', form)
    assert [pair for pair in hidden if pair[0] != "csrfmiddlewaretoken"] == [
        ("filter-q", "linen"),
        ("filter-vendor", "Acme"),
    ]
    assert 'name="scope" value="all" data-bulk-all>' in form  # the unticked checkbox only


def _form_controls(html: str, form_start: str) -> list[tuple[str, str, bool]]:
    """The named controls of the form starting at ``form_start`` in document order, as a
    browser submits them untouched: ``(name, value, is_hidden)``; a select sends its first
    option, a text or number input its value (checkboxes are left out: a test ticks them)."""
    form = html[html.index(form_start) :]
    form = form[: form.index("</form>")]
    controls = []
    for match in re.finditer(r"<(input|select)\b([^>]*)>", form):
        tag, attributes = match.groups()
        name = re.search(r'name="([^"]+)"', attributes)
        kind = re.search(r'type="([^"]+)"', attributes)
        kind = kind.group(1) if kind else tag
        if not name or kind == "checkbox":
            continue
        if tag == "select":
            value = re.search(r'<option value="([^"]*)"', form[match.end() :])
        else:
            value = re.search(r'value="([^"]*)"', attributes)
        controls.append((name.group(1), value.group(1) if value else "", kind == "hidden"))
    return controls


def _submit(client, url: str, controls: list[tuple[str, str]]):
    """POST exactly these pairs, repeated names included, like a browser's form submission."""
    return client.post(url, urlencode(controls), content_type="application/x-www-form-urlencoded")


def _bulk_from_list(client, query: str, *, action: str, **choices):
    """Open the list at ``?query``, tick "all matching", choose ``action`` and set the option
    controls given by their id (``bulk_category="12"`` sets ``#bulk-category``), press Apply."""
    page = client.get(f"{BASE}?{query}").text
    chosen = {"bulk-action": action} | {key.replace("_", "-"): v for key, v in choices.items()}
    names = {
        re.search(rf'name="([^"]+)" id="{control_id}"', page).group(1): value
        for control_id, value in chosen.items()
    }
    sent = [
        (name, names[name] if name in names and not is_hidden else value)
        for name, value, is_hidden in _form_controls(page, 'id="bulk-form"')
    ]
    return _submit(client, f"{BASE}products/bulk/", [*sent, ("scope", "all")])


def _confirm(client, asked):
    """Press the confirmation page's button: its form's controls, as they are."""
    controls = _form_controls(asked.text, 'class="form-actions"')
    return _submit(client, f"{BASE}products/bulk/", [(n, v) for n, v, _ in controls])


def test_bulk_change_category_on_a_category_filter_moves_only_the_filtered_products(
    store, owner, client_for
):
    shirts = CategoryFactory(store=store, name="Shirts")
    sale = CategoryFactory(store=store, name="Sale")
    for title in ("Linen shirt", "Oxford shirt"):
        ProductFactory(store=store, title=title, category=shirts)
    ProductFactory(store=store, title="Mug", category=None)
    ProductFactory(store=store, title="Scarf", category=sale)
    client = client_for(owner)

    asked = _bulk_from_list(
        client, f"category={shirts.pk}", action="set_category", bulk_category=str(sale.pk)
    )
    categories_after_asking = dict(Product.objects.values_list("title", "category__name"))
    response = _confirm(client, asked)

    assert asked.status_code == 200
    assert "<h1>Move all 2 matching products to “Sale”?</h1>" in asked.text
    assert "Category: Shirts" in asked.text
    assert categories_after_asking["Linen shirt"] == "Shirts"
    confirm_names = [name for name, _, _ in _form_controls(asked.text, 'class="form-actions"')]
    assert len(confirm_names) == len(set(confirm_names)), confirm_names
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}?category={shirts.pk}"
    assert dict(Product.objects.values_list("title", "category__name")) == {
        "Linen shirt": "Sale",
        "Oxford shirt": "Sale",
        "Mug": None,
        "Scarf": "Sale",
    }


def test_bulk_no_category_on_a_category_filter_empties_only_the_filtered_products(
    store, owner, client_for
):
    shirts = CategoryFactory(store=store, name="Shirts")
    sale = CategoryFactory(store=store, name="Sale")
    ProductFactory(store=store, title="Linen shirt", category=shirts)
    ProductFactory(store=store, title="Scarf", category=sale)
    client = client_for(owner)

    asked = _bulk_from_list(
        client, f"category={shirts.pk}", action="set_category", bulk_category=""
    )
    response = _confirm(client, asked)

    assert "<h1>Remove the category from the 1 matching product?</h1>" in asked.text
    assert "Category: Shirts" in asked.text
    assert response.status_code == 302
    assert dict(Product.objects.values_list("title", "category__name")) == {
        "Linen shirt": None,
        "Scarf": "Sale",
    }


def test_bulk_archive_all_matching_a_category_filter_archives_only_those(store, owner, client_for):
    shirts = CategoryFactory(store=store, name="Shirts")
    for title in ("Linen shirt", "Oxford shirt"):
        ProductFactory(store=store, title=title, category=shirts, status="active")
    ProductFactory(store=store, title="Mug", status="active")
    client = client_for(owner)

    asked = _bulk_from_list(client, f"category={shirts.pk}&status=active", action="archive")
    response = _confirm(client, asked)

    assert "<h1>Archive all 2 matching products?</h1>" in asked.text
    assert "Category: Shirts" in asked.text and "Status: Active" in asked.text
    assert response["Location"] == f"{BASE}?status=active&category={shirts.pk}"
    assert dict(Product.objects.values_list("title", "status")) == {
        "Linen shirt": "archived",
        "Oxford shirt": "archived",
        "Mug": "active",
    }


def test_bulk_error_goes_back_to_the_same_filtered_list(store, owner, client_for):
    shirts = CategoryFactory(store=store, name="Shirts")
    ProductFactory(store=store, title="Linen shirt", category=shirts, tags=[])
    client = client_for(owner)

    response = _bulk_from_list(client, f"category={shirts.pk}&vendor=Acme", action="add_tag")

    assert response.status_code == 302
    assert response["Location"] == f"{BASE}?category={shirts.pk}&vendor=Acme"
    assert Product.objects.get().tags == []


def test_bulk_form_names_each_control_once_whatever_the_filters(store, owner, client_for):
    category = CategoryFactory(store=store, name="Shirts")
    VariantFactory(product__store=store, product__title="Linen shirt", product__category=category)

    response = client_for(owner).get(
        f"{BASE}?q=linen&status=active&category={category.pk}&vendor=Acme&stock=in"
    )

    names = [name for name, _, _ in _form_controls(response.text, 'id="bulk-form"')]
    assert len(names) == len(set(names)), names


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
    crafted = client.post(BASE + "products/bulk/", {**data, "confirmed": "on"})
    variant.refresh_from_db()
    price_after_crafted = variant.price
    applied = client.post(BASE + "products/bulk/", {**data, "confirmation": _confirmation(preview)})

    assert preview.status_code == 200
    assert "Preview price change" in preview.text
    assert "€9.00" in preview.text
    assert (price_after_preview, price_after_crafted) == (Decimal("10.00"), Decimal("10.00"))
    assert crafted.status_code == 200
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


@pytest.mark.parametrize(
    ("track_inventory", "stock", "expected"),
    [(True, 0, "Out of stock"), (True, 2, "Low stock"), (True, 20, None), (False, 0, None)],
)
def test_variant_page_names_its_stock_state_by_the_catalog_rule(
    store, owner, client_for, track_inventory, stock, expected
):
    product = ProductFactory(store=store, low_stock_threshold=3)
    variant = VariantFactory(product=product, track_inventory=track_inventory, stock_quantity=stock)

    page = client_for(owner).get(f"{BASE}variants/{variant.pk}/").content.decode()

    badges = re.findall(r'<span class="badge badge-(\w+)">.*?</span>([^<]*)</span>', page)
    stock_badges = [(tone, text) for tone, text in badges if "stock" in text.lower()]
    tones = {"Out of stock": "critical", "Low stock": "warning"}
    assert stock_badges == ([(tones[expected], expected)] if expected else [])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-100000", "would make the price negative"),
        ("99999999999", "Enter a price change of at most 10 digits before the decimal point."),
    ],
)
def test_bulk_error_keeps_the_selection_and_the_typed_change(
    store, owner, client_for, value, message
):
    kept = VariantFactory(product__store=store, product__title="Kept", price="10.00").product
    other = VariantFactory(product__store=store, product__title="Other", price="10.00").product
    client = client_for(owner)
    data = {"action": "adjust_price", "scope": "selected", "ids": [kept.pk]}

    response = client.post(
        BASE + "products/bulk/", {**data, "mode": "amount", "value": value}, follow=True
    )

    page = response.text
    bar = page[page.index('id="bulk-form"') :]
    bar = bar[: bar.index("</form>")]
    assert message in bar  # next to the bulk bar, not only in a toast
    assert 'role="alert"' in bar
    assert '<option value="adjust_price" selected>' in bar
    assert '<option value="amount" selected>' in bar
    assert f'value="{value}"' in bar
    box = 'value="{}" form="bulk-form" aria-label="Select {}" data-bulk-item'
    assert box.format(kept.pk, "Kept") + " checked>" in page
    assert box.format(other.pk, "Other") + ">" in page
    assert client.get(BASE).text.count("data-bulk-item checked") == 0  # shown once


def test_a_refused_save_keeps_each_variants_stock_history_link(store, owner, client_for):
    product = ProductFactory(store=store, title="Mug")
    variant = VariantFactory(product=product, sku="MUG-1", stock_quantity=5)
    data = _form_data(
        title="",
        **{
            "variants-TOTAL_FORMS": "1",
            "variants-INITIAL_FORMS": "1",
            "variants-0-id": str(variant.pk),
            "variants-0-sku": "MUG-1",
            "variants-0-price": "12.50",
            "variants-0-stock_quantity": "9",
        },
    )
    client = client_for(owner)

    refused = client.post(f"{BASE}products/{product.pk}/", data)
    shown = client.get(f"{BASE}products/{product.pk}/")

    link = f'href="{BASE}variants/{variant.pk}/">Stock history</a>'
    assert refused.status_code == 400
    assert link in shown.text
    assert link in refused.text


def test_a_product_with_a_hundred_variants_saves_from_its_page(store, owner, client_for):
    rows = {
        "variants-TOTAL_FORMS": "100",
        **{
            key: value
            for n in range(100)
            for key, value in {
                f"variants-{n}-id": "",
                f"variants-{n}-option1": f"Size {n}",
                f"variants-{n}-option2": "",
                f"variants-{n}-sku": f"BIG-{n:03d}",
                f"variants-{n}-price": "10.00",
                f"variants-{n}-compare_at_price": "",
                f"variants-{n}-cost": "",
                f"variants-{n}-stock_quantity": "1",
                f"variants-{n}-track_inventory": "on",
                f"variants-{n}-weight": "",
                f"variants-{n}-weight_unit": "g",
                f"variants-{n}-barcode": "",
            }.items()
        },
    }
    data = _form_data(title="Big range", option1_name="Size", **rows)

    response = client_for(owner).post(BASE + "products/new/", data)

    assert response.status_code == 302
    assert Product.objects.get(title="Big range").variants.count() == 100


def test_a_yen_price_with_decimals_is_refused_with_the_rows_other_errors(store, owner, client_for):
    store.currency = "JPY"
    store.save(update_fields=["currency"])
    data = _form_data(
        **{"variants-0-price": "1234.5", "variants-0-barcode": "12345678", "variants-0-sku": ""}
    )

    response = client_for(owner).post(BASE + "products/new/", data)

    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[0].errors["price"] == [
        "JPY prices have no decimals; write the price like 1235."
    ]
    assert "barcode" in formset.forms[0].errors and "sku" in formset.forms[0].errors
    assert 'step="1"' in response.text


def test_a_yen_price_shows_whole_on_the_product_page(store, owner, client_for):
    store.currency = "JPY"
    store.save(update_fields=["currency"])
    variant = VariantFactory(product__store=store, price="1235.00")

    page = client_for(owner).get(f"{BASE}products/{variant.product_id}/").text

    assert 'name="variants-0-price" value="1235"' in page


def _scope_line(page) -> str:
    found = re.search(r"<p data-bulk-scope>(.*?)</p>", page.text, re.S)
    assert found, "the page does not say which products it changes"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_price_preview_names_the_filter_it_applies_to(store, owner, client_for):
    shirts = CategoryFactory(store=store, name="Shirts")
    for title in ("Linen shirt", "Oxford shirt"):
        VariantFactory(
            product__store=store,
            product__title=title,
            product__category=shirts,
            product__status="active",
            price="10.00",
        )
    VariantFactory(product__store=store, product__title="Mug", product__status="active")
    client = client_for(owner)

    preview = _bulk_from_list(
        client,
        f"category={shirts.pk}&status=active",
        action="adjust_price",
        bulk_mode="percent",
        bulk_value="10",
    )

    assert "Preview price change" in preview.text
    assert "on 2 variants of 2 products" in preview.text
    assert _scope_line(preview) == (
        "Every product matching this filter: Status: Active Category: Shirts"
    )
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', preview.text, re.S).group(0)
    assert '<li aria-current="page">Preview price change</li>' in crumbs
    assert f'<a href="{BASE}?status=active&amp;category={shirts.pk}">Products</a>' in crumbs


def test_price_preview_of_a_selection_says_how_many_were_selected(store, owner, client_for):
    chosen = [VariantFactory(product__store=store, price="10.00") for _ in range(3)]
    VariantFactory(product__store=store, price="10.00")

    preview = client_for(owner).post(
        BASE + "products/bulk/",
        {
            "action": "adjust_price",
            "scope": "selected",
            "ids": [variant.product_id for variant in chosen],
            "mode": "amount",
            "value": "1",
        },
    )

    assert "on 3 variants of 3 products" in preview.text
    assert _scope_line(preview) == "The 3 products you selected."


def test_confirming_all_without_a_filter_says_the_whole_catalog(store, owner, client_for):
    ProductFactory(store=store, status="draft")

    asked = client_for(owner).post(BASE + "products/bulk/", {"action": "activate", "scope": "all"})

    assert _scope_line(asked) == "Every product in your catalog (no filter is set)."
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', asked.text, re.S).group(0)
    assert '<li aria-current="page">Confirm bulk action</li>' in crumbs


def _stock_cell(page: str, handle: str) -> str:
    row = page[page.index(f'<tr data-product="{handle}">') :]
    cell = row[row.index('<td data-label="Stock"') :]
    return cell[: cell.index("</td>")]


def test_a_low_stock_product_reads_low_stock_and_its_count_in_words(store, owner, client_for):
    product = ProductFactory(store=store, handle="mug", low_stock_threshold=5)
    VariantFactory(product=product, stock_quantity=2, track_inventory=True)
    VariantFactory(product=product, stock_quantity=170, track_inventory=True)

    page = client_for(owner).get(BASE).text

    cell = _stock_cell(page, "mug")
    assert " ".join(re.sub(r"<[^>]+>", " ", cell).split()) == "Low stock: 172"
    assert "badge-mark" not in cell  # no bare "!" before the words
    assert 'class="badge badge-warning"' in cell


def test_the_low_stock_list_says_how_many_are_left_without_a_bare_mark(store, owner, client_for):
    product = ProductFactory(store=store, handle="mug", title="Mug", low_stock_threshold=5)
    VariantFactory(product=product, sku="MUG-1", stock_quantity=3, track_inventory=True)

    page = client_for(owner).get(BASE + "low-stock/").text

    cell = page[page.index('<td data-label="Stock"') :]
    cell = cell[: cell.index("</td>")]
    assert " ".join(re.sub(r"<[^>]+>", " ", cell).split()) == "Low stock: 3 left"
    assert "badge-mark" not in cell
