"""Two sibling categories may not share a name (case-insensitive), at the top level too; an
index for finding a variant by its exact barcode (the product search).

Existing duplicates are renamed first: the second "Shirts" under one parent becomes
"Shirts (2)", the third "Shirts (3)", … (the oldest keeps its name).
"""

import django.db.models.functions.text
from django.db import migrations, models


def rename_duplicate_siblings(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    taken: dict[tuple, set[str]] = {}
    for category in Category.objects.order_by("store_id", "parent_id", "id").iterator():
        names = taken.setdefault((category.store_id, category.parent_id), set())
        if category.name.lower() not in names:
            names.add(category.name.lower())
            continue
        number = 2
        while f"{category.name[:110]} ({number})".lower() in names:
            number += 1
        category.name = f"{category.name[:110]} ({number})"
        names.add(category.name.lower())
        category.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_product_summary"),
    ]

    operations = [
        migrations.RunPython(rename_duplicate_siblings, migrations.RunPython.noop),
        # no deferred foreign-key checks may be pending when the index is built
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                models.F("store"),
                models.F("parent"),
                django.db.models.functions.text.Lower("name"),
                name="category_unique_sibling_name",
                nulls_distinct=False,
            ),
        ),
        migrations.AddIndex(
            model_name="variant",
            index=models.Index(fields=["store", "barcode"], name="variant_store_barcode"),
        ),
    ]
