"""Review of the catalog import and export pages (issue #6): counts with thousands separators,
no "0 of 1" before the total is known, a cancel dialog whose buttons say what they do."""

from __future__ import annotations

import pytest

from apps.catalog import services
from apps.catalog.models import ExportJob
from tests.catalog.io_factories import media_root, upload  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


# --- 6 and 11. the export's progress: counts, and a dialog that says what each button does -------
def test_export_progress_waits_for_its_total_and_names_the_dialogs_buttons(
    store, owner, client_for
):
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="xlsx")
    url = f"/store/{store.handle}/catalog/exports/{job.pk}/"
    client = client_for(owner)
    ExportJob.objects.filter(pk=job.pk).update(status="running", processed=0, total=0)

    counting = client.get(url).text
    assert "0 of 1 variants" not in counting
    assert "Counting the variants…" in counting
    assert 'data-confirm-label="Stop export"' in counting
    assert 'data-confirm-dismiss="Keep exporting"' in counting
    assert ">Stop export</button>" in counting
    assert ">Cancel</button></form>" not in counting

    ExportJob.objects.filter(pk=job.pk).update(processed=1234, total=12345)
    assert "1,234 of 12,345 variants" in client.get(url).text


def test_the_mapping_page_counts_rows_with_thousands_separators(store, owner, client_for):
    text = "handle,title,sku,price\n" + "".join(f"p{n},P{n},SKU-{n},1.00\n" for n in range(1500))
    job = services.import_job_create(
        store=store, actor=owner, upload=upload(text.encode(), "a.csv")
    )
    page = client_for(owner).get(f"/store/{store.handle}/catalog/imports/{job.pk}/mapping/").text
    assert "1,500 rows (about)" in page
