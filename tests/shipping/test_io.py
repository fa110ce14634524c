"""Zones and rates as CSV: the export, the import's row checks (the forms' rules), its dry run,
merge and replace all, the job path, permissions and the audit entry."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEntry
from apps.catalog.models import Category
from apps.core.exceptions import DomainError
from apps.core.jobs import job_run
from apps.shipping import inputs, services
from apps.shipping.io import exports, imports
from apps.shipping.io.format import COLUMN_NAMES
from apps.shipping.io.plan import MERGE, REPLACE, plan_build
from apps.shipping.models import Rate, ShippingImportJob, ShippingImportStatus, Zone
from tests.catalog.io_factories import media_root  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


def rule_message(rule, value) -> str:
    """The message the zone and rate forms show for ``value`` (the rule's own words)."""
    with pytest.raises(DomainError) as refused:
        rule(value)
    return refused.value.message


def table(rows: list[dict], headers=COLUMN_NAMES) -> tuple[list[str], list]:
    """Headers and numbered rows as the tabular reader gives them (row 1 is the header)."""
    return list(headers), [
        (number, [row.get(h, "") for h in headers]) for number, row in enumerate(rows, start=2)
    ]


def csv_file(rows: list[dict], headers=COLUMN_NAMES, name="zones.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def exported(store) -> list[dict]:
    text = exports.shipping_export_csv(store=store).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def plan_of(store, rows, mode=MERGE, headers=COLUMN_NAMES):
    header_row, numbered = table(rows, headers)
    return plan_build(store=store, headers=header_row, rows=numbered, mode=mode)


def rate_row(**cells) -> dict:
    return {
        "zone": "Germany",
        "countries": "DE",
        "service": "dhl-standard",
        "rate": "Standard",
        "kind": "weight",
        "bands": "0-2: 4.90; 2-10: 7.90",
        "free_over": "50.00",
        **cells,
    }


# --- export -------------------------------------------------------------------------------------
def test_export_writes_one_row_per_rate_and_one_for_a_zone_without_rates(
    store, owner, shipping_setup
):
    services.zone_create(store=store, actor=owner, name="Austria", countries="AT")

    rows = exported(store)

    assert [(r["zone"], r["service"], r["rate"]) for r in rows] == [
        ("Germany", "dhl-standard", "Standard"),
        ("Germany", "dhl-express", "Express"),
        ("Austria", "", ""),
    ]
    standard, express = rows[0], rows[1]
    assert standard["bands"] == "0-2: 4.90; 2-10: 7.90"
    assert standard["free_over"] == "50.00"
    assert standard["price"] == ""
    assert express["price"] == "9.90"
    assert express["max_weight"] == "30"
    assert express["excluded_tags"] == "oversized"
    assert express["countries"] == "DE"


def test_export_writes_amounts_in_the_currencys_decimals(store, owner, shipping_setup):
    store.currency = "JPY"
    store.save()
    rate = Rate.objects.get(name="Express")
    rate.price = Decimal("1500.00")
    rate.save()

    rows = exported(store)

    assert rows[1]["price"] == "1500"
    assert rows[0]["bands"] == "0-2: 5; 2-10: 8"  # 4.90 yen rounds half up to 5


def test_export_guards_cells_against_spreadsheet_formulas(store, owner):
    services.zone_create(store=store, actor=owner, name="=HYPERLINK(1)", countries="DE")

    text = exports.shipping_export_csv(store=store).decode("utf-8-sig")

    assert "'=HYPERLINK(1)" in text


def test_an_export_imports_back_unchanged(store, owner, shipping_setup):
    category = Category.objects.create(store=store, name="Sofas", slug="sofas")
    express = Rate.objects.get(name="Express")
    express.excluded_categories.set([category])
    services.zone_create(store=store, actor=owner, name="=Odd", countries="AT")
    data = exports.shipping_export_csv(store=store)

    job = imports.shipping_import_create(
        store=store, actor=owner, upload=SimpleUploadedFile("z.csv", data), mode=REPLACE
    )

    assert job.status == ShippingImportStatus.CHECKED
    assert job.summary["errors"] == []
    assert job.summary["zones_unchanged"] == 2
    assert job.summary["rates_unchanged"] == 2
    assert job.summary["zones_deleted"] == job.summary["rates_deleted"] == 0


# --- one row's checks: the forms' rules, every problem at once --------------------------------
def test_every_problem_of_a_row_is_listed_with_its_row_and_the_files_header(
    store, owner, shipping_setup
):
    headers = ["Zone", "Countries", "postal include", "service", "kind", "bands", "free_over"]
    rows = [
        {"Zone": "Germany", "Countries": "DE", "service": "dhl-standard", "kind": "weight",
         "bands": "0-2: 4.90"},
        {"Zone": "Nordics", "Countries": "SE, XX", "postal include": "SW*1",
         "service": "dhl-express", "kind": "weight", "bands": "0-5: 4; 4-8: 6",
         "free_over": "-1"},
    ]  # fmt: skip

    plan = plan_of(store, rows, headers=headers)

    assert plan.errors == [
        {"row": 3, "column": "Countries", "message": "“XX” is not a country code, e.g. DE."},
        {"row": 3, "column": "postal include", "message": rule_message(inputs.postal_rule, "SW*1")},
        {
            "row": 3,
            "column": "free_over",
            "message": "The free-shipping threshold cannot be negative.",
        },
        {
            "row": 3,
            "column": "bands",
            "message": "The bands 0-5 and 4-8 overlap; a band starts where the one before it ends.",
        },
    ]
    assert plan.counts()["error_rows"] == 1


def test_the_row_messages_are_the_forms_messages(store, owner, shipping_setup, client_for):
    """The same value gets the same verdict in the zone form and in the import."""
    form = client_for(owner).post(
        "/store/alpha/shipping/zones/new/", {"name": "Nordics", "countries": "SE, XX"}
    )
    plan = plan_of(store, [{"zone": "Nordics", "countries": "SE, XX"}])

    assert plan.errors[0]["message"] in form.content.decode()


def test_unknown_service_bad_kind_and_a_bad_band_line_are_explained(store, shipping_setup):
    plan = plan_of(
        store,
        [
            rate_row(service="ups-ground"),
            rate_row(rate="Heavy", kind="by truck"),
            rate_row(rate="Bulky", bands="0-2: 4.90; two-5: 6"),
        ],
    )

    assert [(e["row"], e["column"]) for e in plan.errors] == [
        (2, "service"),
        (3, "kind"),
        (4, "bands"),
    ]
    assert plan.errors[0]["message"].startswith("No carrier service has the code “ups-ground”.")
    assert plan.errors[1]["message"] == (
        "Write how the rate is priced: flat, weight, subtotal or per_item."
    )
    assert plan.errors[2]["message"].startswith("Band 2: ")


def test_a_bad_kind_still_gets_its_bands_checked(store, shipping_setup):
    plan = plan_of(store, [rate_row(kind="by truck", bands="0-5: 4; 4-8: 6")])

    assert [(e["row"], e["column"]) for e in plan.errors] == [(2, "kind"), (2, "bands")]


def test_a_zone_written_differently_on_two_rows_is_refused(store, shipping_setup):
    plan = plan_of(
        store,
        [rate_row(), rate_row(countries="DE, AT", service="dhl-express", rate="Express",
                              kind="flat", bands="", price="9.90")],
    )  # fmt: skip

    assert plan.errors == [
        {
            "row": 3,
            "column": "countries",
            "message": "The zone “Germany” has other countries on row 2; write a zone's columns "
            "the same on each of its rows.",
        }
    ]


def test_two_rows_naming_one_rate_of_a_zone_are_refused(store, shipping_setup):
    plan = plan_of(store, [rate_row(), rate_row(service="dhl-express", kind="flat", price="1")])

    assert plan.errors[0]["row"] == 3
    assert plan.errors[0]["column"] == "rate"
    assert "Row 2 already names a rate “Standard”" in plan.errors[0]["message"]


# --- merge and replace all ----------------------------------------------------------------------
def test_merge_adds_and_updates_and_keeps_what_the_file_does_not_name(store, owner, shipping_setup):
    services.zone_create(store=store, actor=owner, name="Austria", countries="AT")
    upload = csv_file(
        [
            rate_row(bands="0-2: 5.50; 2-10: 7.90"),
            {"zone": "France", "countries": "FR", "service": "dhl-express", "price": "12"},
        ]
    )

    job = imports.shipping_import_create(store=store, actor=owner, upload=upload, mode=MERGE)
    assert job.summary["rates_updated"] == 1
    assert job.summary["zones_created"] == 1
    assert job.summary["rates_created"] == 1
    assert Zone.objects.filter(name="France").count() == 0  # the check writes nothing

    imports.shipping_import_start(store=store, job=job, actor=owner)

    job.refresh_from_db()
    assert job.status == ShippingImportStatus.DONE
    counts = ("zones_created", "zones_updated", "rates_created", "rates_updated", "unchanged")
    assert [job.summary[key] for key in counts] == [1, 0, 1, 1, 1]  # as the check said
    assert job.summary["applied"] is True
    standard = Rate.objects.get(zone__name="Germany", name="Standard")
    assert standard.bands[0] == ["0", "2", "5.50"]
    assert Rate.objects.filter(zone__name="Germany", name="Express").exists()  # kept
    assert Zone.objects.filter(name="Austria").exists()  # kept
    france = Rate.objects.get(zone__name="France")
    assert (france.name, france.price, france.kind) == ("Express", Decimal("12.00"), "flat")


def test_replace_all_deletes_what_the_file_does_not_name(store, owner, shipping_setup):
    services.zone_create(store=store, actor=owner, name="Austria", countries="AT")

    job = imports.shipping_import_create(
        store=store, actor=owner, upload=csv_file([rate_row()]), mode=REPLACE
    )
    assert (job.summary["zones_deleted"], job.summary["rates_deleted"]) == (1, 1)
    imports.shipping_import_start(store=store, job=job, actor=owner)

    assert list(Zone.objects.for_store(store).values_list("name", flat=True)) == ["Germany"]
    assert list(Rate.objects.for_store(store).values_list("name", flat=True)) == ["Standard"]


def test_replace_all_refuses_to_run_when_the_store_changed_since_the_check(
    store, owner, shipping_setup
):
    job = imports.shipping_import_create(
        store=store, actor=owner, upload=csv_file([rate_row()]), mode=REPLACE
    )
    services.zone_create(store=store, actor=owner, name="Austria", countries="AT")

    imports.shipping_import_start(store=store, job=job, actor=owner)

    job.refresh_from_db()
    assert job.status == ShippingImportStatus.FAILED
    assert "would now delete 1 zone and 1 rate instead of 0 zones and 1 rate" in (
        job.failure_message
    )
    assert Zone.objects.filter(name="Austria").exists()
    assert Rate.objects.filter(name="Express").exists()


def test_a_file_with_a_bad_row_imports_nothing(store, owner, shipping_setup):
    upload = csv_file([rate_row(bands="0-2: 1.00"), {"zone": "Nowhere", "countries": "XX"}])

    job = imports.shipping_import_create(store=store, actor=owner, upload=upload, mode=MERGE)

    assert job.summary["error_rows"] == 1
    with pytest.raises(DomainError, match="Nothing can be imported while rows have errors"):
        imports.shipping_import_start(store=store, job=job, actor=owner)
    assert Rate.objects.get(name="Standard").bands[0] == ["0", "2", "4.90"]


def test_a_rate_is_matched_by_zone_and_service_so_it_can_be_renamed(store, owner, shipping_setup):
    job = imports.shipping_import_create(
        store=store, actor=owner, upload=csv_file([rate_row(rate="Economy")]), mode=MERGE
    )
    assert (job.summary["rates_updated"], job.summary["rates_created"]) == (1, 0)

    imports.shipping_import_start(store=store, job=job, actor=owner)

    assert sorted(Rate.objects.for_store(store).values_list("name", flat=True)) == [
        "Economy",
        "Express",
    ]


def test_columns_left_out_of_the_file_keep_their_values(store, owner, shipping_setup):
    headers = ["zone", "service", "price"]
    upload = csv_file(
        [{"zone": "Germany", "service": "dhl-express", "price": "11.50"}], headers=headers
    )

    job = imports.shipping_import_create(store=store, actor=owner, upload=upload, mode=MERGE)
    imports.shipping_import_start(store=store, job=job, actor=owner)

    express = Rate.objects.get(name="Express")
    assert express.price == Decimal("11.50")
    assert express.max_weight == Decimal("30.000")
    assert express.excluded_tags == ["oversized"]
    assert Zone.objects.get(name="Germany").countries == ["DE"]


def test_the_import_writes_one_audit_entry_with_its_counts(store, owner, shipping_setup):
    upload = csv_file(
        [
            rate_row(bands="0-2: 5.50; 2-10: 7.90"),
            {"zone": "France", "countries": "FR", "service": "dhl-express", "price": "12"},
            {"zone": "Spain", "countries": "ES", "service": "dhl-express", "price": "12"},
        ]
    )
    job = imports.shipping_import_create(store=store, actor=owner, upload=upload, mode=MERGE)

    before = AuditEntry.objects.count()

    imports.shipping_import_start(store=store, job=job, actor=owner)

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.target_type, entry.target_id) == (
        "shipping.imported",
        "shipping.shippingimportjob",
        str(job.pk),
    )
    assert entry.changes["zones_created"] == [None, 2]
    assert entry.changes["rates_created"] == [None, 2]
    assert entry.changes["rates_updated"] == [None, 1]
    assert entry.actor_id == owner.pk


def test_the_audit_log_words_the_import(client_for, owner, shipping_setup):
    upload = csv_file([{"zone": "France", "countries": "FR"}])
    job = imports.shipping_import_create(store=owner.memberships.get().store, actor=owner,
                                         upload=upload, mode=MERGE)  # fmt: skip
    imports.shipping_import_start(store=job.store, job=job, actor=owner)

    page = client_for(owner).get("/store/alpha/audit/").content.decode()

    link = f'<a href="/store/alpha/shipping/imports/{job.pk}/">zones.csv</a>'
    assert f"Ada Owner imported the zones and rates of “{link}”" in page


def test_a_new_import_forgets_the_cached_shipping_config(store, owner, shipping_setup):
    from apps.shipping.selectors import shipping_config

    assert len(shipping_config(store=store).zones) == 1
    upload = csv_file([{"zone": "France", "countries": "FR"}])
    job = imports.shipping_import_create(store=store, actor=owner, upload=upload, mode=MERGE)

    imports.shipping_import_start(store=store, job=job, actor=owner)

    assert len(shipping_config(store=store).zones) == 2


# --- the job path -------------------------------------------------------------------------------
def big_file(count: int) -> SimpleUploadedFile:
    rows = [
        {"zone": f"Zone {n}", "countries": "DE", "postal_include": f"{n:05d}",
         "service": "dhl-express", "price": "4.90"}
        for n in range(count)
    ]  # fmt: skip
    return csv_file(rows)


def test_a_large_file_is_checked_and_imported_as_a_job(
    store, owner, shipping_setup, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 5)
    with django_capture_on_commit_callbacks() as queued:
        job = imports.shipping_import_create(
            store=store, actor=owner, upload=big_file(12), mode=MERGE
        )
    assert job.status == ShippingImportStatus.CHECK_QUEUED
    assert len(queued) == 1  # the job's task, on commit

    # the worker's task body, called directly
    assert job_run(label="shipping.ShippingImportJob", job_id=job.pk) == "checked"
    job.refresh_from_db()
    assert (job.summary["zones_created"], job.processed, job.total) == (12, 12, 12)
    assert not Zone.objects.filter(name="Zone 0").exists()

    with django_capture_on_commit_callbacks():
        imports.shipping_import_start(store=store, job=job, actor=owner)
    job.refresh_from_db()
    assert job.status == ShippingImportStatus.RUN_QUEUED
    assert job_run(label="shipping.ShippingImportJob", job_id=job.pk) == "done"
    assert Zone.objects.for_store(store).filter(name__startswith="Zone ").count() == 12
    # a second delivery of the same task is harmless
    assert job_run(label="shipping.ShippingImportJob", job_id=job.pk) is None
    assert Rate.objects.for_store(store).filter(zone__name__startswith="Zone ").count() == 12


def test_a_cancelled_import_job_writes_nothing(
    store, owner, shipping_setup, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 5)
    with django_capture_on_commit_callbacks():
        job = imports.shipping_import_create(
            store=store, actor=owner, upload=big_file(8), mode=MERGE
        )
    job_run(label="shipping.ShippingImportJob", job_id=job.pk)
    job.refresh_from_db()
    with django_capture_on_commit_callbacks():
        imports.shipping_import_start(store=store, job=job, actor=owner)

    imports.shipping_import_cancel(store=store, actor=owner, job=job)

    assert job_run(label="shipping.ShippingImportJob", job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ShippingImportStatus.CANCELLED
    assert not Zone.objects.filter(name__startswith="Zone ").exists()
    assert AuditEntry.objects.filter(action="shippingimportjob.cancelled").count() == 1


def test_a_job_cancelled_while_it_reads_stops_before_writing(
    store, owner, shipping_setup, monkeypatch, django_capture_on_commit_callbacks
):
    """Cancel arrives between two progress writes: the runner stops at the next one."""
    from apps.shipping.io import plan as plan_module

    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 5)
    monkeypatch.setattr(plan_module, "PROGRESS_EVERY", 2)
    with django_capture_on_commit_callbacks():
        job = imports.shipping_import_create(
            store=store, actor=owner, upload=big_file(8), mode=MERGE
        )
    job_run(label="shipping.ShippingImportJob", job_id=job.pk)
    job.refresh_from_db()
    with django_capture_on_commit_callbacks():
        imports.shipping_import_start(store=store, job=job, actor=owner)
    job.refresh_from_db()
    real_build = plan_module.plan_build

    def build_then_cancel(**kwargs):
        progress = kwargs["progress"]

        def cancelling(rows):
            ShippingImportJob.objects.filter(pk=job.pk).update(status="cancelled")
            progress(rows)

        return real_build(**{**kwargs, "progress": cancelling})

    monkeypatch.setattr(imports, "plan_build", build_then_cancel)

    job_run(label="shipping.ShippingImportJob", job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ShippingImportStatus.CANCELLED
    assert not Zone.objects.filter(name__startswith="Zone ").exists()


# --- pages and permissions ----------------------------------------------------------------------
def post_upload(client, data: SimpleUploadedFile, mode=MERGE, handle="alpha"):
    return client.post(f"/store/{handle}/shipping/imports/new/", {"file": data, "mode": mode})


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("manager", 200), ("support", 403)])
def test_export_and_import_pages_by_role(client_for, make_member, store, role, status):
    client = client_for(make_member(store, role))

    assert client.get("/store/alpha/shipping/zones/export.csv").status_code == status
    assert client.get("/store/alpha/shipping/imports/new/").status_code == status


def test_support_gets_403_on_every_import_page(client_for, owner, support, store):
    post_upload(client_for(owner), csv_file([{"zone": "France", "countries": "FR"}]))
    job = ShippingImportJob.objects.get()
    client = client_for(support)
    base = f"/store/alpha/shipping/imports/{job.pk}/"

    assert client.get(base).status_code == 403
    assert client.get(f"{base}file").status_code == 403
    assert client.post(f"{base}run/").status_code == 403
    assert client.post(f"{base}cancel/").status_code == 403
    assert not Zone.objects.filter(name="France").exists()


def test_support_cannot_upload(client_for, support, store):
    response = post_upload(client_for(support), csv_file([{"zone": "France"}]))

    assert response.status_code == 403
    assert not ShippingImportJob.objects.exists()


def test_export_download_is_a_csv_attachment(client_for, manager, shipping_setup):
    response = client_for(manager).get("/store/alpha/shipping/zones/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="alpha-shipping-zones')
    assert response.content.startswith(b"\xef\xbb\xbfzone,countries,")


def test_manager_uploads_sees_the_bad_row_and_cannot_run(client_for, manager, shipping_setup):
    client = client_for(manager)

    response = post_upload(client, csv_file([rate_row(), {"zone": "Nowhere", "countries": "XX"}]))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Check before importing" in page
    assert "“XX” is not a country code, e.g. DE." in page
    assert "Import 2 rows" not in page
    job = ShippingImportJob.objects.get()
    run = client.post(f"/store/alpha/shipping/imports/{job.pk}/run/")
    assert run.status_code == 400
    assert "Nothing can be imported while rows have errors" in run.content.decode()
    assert not Zone.objects.filter(name="Nowhere").exists()


def test_manager_runs_a_clean_file_and_sees_the_result(client_for, manager, shipping_setup):
    client = client_for(manager)
    response = post_upload(client, csv_file([{"zone": "France", "countries": "FR"}]))
    job = ShippingImportJob.objects.get()

    check = client.get(response["Location"]).content.decode()
    assert "Import 1 row" in check
    run = client.post(f"/store/alpha/shipping/imports/{job.pk}/run/")

    assert run.status_code == 302
    assert "Import finished" in client.get(run["Location"]).content.decode()
    assert Zone.objects.filter(name="France").exists()


def test_replace_all_names_what_it_deletes_before_it_runs(client_for, owner, shipping_setup):
    client = client_for(owner)
    post_upload(client, csv_file([rate_row()]), mode=REPLACE)
    job = ShippingImportJob.objects.get()

    page = client.get(f"/store/alpha/shipping/imports/{job.pk}/").content.decode()

    assert "This deletes 0 zones and 1 rate not in the file, for good." in page
    assert "Replace all deletes 0 zones and 1 rate not in the file." in page


def test_upload_errors_are_shown_next_to_the_file(client_for, owner, store):
    response = post_upload(client_for(owner), csv_file([{"x": "1"}], headers=["name", "price"]))

    assert response.status_code == 400
    assert "it has no “zone” column" in response.content.decode()
    assert not ShippingImportJob.objects.exists()


def test_an_upload_over_the_limit_is_refused(client_for, owner, store, monkeypatch):
    import apps.core.tabular as tabular

    monkeypatch.setattr(tabular, "MAX_UPLOAD_BYTES", 100)

    rows = [{"zone": f"Zone {n}", "countries": "DE"} for n in range(5_000)]  # about 100 KB

    response = post_upload(client_for(owner), csv_file(rows))

    assert response.status_code == 400
    assert "the limit is 100 bytes" in response.content.decode()
    assert not ShippingImportJob.objects.exists()


def test_the_progress_page_polls_and_cancel_stops_the_job(
    client_for, manager, shipping_setup, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 5)
    client = client_for(manager)
    with django_capture_on_commit_callbacks():
        post_upload(client, big_file(8))
    job = ShippingImportJob.objects.get()
    url = f"/store/alpha/shipping/imports/{job.pk}/"

    page = client.get(url).content.decode()
    polled = client.get(url, headers={"HX-Request": "true"})
    cancelled = client.post(f"{url}cancel/", follow=True)
    after = client.get(url, headers={"HX-Request": "true"})

    assert "Checking zones.csv" in page
    assert "Waiting for a worker to start" in page
    assert 'id="import-progress"' in polled.content.decode()
    assert "<html" not in polled.content.decode()
    assert "Import of zones.csv cancelled; nothing was written." in cancelled.content.decode()
    assert after["HX-Redirect"] == url
    job.refresh_from_db()
    assert job.status == ShippingImportStatus.CANCELLED


def test_another_stores_import_is_404(client_for, owner, other_store, make_member, store):
    post_upload(client_for(owner), csv_file([{"zone": "France", "countries": "FR"}]))
    job = ShippingImportJob.objects.get()
    outsider = client_for(make_member(other_store, "owner"))

    for path in ("", "file"):
        assert outsider.get(f"/store/bravo/shipping/imports/{job.pk}/{path}").status_code == 404
        assert outsider.get(f"/store/alpha/shipping/imports/{job.pk}/{path}").status_code == 404
    for path in ("run/", "cancel/"):
        assert outsider.post(f"/store/bravo/shipping/imports/{job.pk}/{path}").status_code == 404
    assert not Zone.objects.filter(name="France").exists()


def test_the_uploaded_file_is_private(client, client_for, owner, support, store):
    post_upload(client_for(owner), csv_file([{"zone": "France", "countries": "FR"}]))
    job = ShippingImportJob.objects.get()
    path = f"/store/alpha/shipping/imports/{job.pk}/file"

    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert client_for(support).get(path).status_code == 403
    download = client_for(owner).get(path)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"zone,countries")
    with pytest.raises(ValueError, match="no public address"):
        job.file.url  # noqa: B018
