"""Bulk actions over a selection or everything matching; large ones as background jobs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, Round
from django.utils import timezone

from apps.audit.services import audit_record_many
from apps.catalog import inputs
from apps.catalog.models import (
    BulkJob,
    Product,
    ProductStatus,
    Variant,
)
from apps.catalog.selectors import product_filter
from apps.catalog.services.common import MAX_TAGS, _category_for, clean_tags
from apps.core.exceptions import DomainError
from apps.core.jobs import JobCancelled, job_enqueue, job_step_lock
from apps.core.models import JobStatus, Store
from apps.core.money import currency_decimals, money_format

BULK_ACTIONS = {
    "activate": "Set as active",
    "archive": "Archive",
    "draft": "Set as draft",
    "set_category": "Change category",
    "add_tag": "Add tag",
    "remove_tag": "Remove tag",
    "adjust_price": "Adjust price",
}
AUDIT_BATCH = 2000


@dataclass(frozen=True)
class BulkOptions:
    """What one bulk action does: the action and its argument (a category, a tag, a price rule).

    The bulk form builds it, ``products_bulk_update`` and ``bulk_job_create`` take it, and a
    background job stores it (``as_json`` / ``from_json``), so the three can never disagree.
    """

    action: str
    category: int | None = None  # set_category: the new category's id, None for "no category"
    tag: str = ""  # add_tag / remove_tag
    mode: str = ""  # adjust_price: "percent" or "amount"
    value: Decimal | None = None  # adjust_price: by how much

    def as_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "category": self.category,
            "tag": self.tag,
            "mode": self.mode,
            "value": None if self.value is None else str(self.value),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BulkOptions:
        value = data.get("value")
        category = data.get("category")
        return cls(
            action=data.get("action") or "",
            category=None if category in (None, "") else int(category),
            tag=data.get("tag") or "",
            mode=data.get("mode") or "",
            value=None if value in (None, "") else Decimal(str(value)),
        )


@dataclass(frozen=True)
class BulkResult:
    action: str
    matched: int
    changed: int


def bulk_options_check(options: BulkOptions, *, store: Store) -> BulkOptions:
    """The verdict on a bulk action's options, the same for the page, a job and any caller:
    raises ``DomainError`` naming the option at fault; returns them with the tag and the price
    change in their clean form (an amount in the store's currency's decimals). (Whether a price
    would go below 0 depends on the products: ``bulk_price_check``.)"""
    action = options.action
    if action not in BULK_ACTIONS:
        raise DomainError("Choose an action.", field="action")
    if action in {"add_tag", "remove_tag"}:
        tags = clean_tags([options.tag])
        if not tags:
            raise DomainError("Enter a tag.", field="tag")
        return replace(options, tag=tags[0])
    if action == "adjust_price":
        change = inputs.price_change(options.value, mode=options.mode, currency=store.currency)
        return replace(options, value=change)
    return options


def bulk_price_check(
    *, store: Store, products: QuerySet[Product], mode: str, value: Any
) -> Decimal:
    """Validate a price adjustment over ``products``; raises if any price would go below 0."""
    amount = inputs.price_change(value, mode=mode, currency=store.currency)
    if mode == "amount" and amount < 0:
        lowest = (
            Variant.objects.for_store(store)
            .filter(product__in=products.order_by().values("pk"))
            .order_by("price")
            .select_related("product")
            .first()
        )
        if lowest is not None and lowest.price + amount < 0:
            raise DomainError(
                f"{lowest.sku} costs {money_format(lowest.price, store.currency)}; lowering it "
                f"by {money_format(-amount, store.currency)} would make the price negative. "
                "Choose a smaller amount.",
                field="value",
            )
    return amount


def price_update_expressions(*, mode: str, value: Decimal, store: Store) -> dict[str, Any]:
    """``rules.price_adjusted`` / ``compare_at_adjusted`` as SQL, for one ``UPDATE`` of every
    variant at once (no variant is loaded into Python). PostgreSQL's ``round(numeric, n)``
    rounds half away from zero, as ``ROUND_HALF_UP`` does; ``test_price_rules`` holds the two
    side by side. In an UPDATE every column reads its old value, so the compare-at's floor is
    the new price's expression, not the column."""
    decimals = min(currency_decimals(store.currency), 2)
    money = DecimalField(max_digits=14, decimal_places=2)

    def adjusted(column: str):
        if mode == "percent":
            moved = F(column) * Value((Decimal(100) + value) / Decimal(100), output_field=money)
        else:
            moved = F(column) + Value(value, output_field=money)
        return Round(ExpressionWrapper(moved, output_field=money), decimals, output_field=money)

    new_price = adjusted("price")
    return {
        "price": new_price,
        "compare_at_price": Case(
            When(compare_at_price__isnull=True, then=Value(None, output_field=money)),
            default=Greatest(adjusted("compare_at_price"), new_price, output_field=money),
            output_field=money,
        ),
    }


@transaction.atomic
def products_bulk_update(
    *,
    store: Store,
    actor,
    products: QuerySet[Product],
    options: BulkOptions,
) -> BulkResult:
    """Apply one bulk action to ``products`` (a queryset of the store's products).

    Actions: ``activate``, ``archive``, ``draft``, ``set_category`` (``category`` or None
    for none), ``add_tag``/``remove_tag`` (``tag``), ``adjust_price`` (``mode`` percent or
    amount, ``value``; compare-at prices move by the same rule so sales stay sales).
    Each changed product gets an audit entry. ``products`` stays a subquery throughout, so
    "all 100,000 matching the filter" never travels as a list of ids.
    """
    options = bulk_options_check(options, store=store)
    action, category, tag = options.action, options.category, options.tag
    mode, value = options.mode, options.value
    # at most a job's chunk (BULK_CHUNK) or BULK_INLINE_MAX products come here: their ids, read
    # once, keep every statement below a plain index lookup whatever the planner's statistics
    # say (nested IN-subqueries over freshly imported rows once took minutes)
    ids = list(
        Product.objects.for_store(store)
        .filter(pk__in=products.order_by().values("pk"))
        .values_list("pk", flat=True)
    )
    scope = Product.objects.for_store(store).filter(pk__in=ids)
    matched = len(ids)
    if not matched:
        raise DomainError("Select at least one product.", field="products")
    now = _now()
    changed: list[tuple]  # (pk, title) or, with changes of its own, (pk, title, changes)
    changes: dict[str, list]
    if action in {"activate", "archive", "draft"}:
        status = {
            "activate": ProductStatus.ACTIVE,
            "archive": ProductStatus.ARCHIVED,
            "draft": ProductStatus.DRAFT,
        }[action]
        target = scope.exclude(status=status)
        changed = list(target.order_by("pk").values_list("pk", "title"))
        target.update(status=status, updated_at=now)
        changes = {"status": [None, status]}
    elif action == "set_category":
        new = _category_for(store, category)
        target = scope.exclude(category=new) if new else scope.exclude(category__isnull=True)
        changed = list(target.order_by("pk").values_list("pk", "title"))
        target.update(category=new, updated_at=now)
        changes = {"category": [None, new.name if new else None]}
    elif action in {"add_tag", "remove_tag"}:
        name = tag
        updated = []
        for product in scope.only("pk", "title", "tags").order_by("pk").iterator(chunk_size=2000):
            has = any(t.lower() == name.lower() for t in product.tags)
            if action == "add_tag" and not has:
                if len(product.tags) >= MAX_TAGS:
                    raise DomainError(
                        f"“{product.title}” already has {MAX_TAGS} tags.", field="tag"
                    )
                product.tags = [*product.tags, name]
            elif action == "remove_tag" and has:
                product.tags = [t for t in product.tags if t.lower() != name.lower()]
            else:
                continue
            product.updated_at = now
            updated.append(product)
        Product.objects.bulk_update(updated, ["tags", "updated_at"], batch_size=2000)
        changed = [(p.pk, p.title) for p in updated]
        changes = {"tags": [None, f"+{name}" if action == "add_tag" else f"-{name}"]}
    else:
        amount = bulk_price_check(store=store, products=scope, mode=mode, value=value)
        variants = Variant.objects.for_store(store).filter(product_id__in=ids)
        variants.update(**price_update_expressions(mode=mode, value=amount, store=store))
        per_product = dict(
            variants.order_by()
            .values("product_id")
            .annotate(n=Count("pk"))
            .values_list("product_id", "n")
        )
        target = scope.filter(pk__in=list(per_product))
        changed = [
            (pk, title, {"variants": [None, per_product[pk]]})
            for pk, title in target.order_by("pk").values_list("pk", "title")
        ]
        target.update(updated_at=now)
        # worded by the catalog's audit wording (portal.py): "Prices of 3 variants raised by 10 %"
        suffix = " %" if mode == "percent" else ""
        changes = {"price": [None, f"{'+' if amount > 0 else ''}{amount}{suffix}"]}
    if changed:
        audit_record_many(
            store=store,
            actor=actor,
            action=f"product.bulk_{action}",
            model=Product,
            targets=changed,
            changes=changes,
            batch_size=AUDIT_BATCH,
        )
    return BulkResult(action=action, matched=matched, changed=len(changed))


def _now():
    return timezone.now()


BULK_INLINE_MAX = 1000  # above this many products a bulk action runs as a background job
BULK_CHUNK = 2000


@transaction.atomic
def bulk_job_create(
    *,
    store: Store,
    actor,
    products: QuerySet[Product],
    options: BulkOptions,
) -> BulkJob:
    """Queue ``action`` over ``products`` (fixed now) for a worker; bad options fail here."""
    options = bulk_options_check(options, store=store)
    action, mode, value = options.action, options.mode, options.value
    ids = list(
        Product.objects.for_store(store)
        .filter(pk__in=products.order_by().values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise DomainError("Select at least one product.", field="products")
    if action == "adjust_price":
        value = bulk_price_check(store=store, products=products, mode=mode, value=value)
    new_category = _category_for(store, options.category) if action == "set_category" else None
    stored = replace(options, category=new_category.pk if new_category else None, value=value)
    job = BulkJob.objects.create(
        store=store,
        action=action,
        options=stored.as_json(),
        product_ids=ids,
        total=len(ids),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    job_enqueue(job)
    return job


def bulk_job_run(*, job: BulkJob) -> BulkJob:
    """Run (or resume) a bulk job chunk by chunk; each chunk commits with its progress (the
    heartbeat), so a re-delivered job resumes after the last committed chunk. A cancelled job
    stops before its next chunk. The job runner of ``BulkJob`` (see apps/core/jobs.py)."""
    # jobs made before the options carried their action have it on the row
    options = BulkOptions.from_json({**job.options, "action": job.action})
    while job.processed < job.total:
        with transaction.atomic():
            job_step_lock(job)  # one delivery at a time; Cancel can still write the row
            locked = BulkJob.objects.get(pk=job.pk)
            if not locked.is_active:
                raise JobCancelled(f"bulk job {job.pk} is {locked.status}")
            chunk = locked.product_ids[locked.processed : locked.processed + BULK_CHUNK]
            try:
                result = products_bulk_update(
                    store=job.store,
                    actor=job.requested_by,
                    products=Product.objects.for_store(job.store).filter(pk__in=chunk),
                    options=options,
                )
                changed = result.changed
            except DomainError as error:
                if error.field != "products":  # products deleted meanwhile are skipped
                    return _bulk_job_fail(job, error.message)
                changed = 0
            locked.processed += len(chunk)
            locked.changed += changed
            # progress only: a Cancel that landed meanwhile keeps its status
            BulkJob.objects.filter(pk=job.pk).update(
                processed=locked.processed, changed=locked.changed, updated_at=timezone.now()
            )
        job.processed, job.changed = locked.processed, locked.changed
    return _bulk_job_end(job, status=JobStatus.DONE)


def _bulk_job_end(job: BulkJob, *, status: str, message: str = "") -> BulkJob:
    now = _now()
    BulkJob.objects.filter(pk=job.pk, status__in=BulkJob.ACTIVE_STATUSES).update(
        status=status, finished_at=now, failure_message=message, updated_at=now
    )
    job.status, job.finished_at, job.failure_message = status, now, message
    return job


def _bulk_job_fail(job: BulkJob, message: str) -> BulkJob:
    done = f" {job.processed:,} of {job.total:,} products were done before it stopped."
    return _bulk_job_end(
        job,
        status=JobStatus.FAILED,
        message=message + (done if job.processed else " Nothing was changed."),
    )


# --- starting a bulk action from the product list -------------------------------------------------
BULK_IDS_MAX = 500  # ticked products one request may name (a page shows at most 100)
CONFIRMATION_SALT = "catalog.product-bulk.confirmation"
CONFIRMATION_MAX_AGE = 60 * 60  # seconds a confirmation step stays valid


@dataclass(frozen=True)
class BulkConfirm:
    """The change is confirmed first: what it covers, and the signed token that applies
    exactly that (the store, the person, the filter or the ids, the options and the count)."""

    products: QuerySet[Product]
    options: BulkOptions
    scope: str
    ids: list[int]
    count: int
    token: str
    is_job: bool  # once confirmed, it runs in the background
    is_stale: bool  # a confirmation was given but no longer matches (the count changed…)


def _confirmation_payload(*, store, actor, scope, params, ids, options, count) -> dict:
    return {
        "store": store.pk,
        "user": getattr(actor, "pk", None),
        "scope": scope,
        "filters": dict(params) if scope == "all" else {},
        "ids": sorted(ids) if scope == "selected" else [],
        "options": options.as_json(),
        "count": count,
    }


def _confirmation_matches(token: str, payload: dict) -> bool:
    if not token:
        return False
    try:
        signed = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return False
    return signed == payload


def bulk_start(
    *,
    store: Store,
    actor,
    scope: str,
    ids: list[int],
    params: dict[str, str],
    options: BulkOptions,
    confirmation: str = "",
) -> BulkResult | BulkJob | BulkConfirm:
    """Start a bulk action from the product list: over the ticked ``ids`` (``scope``
    "selected", at most ``BULK_IDS_MAX``) or over all products matching the list's filter
    ``params`` (``scope`` "all").

    A change to all matching products, and every price change, needs a ``confirmation``
    issued by an earlier call for exactly the same change: without it (or with a stale one) the
    answer is a ``BulkConfirm`` to show. Then more than ``BULK_INLINE_MAX`` products become a
    ``BulkJob``; fewer change at once (``BulkResult``). Refusals are ``DomainError``.
    """
    options = bulk_options_check(options, store=store)
    if scope == "all":
        products = product_filter(store=store, params=params)
    elif scope == "selected":
        if not ids:
            raise DomainError("Select at least one product, or choose all matching.", field="ids")
        if len(ids) > BULK_IDS_MAX:
            raise DomainError(
                f"Select at most {BULK_IDS_MAX:,} products, or choose all matching.",
                field="ids",
            )
        products = Product.objects.for_store(store).filter(pk__in=ids)
    else:
        raise DomainError("Choose the selected products or all matching.", field="scope")
    count = len(set(ids))
    if scope == "all" or options.action == "adjust_price":
        count = products.count()
        payload = _confirmation_payload(
            store=store,
            actor=actor,
            scope=scope,
            params=params,
            ids=ids,
            options=options,
            count=count,
        )
        if not _confirmation_matches(confirmation, payload):
            if count == 0:
                raise DomainError(
                    "No product matches any more; nothing was changed.", field="products"
                )
            if options.action == "adjust_price":
                bulk_price_check(
                    store=store, products=products, mode=options.mode, value=options.value
                )
            return BulkConfirm(
                products=products,
                options=options,
                scope=scope,
                ids=payload["ids"],
                count=count,
                token=signing.dumps(payload, salt=CONFIRMATION_SALT),
                is_job=count > BULK_INLINE_MAX,
                is_stale=bool(confirmation),
            )
    if count > BULK_INLINE_MAX:
        return bulk_job_create(store=store, actor=actor, products=products, options=options)
    return products_bulk_update(store=store, actor=actor, products=products, options=options)
