"""Shopify and WooCommerce product exports imported as they are (issue #6)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from apps.catalog import services
from apps.catalog.io.columns import auto_map, detect_source
from apps.catalog.io.formats import html_to_text
from apps.catalog.models import Category, ImageFetchJob, ImportStatus, Product
from apps.catalog.services import image_fetch
from apps.core import jobs
from tests.catalog.io_factories import media_root, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")
FIXTURES = Path(__file__).parent / "fixtures"


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def checked(store, owner, name, *, create_categories=True):
    job = services.import_job_create(store=store, actor=owner, upload=upload(sample(name), name))
    return services.import_job_configure(
        store=store,
        job=job,
        mapping=job.mapping,
        mode="skip",
        create_categories=create_categories,
    )


def imported(store, owner, name, **kwargs):
    job = checked(store, owner, name, **kwargs)
    services.import_job_start(store=store, job=job, actor=owner)
    job.refresh_from_db()
    return job


def messages(items):
    return [(item["row"], item["column"], item["message"]) for item in items]


def category_paths(store):
    by_id = {c.pk: c for c in Category.objects.for_store(store)}

    def path(category):
        names = []
        while category is not None:
            names.append(category.name)
            category = by_id.get(category.parent_id)
        return " > ".join(reversed(names))

    return sorted(path(c) for c in by_id.values())


# --- detection and mapping ----------------------------------------------------------------------
def test_the_format_is_recognised_from_the_header_row():
    shopify = sample("shopify_sample.csv").decode().splitlines()[0].split(",")
    woo = sample("woocommerce_sample.csv").decode().splitlines()[0].split(",")

    assert detect_source(shopify) == "shopify"
    assert detect_source(woo) == "woocommerce"
    assert detect_source(["handle", "title", "sku", "price"]) == "portal"
    assert auto_map(shopify)["Type"] == "product_type"
    assert auto_map(shopify)["Product Category"] == "category"
    assert auto_map(shopify)["Variant Grams"] == "weight_grams"
    assert auto_map(shopify)["Image Src"] == "image_src"
    assert "Price / United States" not in auto_map(shopify)
    assert auto_map(woo)["Type"] == "source_type"
    assert auto_map(woo)["Name"] == "title"
    assert auto_map(woo)["Regular price"] == "price"
    assert auto_map(woo)["Sale price"] == "sale_price"
    assert auto_map(woo)["Attribute 2 value(s)"] == "option2_value"


def test_html_descriptions_become_plain_text():
    html = (
        "<p>Womens top.<br>Grey &amp; black.</p><ul><li>Cotton</li><li>Fit</li></ul>"
        "<script>x()</script>"
    )

    assert html_to_text(html) == "Womens top.\nGrey & black.\n\n• Cotton\n• Fit"


def test_the_mapping_page_names_the_format_and_offers_the_category_tick_box(
    store, owner, client_for
):
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(sample("shopify_sample.csv"), "products.csv")
    )
    page = client_for(owner).get(f"/store/{store.handle}/catalog/imports/{job.pk}/mapping/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Recognised: <strong>Shopify product export</strong>" in text
    tick_box = re.search(r'<input[^>]*name="create_categories"[^>]*>', text).group(0)
    assert 'type="checkbox"' in tick_box and " checked" in tick_box


# --- Shopify ------------------------------------------------------------------------------------
def test_shopify_dry_run_lists_warnings_new_categories_images_and_ignored_columns(store, owner):
    job = checked(store, owner, "shopify_sample.csv")

    summary = job.summary
    assert job.status == ImportStatus.VALIDATED
    assert summary["source_format"] == "shopify"
    assert (summary["rows"], summary["valid_rows"], summary["error_rows"]) == (7, 5, 0)
    assert (summary["products_created"], summary["variants_created"]) == (3, 5)
    assert messages(summary["warnings"]) == [
        (
            5,
            "compare_at_price",
            "Compare-at price €55.00 is below the price €60.00: it was left out, so the sale "
            "badge will not show.",
        ),
        (7, "sku", "No SKU: “yellow-wool-jumper” was made from the handle and options."),
    ]
    assert summary["new_categories"] == [
        "Apparel & Accessories",
        "Apparel & Accessories > Clothing",
        "Apparel & Accessories > Clothing > Clothing Tops",
        "Apparel & Accessories > Clothing > Clothing Tops > Shirts",
    ]
    assert [
        (i["handle"], i["url"], i["position"], i["alt"], i["status"]) for i in summary["images"]
    ] == [
        (
            "ocean-blue-shirt",
            "https://burst.shopifycdn.com/photos/ocean-blue-shirt.jpg",
            1,
            "Ocean blue shirt",
            "pending",
        ),
        (
            "ocean-blue-shirt",
            "https://burst.shopifycdn.com/photos/ocean-blue-shirt-back.jpg",
            2,
            "Back view",
            "pending",
        ),
        (
            "classic-varsity-top",
            "https://burst.shopifycdn.com/photos/classic-varsity-top.jpg",
            1,
            "",
            "pending",
        ),
        (
            "yellow-wool-jumper",
            "https://burst.shopifycdn.com/photos/yellow-wool-jumper.jpg",
            1,
            "Yellow wool jumper",
            "pending",
        ),
        (
            "yellow-wool-jumper",
            "https://burst.shopifycdn.com/photos/yellow-wool-jumper-detail.jpg",
            2,
            "",
            "pending",
        ),
    ]
    reasons = summary["ignored_reasons"]
    assert reasons["Price / United States"] == (
        "Per-market prices aren't imported: the variant's price is used in every market."
    )
    assert reasons["Variant Inventory Policy"] == (
        "Selling when out of stock isn't a setting here: tracked stock stops at zero."
    )
    assert "Google Shopping / Gender" in reasons
    assert set(summary["ignored_columns"]) == set(reasons)
    assert Product.objects.for_store(store).count() == 0
    assert Category.objects.for_store(store).count() == 0


def test_shopify_run_imports_every_product_with_inherited_options_and_created_categories(
    store, owner
):
    job = imported(store, owner, "shopify_sample.csv")

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.skipped_count) == (5, 0)
    shirt = Product.objects.for_store(store).get(handle="ocean-blue-shirt")
    assert shirt.title == "Ocean Blue Shirt"
    assert (
        shirt.description
        == "Ocean blue cotton shirt with a narrow collar & buttons down the front."
    )
    assert shirt.status == "active"
    assert shirt.tags == ["men", "Shirts"]
    assert shirt.category.name == "Shirts"
    assert [
        (v.sku, v.option_values, v.weight, v.weight_unit, v.stock_quantity, v.price, v.cost)
        for v in shirt.variants.order_by("position")
    ] == [
        ("OBS-XS", {"Size": "xs"}, Decimal("0.227"), "kg", 10, Decimal("50.00"), Decimal("20.00")),
        ("OBS-S", {"Size": "s"}, Decimal("0.227"), "kg", 5, Decimal("50.00"), Decimal("20.00")),
    ]
    top = Product.objects.for_store(store).get(handle="classic-varsity-top")
    assert top.description == "Womens casual varsity top.\nGrey & black.\n\n• Cotton\n• Relaxed fit"
    assert top.seo_title == "Varsity top"
    assert [
        (v.sku, v.option_values, v.price, v.compare_at_price, v.weight)
        for v in top.variants.order_by("position")
    ] == [
        ("CVT-XS-GREY", {"Size": "xs", "Color": "Grey"}, Decimal("60.00"), None, Decimal("0.000")),
        (
            "CVT-S-GREY",
            {"Size": "s", "Color": "Grey"},
            Decimal("60.00"),
            Decimal("70.00"),
            Decimal("0.000"),
        ),
    ]
    jumper = Product.objects.for_store(store).get(handle="yellow-wool-jumper")
    assert jumper.status == "draft"  # Published FALSE and no status
    assert jumper.category.name == "Clothing"
    assert [(v.sku, v.option_values, v.weight, v.weight_unit) for v in jumper.variants.all()] == [
        ("yellow-wool-jumper", {}, Decimal("1.000"), "lb")
    ]
    assert category_paths(store) == [
        "Apparel & Accessories",
        "Apparel & Accessories > Clothing",
        "Apparel & Accessories > Clothing > Clothing Tops",
        "Apparel & Accessories > Clothing > Clothing Tops > Shirts",
    ]
    assert messages(job.summary["warnings"])[0][0] == 5


def test_shopify_images_stay_pending_with_a_note_when_the_portal_cannot_fetch(
    store, owner, settings
):
    settings.CATALOG_IMAGE_FETCH = False

    job = imported(store, owner, "shopify_sample.csv")

    assert {i["status"] for i in job.summary["images"]} == {"pending"}
    assert job.summary["images"][0]["note"] == (
        "Not downloaded: this portal doesn't fetch images from the internet "
        "(CATALOG_IMAGE_FETCH is off). Add it on the product page."
    )


def test_shopify_images_are_queued_for_the_background_fetch(
    store, owner, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.CATALOG_IMAGE_FETCH = True
    queued = []
    monkeypatch.setattr(jobs, "job_enqueue", lambda job: queued.append(job))
    monkeypatch.setattr(image_fetch, "job_enqueue", lambda job: queued.append(job))

    job = imported(store, owner, "shopify_sample.csv")

    fetch = ImageFetchJob.objects.get(import_job=job)
    assert queued == [fetch]
    assert (fetch.status, fetch.total) == ("queued", len(job.summary["images"]))
    assert {i["status"] for i in job.summary["images"]} == {"queued"}


def test_unticked_categories_are_not_created_and_products_keep_no_category(store, owner):
    job = imported(store, owner, "shopify_sample.csv", create_categories=False)

    assert job.status == ImportStatus.DONE
    assert job.created_count == 5
    assert Category.objects.for_store(store).count() == 0
    assert set(Product.objects.for_store(store).values_list("category", flat=True)) == {None}
    assert job.summary["new_categories"] == []
    assert (
        2,
        "category",
        "Category “Apparel & Accessories > Clothing > Clothing Tops > Shirts” doesn't exist "
        "and creating categories was unticked: the product has no category.",
    ) in messages(job.summary["warnings"])


def test_existing_categories_are_reused(store, owner):
    apparel = Category.objects.create(store=store, name="Apparel & Accessories", slug="apparel")

    job = checked(store, owner, "shopify_sample.csv")

    assert job.summary["new_categories"][0] == "Apparel & Accessories > Clothing"
    services.import_job_start(store=store, job=job, actor=owner)
    assert Category.objects.for_store(store).get(name="Clothing").parent_id == apparel.pk


def test_result_page_lists_warnings_images_and_new_categories(store, owner, client_for, settings):
    settings.CATALOG_IMAGE_FETCH = False
    job = checked(store, owner, "shopify_sample.csv")
    client = client_for(owner)

    preview = client.get(f"/store/{store.handle}/catalog/imports/{job.pk}/").content.decode()
    assert "Apparel &amp; Accessories &gt; Clothing &gt; Clothing Tops &gt; Shirts" in preview
    assert "the sale badge will not show" in preview
    assert "Per-market prices aren&#x27;t imported" in preview
    assert "5 images" in preview

    services.import_job_start(store=store, job=job, actor=owner)
    result = client.get(f"/store/{store.handle}/catalog/imports/{job.pk}/").content.decode()
    assert "ocean-blue-shirt-back.jpg" in result
    assert "CATALOG_IMAGE_FETCH is off" in result
    assert "the sale badge will not show" in result


# --- WooCommerce --------------------------------------------------------------------------------
def test_woocommerce_export_imports_variable_products_with_their_variations(store, owner):
    job = imported(store, owner, "woocommerce_sample.csv")

    assert job.summary["source_format"] == "woocommerce"
    assert messages(job.summary["errors"]) == [
        (7, "source_type", "WooCommerce grouped products can't be imported; import its products."),
        (8, "parent", "Parent “id:99” isn't a variable product earlier in the file."),
    ]
    hoodie = Product.objects.for_store(store).get(handle="hoodie")
    assert (hoodie.title, hoodie.description, hoodie.status) == (
        "Hoodie",
        "Warm hoodie\n\nA warm hoodie.",
        "active",
    )
    assert hoodie.tags == ["winter", "cotton"]
    assert hoodie.category.name == "Hoodies"
    assert [
        (
            v.sku,
            v.option_values,
            v.price,
            v.compare_at_price,
            v.weight,
            v.weight_unit,
            v.stock_quantity,
        )
        for v in hoodie.variants.order_by("position")
    ] == [
        (
            "woo-hoodie-blue-s",
            {"Color": "Blue", "Size": "S"},
            Decimal("35.00"),
            Decimal("45.00"),
            Decimal("0.450"),
            "kg",
            5,
        ),
        (
            "woo-hoodie-green-m",
            {"Color": "Green", "Size": "M"},
            Decimal("45.00"),
            None,
            Decimal("0.500"),
            "kg",
            2,
        ),
    ]
    beanie = Product.objects.for_store(store).get(handle="beanie")
    assert beanie.description == "Knitted beanie"
    assert [
        (v.sku, v.option_values, v.price, v.compare_at_price) for v in beanie.variants.all()
    ] == [("woo-beanie", {}, Decimal("18.00"), Decimal("20.00"))]
    cap = Product.objects.for_store(store).get(handle="cap")
    assert (cap.status, cap.category) == ("draft", None)
    assert [(v.price, v.compare_at_price) for v in cap.variants.all()] == [(Decimal("30.00"), None)]
    assert messages(job.summary["warnings"]) == [
        (2, "category", "Only the first category is kept: “Sale” was left out."),
        (5, "option1_name", "Attribute “Material: Wool” of a simple product isn't imported."),
        (
            6,
            "price",  # the file's "Regular price"
            "Regular price €25.00 is below the sale price €30.00: the sale price is used, "
            "without a sale badge.",
        ),
    ]
    assert [(i["handle"], i["url"], i["position"]) for i in job.summary["images"]] == [
        ("hoodie", "https://example.com/hoodie-blue.jpg", 1),
        ("hoodie", "https://example.com/hoodie-green.jpg", 2),
        ("beanie", "https://example.com/beanie.jpg", 1),
    ]
    assert category_paths(store) == ["Accessories", "Clothing", "Clothing > Hoodies"]
    assert "Is featured?" in job.summary["ignored_reasons"]


def test_shopify_blank_inventory_tracker_means_stock_is_not_tracked(store, owner):
    header = (
        "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Tracker,"
        "Variant Inventory Qty,Variant Price,Status\n"
    )
    body = (
        "gift-wrap,Gift wrap,Title,Default Title,WRAP-1,,0,2.00,active\n"
        "mug,Mug,Title,Default Title,MUG-9,shopify,4,9.00,active\n"
    )
    job = services.import_job_create(
        store=store, actor=owner, upload=upload((header + body).encode(), "products_export.csv")
    )
    job = services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    services.import_job_start(store=store, job=job, actor=owner)

    tracked = dict(
        Product.objects.for_store(store).values_list("variants__sku", "variants__track_inventory")
    )
    assert tracked == {"WRAP-1": False, "MUG-9": True}


# --- review: skipped rows, yen, short descriptions ------------------------------------------------
SHOPIFY_HEADER = (
    "Handle,Title,Body (HTML),Product Category,Option1 Name,Option1 Value,Variant SKU,"
    "Variant Price,Variant Compare At Price,Status"
)


def shopify_file(store, owner, lines, *, name="shop.csv"):
    body = "\n".join([SHOPIFY_HEADER, *lines]).encode()
    job = services.import_job_create(store=store, actor=owner, upload=upload(body, name))
    return services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")


def test_a_skipped_row_creates_no_category_and_its_warnings_are_listed_as_skipped(
    store, owner, client_for
):
    job = shopify_file(
        store,
        owner,
        [
            # row 2: skipped (no price can be read), with a new category and a warning
            "pan,Pan,,Home & Garden > Kitchen > Pans,Title,Default Title,,abc,,active",
            # row 3: imported, a warning of its own, a category that is created
            "mug,Mug,,Home & Garden > Kitchen > Mugs,Title,Default Title,,9.00,,active",
        ],
    )
    client = client_for(owner)

    assert [e["row"] for e in job.summary["errors"]] == [2]
    assert job.summary["new_categories"] == [
        "Home & Garden",
        "Home & Garden > Kitchen",
        "Home & Garden > Kitchen > Mugs",
    ]
    preview = client.get(f"/store/{store.handle}/catalog/imports/{job.pk}/").content.decode()
    imported_part, skipped_part = _warning_sections(preview)
    assert "“mug”" in imported_part and "“pan”" not in imported_part
    assert "“pan”" in skipped_part and "“mug”" not in skipped_part
    assert "Pans" not in preview

    services.import_job_start(store=store, job=job, actor=owner)
    job.refresh_from_db()

    assert category_paths(store) == [
        "Home & Garden",
        "Home & Garden > Kitchen",
        "Home & Garden > Kitchen > Mugs",
    ]
    result = client.get(f"/store/{store.handle}/catalog/imports/{job.pk}/").content.decode()
    imported_part, skipped_part = _warning_sections(result)
    assert "“mug”" in imported_part and "“pan”" not in imported_part
    assert "“pan”" in skipped_part and "“mug”" not in skipped_part


def _warning_sections(page: str) -> tuple[str, str]:
    """The text of the warnings on imported rows and of those on skipped rows."""

    def section(title_id: str) -> str:
        start = page.index(f'id="{title_id}"')
        return page[start : page.index("</section>", start)]

    imported_part = section("warnings-title")
    assert "imported" in imported_part
    skipped_part = section("skipped-warnings-title")
    assert "skipped" in skipped_part
    return imported_part, skipped_part


def test_a_yen_import_writes_its_warning_amounts_without_decimals(store, owner):
    store.currency = "JPY"
    store.save()

    job = shopify_file(
        store, owner, ["mug,Mug,,,Title,Default Title,MUG,1500,1200,active"], name="yen.csv"
    )

    (warning,) = [w for w in job.summary["warnings"] if w["column"] == "compare_at_price"]
    assert warning["message"] == (
        "Compare-at price ¥1,200 is below the price ¥1,500: it was left out, "
        "so the sale badge will not show."
    )


def test_woocommerce_short_description_comes_before_the_description(store, owner):
    job = imported(store, owner, "woocommerce_sample.csv")

    hoodie = Product.objects.for_store(store).get(handle="hoodie")
    assert hoodie.description == "Warm hoodie\n\nA warm hoodie."
    assert "Short description" not in job.summary["ignored_columns"]


def test_warnings_and_errors_name_the_shopify_files_own_columns(store, owner, client_for):
    job = shopify_file(
        store,
        owner,
        [
            "mug,Mug,,,Title,Default Title,MUG,15.00,12.00,active",
            "pan,Pan,,,Title,Default Title,PAN,abc,,active",
        ],
    )

    page = client_for(owner).get(f"/store/{store.handle}/catalog/imports/{job.pk}/").text

    columns = re.findall(r'<td data-label="Column">([^<]*)</td>', page)
    assert "Variant Compare At Price" in columns  # the compare-at warning of “mug”
    assert "Variant Price" in columns  # the error of “pan”
    assert not {"compare_at_price", "price"} & set(columns)
