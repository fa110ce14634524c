"""Private files: what the portal receives or builds for a store (imports, their error rows,
exports, reports).

- They live in their own storage, ``STORAGES["private"]`` (a folder outside MEDIA_ROOT,
  ``PRIVATE_ROOT``; an S3 bucket through django-storages works the same), which has no public
  address: ``PrivateFileSystemStorage.url()`` refuses.
- Their names are unguessable: ``<app>/<model>/<store id>/<uuid4>.<ext>``
  (``private_file_path``); the name the person sees is set when the file is served.
- They are served only by a store view that checks the store and the role and then calls
  ``private_file_response`` (another store's row is already a 404 there).
- A daily task deletes them after their retention (``private_files_delete_expired``): every
  model with ``private_file_fields`` (the job models) names its retention key in
  ``file_retention``, looked up in ``settings.PRIVATE_FILE_RETENTION_DAYS``.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)

PRIVATE_STORAGE = "private"
DEFAULT_RETENTION_DAYS = 30
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,5}$")


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk with no public address: serve them through a view that checks access."""

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no public address; serve it through a view.")


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages[PRIVATE_STORAGE]


private_storage = _PrivateStorage()


def private_storage_get() -> _PrivateStorage:
    """The private storage, for ``FileField(storage=…)`` (a callable keeps migrations clean)."""
    return private_storage


def _private_storage_reset(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":  # tests point the private storage at a temporary folder
        private_storage._wrapped = empty


setting_changed.connect(_private_storage_reset)


def private_file_path(instance, filename: str) -> str:
    """``<app>/<model>/<store id>/<uuid4>.<ext>``: nothing of the original name to guess."""
    extension = os.path.splitext(filename)[1].lower()
    if not _EXTENSION.match(extension):
        extension = ""
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{instance.store_id}/{uuid.uuid4().hex}{extension}"


def private_file_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """Send a private file as a download; a missing file (expired, deleted) is a 404."""
    if not file:
        raise Http404("This file has expired or does not exist.")
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404("This file has expired or does not exist.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_retention_days(key: str) -> int:
    return int(settings.PRIVATE_FILE_RETENTION_DAYS.get(key, DEFAULT_RETENTION_DAYS))


def private_files_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the private files of rows older than their retention; returns how many.

    The row stays (the import history keeps its counts); its file field is emptied.
    """
    now = now or timezone.now()
    deleted = 0
    for model in apps.get_models():
        fields = getattr(model, "private_file_fields", ())
        if not fields:
            continue
        cutoff = now - timedelta(days=private_file_retention_days(model.file_retention))
        for field in fields:
            old = model.objects.filter(created_at__lt=cutoff).exclude(**{field: ""})
            for row in old.only("pk", field).iterator():
                file = getattr(row, field)
                file.storage.delete(file.name)
                model.objects.filter(pk=row.pk).update(**{field: ""})
                deleted += 1
    if deleted:
        logger.info("deleted %s private files past their retention", deleted)
    return deleted
