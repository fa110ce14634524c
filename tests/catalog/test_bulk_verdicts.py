"""The bulk bar's verdicts come from the bulk service: the form only parses, so the page, the
job and a direct call refuse the same options with the same words."""

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
