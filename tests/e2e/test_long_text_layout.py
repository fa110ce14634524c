"""Long text without spaces wraps: no page grows wider than the window, at a laptop's width
or a phone's, and no column is pushed out of view (the measurements are read-only)."""

from playwright.sync_api import Page, expect

from apps.accounts import services as account_services
from apps.catalog.models import Category
from tests.catalog.factories import ProductFactory, VariantFactory
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory

LONG_SKU = "SKU" + "X" * 57 + "0001"  # 64 characters, no space
LONG_CATEGORY = "Category" + "N" * 112  # 120 characters
LONG_KEY_NAME = "Key" + "K" * 97  # 100 characters
WIDTHS = (1400, 390)
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def _fits(page: Page, width: int) -> None:
    page.wait_for_load_state("load")  # the stylesheet applied before measuring
    assert page.evaluate(PAGE_WIDTH) <= width, f"{page.url} is wider than {width} px"


def _owner_of_acme():
    owner = UserFactory(email="olivia@shop.test", full_name="Olivia Owner")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    return owner, store


def test_a_64_character_sku_in_the_error_summary_wraps(new_page):
    owner, store = _owner_of_acme()
    VariantFactory(product=ProductFactory(store=store, title="First"), sku=LONG_SKU)
    for width in WIDTHS:
        page = new_page(width, 900)
        login(page, owner.email)
        page.goto("/store/acme/catalog/products/new/")
        page.get_by_label("Title", exact=True).fill("Second")
        page.locator("#id_variants-0-sku").fill(LONG_SKU)
        page.locator("#id_variants-0-price").fill("10")
        page.locator(".save-bar").get_by_role("button", name="Create product").click()
        expect(page.locator(".form-error-summary")).to_contain_text(LONG_SKU)

        _fits(page, width)


def test_a_120_character_category_name_wraps(new_page):
    owner, store = _owner_of_acme()
    Category.objects.create(store=store, name=LONG_CATEGORY, slug="long")
    Category.objects.create(store=store, name="Short", slug="short")
    for width in WIDTHS:
        page = new_page(width, 900)
        login(page, owner.email)
        page.goto("/store/acme/catalog/categories/")
        expect(page.get_by_role("link", name=LONG_CATEGORY)).to_be_visible()
        _fits(page, width)

        # its edit panel, and another's whose parent list names it
        for slug in ("long", "short"):
            page.locator(f"tr[data-category={slug}] summary").click()
            expect(page.locator(f"tr[data-category={slug}] input[name=name]")).to_be_visible()
            _fits(page, width)


def test_a_100_character_api_key_name_wraps_on_its_page_and_in_the_audit_log(new_page):
    owner, store = _owner_of_acme()
    account_services.api_key_create(store=store, actor=owner, name=LONG_KEY_NAME)
    for width in WIDTHS:
        page = new_page(width, 900)
        login(page, owner.email)
        page.goto("/store/acme/settings/api-keys/")
        expect(page.get_by_text(LONG_KEY_NAME, exact=True)).to_be_visible()
        _fits(page, width)

        page.goto("/store/acme/audit/")
        sentence = f"Olivia Owner created the API key “{LONG_KEY_NAME}”"
        expect(page.get_by_text(sentence)).to_be_visible()
        _fits(page, width)
        if width == 1400:
            expect(page.get_by_role("columnheader", name="Address")).to_be_in_viewport()


def test_a_254_character_invited_email_wraps_on_the_staff_page(new_page):
    owner, store = _owner_of_acme()
    email = "a" * 64 + "@" + ".".join(["b" * 63] * 2) + "." + "c" * 56 + ".test"
    assert len(email) == 254
    account_services.invitation_create(store=store, invited_by=owner, email=email, role="manager")
    for width in WIDTHS:
        page = new_page(width, 900)
        login(page, owner.email)
        page.goto("/store/acme/settings/staff/")
        expect(page.get_by_text(email)).to_be_visible()

        _fits(page, width)
        assert page.get_by_text(email).evaluate("el => el.scrollWidth <= el.clientWidth")
