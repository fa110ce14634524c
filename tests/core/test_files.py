"""Private files: own storage outside MEDIA_ROOT, unguessable names, served only by views that
check store and role, deleted after their retention by a daily task."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from apps.catalog import services
from apps.catalog.models import ExportJob, ImportJob, ProductImage, product_image_path
from apps.core.files import private_storage
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
