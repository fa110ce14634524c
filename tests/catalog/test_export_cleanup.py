import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from apps.catalog.tasks import export_cleanup_task


def test_daily_cleanup_deletes_export_files_older_than_a_day(store):
    old = default_storage.save(f"stores/{store.pk}/exports/old.xlsx", ContentFile(b"x"))
    new = default_storage.save(f"stores/{store.pk}/exports/new.xlsx", ContentFile(b"y"))
    kept = default_storage.save(f"stores/{store.pk}/imports/upload.csv", ContentFile(b"z"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    deleted = export_cleanup_task()

    assert deleted == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(new)
    assert default_storage.exists(kept)  # import files belong to the import history
