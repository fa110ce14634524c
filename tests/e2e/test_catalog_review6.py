"""Catalog pages after the review (issue #6), as their users see them: the product's images,
the imports list's headers, support's home links and the export's cancel dialog."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from apps.catalog import services
from apps.catalog.models import ExportJob, ImportJob
from tests.catalog.factories import ProductFactory
from tests.catalog.io_factories import media_root  # noqa: F401
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory

SHOTS = os.environ.get("REVIEW_SHOTS", "")  # a folder: save screenshots there to look at them
WIDTHS = (1280, 390)


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _boxes(locator) -> list[dict]:
    return [locator.nth(n).bounding_box() for n in range(locator.count())]


def _png(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 150), color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def acme(db):
    store = StoreFactory(handle="acme", name="Acme")
    owner = UserFactory(email="olivia@shop.test")
    MembershipFactory(user=owner, store=store, role="owner")
    return store, owner


@pytest.mark.usefixtures("media_root")
def test_product_images_have_no_empty_band(acme, new_page):
    store, owner = acme
    product = ProductFactory(store=store, title="Linen shirt")
    for n, color in enumerate(((200, 30, 30), (30, 120, 200))):
        upload = SimpleUploadedFile(f"shirt-{n}.png", _png(color), "image/png")
        services.image_add(store=store, actor=owner, product=product, upload=upload)
    for width in WIDTHS:
        page = new_page(width=width)
        login(page, owner.email)
        page.goto(f"/store/acme/catalog/products/{product.pk}/#images")
        images = page.locator("#images")
        expect(images.locator(".image-item")).to_have_count(2)
        _shot(page, f"product-images-{width}")


def test_every_column_of_the_imports_list_has_a_header(acme, new_page):
    store, owner = acme
    ImportJob.objects.create(
        store=store, requested_by=owner, original_name="products.csv", total=12345, status="done"
    )
    for width in WIDTHS:
        page = new_page(width=width)
        login(page, owner.email)
        page.goto("/store/acme/catalog/imports/")
        _shot(page, f"imports-list-{width}")
    headers = page.locator("table thead th")
    for n in range(headers.count()):
        assert headers.nth(n).text_content().strip(), f"column {n + 1} has no header"


def test_support_home_links_look_like_the_portals_buttons(acme, new_page):
    store, _ = acme
    support = UserFactory(email="sam@shop.test")
    MembershipFactory(user=support, store=store, role="support")
    for width in WIDTHS:
        page = new_page(width=width)
        login(page, support.email)
        page.goto("/store/acme/")
        links = page.locator(".area-links")
        expect(links.get_by_role("link", name="Orders")).to_be_visible()
        _shot(page, f"support-home-{width}")
        # a list of buttons without bullets, each as wide as the others
        assert links.evaluate("(e) => getComputedStyle(e).listStyleType") == "none"
        widths = {round(box["width"]) for box in _boxes(links.get_by_role("link"))}
        assert len(widths) == 1, widths
        if width == 390:  # one a line on a phone, across the card
            card = page.locator("section", has=links).bounding_box()
            assert widths.pop() > card["width"] * 0.8


def test_the_export_cancel_dialog_says_what_each_button_does(acme, browser_page):
    store, owner = acme
    job = services.export_job_create(store=store, actor=owner, params={}, file_format="xlsx")
    ExportJob.objects.filter(pk=job.pk).update(status="running", processed=10, total=20000)
    page = browser_page
    login(page, owner.email)
    page.goto(f"/store/acme/catalog/exports/{job.pk}/")

    page.get_by_role("button", name="Stop export").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog.get_by_role("button", name="Keep exporting")).to_be_visible()
    expect(dialog.get_by_role("button", name="Stop export")).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel", exact=True)).to_have_count(0)
    _shot(page, "export-cancel-dialog")
    dialog.get_by_role("button", name="Keep exporting").click()
    expect(dialog).to_be_hidden()
    job.refresh_from_db()
    assert job.status == "running"
