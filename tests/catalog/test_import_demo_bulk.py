"""The large demo goes through the import's bulk path (tiny sizes here; big ones in the bench)."""

from __future__ import annotations

import io
import random

from apps.audit.models import AuditEntry
from apps.catalog import demo_bulk
from apps.catalog.models import Category, ImportJob, InventoryMovement, Product, Variant
from apps.core.demo import DemoContext, Progress


def context_for(store, owner, scale):
    stream = io.StringIO()
    context = DemoContext(rng=random.Random(1), scale=scale, progress=Progress(stream))
    context.stores["main"] = store
    context.users["owner"] = owner
    return context, stream


def test_small_scale_adds_nothing(store, owner):
    context, _ = context_for(store, owner, "small")

    demo_bulk.seed(context)

    assert Product.objects.for_store(store).count() == 0
    assert Category.objects.for_store(store).count() == 0


def test_medium_scale_loads_products_through_one_import_job(store, owner, monkeypatch):
    monkeypatch.setitem(demo_bulk.PRODUCTS, "medium", 4)
    context, stream = context_for(store, owner, "medium")

    demo_bulk.seed(context)

    job = ImportJob.objects.for_store(store).get()
    assert (job.status, job.created_count, job.skipped_count) == ("done", 12, 0)
    assert Product.objects.for_store(store).count() == 4
    assert Variant.objects.for_store(store).count() == 12
    assert not Product.objects.for_store(store).filter(category__isnull=True).exists()
    stocked = Variant.objects.for_store(store).filter(stock_quantity__gt=0).count()
    assert InventoryMovement.objects.for_store(store).filter(reason="import").count() == stocked
    assert AuditEntry.objects.filter(store=store, action="catalog.imported").count() == 1
    assert "catalog (bulk) (12 of 12)" in stream.getvalue()
