"""Exports of the order list (its current filter) as a background job: a private CSV built
with ``COPY … TO STDOUT`` (text cells through the CSV formula guard), with progress."""

from __future__ import annotations

import codecs
import tempfile

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.csv import sql_guard
from apps.core.jobs import JobCancelled, job_enqueue, job_progress_save
from apps.core.models import JobStatus, Store
from apps.orders.models import Order, OrderExportJob
from apps.orders.selectors import FILTER_PARAMS, order_filter, order_filter_chips

# (header, SQL expression over orders_order o, is text)
EXPORT_COLUMNS = (
    ("number", "o.number", False),
    ("external_id", "o.external_id", True),
    # a date never reads as a formula: not guarded (its time zone is the one parameter)
    ("placed_at", "to_char(o.placed_at AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", False),
    ("status", "o.status", True),
    ("channel", "o.channel", True),
    ("source", "o.source", True),
    ("customer_name", "o.customer_name", True),
    ("customer_email", "o.customer_email", True),
    ("customer_phone", "o.customer_phone", True),
    ("currency", "o.currency", True),
    ("subtotal", "o.subtotal", False),
    ("discount_total", "o.discount_total", False),
    ("shipping_price", "o.shipping_price", False),
    ("total", "o.total", False),
    ("amount_refunded", "o.amount_refunded", False),
    ("payment_method", "o.payment_method_name", True),
    ("payment_reference", "o.payment_reference", True),
    ("shipping_service", "o.shipping_service_name", True),
    ("carrier", "o.shipping_carrier", True),
    ("tracking_number", "o.tracking_number", True),
    ("ship_postal_code", "o.ship_postal_code", True),
    ("ship_city", "o.ship_city", True),
    ("ship_country", "o.ship_country", True),
)
EXPORT_BATCH = 5000


def order_export_filename(*, store: Store, when) -> str:
    return f"{store.handle}-orders-{when:%Y%m%d-%H%M}.csv"


@transaction.atomic
def order_export_create(*, store: Store, actor, params) -> OrderExportJob:
    """Queue the export of the orders matching ``params`` (the list's filter)."""
    kept = {key: str(params.get(key)) for key in FILTER_PARAMS if params.get(key)}
    job = OrderExportJob.objects.create(
        store=store,
        params=kept,
        filename=order_export_filename(store=store, when=timezone.localtime()),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        store=store,
        actor=actor,
        action="orderexportjob.created",
        target=job,
        # the filter as the list's chips word it ("Status: Paid"), not its parameter names
        changes={
            "filter": [
                None,
                " · ".join(chip.label for chip in order_filter_chips(params=kept, store=store))
                or "Every order",
            ]
        },
    )
    job_enqueue(job)
    return job


def _select(*, store: Store, params: dict) -> tuple[str, list]:
    """The export's SELECT (positional parameters: the time zone, the store, the filter's)."""
    ids_sql, ids_params = (
        order_filter(store=store, params=params).order_by().values("pk").query.sql_with_params()
    )
    cells = ", ".join(
        sql_guard(expression) if is_text else expression
        for _header, expression, is_text in EXPORT_COLUMNS
    )
    sql = (
        f"SELECT {cells} FROM {Order._meta.db_table} o "  # noqa: S608 - columns are constants
        f"WHERE o.store_id = %s AND o.id IN ({ids_sql}) ORDER BY o.placed_at DESC, o.id DESC"
    )
    return sql, [store.timezone, store.pk, *ids_params]


def order_export_run(*, job: OrderExportJob) -> OrderExportJob:
    """OrderExportJob's runner: the CSV into private storage, progress by batches of orders."""
    store = job.store
    total = order_filter(store=store, params=job.params).count()
    job_progress_save(job, processed=0, total=total)
    sql, parameters = _select(store=store, params=job.params)
    built = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    built.write(codecs.BOM_UTF8)
    built.write((",".join(header for header, _e, _t in EXPORT_COLUMNS) + "\r\n").encode())
    written = 0
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    # the psycopg cursor itself: Django's DEBUG wrapper takes no COPY parameters
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, parameters) as copy:
        for block in copy:
            built.write(block)
            written += bytes(block).count(b"\n")
            if written - job.processed >= EXPORT_BATCH:
                job_progress_save(job, processed=min(written, total))
    built.seek(0)
    with built:
        job.result_file.save("orders.csv", File(built), save=False)
    now = timezone.now()
    finished = OrderExportJob.objects.filter(
        pk=job.pk, status__in=OrderExportJob.ACTIVE_STATUSES
    ).update(
        status=JobStatus.DONE,
        result_file=job.result_file.name,
        processed=total,
        finished_at=now,
        updated_at=now,
    )
    if not finished:
        job.result_file.storage.delete(job.result_file.name)
        raise JobCancelled(f"order export {job.pk} was cancelled")
    job.status, job.processed, job.finished_at = JobStatus.DONE, total, now
    return job
