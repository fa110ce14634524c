"""Import jobs: upload → column mapping → dry run → run. Every write to the catalog goes through
``BulkImport.apply`` inside one transaction, with one audit entry per run.

Small files are checked and imported during the request; larger ones in the background as a
job (``import_job_work`` is ImportJob's runner, see apps/core/jobs.py), which reports progress
on the job row while it reads and stops there when the job is cancelled.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.catalog.io.bulk import BulkImport, ImportSummary
from apps.catalog.io.columns import (
    COLUMN_NAMES,
    COLUMNS_BY_NAME,
    MAPPABLE_BY_NAME,
    auto_map,
    column_header,
    detect_source,
    ignored_headers,
    missing_required,
)
from apps.catalog.models import ImportJob, ImportMode, ImportStatus
from apps.catalog.services import import_sources
from apps.core.csv import guarded_writer
from apps.core.exceptions import DomainError
from apps.core.files import private_file_delete_on_commit, private_storage
from apps.core.jobs import job_enqueue, job_progress_save, job_run_inline
from apps.core.tabular import (
    ImportFileError,
    check_csv_encoding,
    check_size,
    detect_format,
    estimate_rows,
    open_tabular_file,
)

# a new mapping (and its check) is taken in these statuses only: never while a check or the
# import waits or runs, never after the import ran
CONFIGURABLE_STATUSES = (
    ImportStatus.UPLOADED,
    ImportStatus.VALIDATED,
    ImportStatus.FAILED,
    ImportStatus.CANCELLED,
)
# files with more data rows than this are checked and imported by Celery, with a progress bar
INLINE_MAX_ROWS = 2000
PROGRESS_EVERY = 1000


def _progress_recorder(job: ImportJob) -> Callable[[int], None]:
    """Rows read so far; raises JobCancelled once the job was cancelled."""

    def record(rows_read: int) -> None:
        job_progress_save(job, processed=rows_read, total=max(job.total, rows_read))

    return record


# --- upload ---------------------------------------------------------------------------------------
def import_job_create(*, store, actor, upload: UploadedFile) -> ImportJob:
    """Check the file can be read as a catalog, then keep it with the columns auto-mapped."""
    try:
        check_size(upload.size)
        upload.seek(0)
        file_format = detect_format(upload.name, upload.read(8))
        if file_format == "csv":
            check_csv_encoding(upload)
        with open_tabular_file(upload, file_format) as catalog_file:
            headers = catalog_file.headers
            first = next(catalog_file.rows(), None)
            sample = [cell[:80] for cell in first[1]] if first else []
        total = estimate_rows(upload, file_format)
    except ImportFileError as error:
        raise DomainError(error.message, field="file") from None
    mapping = auto_map(headers)
    if not mapping:
        shown = ", ".join(f"“{header[:30]}”" for header in headers[:5] if header) or "none"
        raise DomainError(
            "This doesn't look like a product file: none of its column headers match the "
            f"import columns (found {shown}). The first row must name the columns, e.g. "
            "handle, title, sku, price.",
            field="file",
        )
    if len(headers) != len(set(headers)):
        duplicates = sorted({h for h in headers if headers.count(h) > 1})
        raise DomainError(
            f"The column {', '.join(duplicates)} appears more than once. Headers must be unique.",
            field="file",
        )
    upload.seek(0)
    job = ImportJob(
        store=store,
        original_name=os.path.basename(upload.name)[:255],
        file_format=file_format,
        headers=headers,
        mapping=mapping,
        total=total,
        requested_by=actor,
        summary={"sample": sample, "source_format": detect_source(headers)},
    )
    job.file.save(f"upload.{file_format}", upload, save=False)  # a private, unguessable name
    job.save()
    return job


# --- mapping and dry run --------------------------------------------------------------------------
def import_job_configure(
    *,
    store,
    job: ImportJob,
    mapping: dict[str, str],
    mode: str,
    create_categories: bool = True,
) -> ImportJob:
    """Save the column mapping and mode, then check the file (a dry run, nothing written).

    ``create_categories``: create the categories the file names that the store doesn't have
    (Shopify and WooCommerce exports); unticked, those products get no category."""
    if job.status not in CONFIGURABLE_STATUSES:
        raise DomainError(_configure_refusal(job.status), field="mode")
    if mode not in ImportMode.values:
        raise DomainError("Choose how to treat rows with errors.", field="mode")
    clean = {header: column for header, column in mapping.items() if column}
    for header, column in clean.items():
        if header not in job.headers or column not in MAPPABLE_BY_NAME:
            raise DomainError(f"“{column}” is not an import column.", field="mapping")
    clash = mapping_clash(clean)
    if clash:
        raise DomainError(clash, field="mapping")
    missing = missing_required(clean, import_sources.source_format(job))
    if missing:
        labels = ", ".join(COLUMNS_BY_NAME[c].label for c in missing)
        raise DomainError(f"Choose the file's column for: {labels} (required).", field="mapping")
    fields = {
        "mapping": clean,
        "mode": mode,
        "summary": {**job.summary, "create_categories": bool(create_categories)},
        "status": ImportStatus.CHECK_QUEUED,
        "processed": 0,
        "attempts": 0,
        "started_at": None,
        "finished_at": None,
        "failure_message": "",
    }
    # one check at a time: a second request that loaded the row before this one is refused
    if not _job_write(job, expected=CONFIGURABLE_STATUSES, **fields):
        raise DomainError(_configure_refusal(job.status), field="mode")
    if job.total <= INLINE_MAX_ROWS:
        job_run_inline(job)
    else:
        job_enqueue(job)
    return job


def _configure_refusal(status: str) -> str:
    if status in (ImportStatus.IMPORT_QUEUED, ImportStatus.RUNNING, ImportStatus.DONE):
        return "This import has already run."
    return "This file is being checked right now. Wait for the check to finish, or cancel it."


def mapping_clash(mapping: dict[str, str]) -> str:
    """The message when two file columns are matched to one catalog column (else ``""``)."""
    headers_by_column: dict[str, list[str]] = {}
    for header, column in mapping.items():
        if column:
            headers_by_column.setdefault(column, []).append(header)
    for column, headers in headers_by_column.items():
        if len(headers) > 1:
            names = " and ".join(f"“{header}”" for header in headers)
            label = MAPPABLE_BY_NAME[column].label
            return (
                f"The file's columns {names} are both matched to {label}; "
                "each catalog column takes one file column. Choose “Don't import” for one."
            )
    return ""


def _job_rows(job: ImportJob):
    """Open the job's file: ``(catalog file, stream)``; the caller closes both."""
    if not job.file:
        raise ImportFileError(
            "The uploaded file was deleted after its retention period. Upload it again."
        )
    stream = job.file.storage.open(job.file.name, "rb")
    try:
        return open_tabular_file(stream, job.file_format), stream
    except ImportFileError:
        stream.close()
        raise


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """The dry run: read and check every row, count what would change; write nothing."""
    try:
        catalog_file, stream = _job_rows(job)
        source = import_sources.source_rows_for(job, catalog_file.headers)
        with stream, catalog_file, _bulk_for(job, catalog_file.headers, source) as bulk:
            _stage(job, bulk, catalog_file, source)
            _check(bulk, source)
            summary = bulk.summary()
            errors_path = _write_error_rows(job, bulk) if summary.error_rows else None
    except ImportFileError as error:
        return _job_fail(job, error.message)
    # only while still checking: a Cancel or the reaper that came first stays
    _job_write(
        job,
        expected=(ImportStatus.VALIDATING,),
        errors_path=errors_path,
        summary={
            "sample": job.summary.get("sample", []),
            **summary.as_dict(),
            **import_sources.source_summary(job, source),
            "ignored_columns": ignored_headers(job.headers, job.mapping),
            "checked_at": timezone.now().isoformat(),
        },
        total=summary.rows,
        processed=summary.rows,
        error_count=summary.error_count,
        status=ImportStatus.VALIDATED,
        finished_at=None,
    )
    return job


def _bulk_for(job: ImportJob, headers: Sequence[str], source=None) -> BulkImport:
    if source is not None:  # another shop's export, converted row by row to this format
        return BulkImport(store=job.store, headers=source.headers, mapping=source.mapping)
    return BulkImport(store=job.store, headers=headers, mapping=job.mapping)


def _stage(job: ImportJob, bulk: BulkImport, catalog_file, source) -> None:
    if source is None:
        bulk.stage(catalog_file.rows(), progress=_progress_recorder(job))
    else:
        import_sources.source_stage(
            bulk, source, catalog_file.rows(), progress=_progress_recorder(job)
        )


def _check(bulk: BulkImport, source) -> None:
    bulk.check()
    import_sources.source_checked(bulk, source)


def _job_fail(job: ImportJob, message: str, **fields) -> ImportJob:
    """Fail the job with ``message`` unless it stopped meanwhile (cancelled, reaped)."""
    _job_write(
        job,
        expected=ImportJob.ACTIVE_STATUSES,
        status=ImportStatus.FAILED,
        failure_message=message,
        finished_at=timezone.now(),
        **fields,
    )
    return job


_KEEP = object()


def _job_write(job: ImportJob, *, expected: Sequence[str], errors_path=_KEEP, **fields) -> bool:
    """Write ``fields`` (and, given ``errors_path``, the error rows' CSV or none) to the job
    only while its status is one of ``expected``, like core's ``job_finish``: a step never
    overwrites a Cancel, the reaper or another request that came first. False when it had;
    the job is then reloaded and an error file it did not take is deleted."""
    if errors_path is not _KEEP:
        fields["result_file"] = _errors_file_save(job, errors_path) if errors_path else ""
    now = timezone.now()
    written = ImportJob.objects.filter(pk=job.pk, status__in=expected).update(
        **fields, updated_at=now
    )
    if not written:
        if fields.get("result_file"):
            private_storage.delete(fields["result_file"])
        job.refresh_from_db()
        return False
    if "result_file" in fields and job.result_file.name != fields["result_file"]:
        private_file_delete_on_commit(job.result_file.name)  # the error rows it replaces
    for name, value in {**fields, "updated_at": now}.items():
        setattr(job, name, value)
    return True


# --- run ------------------------------------------------------------------------------------------
def import_job_run_refusal(job: ImportJob) -> str:
    """Why the import cannot run now ("" when it can): the preview's button and the run agree."""
    if job.status != ImportStatus.VALIDATED:
        return "Check the file before importing it."
    if job.mode == ImportMode.ALL_OR_NOTHING and job.summary.get("error_rows"):
        return (
            "This import is set to all or nothing and the file has rows with errors. "
            "Fix them, or choose to skip bad rows."
        )
    if not job.summary.get("valid_rows"):
        return "The file has no valid rows to import: fix the rows listed, then upload it again."
    return ""


def import_job_start(*, store, job: ImportJob, actor) -> ImportJob:
    """Start the checked import: inline when small, else as a background job."""
    refusal = import_job_run_refusal(job)
    if refusal:
        raise DomainError(refusal)
    started = _job_write(
        job,
        expected=(ImportStatus.VALIDATED,),  # a second click, or a new mapping meanwhile
        status=ImportStatus.IMPORT_QUEUED,
        processed=0,
        attempts=0,
        started_at=None,
        finished_at=None,
        requested_by=actor,  # the person who runs it: the audit entry and the result name them
    )
    if not started:
        raise DomainError("This import has changed since it was checked. Reload the page.")
    if job.total <= INLINE_MAX_ROWS:
        job_run_inline(job)
    else:
        job_enqueue(job)
    return job


def import_job_work(*, job: ImportJob) -> ImportJob | None:
    """ImportJob's job runner: the check or the import, whichever step the job is at."""
    if job.status == ImportStatus.VALIDATING:
        return import_job_validate(job=job)
    return import_job_run(job_id=job.pk)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Read, check and write the whole file. Safe to call twice: a finished job is left alone."""
    job = ImportJob.objects.select_related("store", "requested_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.RUNNING:
        return job
    actor = job.requested_by
    try:
        catalog_file, stream = _job_rows(job)
        source = import_sources.source_rows_for(job, catalog_file.headers)
        with stream, catalog_file, _bulk_for(job, catalog_file.headers, source) as bulk:
            started = time.monotonic()
            _stage(job, bulk, catalog_file, source)
            staged = time.monotonic()
            _check(bulk, source)
            summary = bulk.summary()
            errors_path = _write_error_rows(job, bulk) if summary.error_rows else None
            checked = time.monotonic()
            if job.mode == ImportMode.ALL_OR_NOTHING and summary.error_rows:
                return _job_fail(
                    job,
                    f"Nothing was imported: {summary.error_rows:,} rows have errors and this "
                    "import is all or nothing.",
                    errors_path=errors_path,
                    summary={**job.summary, **summary.as_dict()},
                    error_count=summary.error_count,
                    skipped_count=summary.error_rows,
                )
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.status != ImportStatus.RUNNING:
                    return locked
                import_sources.source_apply(job=job, bulk=bulk, source=source, actor=actor)
                summary.stock_movements = bulk.apply(actor=actor, note=f"Import #{job.pk}")
                summary.applied = True
                _attach_errors(job, errors_path)
                seconds = {
                    "read": round(staged - started, 2),
                    "check": round(checked - staged, 2),
                    "write": round(time.monotonic() - checked, 2),
                }
                job.summary["seconds"] = seconds
                _job_finish(job, summary)
                _audit_import(job, actor, summary)
            # foreign keys are checked at commit (Django makes them deferrable): time it too
            seconds["commit"] = round(time.monotonic() - checked - seconds["write"], 2)
            ImportJob.objects.filter(pk=job.pk).update(summary={**job.summary, "seconds": seconds})
            catalog_statistics_refresh(rows=summary.rows)
    except ImportFileError as error:
        return _job_fail(job, error.message)
    return job


def _audit_import(job: ImportJob, actor, summary: ImportSummary) -> None:
    """One audit entry per import run, with its counts."""
    audit_record(
        store=job.store,
        actor=actor,
        action="catalog.imported",
        target=job,
        changes={
            key: [None, value]
            for key, value in summary.as_dict().items()
            if key not in {"errors", "applied"}
        },
    )


def _job_finish(job: ImportJob, summary: ImportSummary) -> None:
    job.summary = {**job.summary, **summary.as_dict()}
    job.total = summary.rows
    job.processed = summary.rows
    job.created_count = summary.variants_created
    job.updated_count = summary.variants_updated
    job.skipped_count = summary.error_rows
    job.error_count = summary.error_count
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save()


def _write_error_rows(job: ImportJob, bulk: BulkImport) -> str:
    """The rows that were refused, as they were in the file, with an ``errors`` column first
    that names each problem's column as the file does (the header matched to it)."""
    handle, path = tempfile.mkstemp(suffix=".csv")
    catalog_file, stream = _job_rows(job)
    with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out, stream, catalog_file:
        writer = guarded_writer(out)
        writer.writerow(["row", "errors", *catalog_file.headers])
        source = catalog_file.rows()
        current = next(source, None)
        for row_number, messages in bulk.error_rows():
            while current is not None and current[0] < row_number:
                current = next(source, None)
            cells = current[1] if current is not None and current[0] == row_number else []
            problems = "; ".join(
                f"{column_header(column, job.mapping)}: {message}" for column, message in messages
            )
            writer.writerow([row_number, problems, *cells])
    return path


def _errors_file_save(job: ImportJob, path: str) -> str:
    """Keep the error rows' CSV (a temporary file, removed) privately; returns its name."""
    field = ImportJob._meta.get_field("result_file")
    with open(path, "rb") as handle:
        name = field.storage.save(
            field.generate_filename(job, "errors.csv"), File(handle), max_length=field.max_length
        )
    os.unlink(path)
    return name


def _attach_errors(job: ImportJob, path: str | None) -> None:
    """Keep the error rows' CSV with the job (or none), deleting the one it replaces on commit."""
    private_file_delete_on_commit(job.result_file.name)
    job.result_file = _errors_file_save(job, path) if path else ""


# --- the same bulk path, for generated rows (demo data, benchmark) --------------------------------
def catalog_rows_load(
    *,
    store,
    actor,
    name: str,
    rows: Iterable[Sequence[str]],
    total: int,
    progress: Callable[[int], None] | None = None,
) -> ImportJob:
    """Import rows in the file format (``COLUMN_NAMES`` order) without a file: one job, one
    transaction, one audit entry, exactly as a skip-bad-rows import of the same CSV."""
    job = ImportJob.objects.create(
        store=store,
        original_name=name,
        file_format="csv",
        headers=list(COLUMN_NAMES),
        mapping={name: name for name in COLUMN_NAMES},
        status=ImportStatus.RUNNING,
        total=total,
        requested_by=actor if getattr(actor, "pk", None) else None,
        started_at=timezone.now(),
    )
    numbered = ((index, cells) for index, cells in enumerate(rows, start=2))
    with BulkImport(store=store, headers=job.headers, mapping=job.mapping) as bulk:
        bulk.stage(numbered, progress=progress)
        bulk.check()
        summary = bulk.summary()
        with transaction.atomic():
            summary.stock_movements = bulk.apply(actor=actor, note=name)
            summary.applied = True
            _job_finish(job, summary)
            _audit_import(job, actor, summary)
    catalog_statistics_refresh(rows=summary.rows)
    return job


STATISTICS_REFRESH_ROWS = 10_000


def catalog_statistics_refresh(*, rows: int) -> None:
    """After a large import, refresh PostgreSQL's statistics of the catalog tables at once,
    so the product list's plans (stock filters, price sorts) fit the new data without
    waiting for autovacuum."""
    if rows < STATISTICS_REFRESH_ROWS:
        return

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product, catalog_variant, catalog_productsummary")
