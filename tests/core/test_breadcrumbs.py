"""Every page of a store's frame shows where it sits: a trail of links up to its area, then
the page itself ("Catalog › Products › Add product"), never an empty last step."""

import html
import re

import pytest

from tests.catalog.factories import ProductFactory, VariantFactory
from tests.core.test_page_titles import FILES, NOT_PAGES, _fill, _routes

TRAIL = re.compile(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', re.S)
STEP = re.compile(
    r"<li( aria-current=\"page\")?>(?:<a href=\"([^\"]*)\">)?(.*?)(?:</a>)?</li>", re.S
)


def trail(response) -> list[tuple[str, str]]:
    """The breadcrumb trail as (label, address) pairs, the page itself last with address ""."""
    found = TRAIL.findall(response.content.decode())
    assert len(found) == 1, "one breadcrumb trail per page"
    steps = STEP.findall(found[0])
    assert steps, "the trail has no steps"
    *links, (is_current, current_href, current) = steps
    assert is_current and not current_href, "the trail ends with the page itself, not a link"
    assert all(href and not is_link_current for is_link_current, href, _ in links)
    return [(html.unescape(label), html.unescape(href)) for _, href, label in links] + [
        (html.unescape(current), "")
    ]


def test_every_store_page_but_home_shows_a_trail_ending_with_the_page(owner, values, client_for):
    client = client_for(owner)
    checked = []
    for route in _routes():
        if not route.startswith("store/<slug:handle>/") or route == "store/<slug:handle>/":
            continue  # Home is the top of the trail; pages outside a store have no frame
        if route in NOT_PAGES or route.endswith(FILES):
            continue
        if any(
            name in route
            for name in ("<int:bulk_job_id>", "<int:export_id>", "<int:order_export_id>")
        ):
            continue  # need a job of their own: their own tests below
        url = "/" + _fill(route, values)
        response = client.get(url)
        if response.status_code in (301, 302, 405) or "<int:image_id>" in route:
            continue
        assert response.status_code == 200, url
        steps = trail(response)
        assert steps[-1][0].strip(), f"{url}: the trail's last step is empty"
        assert len(steps) >= 2, f"{url}: the trail names the area above the page"
        checked.append(url)
    assert len(checked) >= 12


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/store/alpha/catalog/", ["Catalog", "Products"]),
        ("/store/alpha/catalog/products/new/", ["Catalog", "Products", "Add product"]),
        ("/store/alpha/catalog/categories/", ["Catalog", "Categories"]),
        ("/store/alpha/catalog/low-stock/", ["Catalog", "Low stock"]),
        ("/store/alpha/catalog/imports/", ["Catalog", "Imports"]),
        ("/store/alpha/catalog/imports/new/", ["Catalog", "Imports", "New import"]),
        ("/store/alpha/catalog/export/?q=tee", ["Catalog", "Products", "Export"]),
        ("/store/alpha/settings/", ["Settings", "Store"]),
        ("/store/alpha/settings/staff/", ["Settings", "Staff"]),
        ("/store/alpha/settings/api-keys/", ["Settings", "API keys"]),
        ("/store/alpha/audit/", ["Settings", "Audit log"]),
        ("/store/alpha/search/?q=tee", ["Home", "Search"]),
    ],
)
def test_the_trail_names_each_level_of_the_page(owner, client_for, url, expected):
    response = client_for(owner).get(url)

    assert [label for label, _ in trail(response)] == expected


def test_a_product_and_its_variant_sit_under_products(store, owner, client_for):
    product = ProductFactory(store=store, title="Linen shirt")
    variant = VariantFactory(product=product, sku="LIN-M")
    client = client_for(owner)

    assert trail(client.get(f"/store/alpha/catalog/products/{product.pk}/")) == [
        ("Catalog", "/store/alpha/catalog/"),
        ("Products", "/store/alpha/catalog/"),
        ("Linen shirt", ""),
    ]
    assert trail(client.get(f"/store/alpha/catalog/variants/{variant.pk}/")) == [
        ("Catalog", "/store/alpha/catalog/"),
        ("Products", "/store/alpha/catalog/"),
        ("Linen shirt", f"/store/alpha/catalog/products/{product.pk}/"),
        ("LIN-M", ""),
    ]


def test_the_export_page_leads_back_to_the_filtered_list(owner, client_for):
    steps = trail(client_for(owner).get("/store/alpha/catalog/export/?q=tee&status=active"))

    assert steps[1] == ("Products", "/store/alpha/catalog/?q=tee&status=active")
