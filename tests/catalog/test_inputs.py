"""The catalog's input rules (``apps.catalog.inputs``), without the database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.catalog import inputs
from apps.core.exceptions import DomainError


def _refused(rule, *args, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as caught:
        rule(*args, **kwargs)
    return caught.value.message, caught.value.field


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19.9", Decimal("19.90")),
        ("0", Decimal("0.00")),
        (19, Decimal("19.00")),
        (19.5, Decimal("19.50")),
        ("9999999999.99", Decimal("9999999999.99")),
        (" 1 000 ", Decimal("1000.00")),
    ],
)
def test_money_accepts_amounts_up_to_the_limit_with_two_decimals(value, expected):
    assert inputs.money(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "The price cannot be negative."),
        ("1e12", "The price is too large; the most is 9,999,999,999.99."),
        (1e12, "The price is too large; the most is 9,999,999,999.99."),
        ("1.234", "The price has more than two decimals; write it like 19.90."),
        (1.234, "The price has more than two decimals; write it like 19.90."),
        ("abc", "The price must be a number like 19.90."),
        ("19,90", "The price must be a number like 19.90. Use a dot for decimals, e.g. 19.90."),
        ("NaN", "The price must be a number like 19.90."),
        ("", "Enter the price, e.g. 19.90."),
        (True, "The price must be a number like 19.90."),
    ],
)
def test_money_refuses_with_a_plain_message(value, message):
    assert _refused(inputs.money, value, field="variants[0].price") == (
        message,
        "variants[0].price",
    )


def test_optional_money_is_none_when_empty():
    assert inputs.money("", label="cost", required=False) is None


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("12.0", 12), (0, 0), ("", 7)])
def test_count_accepts_whole_numbers_and_uses_the_default_when_empty(value, expected):
    assert inputs.count(value, field="stock_quantity", label="stock", default=7) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "The stock cannot be negative."),
        ("2.5", "The stock must be a whole number."),
        ("lots", "The stock must be a number like 12."),
        ("3000000000", "The stock is too large."),
    ],
)
def test_count_refuses(value, message):
    assert _refused(inputs.count, value, field="stock_quantity", label="stock") == (
        message,
        "stock_quantity",
    )


def test_tags_are_trimmed_deduplicated_without_case_and_keep_their_order():
    assert inputs.tags(" summer ,Linen, SUMMER,, big   sale") == ["summer", "Linen", "big sale"]


def test_more_than_fifty_tags_are_refused_and_long_tags_too():
    assert _refused(inputs.tags, [f"t{n}" for n in range(51)])[0] == (
        "A product can have at most 50 tags; this one has 51."
    )
    assert _refused(inputs.tags, ["x" * 51])[0] == (
        "The tag “xxxxxxxxxxxxxxxxxxxx…” is longer than 50 characters."
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("Linen-Shirt", "linen-shirt"), ("a_b-2", "a_b-2")]
)
def test_handle_is_lowercased(value, expected):
    assert inputs.handle(value) == expected


@pytest.mark.parametrize("value", ["bad handle", "-start", "end-", "a--b", "é", "a/b"])
def test_handle_refuses_anything_but_letters_digits_hyphens_and_underscores(value):
    message, field = _refused(inputs.handle, value)
    assert field == "handle"
    assert message.endswith(
        "may only hold letters, digits, hyphens and underscores, e.g. linen-shirt."
    )


def test_status_and_weight_unit_ignore_case_and_refuse_unknown_words():
    assert (inputs.status(" Active "), inputs.weight_unit("KG")) == ("active", "kg")
    assert (
        _refused(inputs.status, "live")[0]
        == "“live” is not a status; use draft, active or archived."
    )
    assert (
        _refused(inputs.weight_unit, "st")[0] == "“st” is not a weight unit; use g, kg, lb or oz."
    )


@pytest.mark.parametrize(
    "code",
    ["4006381333931", "96385074", "036000291452", "10012345678902", "", "INT-0042", "sku.7/b"],
)
def test_valid_gtins_and_internal_codes_are_accepted(code):
    assert inputs.barcode(code) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("4006381333932", "Barcode 4006381333932 has a wrong check digit; check the number."),
        ("96385075", "Barcode 96385075 has a wrong check digit; check the number."),
        ("12345", "Barcode 12345 has 5 digits; a GTIN has 8, 12, 13 or 14. Check the number."),
        (
            "ABC 123",
            "Barcode “ABC 123” may only hold letters, digits and . / _ - (a GTIN is digits only).",
        ),
        ("X" * 65, "The barcode can be at most 64 characters; you entered 65."),
    ],
)
def test_bad_barcodes_are_refused_plainly(code, message):
    assert _refused(inputs.barcode, code) == (message, "barcode")


def test_compare_at_price_below_the_price_is_refused():
    assert _refused(
        inputs.compare_at_price_checked, price=Decimal("10.00"), compare_at_price=Decimal("9.99")
    ) == (
        "The compare-at price (9.99) must be at least the price (10.00), or left empty.",
        "compare_at_price",
    )


@pytest.mark.parametrize(
    ("variants", "state"),
    [
        ([], "out"),
        ([(True, 0)], "out"),
        ([(True, 0), (False, 0)], "low"),  # sellable (untracked) but one tracked variant is out
        ([(True, 5)], "low"),  # at the threshold
        ([(True, 6)], "in"),
        ([(False, 0)], "in"),
    ],
)
def test_stock_state_is_in_low_or_out(variants, state):
    assert inputs.stock_state(variants, threshold=5) == state


def test_a_product_may_have_up_to_a_hundred_variants():
    assert inputs.MAX_VARIANTS_PER_PRODUCT == 100
    assert inputs.variant_count(100) == 100
    assert inputs.variant_count(0) == 0
    assert _refused(inputs.variant_count, 101) == (
        "A product can have at most 100 variants; this one would have 101.",
        "variants",
    )


def test_a_product_already_over_the_variant_limit_may_keep_or_shrink_but_not_grow():
    assert inputs.variant_count(150, before=150) == 150
    assert inputs.variant_count(120, before=150) == 120
    assert _refused(inputs.variant_count, 151, before=150, field="product") == (
        "A product can have at most 100 variants; this one would have 151.",
        "product",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e12", "The price is too large; the most is 9,999,999,999."),
        ("", "Enter the price, e.g. 1990."),
        ("abc", "The price must be a number like 1990."),
        ("1.234", "JPY prices have no decimals; write the price like 1."),
    ],
)
def test_yen_money_messages_write_amounts_without_decimals(value, message):
    assert _refused(inputs.money, value, currency="JPY") == (message, "price")


def test_a_yen_compare_at_price_below_the_price_is_said_without_decimals():
    assert _refused(
        inputs.compare_at_price_checked,
        price=Decimal("1500.00"),
        compare_at_price=Decimal("1200.00"),
        currency="JPY",
    )[0] == ("The compare-at price (1200) must be at least the price (1500), or left empty.")


@pytest.mark.parametrize(
    ("mode", "value", "currency", "expected"),
    [
        ("amount", "1500", "JPY", Decimal("1500")),
        ("amount", "-200", "JPY", Decimal("-200")),
        ("percent", "2.5", "JPY", Decimal("2.5")),
        ("amount", "-0.05", "EUR", Decimal("-0.05")),
    ],
)
def test_a_bulk_price_change_takes_the_currencys_decimals(mode, value, currency, expected):
    assert inputs.price_change(value, mode=mode, currency=currency) == expected


@pytest.mark.parametrize(
    ("mode", "value", "currency", "message"),
    [
        ("amount", "100.5", "JPY", "JPY prices have no decimals; write the change like 101."),
        ("amount", "-100.5", "JPY", "JPY prices have no decimals; write the change like -101."),
        (
            "amount",
            "0.005",
            "EUR",
            "EUR prices have at most 2 decimals; write the change like 0.01.",
        ),
        ("percent", "2.555", "JPY", "Write a percent change with at most 2 decimals, e.g. 2.5."),
        ("amount", "0", "EUR", "Enter a change other than 0, e.g. 10 or -5."),
        ("amount", "abc", "EUR", "Enter the price change as a number, e.g. 10 or -5."),
        ("percent", "-100", "EUR", "A price cannot drop by 100 % or more."),
        (
            "amount",
            "99999999999",
            "EUR",
            "Enter a price change of at most 10 digits before the decimal point.",
        ),
    ],
)
def test_a_bulk_price_change_is_refused_in_plain_words(mode, value, currency, message):
    assert _refused(inputs.price_change, value, mode=mode, currency=currency) == (
        message,
        "value",
    )


@pytest.mark.parametrize("value", ["Linen Shirt", "Linen/Shirt", "LINEN SHIRT!"])
def test_a_refused_product_handle_is_quoted_exactly_as_typed(value):
    message, field = _refused(inputs.handle, value)

    assert message.startswith(f"The handle “{value}” may only hold")
    assert field == "handle"
