"""Uploads that would exhaust memory are refused before they are unpacked; stored images carry
no EXIF; an XLSX is counted by its rows, not by what it claims."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from apps.accounts import services as account_services
from apps.catalog import services
from apps.catalog.io.columns import COLUMN_NAMES
from apps.catalog.models import ImportJob, ProductImage
from apps.core.exceptions import DomainError
from apps.core.tabular import ImportFileError, check_xlsx_archive, estimate_rows
from tests.catalog.factories import ProductFactory
from tests.catalog.io_factories import media_root, row  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HUGE_MESSAGE = (
    "This image is 13,000 × 13,000 pixels; the limit is 40 megapixels. Resize it and try again."
)


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    """13,000 × 13,000 pixels in a few hundred kilobytes: a 1-bit image of one colour."""
    out = io.BytesIO()
    Image.new("1", (13_000, 13_000), 0).save(out, format="PNG")
    return out.getvalue()


def test_an_image_over_the_pixel_limit_is_refused_from_its_header(store, owner, huge_png):
    product = ProductFactory(store=store)

    with pytest.raises(DomainError) as caught:
        services.image_add(
            store=store,
            actor=owner,
            product=product,
            upload=SimpleUploadedFile("huge.png", huge_png, "image/png"),
        )

    assert (caught.value.field, caught.value.message) == ("image", HUGE_MESSAGE)
    assert ProductImage.objects.count() == 0


def test_the_product_page_shows_the_pixel_limit_message(store, owner, client_for, huge_png):
    product = ProductFactory(store=store)

    response = client_for(owner).post(
        f"/store/alpha/catalog/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("huge.png", huge_png, "image/png")},
    )

    assert response.status_code == 400
    assert response.context["image_form"].errors["image"] == [HUGE_MESSAGE]
    assert ProductImage.objects.count() == 0


def test_the_api_answers_400_for_an_image_over_the_pixel_limit(store, owner, huge_png):
    product = ProductFactory(store=store)
    _key, raw = account_services.api_key_create(store=store, actor=owner, name="ERP")

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        f"/api/v1/products/{product.pk}/images/",
        {"image": SimpleUploadedFile("huge.png", huge_png, "image/png")},
    )

    assert response.status_code == 400
    assert response.json() == {"errors": {"image": [HUGE_MESSAGE]}, "code": "invalid"}
    assert ProductImage.objects.count() == 0


def test_the_pixel_limit_is_a_setting(store, owner, settings):
    settings.IMAGE_MAX_PIXELS = 1_500_000
    out = io.BytesIO()
    Image.new("RGB", (1500, 1001)).save(out, format="PNG")

    with pytest.raises(DomainError) as caught:
        services.image_add(
            store=store,
            actor=owner,
            product=ProductFactory(store=store),
            upload=SimpleUploadedFile("big.png", out.getvalue(), "image/png"),
        )

    assert caught.value.message == (
        "This image is 1,500 × 1,001 pixels; the limit is 1.5 megapixels. Resize it and try again."
    )


def _jpeg_with_gps_and_orientation() -> bytes:
    picture = Image.new("RGB", (60, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "ACME Camera"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_stored_image_has_no_exif_and_its_orientation_applied(store, owner):
    data = _jpeg_with_gps_and_orientation()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload has a position

    image = services.image_add(
        store=store,
        actor=owner,
        product=ProductFactory(store=store),
        upload=SimpleUploadedFile("photo.jpg", data, "image/jpeg"),
    )

    with image.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        stored.load()
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert stored.size == (20, 60)  # turned upright


# --- XLSX ----------------------------------------------------------------------------------------
def _workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMN_NAMES))
    for number in range(rows):
        sheet.append(
            [
                row(handle=f"p{number}", sku=f"S-{number}", price="10.00").get(name, "")
                for name in COLUMN_NAMES
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook with its sheet's ``<dimension ref=…>`` rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
                if not count:
                    content = content.replace(
                        b"<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>'.encode(), 1
                    )
            target.writestr(info.filename, content)
    return out.getvalue()


@pytest.mark.parametrize("ref", ["A1:Y1", "A1:Y1000000"], ids=["claims-1-row", "claims-1M-rows"])
def test_xlsx_rows_are_counted_not_taken_from_the_dimension(ref):
    data = _with_dimension(_workbook(3), ref)

    assert estimate_rows(io.BytesIO(data), "xlsx") == 3


def test_an_upload_claiming_a_million_rows_is_checked_inline(store, owner):
    data = _with_dimension(_workbook(3), "A1:Y1000000")

    job = services.import_job_create(
        store=store, actor=owner, upload=SimpleUploadedFile("p.xlsx", data)
    )

    assert job.total == 3


def _zip_bomb(member: str, size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as handle:
            block = b" " * (1024 * 1024)
            for _ in range(size // len(block)):
                handle.write(block)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(store, owner, settings):
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
    data = _zip_bomb("xl/worksheets/sheet1.xml", 30 * 1024 * 1024)
    assert len(data) < 100 * 1024

    with pytest.raises(DomainError) as caught:
        services.import_job_create(
            store=store, actor=owner, upload=SimpleUploadedFile("bomb.xlsx", data)
        )

    assert caught.value.message == (
        "This workbook unpacks to 30.0 MB; the limit is 20.0 MB. Split it into smaller files, "
        "or save it as “CSV UTF-8” and import that."
    )
    assert ImportJob.objects.count() == 0


def test_oversized_shared_strings_are_refused():
    data = _zip_bomb("xl/sharedStrings.xml", 3 * 1024 * 1024)

    with pytest.raises(ImportFileError) as caught:
        check_xlsx_archive(io.BytesIO(data), max_unpacked=10**9, max_shared_strings=2 * 1024 * 1024)

    assert caught.value.message == (
        "This workbook's table of texts (sharedStrings.xml) is over 2.0 MB. Split it into "
        "smaller files, or save it as “CSV UTF-8” and import that."
    )
