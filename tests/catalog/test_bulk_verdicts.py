"""The bulk bar's verdicts come from the bulk service: the form only parses, so the page, the
job and a direct call refuse the same options with the same words."""

import re
from decimal import Decimal

import pytest

from apps.catalog import services
from apps.catalog.models import Product
from apps.catalog.services import BulkOptions
from apps.core.exceptions import DomainError
from tests.catalog.factories import VariantFactory

BASE = "/store/alpha/catalog/"

CASES = [
    ({"action": "add_tag", "tag": "  "}, BulkOptions(action="add_tag", tag="")),
    ({"action": "remove_tag"}, BulkOptions(action="remove_tag")),
    (
        {"action": "adjust_price", "value": "10"},
        BulkOptions(action="adjust_price", value=Decimal("10")),
    ),
    (
        {"action": "adjust_price", "mode": "percent"},
        BulkOptions(action="adjust_price", mode="percent"),
    ),
    (
        {"action": "adjust_price", "mode": "amount", "value": "0"},
        BulkOptions(action="adjust_price", mode="amount", value=Decimal("0")),
    ),
]


def _service_message(store, owner, options) -> tuple[str, str]:
    products = Product.objects.for_store(store)
    with pytest.raises(DomainError) as inline:
        services.products_bulk_update(store=store, actor=owner, products=products, options=options)
    with pytest.raises(DomainError) as job:
        services.bulk_job_create(store=store, actor=owner, products=products, options=options)
    assert inline.value.message == job.value.message
    return inline.value.message


@pytest.mark.parametrize(("posted", "options"), CASES)
def test_the_bulk_bar_shows_the_services_verdict(store, owner, client_for, posted, options):
    product = VariantFactory(product__store=store, price="10.00").product
    expected = _service_message(store, owner, options)

    response = client_for(owner).post(
        BASE + "products/bulk/", {"scope": "selected", "ids": [product.pk], **posted}, follow=True
    )

    page = response.text
    bar = page[page.index('id="bulk-form"') :]
    assert f'role="alert">{expected}</p>' in bar[: bar.index("</form>")]
    product.refresh_from_db()
    assert product.tags == [] and product.variants.get().price == Decimal("10.00")


def _yen_store(store):
    store.currency = "JPY"
    store.save(update_fields=["currency"])
    return store


def test_a_whole_yen_amount_is_previewed_and_applied(store, owner, client_for):
    _yen_store(store)
    variant = VariantFactory(product__store=store, price="1500.00")
    client = client_for(owner)
    posted = {
        "scope": "selected",
        "ids": [variant.product_id],
        "action": "adjust_price",
        "mode": "amount",
        "value": "200",
    }

    preview = client.post(BASE + "products/bulk/", posted)
    token = re.search(r'name="confirmation" value="([^"]+)"', preview.text).group(1)
    applied = client.post(BASE + "products/bulk/", {**posted, "confirmation": token})

    assert "+¥200 on 1 variant of 1 product" in preview.text
    assert applied.status_code == 302
    variant.refresh_from_db()
    assert variant.price == Decimal("1700.00")


def test_a_fractional_yen_amount_is_refused_naming_the_currencys_decimals(store, owner, client_for):
    _yen_store(store)
    variant = VariantFactory(product__store=store, price="1500.00")
    options = BulkOptions(action="adjust_price", mode="amount", value=Decimal("100.5"))
    expected = "JPY prices have no decimals; write the change like 101."
    assert _service_message(store, owner, options) == expected

    response = client_for(owner).post(
        BASE + "products/bulk/",
        {
            "scope": "selected",
            "ids": [variant.product_id],
            "action": "adjust_price",
            "mode": "amount",
            "value": "100.5",
        },
        follow=True,
    )

    bar = response.text[response.text.index('id="bulk-form"') :]
    assert f'role="alert">{expected}</p>' in bar[: bar.index("</form>")]
    assert 'value="100.5"' in bar  # what was typed stays
    variant.refresh_from_db()
    assert variant.price == Decimal("1500.00")


def test_the_bulk_change_input_lets_the_server_judge_its_decimals(store, owner, client_for):
    _yen_store(store)
    VariantFactory(product__store=store)

    page = client_for(owner).get(BASE).text

    assert re.search(r'<input type="number" step="any" name="value" id="bulk-value"', page)
