"""Private files: own storage outside MEDIA_ROOT, unguessable names, served only by views that
check store and role, deleted after their retention by a daily task."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from apps.accounts.services import store_delete
from apps.catalog import services
from apps.catalog.models import ExportJob, ImportJob, ProductImage, product_image_path
from apps.core.exceptions import DomainError
from apps.core.files import private_files_delete_expired, private_storage
from apps.core.jobs import job_delete
from apps.core.tasks import private_files_delete_expired_task
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def imported(store, owner):
    job = services.import_job_create(
        store=store,
        actor=owner,
        upload=upload(csv_bytes([row(), row(sku="LS-L", option1_value="L", price="-1")])),
    )
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    job.refresh_from_db()
    return job


def test_an_upload_is_kept_privately_under_an_unguessable_name(store, owner, settings):
    job = imported(store, owner)

    assert re.fullmatch(rf"catalog/importjob/{store.pk}/[0-9a-f]{{32}}\.csv", job.file.name)
    assert re.fullmatch(rf"catalog/importjob/{store.pk}/[0-9a-f]{{32}}\.csv", job.result_file.name)
    assert private_storage.exists(job.file.name)
    assert not settings.MEDIA_ROOT.exists() or not list(settings.MEDIA_ROOT.rglob("*.csv"))
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 - no public address
    assert Client().get(f"/media/{job.file.name}").status_code == 404


def test_the_uploaded_file_is_served_to_the_stores_manager_only(
    store, other_store, owner, manager, support, make_member, client_for
):
    job = imported(store, owner)
    url = f"/store/alpha/catalog/imports/{job.pk}/file"
    errors = f"/store/alpha/catalog/imports/{job.pk}/errors.csv"
    stranger = make_member(other_store, "owner")

    served = client_for(manager).get(url)

    assert served.status_code == 200
    assert served["Content-Disposition"] == 'attachment; filename="products.csv"'
    assert served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content).startswith(csv_bytes([row()])[:20])
    assert client_for(manager).get(errors).status_code == 200
    for address in (url, errors):
        assert client_for(support).get(address).status_code == 403
        assert client_for(stranger).get(address).status_code == 404
        assert client_for(stranger).get(address.replace("/alpha/", "/bravo/")).status_code == 404
        anonymous = Client().get(address)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/login/")


def test_retention_deletes_old_files_and_keeps_new_ones(store, owner, settings):
    settings.PRIVATE_FILE_RETENTION_DAYS = {"imports": 30, "exports": 7, "default": 30}
    old_import = imported(store, owner)
    new_import = imported(store, owner)
    old_export = ExportJob.objects.create(store=store, file_format="csv", status="done")
    old_export.result_file.save("export.csv", ContentFile(b"handle\n"))
    new_export = ExportJob.objects.create(store=store, file_format="csv", status="done")
    new_export.result_file.save("export.csv", ContentFile(b"handle\n"))
    now = timezone.now()
    ImportJob.objects.filter(pk=old_import.pk).update(created_at=now - timedelta(days=31))
    ImportJob.objects.filter(pk=new_import.pk).update(created_at=now - timedelta(days=29))
    ExportJob.objects.filter(pk=old_export.pk).update(created_at=now - timedelta(days=8))
    ExportJob.objects.filter(pk=new_export.pk).update(created_at=now - timedelta(days=6))
    old_names = [old_import.file.name, old_import.result_file.name, old_export.result_file.name]

    assert private_files_delete_expired_task() == 3

    assert [private_storage.exists(name) for name in old_names] == [False, False, False]
    for job in (old_import, new_import, old_export, new_export):
        job.refresh_from_db()
    assert (old_import.file.name, old_import.result_file.name) == ("", "")
    assert old_export.result_file.name == ""
    assert old_import.total == 2  # the history keeps its counts
    assert private_storage.exists(new_import.file.name)
    assert private_storage.exists(new_import.result_file.name)
    assert private_storage.exists(new_export.result_file.name)
    assert private_files_delete_expired_task() == 0


def test_an_expired_file_is_a_404_and_a_checked_import_asks_for_a_new_upload(
    store, owner, client_for
):
    job = imported(store, owner)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=31))
    private_files_delete_expired_task()

    client = client_for(owner)

    assert client.get(f"/store/alpha/catalog/imports/{job.pk}/file").status_code == 404
    assert client.get(f"/store/alpha/catalog/imports/{job.pk}/errors.csv").status_code == 404
    job.refresh_from_db()
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.failure_message == (
        "The uploaded file was deleted after its retention period. Upload it again."
    )


def test_product_images_get_an_unguessable_folder(store):
    image = ProductImage(store=store, product_id=7)

    first, second = product_image_path(image, "shirt.jpg"), product_image_path(image, "shirt.jpg")

    assert re.fullmatch(rf"stores/{store.pk}/products/7/[0-9a-f]{{32}}/shirt\.jpg", first)
    assert first != second


# --- no private file outlives its row, its store, or its retention ---------------------------
def private_names(store=None):
    """Every private file of the import and export jobs (of ``store``), as storage names."""
    names = []
    for folder in ("catalog/importjob", "catalog/exportjob"):
        if not private_storage.exists(folder):
            continue
        for store_folder in private_storage.listdir(folder)[0]:
            if store is None or store_folder == str(store.pk):
                path = f"{folder}/{store_folder}"
                names += [f"{path}/{name}" for name in private_storage.listdir(path)[1]]
    return sorted(names)


def with_errors(store, owner):
    return services.import_job_create(
        store=store,
        actor=owner,
        upload=upload(csv_bytes([row(), row(sku="LS-L", option1_value="L", price="-1")])),
    )


def test_a_new_check_or_the_run_deletes_the_error_rows_they_replace(
    store, owner, django_capture_on_commit_callbacks
):
    job = with_errors(store, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    first = job.result_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    second = job.result_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_start(store=store, job=job, actor=owner)
    job.refresh_from_db()

    assert len({first, second, job.result_file.name}) == 3
    assert private_names(store) == sorted([job.file.name, job.result_file.name])


def test_a_check_with_no_bad_rows_left_deletes_the_earlier_error_rows(
    store, owner, django_capture_on_commit_callbacks
):
    bad_cost = row(sku="LS-L", option1_value="L", cost="abc")
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(csv_bytes([row(), bad_cost]))
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")
    assert job.result_file
    mapping = {header: column for header, column in job.mapping.items() if column != "cost"}

    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_configure(store=store, job=job, mapping=mapping, mode="skip")

    job.refresh_from_db()
    assert job.result_file.name == ""
    assert private_names(store) == [job.file.name]


def test_retention_also_deletes_old_files_no_row_refers_to(store, owner, settings):
    settings.PRIVATE_FILE_RETENTION_DAYS = {"imports": 30, "exports": 7, "default": 30}
    job = imported(store, owner)
    orphan = private_storage.save(
        f"catalog/importjob/{store.pk}/0123456789abcdef0123456789abcdef.csv", ContentFile(b"x")
    )
    gone_store = private_storage.save("catalog/exportjob/987654/feed.csv", ContentFile(b"x"))
    referenced = [job.file.name, job.result_file.name]

    assert private_files_delete_expired_task() == 0  # nothing is old enough yet
    later = timezone.now() + timedelta(days=31)

    assert private_files_delete_expired(now=later) == 4

    assert [private_storage.exists(name) for name in (orphan, gone_store, *referenced)] == [
        False,
        False,
        False,
        False,
    ]


def test_retention_keeps_a_recent_file_no_row_refers_to_yet(store, owner, settings):
    """A worker saves the file just before it writes the row: a fresh file is left alone."""
    settings.PRIVATE_FILE_RETENTION_DAYS = {"imports": 30, "exports": 7, "default": 30}
    fresh = private_storage.save(f"catalog/exportjob/{store.pk}/new.csv", ContentFile(b"x"))

    assert private_files_delete_expired_task() == 0

    assert private_storage.exists(fresh)


def test_deleting_a_finished_job_deletes_its_files(
    store, owner, django_capture_on_commit_callbacks
):
    job = imported(store, owner)
    names = [job.file.name, job.result_file.name]

    with django_capture_on_commit_callbacks(execute=True):
        job_delete(job=job)

    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert [private_storage.exists(name) for name in names] == [False, False]


def test_a_running_job_cannot_be_deleted(store, owner):
    job = imported(store, owner)
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()

    with pytest.raises(DomainError):
        job_delete(job=job)

    assert ImportJob.objects.filter(pk=job.pk).exists()
    assert private_storage.exists(job.file.name)


def test_deleting_a_store_deletes_its_private_files_only(
    store, other_store, owner, make_member, django_capture_on_commit_callbacks
):
    imported(store, owner)
    theirs = imported(other_store, make_member(other_store, "owner"))
    export = ExportJob.objects.create(store=store, file_format="csv", status="done")
    export.result_file.save("export.csv", ContentFile(b"handle\n"))

    with django_capture_on_commit_callbacks(execute=True):
        store_delete(store=store)

    assert private_names(store) == []
    assert private_names(other_store) == sorted([theirs.file.name, theirs.result_file.name])
    assert not ImportJob.objects.filter(store_id=store.pk).exists()
