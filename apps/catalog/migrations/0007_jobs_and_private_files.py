# Issue #6: ImportJob, BulkJob and the new ExportJob share core's abstract Job (status,
# processed/total, started/finished, failure_message, requested_by, result_file); fields are
# renamed in place so existing rows keep their data. Import files and error rows move from the
# public media storage to the private storage under unguessable names; the old public export
# files are deleted (the export links they belonged to expired after a day anyway), and so is
# the beat entry of the removed export clean-up task.

import django.db.models.deletion
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations, models

import apps.core.files

JOB_STATUSES = [
    ("queued", "Waiting"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
PUBLIC_PREFIX = "stores/"


def move_import_files_to_private_storage(registry, schema_editor):
    ImportJob = registry.get_model("catalog", "ImportJob")
    private = apps.core.files.private_storage
    jobs = ImportJob.objects.filter(
        models.Q(file__startswith=PUBLIC_PREFIX) | models.Q(result_file__startswith=PUBLIC_PREFIX)
    )
    for job in jobs.iterator():
        moved = {}
        for field in ("file", "result_file"):
            name = getattr(job, field).name
            if not name or not name.startswith(PUBLIC_PREFIX):
                continue
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    new_name = private.save(apps.core.files.private_file_path(job, name), handle)
                default_storage.delete(name)
                moved[field] = new_name
            else:
                moved[field] = ""
        ImportJob.objects.filter(pk=job.pk).update(**moved)


def delete_public_export_files(registry, schema_editor):
    if not default_storage.exists("stores"):
        return
    store_folders, _files = default_storage.listdir("stores")
    for folder in store_folders:
        exports = f"stores/{folder}/exports"
        if default_storage.exists(exports):
            for name in default_storage.listdir(exports)[1]:
                default_storage.delete(f"{exports}/{name}")


def delete_export_cleanup_schedule(registry, schema_editor):
    PeriodicTask = registry.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="apps.catalog.tasks.export_cleanup_task").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_category_unique_sibling_name"),
        ("core", "0002_store_iso_codes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("importjob", "processed_rows", "processed"),
        migrations.RenameField("importjob", "total_rows", "total"),
        migrations.RenameField("importjob", "created_by", "requested_by"),
        migrations.RenameField("importjob", "errors_file", "result_file"),
        migrations.RenameField("bulkjob", "created_by", "requested_by"),
        migrations.AlterField(
            model_name="bulkjob",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="result_file",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=apps.core.files.private_storage_get,
                upload_to=apps.core.files.private_file_path,
            ),
        ),
        migrations.AddField(
            model_name="bulkjob",
            name="result_file",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=apps.core.files.private_storage_get,
                upload_to=apps.core.files.private_file_path,
            ),
        ),
        migrations.AlterField(
            model_name="bulkjob",
            name="status",
            field=models.CharField(choices=JOB_STATUSES, default="queued", max_length=12),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=apps.core.files.private_storage_get,
                upload_to=apps.core.files.private_file_path,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("uploaded", "Uploaded"),
                    ("validating", "Checking"),
                    ("validated", "Checked"),
                    ("running", "Importing"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="uploaded",
                max_length=12,
            ),
        ),
        migrations.CreateModel(
            name="ExportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "status",
                    models.CharField(choices=JOB_STATUSES, default="queued", max_length=12),
                ),
                ("processed", models.PositiveIntegerField(default=0)),
                ("total", models.PositiveIntegerField(default=0)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("failure_message", models.TextField(blank=True)),
                (
                    "result_file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        storage=apps.core.files.private_storage_get,
                        upload_to=apps.core.files.private_file_path,
                    ),
                ),
                ("file_format", models.CharField(max_length=4)),
                ("params", models.JSONField(blank=True, default=dict)),
                ("filename", models.CharField(blank=True, max_length=255)),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "store",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.store",
                    ),
                ),
            ],
            options={"ordering": ["-created_at"]},
        ),
        migrations.RunPython(move_import_files_to_private_storage, migrations.RunPython.noop),
        migrations.RunPython(delete_public_export_files, migrations.RunPython.noop),
        migrations.RunPython(delete_export_cleanup_schedule, migrations.RunPython.noop),
    ]
