"""What the catalog adds to the portal: its area, product search, first setup step, demo data,
and how the audit log words its changes."""

from __future__ import annotations

from pathlib import PurePosixPath

from apps.audit.registry import register_action, register_target
from apps.catalog import demo, demo_bulk
from apps.catalog.models import Category, InventoryReason, Product, ProductStatus
from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG
from apps.catalog.search import product_hits
from apps.catalog.services.bulk import BULK_ACTIONS
from apps.core.models import Store
from apps.core.money import money_format
from apps.core.portal import (
    DemoSeeder,
    NavItem,
    SearchProvider,
    SetupStep,
    StoreCleanup,
    register_api_urls,
    register_demo_seeder,
    register_nav,
    register_role_description,
    register_search,
    register_setup_step,
    register_store_cleanup,
    register_use,
)
from apps.core.roles import Role


def _product_added(store: Store) -> bool:
    return Product.objects.for_store(store).exists()


register_nav(NavItem("Catalog", "catalog:product-list", VIEW_CATALOG, order=40, icon="catalog"))
register_search(
    SearchProvider(
        "Products", VIEW_CATALOG, product_hits, order=40, more_url_name="catalog:product-list"
    )
)
register_setup_step(
    SetupStep(
        key="products",
        title="Add your products",
        description="Create your catalog: products with their variants, prices and stock.",
        action_label="Add a product",
        url_name="catalog:product-create",
        perm=MANAGE_CATALOG,
        is_done=_product_added,
        order=40,
    )
)

for offset, resource in enumerate(("products", "variants", "categories", "images", "stock")):
    register_use("api", resource, order=40 + offset)
register_use(
    "currency", "Product prices are entered and shown in it, with its own decimals.", order=40
)

register_api_urls("apps.catalog.api_urls", order=40)
register_demo_seeder(DemoSeeder("catalog", demo.seed, order=40))
register_demo_seeder(DemoSeeder("catalog-bulk", demo_bulk.seed, order=41))
register_role_description(Role.OWNER, "catalog", order=40)
register_role_description(Role.MANAGER, "catalog", order=40)
register_role_description(Role.SUPPORT, "catalog (read-only)", order=40)


# --- how the audit log words this app's changes (apps.audit.registry) ---
PRODUCT_FIELDS = {
    "compare_at_price": "Compare-at price",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
    "low_stock_threshold": "Low-stock threshold",
}
VARIANT_FIELDS = {
    "sku": "SKU",
    "compare_at_price": "Compare-at price",
    "stock_quantity": "Stock",
    "track_inventory": "Track stock",
    "option_values": "Options",
}

MONEY_FIELDS = frozenset({"price", "compare_at_price", "cost"})
# the order of variants, images and categories is kept by an internal number; an image's
# order by the images' ids: the sentence ("reordered the images") says it in words
INTERNAL_FIELDS = frozenset({"position", "images"})


def _tag_changes(before, after, **_context) -> list[tuple[str, str]]:
    """A bulk action's ``"+sale"`` / ``"-sale"``, or the tag lists before and after a save."""
    if isinstance(after, str) and after[:1] in {"+", "-"} and not before:
        return [("Tag added" if after[0] == "+" else "Tag removed", after[1:])]
    before_tags, after_tags = list(before or []), list(after or [])
    return [("Tag added", tag) for tag in after_tags if tag not in before_tags] + [
        ("Tag removed", tag) for tag in before_tags if tag not in after_tags
    ]


def _image_changes(before, after, **_context) -> list[tuple[str, str]]:
    """An image by the name of its file, never its storage path."""
    lines = []
    if after:
        lines.append(("Image added", PurePosixPath(str(after)).name))
    if before:
        lines.append(("Image removed", PurePosixPath(str(before)).name))
    return lines


def _price_changes(before, after, *, currency: str, changes: dict) -> list[tuple[str, str]]:
    """A bulk price adjustment (``"+10 %"`` by percent, ``"-0.5"`` by an amount; a product has
    no price of its own) as the change made: "Prices of 3 variants lowered by €0.50"."""
    text = str(after or "")
    if before is not None or text[:1] not in {"+", "-"}:
        return [("Price", f"{before or '—'} → {after or '—'}")]
    by = text[1:].strip()
    if not by.endswith("%") and currency:
        by = money_format(by, currency)
    count = (changes.get("variants") or [None, None])[-1]
    subject = f"Prices of {count} variants" if isinstance(count, int) and count > 1 else "Price"
    return [("", f"{subject} {'raised' if text[0] == '+' else 'lowered'} by {by}")]


register_target(
    "catalog.product",
    url_name="catalog:product-update",
    id_kwarg="product_id",
    field_labels=PRODUCT_FIELDS,
    value_labels={"status": dict(ProductStatus.choices)},
    # "variants": how many variants a bulk price adjustment changed, said by its price line
    hidden_fields=INTERNAL_FIELDS | {"variants"},
    money_fields=MONEY_FIELDS,
    change_words={"tags": _tag_changes, "image": _image_changes, "price": _price_changes},
)
register_target(
    "catalog.variant",
    url_name="catalog:variant-detail",
    id_kwarg="variant_id",
    field_labels=VARIANT_FIELDS,
    value_labels={"reason": dict(InventoryReason.choices)},
    hidden_fields=INTERNAL_FIELDS,
    money_fields=MONEY_FIELDS,
)
register_target(
    "catalog.category",
    url_name="catalog:category-update",
    id_kwarg="category_id",
    field_labels={"parent": "Parent category"},
    hidden_fields=INTERNAL_FIELDS,
)
register_target(
    "catalog.importjob",
    url_name="catalog:import-detail",
    id_kwarg="job_id",
    name=lambda text: text.removeprefix("Import "),
)

register_action("product.created", "added the product “{target}”", label="Product added")
register_action("product.updated", "changed the product “{target}”", label="Product changed")
register_action("product.deleted", "deleted the product “{target}”", label="Product deleted")
register_action(
    "product.image_added",
    "added an image to the product “{target}”",
    label="Image added",
    creates=True,
)
register_action(
    "product.image_updated", "changed an image of the product “{target}”", label="Image changed"
)
register_action(
    "product.images_reordered",
    "reordered the images of the product “{target}”",
    label="Images reordered",
)
register_action(
    "product.image_removed", "removed an image of the product “{target}”", label="Image removed"
)
for action, verb in {
    "activate": "set the product “{target}” active",
    "archive": "archived the product “{target}”",
    "draft": "set the product “{target}” to draft",
    "set_category": "changed the category of the product “{target}”",
    "add_tag": "tagged the product “{target}”",
    "remove_tag": "removed a tag from the product “{target}”",
    "adjust_price": "adjusted the prices of the product “{target}”",
}.items():
    register_action(
        f"product.bulk_{action}", verb, label=f"Bulk action: {BULK_ACTIONS[action].lower()}"
    )
register_action("variant.created", "added the variant “{target}”", label="Variant added")
register_action("variant.updated", "changed the variant “{target}”", label="Variant changed")
register_action("variant.deleted", "deleted the variant “{target}”", label="Variant deleted")
register_action("stock.adjusted", "adjusted the stock of “{target}”", label="Stock adjusted")
register_action("category.created", "added the category “{target}”", label="Category added")
register_action("category.updated", "changed the category “{target}”", label="Category changed")
register_action("category.moved", "moved the category “{target}”", label="Category moved")
register_action("category.deleted", "deleted the category “{target}”", label="Category deleted")
register_action("catalog.imported", "imported “{target}”", label="Catalog imported", creates=True)

# the catalog's background jobs, cancelled from their progress pages (services.jobs)
register_target("catalog.bulkjob", url_name="catalog:bulk-job-detail", id_kwarg="bulk_job_id")
register_target("catalog.exportjob", url_name="catalog:export-detail", id_kwarg="export_id")
register_target("catalog.imagefetchjob")
for model_name, sentence, label in (
    ("importjob", "cancelled the import “{target}”", "Import cancelled"),
    ("bulkjob", "cancelled the bulk action “{target}”", "Bulk action cancelled"),
    ("exportjob", "cancelled the export “{target}”", "Export cancelled"),
    ("imagefetchjob", "cancelled fetching the “{target}”", "Image fetch cancelled"),
):
    register_action(f"{model_name}.cancelled", sentence, label=label)


def _clear_category_trees(stores) -> None:
    # a parent is protected by its children: untie the tree, then the store cascades it
    Category.objects.filter(store__in=stores).update(parent=None)


register_store_cleanup(StoreCleanup("catalog", _clear_category_trees, order=40))
