"""The product list shows exactly what "all matching" and the export act on: it is built from
``product_filter``, the one place that decides which products a filter means."""

import pytest

from apps.catalog import selectors
from tests.catalog.factories import ProductFactory

BASE = "/store/alpha/catalog/"


def _titles(response) -> list[str]:
    return sorted(product.title for product in response.context["rows"])


def test_a_vendor_beyond_the_vendor_menu_still_filters_the_list_and_shows_its_chip(
    store, owner, client_for, monkeypatch
):
    ProductFactory(store=store, title="Anvil", vendor="Acme")
    ProductFactory(store=store, title="Zither", vendor="Zed")
    # the menu lists the first vendors only (500 in real life): "Zed" is not among them
    monkeypatch.setattr(selectors, "product_vendors", lambda *, store, limit=500: ["Acme"])

    response = client_for(owner).get(BASE, {"vendor": "Zed"})
    matching = selectors.product_filter(store=store, params={"vendor": "Zed"})

    assert _titles(response) == ["Zither"] == [p.title for p in matching]
    assert [chip.label for chip in response.context["table"].chips] == ["Vendor: Zed"]


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"stock": "sideways"}, {"q": "anv", "status": "active"}, {}],
)
def test_the_list_and_product_filter_agree_on_every_filter(store, owner, client_for, params):
    ProductFactory(store=store, title="Anvil", vendor="Acme", status="active")
    ProductFactory(store=store, title="Anvil stand", vendor="Acme", status="draft")
    ProductFactory(store=store, title="Zither", vendor="Zed", status="active")

    response = client_for(owner).get(BASE, params)
    matching = selectors.product_filter(store=store, params=params)

    assert _titles(response) == sorted(p.title for p in matching)
