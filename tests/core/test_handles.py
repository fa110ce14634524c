"""The store handle rule (``apps.core.handles``), without the database."""

from __future__ import annotations

import pytest

from apps.core import handles
from apps.core.exceptions import DomainError

RULE = (
    "use 3 to 50 lowercase letters, digits and hyphens, starting and ending with a letter "
    "or digit, with no two hyphens in a row, e.g. acme-shop."
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("acme", "acme"),
        ("rv-attack", "rv-attack"),
        ("RV-Attack", "rv-attack"),
        ("  Acme-Shop-2 ", "acme-shop-2"),
        ("abc", "abc"),
        ("a" * 50, "a" * 50),
        ("7seas", "7seas"),
    ],
)
def test_store_handle_accepts_and_lowercases_conforming_handles(value, expected):
    assert handles.store_handle(value) == expected


@pytest.mark.parametrize(
    "value",
    ["-lead", "trail-", "a", "ab", "a" * 51, "new_store_x", "two--hyphens", "é-shop", "a b c"],
)
def test_store_handle_refuses_anything_else_naming_the_rule(value):
    with pytest.raises(DomainError) as caught:
        handles.store_handle(value)

    assert caught.value.field == "handle"
    assert caught.value.message == f"“{value.strip()}” cannot be a store handle: {RULE}"


def test_store_handle_asks_for_one_when_empty():
    with pytest.raises(DomainError) as caught:
        handles.store_handle("  ")

    assert caught.value.message == "Enter a handle, e.g. acme-shop."


def test_product_handles_share_the_pattern_with_underscores_allowed_too():
    assert handles.handle_pattern("-_").match("linen_shirt-2")
    assert handles.handle_pattern("-").match("linen-shirt-2")
    assert not handles.handle_pattern("-").match("linen_shirt")
    assert not handles.handle_pattern("-_").match("-linen")


@pytest.mark.parametrize("value", ["My Shop", "ACME_Shop", "Café-Berlin", "x"])
def test_a_refused_store_handle_is_quoted_exactly_as_typed(value):
    with pytest.raises(DomainError) as caught:
        handles.store_handle(value)

    assert caught.value.message.startswith(f"“{value}” cannot be a store handle")
