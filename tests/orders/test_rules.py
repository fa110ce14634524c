"""The order rules, without the database: what status follows what, shipping needs a tracking
number, refunds never exceed what was paid (by line or in total)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.exceptions import DomainError
from apps.orders import rules

D = Decimal


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        ("placed", ["paid", "cancelled"]),
        ("paid", ["fulfilled", "shipped", "cancelled"]),
        ("fulfilled", ["shipped", "cancelled"]),
        ("shipped", ["delivered", "returned"]),
        ("delivered", ["returned"]),
        ("returned", []),
        ("cancelled", []),
        ("refunded", []),
    ],
)
def test_each_status_allows_exactly_its_next_statuses(current, allowed):
    assert rules.allowed_transitions(current) == allowed
    for target in rules.STATUS_LABELS:
        if target in allowed:
            tracking = "T1" if target in rules.TRACKED_STATUSES else ""
            rules.transition_check(current=current, target=target, tracking=tracking)
        else:
            with pytest.raises(DomainError) as raised:
                rules.transition_check(current=current, target=target, tracking="T1")
            assert raised.value.field == "status"


def test_a_tracking_number_goes_only_with_a_status_that_has_one():
    rules.transition_check(current="shipped", target="delivered", tracking="T2")
    with pytest.raises(DomainError) as raised:
        rules.transition_check(current="placed", target="cancelled", tracking="T1")

    assert raised.value.field == "tracking_number"
    assert "shipped, delivered or returned" in raised.value.message


def test_a_cancelled_order_is_never_shipped_and_the_message_says_why():
    with pytest.raises(DomainError) as raised:
        rules.transition_check(current="cancelled", target="shipped", tracking="T1")

    assert raised.value.message == (
        "A cancelled order cannot become shipped; its status can no longer change."
    )
    assert raised.value.code == "invalid_transition"


def test_a_refused_transition_names_what_is_allowed():
    with pytest.raises(DomainError) as raised:
        rules.transition_check(current="placed", target="delivered")

    assert "it can become paid or cancelled" in raised.value.message


def test_shipping_needs_a_tracking_number():
    with pytest.raises(DomainError) as raised:
        rules.transition_check(current="paid", target="shipped", tracking="")

    assert raised.value.field == "tracking_number"


def test_an_unknown_status_is_refused_by_name():
    with pytest.raises(DomainError) as raised:
        rules.transition_check(current="paid", target="teleported")

    assert "“teleported” is not an order status" in raised.value.message


def test_the_tracking_link_fills_the_template():
    template = "https://track.example/?n={tracking_number}"

    assert rules.tracking_url(template, "00340") == "https://track.example/?n=00340"
    assert rules.tracking_url(template, "") == ""
    assert rules.tracking_url(template, "A&b=1#x") == "https://track.example/?n=A%26b%3D1%23x"
    assert rules.tracking_url("", "00340") == ""


# --- refunds -------------------------------------------------------------------------------------
LINES = [
    rules.LineState(1, "MUG-1", D("25.00"), D("0"), 2, 0),
    rules.LineState(2, "TEE-M", D("25.00"), D("0"), 1, 0),
]


def _money(paid="54.90", refunded="0", shipping="4.90", shipping_refunded="0", status="paid"):
    return rules.OrderMoney(status, D(paid), D(refunded), D(shipping), D(shipping_refunded))


def test_a_refund_by_line_within_what_was_paid_is_planned():
    plan = rules.refund_check(
        order=_money(), lines=LINES, requests=[rules.LineRequest(1, D("12.50"), 1)]
    )

    assert plan.amount == D("12.50")
    assert plan.returns_items and not plan.fully_refunded and not plan.fully_returned


def test_a_line_refund_over_the_line_total_is_refused_naming_the_line():
    with pytest.raises(DomainError) as raised:
        rules.refund_check(order=_money(), lines=LINES, requests=[rules.LineRequest(2, D("25.01"))])

    assert raised.value.field == "lines[0].amount"
    assert raised.value.code == "refund_too_large"
    assert "TEE-M" in raised.value.message


def test_earlier_refunds_on_a_line_count():
    lines = [rules.LineState(1, "MUG-1", D("25.00"), D("20.00"), 2, 0)]

    with pytest.raises(DomainError):
        rules.refund_check(order=_money(), lines=lines, requests=[rules.LineRequest(1, D("5.01"))])
    plan = rules.refund_check(order=_money(), lines=lines, requests=[rules.LineRequest(1, D("5"))])
    assert plan.amount == D("5")


def test_the_total_refund_never_exceeds_what_was_paid():
    # the lines allow 50 + shipping 4.90, but only 30 were paid (a discount)
    with pytest.raises(DomainError) as raised:
        rules.refund_check(
            order=_money(paid="30.00"),
            lines=LINES,
            requests=[rules.LineRequest(1, D("25")), rules.LineRequest(2, D("10"))],
        )

    assert raised.value.field == "amount"
    assert "more than what is left of the payment (30.00)" in raised.value.message


def test_shipping_refund_at_most_the_shipping_price_left():
    with pytest.raises(DomainError) as raised:
        rules.refund_check(
            order=_money(shipping_refunded="4.00"), lines=LINES, requests=[],
            shipping_amount=D("1.00"),
        )  # fmt: skip

    assert raised.value.field == "shipping_amount"


def test_returned_quantity_at_most_what_was_bought():
    with pytest.raises(DomainError) as raised:
        rules.refund_check(order=_money(), lines=LINES, requests=[rules.LineRequest(2, D(0), 2)])

    assert raised.value.field == "lines[0].quantity"


def test_nothing_is_refunded_on_an_unpaid_order():
    with pytest.raises(DomainError):
        rules.refund_check(
            order=_money(paid="0", status="placed"),
            lines=LINES,
            requests=[rules.LineRequest(1, D("1"))],
        )


def test_an_empty_refund_is_refused():
    with pytest.raises(DomainError) as raised:
        rules.refund_check(order=_money(), lines=LINES, requests=[rules.LineRequest(1)])

    assert raised.value.message == "Enter an amount to refund or a quantity returned."


def test_everything_paid_back_makes_the_order_refunded():
    plan = rules.refund_check(
        order=_money(),
        lines=LINES,
        requests=[rules.LineRequest(1, D("25")), rules.LineRequest(2, D("25"))],
        shipping_amount=D("4.90"),
    )

    assert plan.fully_refunded
    assert rules.status_after_refund(current="delivered", plan=plan) == "refunded"


def test_every_item_back_without_all_money_makes_a_shipped_order_returned():
    plan = rules.refund_check(
        order=_money(),
        lines=LINES,
        requests=[rules.LineRequest(1, D("0"), 2), rules.LineRequest(2, D("0"), 1)],
    )

    assert rules.status_after_refund(current="shipped", plan=plan) == "returned"
    assert rules.status_after_refund(current="paid", plan=plan) == "paid"


amounts = st.decimals(min_value=0, max_value=100, places=2)


@given(paid=amounts, refunded=amounts, first=amounts, second=amounts)
def test_no_accepted_refund_ever_takes_more_than_was_paid(paid, refunded, first, second):
    lines = [
        rules.LineState(1, "A", D("100"), D("0"), 1, 0),
        rules.LineState(2, "B", D("100"), D("0"), 1, 0),
    ]
    order = rules.OrderMoney("paid", paid, min(refunded, paid), D("0"), D("0"))
    try:
        plan = rules.refund_check(
            order=order,
            lines=lines,
            requests=[rules.LineRequest(1, first), rules.LineRequest(2, second)],
        )
    except DomainError:
        return
    assert order.refunded + plan.amount <= order.paid
