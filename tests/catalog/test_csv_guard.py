"""CSV formula injection: every CSV the portal writes opens as text in a spreadsheet, numbers stay
numbers (also written as text: ``-5`` stays ``-5``), and an export imports back unchanged."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from apps.catalog import services
from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.models import Product, Variant
from apps.core.csv import guard_cell, guarded_writer, sql_guard, unguard_cell
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "=1",
    "+1-1",
    "@SUM(A1)",
    "-2+3",
    "-5e3",
    "-.5",
    "-5.",
    "+1,5",
    "-1 ",
    "-5\n",
    "\tTab",
    "\rReturn",
    "'=already quoted",
]
HARMLESS = ["Linen shirt", "3.2", "1e5", "", "a=b", "'quoted", "it's -5", "'-5"]
# a plain decimal number written as text: Excel reads it as a number, not a formula
PLAIN_NUMBERS = ["-5", "+3.2", "-0.50", "+1", "-12345678901234567890"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_formula_like_cell_gets_a_quote_and_reads_back_unchanged(text):
    assert guard_cell(text) == "'" + text
    assert unguard_cell(guard_cell(text)) == text


@pytest.mark.parametrize("text", HARMLESS + PLAIN_NUMBERS)
def test_plain_text_and_numbers_are_left_alone(text):
    assert guard_cell(text) == text
    assert unguard_cell(text) == text


def test_numbers_and_empty_values_are_not_text():
    assert [guard_cell(v) for v in (-5, 3.2, Decimal("-1.50"), None, True)] == [
        -5,
        3.2,
        Decimal("-1.50"),
        None,
        True,
    ]


def test_the_guarded_writer_guards_every_text_cell_and_no_number():
    out = io.StringIO()
    guarded_writer(out).writerow(["=cmd", -3, "-3", "-3-3", "ok"])
    assert out.getvalue() == "'=cmd,-3,-3,'-3-3,ok\r\n"


@pytest.mark.django_db
@pytest.mark.parametrize("text", DANGEROUS + HARMLESS + PLAIN_NUMBERS)
def test_the_sql_guard_agrees_with_guard_cell(text):
    with connection.cursor() as cursor:
        sql = f"SELECT {sql_guard('v')} FROM (SELECT %s::text AS v) AS cell"  # noqa: S608
        cursor.execute(sql, [text])
        assert cursor.fetchone()[0] == guard_cell(text)


# --- the product export and the import's error file ------------------------------------------
def _seed(store, titles):
    for index, title in enumerate(titles):
        product = Product.objects.create(store=store, handle=f"p{index}", title=title)
        Variant.objects.create(
            store=store, product=product, sku=f"-SKU{index}", price=Decimal("12.50")
        )


def _export(client, store, file_format="csv") -> bytes:
    url = reverse("catalog:product-export", kwargs={"handle": store.handle})
    return b"".join(client.get(f"{url}?format={file_format}").streaming_content)


TITLES = ['=HYPERLINK("http://x","y")', "+1-1", "@SUM(A1)", "-2+3"]
PLAIN_NUMBER_TITLES = ["-5", "+3.2"]


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_csv_export_guards_text_cells_and_leaves_numbers(store, owner, client_for):
    _seed(store, TITLES)

    body = _export(client_for(owner), store).decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["title"] for r in rows) == sorted("'" + t for t in TITLES)
    assert {r["sku"] for r in rows} == {"'-SKU0", "'-SKU1", "'-SKU2", "'-SKU3"}
    assert {r["price"] for r in rows} == {"12.50"}


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_xlsx_export_writes_formula_like_titles_as_strings(store, owner, client_for):
    _seed(store, TITLES)

    data = _export(client_for(owner), store, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    title_column = COLUMN_NAMES.index("title") + 1
    cells = [sheet.cell(row=r, column=title_column) for r in range(2, 6)]
    assert sorted(c.value for c in cells) == sorted(TITLES)
    assert {c.data_type for c in cells} == {"s"}


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_export_then_import_leaves_formula_like_titles_unchanged(store, owner, client_for):
    _seed(store, TITLES)
    data = _export(client_for(owner), store)

    job = services.import_job_create(store=store, actor=owner, upload=upload(data))
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="all")
    services.import_job_start(store=store, job=job, actor=owner)

    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.error_count) == (0, 4, 0)
    assert sorted(Product.objects.for_store(store).values_list("title", flat=True)) == sorted(
        TITLES
    )
    assert sorted(Variant.objects.for_store(store).values_list("sku", flat=True)) == [
        "-SKU0",
        "-SKU1",
        "-SKU2",
        "-SKU3",
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_the_import_error_file_guards_the_cells_it_repeats(store, owner):
    data = csv_bytes([row(title="=cmd|' /C calc'!A0", price="-1")])
    job = services.import_job_create(store=store, actor=owner, upload=upload(data))
    job = services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="skip")

    with job.result_file.open("rb") as handle:
        lines = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    title_at = 2 + COLUMN_NAMES.index("title")
    assert lines[1][title_at] == "'=cmd|' /C calc'!A0"
    assert lines[1][2 + COLUMN_NAMES.index("price")] == "-1"
    assert lines[1][1] == "price: The price cannot be negative."


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_csv_export_leaves_titles_that_are_plain_numbers_unguarded(store, owner, client_for):
    _seed(store, PLAIN_NUMBER_TITLES)

    body = _export(client_for(owner), store).decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["title"] for r in rows) == sorted(PLAIN_NUMBER_TITLES)
