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
  ``file_retention``, looked up in ``settings.PRIVATE_FILE_RETENTION_DAYS``. The same task
  sweeps each model's folder for files no row refers to any more (a file a killed worker saved
  before it wrote the row, the rows or stores deleted without their files) once they are older
  than that retention.
- A file a row replaces is deleted when the change commits (``private_file_delete_on_commit``);
  deleting a job (``apps.core.jobs.job_delete``) or a store (``accounts.services.store_delete``)
  deletes its files (``private_files_delete_of``, ``private_files_delete_of_store``).
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
from django.db import transaction
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


def _models_with_files() -> list:
    return [model for model in apps.get_models() if getattr(model, "private_file_fields", ())]


def _model_folder(model) -> str:
    """The folder ``private_file_path`` names the model's files under."""
    return f"{model._meta.app_label}/{model._meta.model_name}"


def private_files_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the private files of rows older than their retention, then the files no row
    refers to that are older than it; returns how many.

    The row stays (the import history keeps its counts); its file field is emptied.
    """
    now = now or timezone.now()
    deleted = 0
    for model in _models_with_files():
        cutoff = now - timedelta(days=private_file_retention_days(model.file_retention))
        for field in model.private_file_fields:
            old = model.objects.filter(created_at__lt=cutoff).exclude(**{field: ""})
            for row in old.only("pk", field).iterator():
                file = getattr(row, field)
                file.storage.delete(file.name)
                model.objects.filter(pk=row.pk).update(**{field: ""})
                deleted += 1
        deleted += _unreferenced_delete(model, cutoff)
    if deleted:
        logger.info("deleted %s private files past their retention", deleted)
    return deleted


SWEEP_BATCH = 500


def _unreferenced_delete(model, cutoff: datetime) -> int:
    """Delete the files under the model's folder that no row refers to, modified before
    ``cutoff`` (a fresh one may be a file a worker saved just before it writes its row)."""
    folder = _model_folder(model)
    if not private_storage.exists(folder):
        return 0
    deleted = 0
    for store_folder in private_storage.listdir(folder)[0]:
        path = f"{folder}/{store_folder}"
        names = [f"{path}/{name}" for name in private_storage.listdir(path)[1]]
        for start in range(0, len(names), SWEEP_BATCH):
            batch = names[start : start + SWEEP_BATCH]
            referenced: set[str] = set()
            for field in model.private_file_fields:
                rows = model.objects.filter(**{f"{field}__in": batch})
                referenced.update(rows.values_list(field, flat=True))
            for name in batch:
                if name not in referenced and private_storage.get_modified_time(name) < cutoff:
                    private_storage.delete(name)
                    deleted += 1
    return deleted


def private_file_delete_on_commit(name: str) -> None:
    """Delete a private file once the current transaction commits (a row stopped naming it)."""
    if name:
        transaction.on_commit(lambda: private_storage.delete(name))


def private_files_delete_of(row) -> None:
    """Delete the row's private files once its deletion commits."""
    for field in getattr(row, "private_file_fields", ()):
        private_file_delete_on_commit(getattr(row, field).name)


def private_files_delete_of_store(store_id: int) -> None:
    """Delete every private file of the store once its deletion commits."""

    def delete() -> None:
        for model in _models_with_files():
            path = f"{_model_folder(model)}/{store_id}"
            if private_storage.exists(path):
                for name in private_storage.listdir(path)[1]:
                    private_storage.delete(f"{path}/{name}")

    transaction.on_commit(delete)
