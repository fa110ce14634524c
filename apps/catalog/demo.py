"""Demo catalog for the main demo store, created through the catalog's own services.

A category tree, a few hundred products with size/colour variants, prices (some on sale),
stock levels with some low and sold-out variants, stock movements, and small generated
images on a handful of products. Deterministic through ``context.rng``.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.catalog import services
from apps.catalog.inputs import gtin13
from apps.catalog.models import InventoryReason, Variant
from apps.core.demo import DemoContext

PRODUCTS_PER_SCALE = 240  # the larger scales add their bulk rows in demo_bulk
IMAGES = 8

TREE = {
    "Apparel": ["Shirts", "Trousers", "Knitwear"],
    "Footwear": [],
    "Accessories": ["Bags", "Hats"],
    "Home": ["Kitchen", "Textiles"],
}
# leaf category -> (nouns, kind of options, price range)
RANGE = {
    "Shirts": (("Oxford shirt", "Linen shirt", "Polo", "Flannel shirt"), "apparel", (29, 79)),
    "Trousers": (("Chinos", "Slim jeans", "Cargo trousers"), "apparel", (45, 119)),
    "Knitwear": (("Merino sweater", "Cardigan", "Hoodie", "Cable knit"), "apparel", (49, 149)),
    "Footwear": (("Runner", "Chelsea boot", "Court sneaker", "Loafer"), "shoes", (69, 189)),
    "Bags": (("Tote bag", "Backpack", "Weekender", "Crossbody bag"), "colour", (25, 160)),
    "Hats": (("Beanie", "Baseball cap", "Bucket hat"), "colour", (15, 45)),
    "Kitchen": (("Mug", "Chef knife", "Cutting board", "Tea towel"), "single", (9, 129)),
    "Textiles": (("Throw", "Cushion cover", "Duvet cover", "Bath towel"), "colour", (19, 139)),
}
ADJECTIVES = (
    "Classic", "Organic", "Heritage", "Everyday", "Coastal", "Urban", "Alpine", "Recycled",
    "Brushed", "Relaxed", "Featherweight", "Waxed", "Vintage", "Studio", "Harbour",
)  # fmt: skip
VENDORS = ("Acme Supply", "Northwind", "Fjord & Field", "Atelier Nord", "Old Mill", "Kiln Co.")
COLOURS = (
    ("Navy", (31, 53, 94)),
    ("Olive", (94, 102, 52)),
    ("Sand", (206, 186, 150)),
    ("Black", (30, 30, 30)),
    ("White", (236, 236, 232)),
    ("Rust", (163, 72, 38)),
)
SIZES = ("XS", "S", "M", "L", "XL")
SHOE_SIZES = ("39", "40", "41", "42", "43", "44")
TAGS = ("new", "bestseller", "sale", "organic", "gift", "summer", "winter", "limited")


def _png(colour: tuple[int, int, int], label: str) -> bytes:
    picture = Image.new("RGB", (480, 480), colour)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 40, 440, 440), outline=(255, 255, 255), width=6)
    draw.text((60, 220), label[:28], fill=(255, 255, 255))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _sale_price(base: Decimal) -> Decimal:
    return (base * Decimal("1.25")).quantize(Decimal("1.")) - Decimal("0.01")


def _variants(rng, kind: str, handle_code: str, base: Decimal) -> list[dict]:
    colours = rng.sample(COLOURS, k=rng.randint(1, 3))
    if kind == "apparel":
        combos = [
            {"Size": size, "Colour": colour}
            for colour, _rgb in colours[:2]
            for size in SIZES[rng.randint(0, 1) : rng.randint(3, 5)]
        ]
    elif kind == "shoes":
        combos = [{"Size": size} for size in SHOE_SIZES[rng.randint(0, 2) :]]
    elif kind == "colour":
        combos = [{"Colour": colour} for colour, _rgb in colours]
    else:
        combos = [{}]
    on_sale = rng.random() < 0.2
    rows = []
    for index, options in enumerate(combos):
        roll = rng.random()
        if roll < 0.07:
            stock = 0
        elif roll < 0.18:
            stock = rng.randint(1, 5)
        else:
            stock = rng.randint(6, 80)
        suffix = "-".join(str(v)[:3].upper() for v in options.values()) or "STD"
        rows.append(
            {
                "sku": f"{handle_code}-{suffix}-{index}",
                "option_values": options,
                "price": base,
                "compare_at_price": _sale_price(base) if on_sale else None,
                "cost": (base * Decimal("0.45")).quantize(Decimal("0.01")),
                "weight": Decimal(rng.randint(150, 1500)),
                "weight_unit": "g",
                "barcode": gtin13(f"400{rng.randint(10**8, 10**9 - 1)}"),
                "stock_quantity": stock,
                "track_inventory": kind != "single" or rng.random() < 0.8,
            }
        )
    return rows


def seed(context: DemoContext) -> None:
    store = context.stores["main"]
    owner = context.users["owner"]
    rng = context.rng
    total = PRODUCTS_PER_SCALE
    steps = total + 2

    categories = {}
    for name, children in TREE.items():
        parent = services.category_create(store=store, actor=owner, name=name)
        categories[name] = parent
        for child in children:
            categories[child] = services.category_create(
                store=store, actor=owner, name=child, parent=parent
            )
    context.progress.step("catalog", 1, steps)

    leaves = list(RANGE)
    used_titles: set[str] = set()
    for number in range(1, total + 1):
        leaf = leaves[number % len(leaves)]
        nouns, kind, (low, high) = RANGE[leaf]
        for _attempt in range(12):
            title = f"{rng.choice(ADJECTIVES)} {rng.choice(nouns).lower()}"
            if title not in used_titles:
                break
        else:
            title = f"{title} no. {number}"
        used_titles.add(title)
        base = Decimal(rng.randint(low, high)) - Decimal("0.10")
        roll = rng.random()
        status = "active" if roll < 0.8 else ("draft" if roll < 0.93 else "archived")
        code = f"{leaf[:3].upper()}{number:04d}"
        product = services.product_create(
            store=store,
            actor=owner,
            title=title,
            description=f"{title} from our {leaf.lower()} range. Made to last, easy to care for.",
            status=status,
            category=categories[leaf if rng.random() < 0.9 else next(iter(TREE))].pk,
            vendor=rng.choice(VENDORS),
            tags=rng.sample(TAGS, k=rng.randint(0, 3)),
            seo_title=title[:70],
            low_stock_threshold=rng.choice((3, 5, 5, 10)),
            variants=_variants(rng, kind, code, base),
        )
        if number <= IMAGES:
            colour = rng.choice(COLOURS)
            for view in ("front", "back")[: rng.randint(1, 2)]:
                services.image_add(
                    store=store,
                    actor=owner,
                    product=product,
                    upload=SimpleUploadedFile(
                        f"{product.handle}-{view}.png", _png(colour[1], title), "image/png"
                    ),
                    alt_text=f"{title} in {colour[0].lower()}, {view} view",
                )
        if number % 20 == 0:
            context.progress.step("catalog", number + 1, steps)

    # a little stock history: deliveries, sales, returns, a damaged item
    variants = list(
        Variant.objects.for_store(store).filter(stock_quantity__gt=3).order_by("id")[:400]
    )
    for variant in rng.sample(variants, k=min(60, len(variants))):
        reason = rng.choice(
            (InventoryReason.RECEIVED, InventoryReason.SOLD, InventoryReason.SOLD,
             InventoryReason.RETURNED, InventoryReason.DAMAGED)
        )  # fmt: skip
        delta = {
            InventoryReason.RECEIVED: rng.randint(5, 30),
            InventoryReason.SOLD: -rng.randint(1, 3),
            InventoryReason.RETURNED: 1,
            InventoryReason.DAMAGED: -1,
        }[reason]
        note = {InventoryReason.RECEIVED: f"Delivery {rng.randint(1000, 9999)}"}.get(reason, "")
        services.stock_adjust(
            store=store, actor=owner, variant=variant, delta=delta, reason=reason, note=note
        )
    context.progress.step("catalog", steps, steps)
