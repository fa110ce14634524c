"""Large demo catalogs (``seed_demo --scale medium|large``) through the import's bulk path.

Rows are generated in the import file's format and go through the same validation, COPY
staging and SQL upsert as an uploaded CSV (``catalog_rows_load``): one import job, one
transaction, one audit entry, stock recorded as inventory movements.
"""

from __future__ import annotations

from collections.abc import Iterator

from apps.catalog import services as catalog_services
from apps.catalog.inputs import gtin13
from apps.catalog.io.bulk import category_paths
from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.io.validation import category_key
from apps.catalog.services import catalog_rows_load

PRODUCTS = {"medium": 10_000, "large": 100_000}
SIZES = ("S", "M", "L")

CATEGORY_TREE = {
    "Apparel": ["Shirts", "Trousers", "Jackets", "Knitwear"],
    "Footwear": ["Sneakers", "Boots"],
    "Home": ["Kitchen", "Textiles", "Lighting"],
    "Outdoor": ["Camping", "Cycling"],
}
ADJECTIVES = (
    "Classic", "Linen", "Organic", "Merino", "Waxed", "Quilted", "Relaxed", "Slim", "Heritage",
    "Everyday", "Summit", "Coastal", "Urban", "Alpine", "Canvas", "Recycled", "Featherweight",
    "Brushed", "Ribbed", "Vintage",
)  # fmt: skip
NOUNS = {
    "Shirts": ("Shirt", "Oxford", "Polo", "Overshirt"),
    "Trousers": ("Chino", "Jeans", "Cargo pants", "Joggers"),
    "Jackets": ("Parka", "Rain jacket", "Bomber", "Gilet"),
    "Knitwear": ("Sweater", "Cardigan", "Hoodie", "Beanie"),
    "Sneakers": ("Runner", "Court sneaker", "Trail shoe"),
    "Boots": ("Chelsea boot", "Hiking boot", "Rain boot"),
    "Kitchen": ("Mug", "Chef knife", "Cutting board", "Tea towel"),
    "Textiles": ("Throw", "Cushion cover", "Duvet cover"),
    "Lighting": ("Desk lamp", "Pendant light", "Lantern"),
    "Camping": ("Tent", "Sleeping bag", "Camp stove"),
    "Cycling": ("Bike light", "Saddle bag", "Bottle cage"),
}
COLOURS = ("Black", "Navy", "Olive", "Sand", "Rust", "Grey", "White", "Forest")
VENDORS = ("Acme", "Northwind", "Fjord & Co", "Atlas Goods", "Kestrel", "Morrow Supply")


def _ensure_categories(*, store, actor) -> dict[str, str]:
    """The demo's category paths, created through the catalog's own service where missing."""
    existing = category_paths(store=store)
    leaves: dict[str, str] = {}
    for parent_name, children in CATEGORY_TREE.items():
        parent_id = existing.get(category_key(parent_name))
        if parent_id is None:
            parent_id = catalog_services.category_create(
                store=store, actor=actor, name=parent_name
            ).pk
        for child in children:
            path = f"{parent_name} > {child}"
            if category_key(path) not in existing:
                catalog_services.category_create(
                    store=store, actor=actor, name=child, parent=parent_id
                )
            leaves[child] = path
    return leaves


def generate_rows(*, rng, products: int, leaves: dict[str, str]) -> Iterator[list[str]]:
    """``products`` products with three sizes each, as rows in ``COLUMN_NAMES`` order."""
    leaf_names = sorted(leaves)
    for number in range(1, products + 1):
        leaf = leaf_names[number % len(leaf_names)]
        colour = rng.choice(COLOURS)
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS[leaf]).lower()} {colour.lower()}"
        title = title[0].upper() + title[1:]
        handle = f"bulk-{number:06d}"
        base_price = rng.randrange(900, 25000) / 100
        has_sale = rng.random() < 0.2
        status = "active" if rng.random() < 0.85 else rng.choice(("draft", "archived"))
        tags = ", ".join(
            sorted({leaf.lower(), colour.lower(), rng.choice(("new", "bestseller", "eco"))})
        )
        vendor = rng.choice(VENDORS)
        for size_index, size in enumerate(SIZES):
            price = base_price + size_index * 2
            stock = rng.choice(
                (0, rng.randrange(1, 6), rng.randrange(6, 120), rng.randrange(6, 120))
            )
            values = {
                "handle": handle,
                "title": title,
                "description": f"{title} by {vendor}. Demo product number {number}.",
                "status": status,
                "category": leaves[leaf],
                "tags": tags,
                "vendor": vendor,
                "low_stock_threshold": "5",
                "sku": f"BLK-{number:06d}-{size}",
                "option1_name": "Size",
                "option1_value": size,
                "option2_name": "Colour",
                "option2_value": colour,
                "price": f"{price:.2f}",
                "compare_at_price": f"{price * 1.25:.2f}" if has_sale else "",
                "cost": f"{price * 0.45:.2f}",
                "weight": f"{0.2 + size_index * 0.05:.3f}",
                "weight_unit": "kg",
                "barcode": gtin13(f"40{number:08d}{size_index:02d}"),
                "stock_quantity": str(stock),
                "track_inventory": "true",
            }
            yield [values.get(name, "") for name in COLUMN_NAMES]


def seed(context) -> None:
    products = PRODUCTS.get(context.scale)
    if not products:
        return
    store = context.stores["main"]
    actor = context.users.get("owner")
    leaves = _ensure_categories(store=store, actor=actor)
    total = products * len(SIZES)
    context.progress.step("catalog (bulk)", 0, total)
    catalog_rows_load(
        store=store,
        actor=actor,
        name=f"Demo catalog ({context.scale}, {products:,} products)",
        rows=generate_rows(rng=context.rng, products=products, leaves=leaves),
        total=total,
        progress=lambda done: context.progress.step("catalog (bulk)", min(done, total), total),
    )
