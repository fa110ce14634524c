"""Payment availability and fees, table by table, without the database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.payments.engine import MethodSpec, PaymentConfig, method_fee, payment_options

CARD = MethodSpec("card", "Card", "card", fee_fixed=D("0.25"), fee_percent=D("2.9"))
COD = MethodSpec(
    "cod",
    "Cash on delivery",
    "cash_on_delivery",
    fee_fixed=D("2"),
    max_total=D("500"),
    countries=frozenset({"DE", "AT"}),
    service_codes=frozenset({"own-courier"}),
)


def answer(*methods, country="DE", total="100", service="", currency="EUR"):
    return payment_options(
        PaymentConfig(currency, methods),
        country=country,
        total=D(total),
        service_code=service,
        service_names={"own-courier": "Own couriers Local", "dhl": "DHL Standard"},
    )


@pytest.mark.parametrize(
    ("method", "total", "fee"),
    [
        (CARD, "100", "3.15"),
        (CARD, "0", "0.25"),
        (MethodSpec("x", "X", "card", fee_percent=D("10"), fee_cap=D("5")), "200", "5.00"),
        (MethodSpec("x", "X", "card", fee_percent=D("1.5")), "0.50", "0.01"),  # half up
        (MethodSpec("x", "X", "card"), "100", "0.00"),
    ],
)
def test_fees(method, total, fee):
    assert method_fee(method, D(total), "EUR") == D(fee)


def test_fees_follow_the_currencys_decimals():
    assert method_fee(CARD, D("1000"), "JPY") == D("29")


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"total": "612"}, "Cash on delivery: only for orders up to €500.00; this one is €612.00"),
        ({"country": "BR"}, "Cash on delivery: not offered in Brazil"),
        ({"service": "dhl"}, "Cash on delivery: only with shipping by Own couriers Local"),
    ],
)
def test_methods_left_out_say_why(kwargs, reason):
    result = answer(COD, **kwargs)

    assert result.methods == ()
    assert [e.reason for e in result.excluded] == [reason]


def test_minimum_total_and_turned_off():
    result = answer(
        MethodSpec("bnpl", "Pay later", "bnpl", min_total=D("50")),
        MethodSpec("pp", "PayPal", "paypal", is_enabled=False),
        total="20",
    )

    assert [e.reason for e in result.excluded] == [
        "Pay later: only for orders of €50.00 or more; this one is €20.00",
        "PayPal: turned off",
    ]


def test_offered_methods_in_sort_order_with_fees():
    result = answer(
        MethodSpec("b", "Bank", "bank_transfer", sort_order=2, instructions="IBAN DE…"),
        CARD,
        COD,
        service="own-courier",
    )

    assert [(m.code, m.fee) for m in result.methods] == [
        ("card", D("3.15")),
        ("cod", D("2.00")),
        ("b", D("0.00")),
    ]
    assert result.methods[2].instructions == "IBAN DE…"


def test_service_check_waits_until_a_service_is_chosen():
    assert [m.code for m in answer(COD).methods] == ["cod"]


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
)
def test_a_fee_is_never_negative_nor_over_its_cap(total, percent, cap):
    method = MethodSpec("x", "X", "card", fee_fixed=D("0.30"), fee_percent=percent, fee_cap=cap)

    fee = method_fee(method, total, "EUR")

    assert fee >= 0
    if cap is not None:
        assert fee <= cap
