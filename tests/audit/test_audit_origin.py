"""Where an entry without a client address came from: a background job (a Celery task) or a
management command (named), never one said for the other."""

import io
import re

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record
from apps.catalog import services as catalog_services
from apps.catalog.models import Product
from apps.core import demo
from apps.core.portal import DemoSeeder, contributions
from tests.catalog.factories import ProductFactory


def _address_cells(page: str) -> list[str]:
    cells = page.split('<td data-label="Address" class="audit-address">')[1:]
    return [" ".join(cell[: cell.index("</td>")].split()) for cell in cells]


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell)


def test_entries_written_by_a_celery_task_say_background_job(
    store, owner, client_for, celery_eager, django_capture_on_commit_callbacks
):
    for title in ("Mug", "Bowl"):
        ProductFactory(store=store, title=title, status="active")
    with django_capture_on_commit_callbacks(execute=True):
        job = catalog_services.bulk_job_create(
            store=store,
            actor=owner,
            products=Product.objects.for_store(store),
            options=catalog_services.BulkOptions(action="archive"),
        )

    page = client_for(owner).get("/store/alpha/audit/").text

    job.refresh_from_db()
    assert job.status == "done"
    assert set(AuditEntry.objects.values_list("origin", flat=True)) == {
        "task:apps.core.tasks.run_job_task"
    }
    assert [_text(cell) for cell in _address_cells(page)] == ["Background job"] * 2


@pytest.fixture
def staff_only(db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = next(seeder for seeder in contributions(DemoSeeder) if seeder.name == "staff")
    monkeypatch.setattr(demo, "demo_seeders", lambda: [staff])


def test_entries_written_by_a_management_command_name_the_command(staff_only, client_for):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())

    page = client_for(User.objects.get(email="owner@demo.test")).get("/store/demo/audit/")

    assert AuditEntry.objects.filter(store__handle="demo").exists()
    assert set(AuditEntry.objects.values_list("origin", flat=True)) == {"command:seed_demo"}
    cells = {_text(cell) for cell in _address_cells(page.text)}
    assert cells == {"Management command (seed_demo)"}


def test_an_entry_from_nowhere_known_claims_neither(store, owner, client_for):
    audit_record(store=store, actor=owner, action="store.updated", target=store)

    page = client_for(owner).get("/store/alpha/audit/").text

    (cell,) = _address_cells(page)
    assert _text(cell) == "No address"
