"""Pure checks of the import: columns, readers and one-row validation (no database)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from apps.catalog.io.columns import auto_map, ignored_headers, missing_required
from apps.catalog.io.validation import STAGE_COLUMNS, RowValidator, category_key
from apps.core.tabular import (
    MAX_COLUMNS,
    ImportFileError,
    check_csv_encoding,
    check_size,
    detect_format,
    estimate_rows,
    open_tabular_file,
)
from apps.core.uploads import human_size
from tests.catalog.io_factories import HEADER, cells, csv_bytes, row

CATEGORIES = {category_key("Apparel > Shirts"): 7}


def validate(**values):
    validator = RowValidator(
        headers=HEADER, mapping={name: name for name in HEADER}, categories=CATEGORIES
    )
    return validator.validate(2, cells(row(**values)))


def messages(errors):
    return [(error.column, error.message) for error in errors]


# --- columns -------------------------------------------------------------------------------
def test_auto_map_matches_own_names_spaced_headers_and_shopify_aliases():
    headers = ["Handle", "Title", "Variant SKU", "Option1 Name", "Variant Price", "Colour notes"]

    mapping = auto_map(headers)

    assert mapping == {
        "Handle": "handle",
        "Title": "title",
        "Variant SKU": "sku",
        "Option1 Name": "option1_name",
        "Variant Price": "price",
    }
    assert ignored_headers(headers, mapping) == ["Colour notes"]


def test_missing_required_names_every_required_column_not_mapped():
    assert missing_required({"Handle": "handle", "SKU": "sku"}) == ["title", "price"]


# --- readers ---------------------------------------------------------------------------------
def test_csv_with_and_without_bom_reads_the_same_headers_and_rows():
    plain = csv_bytes([row()])
    with_bom = csv_bytes([row()], bom=True)

    with (
        open_tabular_file(io.BytesIO(plain), "csv") as a,
        open_tabular_file(io.BytesIO(with_bom), "csv") as b,
    ):
        assert a.headers == b.headers == HEADER
        assert list(a.rows()) == list(b.rows()) == [(2, cells(row()))]


def test_csv_in_latin1_is_refused_with_how_to_save_it():
    data = "handle,title,sku,price\nsocke,Wollsocke grün,S1,5\n".encode("latin-1")

    with pytest.raises(ImportFileError) as error:
        check_csv_encoding(io.BytesIO(data))

    assert "isn't UTF-8" in error.value.message
    assert "line 2" in error.value.message
    assert "Windows-1252/Latin-1" in error.value.message
    assert "CSV UTF-8" in error.value.message


def test_csv_in_utf16_is_refused():
    data = "handle,title\n".encode("utf-16")

    with pytest.raises(ImportFileError, match="UTF-16"):
        check_csv_encoding(io.BytesIO(data))


def test_binary_garbage_is_refused_as_not_a_csv():
    garbage = bytes(range(256)) * 100

    with pytest.raises(ImportFileError, match="binary data"):
        check_csv_encoding(io.BytesIO(garbage))


def test_a_cell_over_128_kb_is_a_clear_error_not_a_crash():
    data = b"handle,title,sku,price\n" + b"x" * 200_000 + b",t,s,1\n"

    with (
        open_tabular_file(io.BytesIO(data), "csv") as catalog_file,
        pytest.raises(ImportFileError, match="Row 2 can't be read as CSV"),
    ):
        list(catalog_file.rows())


def test_upload_over_the_size_limit_names_its_size_and_the_limit():
    with pytest.raises(ImportFileError) as error:
        check_size(60 * 1024 * 1024, limit=50 * 1024 * 1024)

    assert error.value.message.startswith("The file is 60.0 MB; the limit is 50.0 MB.")


def test_a_csv_named_xlsx_and_an_old_xls_are_refused():
    with pytest.raises(ImportFileError, match="isn't an Excel workbook"):
        detect_format("products.xlsx", b"handle,t")
    with pytest.raises(ImportFileError, match=r"\.xls"):
        detect_format("products.xls", b"\xd0\xcf\x11\xe0\xa1\xb1")
    assert detect_format("export.csv", b"handle,t") == "csv"


def test_a_broken_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="isn't a readable Excel workbook"):
        open_tabular_file(io.BytesIO(b"PK\x03\x04" + b"\x00" * 100), "xlsx")


def test_xlsx_rows_come_back_as_text_with_numbers_unchanged():
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["handle", "sku", "price", "stock_quantity", "barcode"])
    sheet.append(["tee", "T-1", 19.9, 12, 4006381333931])
    sheet.append([None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with open_tabular_file(buffer, "xlsx") as catalog_file:
        assert catalog_file.headers == ["handle", "sku", "price", "stock_quantity", "barcode"]
        assert list(catalog_file.rows()) == [(2, ["tee", "T-1", "19.9", "12", "4006381333931"])]


def test_semicolon_separated_csv_is_read():
    data = b"handle;title;sku;price\ntee;Tee;T-1;9.50\n"

    with open_tabular_file(io.BytesIO(data), "csv") as catalog_file:
        assert list(catalog_file.rows()) == [(2, ["tee", "Tee", "T-1", "9.50"])]


def test_estimate_rows_counts_data_lines():
    assert estimate_rows(io.BytesIO(csv_bytes([row(), row(sku="B")])), "csv") == 2


# --- one row ---------------------------------------------------------------------------------
def test_valid_row_becomes_a_typed_staging_row():
    staged, errors = validate(category="apparel >  shirts", tags="summer, linen, summer")

    assert errors == []
    values = dict(zip(STAGE_COLUMNS, staged, strict=True))
    assert values["category_id"] == 7
    assert values["tags"] == ["summer", "linen"]
    assert values["price"] == Decimal("49.00")
    assert values["weight"] == Decimal("0.250")
    assert json.loads(values["option_values"]) == {"Size": "M"}
    assert values["stock_quantity"] == 10
    assert values["track_inventory"] is True


def test_blank_optional_cells_take_the_defaults():
    staged, errors = validate(
        status="", low_stock_threshold="", stock_quantity="", track_inventory="", weight_unit=""
    )

    values = dict(zip(STAGE_COLUMNS, staged, strict=True))
    assert errors == []
    assert (values["status"], values["low_stock_threshold"], values["stock_quantity"]) == (
        "draft",
        5,
        0,
    )
    assert (values["track_inventory"], values["weight_unit"]) == (True, "g")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"price": "-1"}, ("price", "The price cannot be negative.")),
        ({"price": ""}, ("price", "Enter the price, e.g. 19.90.")),
        (
            {"price": "19,90"},
            ("price", "The price must be a number like 19.90. Use a dot for decimals, e.g. 19.90."),
        ),
        (
            {"price": "1.999"},
            ("price", "The price has more than two decimals; write it like 19.90."),
        ),
        ({"stock_quantity": "-3"}, ("stock_quantity", "The stock cannot be negative.")),
        ({"stock_quantity": "lots"}, ("stock_quantity", "The stock must be a number like 12.")),
        (
            {"compare_at_price": "40.00"},
            (
                "compare_at_price",
                "The compare-at price (40.00) must be at least the price (49.00), or left empty.",
            ),
        ),
        (
            {"category": "Garden > Tools"},
            (
                "category",
                "Unknown category “Garden > Tools”. Create it first on the categories page, "
                "or write the path of an existing one, parents first, joined by “ > ”.",
            ),
        ),
        ({"handle": ""}, ("handle", "Enter a handle, e.g. linen-shirt.")),
        (
            {"handle": "linen shirt"},
            (
                "handle",
                "The handle “linen shirt” may only hold letters, digits, hyphens and "
                "underscores, e.g. linen-shirt.",
            ),
        ),
        ({"sku": ""}, ("sku", "Enter a SKU.")),
        ({"status": "live"}, ("status", "“live” is not a status; use draft, active or archived.")),
        (
            {"weight_unit": "stone"},
            ("weight_unit", "“stone” is not a weight unit; use g, kg, lb or oz."),
        ),
        (
            {"track_inventory": "maybe"},
            ("track_inventory", "Track inventory “maybe” must be true or false."),
        ),
        ({"option1_name": ""}, ("option1_name", "Option value “M” has no name.")),
        (
            {"option2_name": "Size", "option2_value": "L"},
            ("option2_name", "Option “Size” appears twice."),
        ),
        (
            {"seo_title": "x" * 71},
            ("seo_title", "The SEO title can be at most 70 characters; you entered 71."),
        ),
    ],
)
def test_bad_cells_are_refused_with_the_column_and_a_reason(values, expected):
    staged, errors = validate(**values)

    assert staged is None
    assert messages(errors) == [expected]
    assert errors[0].row == 2


def test_every_bad_cell_of_a_row_is_reported():
    staged, errors = validate(price="-1", stock_quantity="-2", status="gone")

    assert staged is None
    assert [error.column for error in errors] == ["status", "price", "stock_quantity"]


def test_unmapped_columns_read_as_blank():
    validator = RowValidator(
        headers=["Handle", "Title", "SKU", "Price", "Notes"],
        mapping={"Handle": "handle", "Title": "title", "SKU": "sku", "Price": "price"},
        categories={},
    )

    staged, errors = validator.validate(2, ["tee", "Tee", "T-1", "9.50", "ignored"])

    assert errors == []
    values = dict(zip(STAGE_COLUMNS, staged, strict=True))
    assert (values["handle"], values["sku"], values["price"], values["description"]) == (
        "tee",
        "T-1",
        Decimal("9.50"),
        "",
    )


WIDE_MESSAGE = (
    "The file has 1,504 columns; an import reads at most 200. "
    "Remove the columns you don't need and upload it again."
)


def test_a_csv_with_too_many_columns_is_refused_when_its_header_is_read():
    data = (",".join(f"c{index}" for index in range(1504)) + "\n").encode()

    with pytest.raises(ImportFileError) as error:
        open_tabular_file(io.BytesIO(data), "csv")

    assert error.value.message == WIDE_MESSAGE


def test_an_xlsx_with_too_many_columns_is_refused_when_its_header_is_read():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append([f"c{index}" for index in range(1504)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ImportFileError) as error:
        open_tabular_file(buffer, "xlsx")

    assert error.value.message == WIDE_MESSAGE


def test_a_file_with_as_many_columns_as_the_limit_is_read():
    data = (",".join(f"c{index}" for index in range(MAX_COLUMNS)) + "\n").encode()

    with open_tabular_file(io.BytesIO(data), "csv") as catalog_file:
        assert len(catalog_file.headers) == MAX_COLUMNS


def test_the_mapping_form_of_the_widest_file_stays_under_django_s_field_limit():
    from django.conf import settings

    from apps.catalog.forms import ImportMappingForm

    headers = [f"c{index}" for index in range(MAX_COLUMNS)]
    form = ImportMappingForm(headers=headers, mapping={})

    # every form field plus the CSRF token must fit in one POST
    assert len(form.fields) + 1 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_the_import_words_a_file_size_as_the_rest_of_the_portal_does():
    with pytest.raises(ImportFileError) as error:
        check_size(1536, limit=1024)

    assert error.value.message.startswith(
        f"The file is {human_size(1536)}; the limit is {human_size(1024)}."
    )
    assert (human_size(1536), human_size(1024), human_size(900)) == (
        "1.5 KB",
        "1.0 KB",
        "900 bytes",
    )
