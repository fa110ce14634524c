"""Shipping's input rules, as the form, the services (and the CSV import) meet them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.core.exceptions import DomainError
from apps.shipping import inputs, services
from apps.shipping.engine import PostalRule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("10115", PostalRule("exact", value="10115")),
        ("sw1a 1aa", PostalRule("exact", value="SW1A1AA")),
        ("SW1*", PostalRule("prefix", value="SW1")),
        ("10000-19999", PostalRule("range", low=10000, high=19999, width=5)),
        ("10000 - 19999", PostalRule("range", low=10000, high=19999, width=5)),
    ],
)
def test_postal_rules_that_are_accepted(text, rule):
    assert inputs.postal_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10000-1999", "In the range 10000-1999, both ends have the same number of digits"),
        ("19999-10000", "In the range 19999-10000, the upper end is below the lower end."),
        ("1000-", "“1000-” is not a postal rule"),
        ("SW1**", "“SW1**” is not a postal rule: a prefix ends in one *, e.g. SW1*."),
        ("SW*1", "“SW*1” is not a postal rule: a prefix ends in one *, e.g. SW1*."),
        ("*", "“*” is not a postal rule"),
    ],
)
def test_postal_rules_that_are_refused(text, message):
    with pytest.raises(DomainError) as raised:
        inputs.postal_rule(text, field="postal_include")

    assert raised.value.field == "postal_include"
    assert raised.value.message.startswith(message)


def test_the_zone_service_refuses_a_range_of_different_lengths(store, owner):
    with pytest.raises(DomainError, match="both ends have the same number of digits"):
        services.zone_create(
            store=store, actor=owner, name="Berlin", countries="DE", postal_include="10000-1999"
        )


# --- amounts: one money rule, with the store's currency ---------------------------------------
def test_a_yen_amount_with_decimals_is_refused_and_a_whole_one_accepted():
    with pytest.raises(DomainError, match="JPY prices have no decimals"):
        inputs.amount("4.90", field="price", label="price", currency="JPY")

    assert inputs.amount("490", field="price", label="price", currency="JPY") == Decimal("490")
    assert inputs.amount("4.90", field="price", label="price", currency="EUR") == Decimal("4.90")


def test_a_band_price_gets_the_same_decimals_check():
    with pytest.raises(DomainError, match="Line 1: the price has more than two decimals"):
        inputs.bands("0-2: 4.999", field="bands")
    with pytest.raises(DomainError, match="Line 2: JPY prices have no decimals"):
        inputs.bands("0-2: 490\n2-5: 6.90", field="bands", kind="subtotal", currency="JPY")
    with pytest.raises(DomainError, match="Line 1: the upper bound has more than three decimals"):
        inputs.bands("0-2.0001: 4", field="bands")


def test_a_yen_store_refuses_a_rate_price_with_decimals(store, owner, shipping_setup):
    store.currency = "JPY"
    store.save()

    with pytest.raises(DomainError) as raised:
        services.rate_create(
            store=store, actor=owner, zone=shipping_setup["zone"],
            service=shipping_setup["express"], name="Yen", price="4.90",
        )  # fmt: skip

    assert raised.value.field == "price"
    rate = services.rate_create(
        store=store, actor=owner, zone=shipping_setup["zone"],
        service=shipping_setup["express"], name="Yen", price="490",
    )  # fmt: skip
    assert rate.price == Decimal("490")
