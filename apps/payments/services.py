"""Payment method writes: checked with ``inputs``, audited with the diff (the credential only
as "changed"), and the store's cached config forgotten."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from apps.audit.services import audit_record, changes_between
from apps.core.exceptions import DomainError, ErrorCollector, NotFound
from apps.core.inputs import money as money_input
from apps.core.models import Store
from apps.payments import inputs
from apps.payments.models import MethodKind, PaymentMethod
from apps.payments.selectors import payment_config_forget
from apps.shipping import inputs as shipping_inputs
from apps.shipping.selectors import service_list

METHOD_FIELDS = (
    "kind",
    "code",
    "display_name",
    "gateway",
    "instructions",
    "is_enabled",
    "fee_fixed",
    "fee_percent",
    "fee_cap",
    "min_total",
    "max_total",
    "countries",
    "shipping_service_codes",
    "sort_order",
    "test_mode",
)
SECRET_CHANGED = ["•••", "••• (changed)"]


def _snapshot(method: PaymentMethod) -> dict[str, Any]:
    return {name: getattr(method, name) for name in METHOD_FIELDS}


def _changed(store: Store) -> None:
    payment_config_forget(store)
    transaction.on_commit(lambda: payment_config_forget(store))


def _values(
    store: Store,
    *,
    kind,
    code,
    display_name,
    gateway="",
    instructions="",
    is_enabled=True,
    fee_fixed=None,
    fee_percent=None,
    fee_cap=None,
    min_total=None,
    max_total=None,
    countries=(),
    shipping_service_codes=(),
    sort_order=0,
    test_mode=False,
) -> dict:
    found = ErrorCollector()
    if kind not in MethodKind.values:
        found.add("Pick the kind of payment method.", field="kind")
    name = " ".join(str(display_name or "").split())
    if not name:
        found.add("Enter the name shoppers see, e.g. Credit card.", field="display_name")
    elif len(name) > 80:
        found.add("The name is longer than 80 characters.", field="display_name")
    known = set(service_list(store=store).values_list("code", flat=True))
    codes = sorted({str(c).strip().lower() for c in shipping_service_codes if str(c).strip()})
    unknown = [c for c in codes if c not in known]
    if unknown:
        found.add(
            f"There is no shipping service with the code {unknown[0]}.",
            field="shipping_service_codes",
        )
    amount = partial(found.run, money_input, required=False, currency=store.currency)
    values = {
        "kind": kind,
        "code": found.run(shipping_inputs.code, code),
        "display_name": name,
        "gateway": found.run(inputs.gateway, kind, gateway),
        "instructions": found.run(inputs.instructions, instructions),
        "is_enabled": bool(is_enabled),
        "fee_fixed": amount(fee_fixed, field="fee_fixed", label="fixed fee") or Decimal("0.00"),
        "fee_percent": found.run(inputs.percent, fee_percent),
        "fee_cap": amount(fee_cap, field="fee_cap", label="fee cap"),
        "min_total": amount(min_total, field="min_total", label="minimum order total"),
        "max_total": amount(max_total, field="max_total", label="maximum order total"),
        "countries": found.run(shipping_inputs.country_list, countries),
        "shipping_service_codes": codes,
        "sort_order": found.run(_sort_order, sort_order),
        "test_mode": bool(test_mode),
    }
    if not found.failed("min_total", "max_total"):
        found.run(
            shipping_inputs.limits,
            values["min_total"],
            values["max_total"],
            field="max_total",
            label="order total",
            currency=store.currency,
        )
    found.raise_any()
    return values


def _sort_order(value) -> int:
    try:
        return max(0, int(str(value or 0).strip()))
    except ValueError:
        raise DomainError("The sort order is a whole number, e.g. 0.", field="sort_order") from None


def _save(method: PaymentMethod) -> None:
    try:
        with transaction.atomic():
            method.save()
    except IntegrityError:
        raise DomainError(
            f"Another payment method already uses the code “{method.code}”.", field="code"
        ) from None


@transaction.atomic
def method_create(*, store: Store, actor, gateway_secret: str = "", **values) -> PaymentMethod:
    method = PaymentMethod(store=store, **_values(store, **values))
    method.gateway_secret = inputs.secret(gateway_secret)
    _save(method)
    changes = changes_between({}, _snapshot(method))
    if method.gateway_secret:
        changes["gateway_secret"] = ["", "••• (set)"]
    audit_record(store=store, actor=actor, action="payment.created", target=method, changes=changes)
    _changed(store)
    return method


@transaction.atomic
def method_update(
    *, store: Store, actor, method: PaymentMethod, gateway_secret: str = "", **values
) -> PaymentMethod:
    """A blank ``gateway_secret`` keeps the stored one (the form never shows it)."""
    if method.store_id != store.pk:
        raise NotFound("This payment method does not exist in this store.", field="method")
    before = _snapshot(method)
    for name, value in _values(store, **values).items():
        setattr(method, name, value)
    secret = inputs.secret(gateway_secret)
    secret_changed = bool(secret) and secret != method.gateway_secret
    if secret:
        method.gateway_secret = secret
    _save(method)
    changes = changes_between(before, _snapshot(method))
    if secret_changed:
        changes["gateway_secret"] = SECRET_CHANGED
    if changes:
        audit_record(
            store=store, actor=actor, action="payment.updated", target=method, changes=changes
        )
    _changed(store)
    return method


@transaction.atomic
def method_secret_clear(*, store: Store, actor, method: PaymentMethod) -> None:
    if method.store_id != store.pk:
        raise NotFound("This payment method does not exist in this store.", field="method")
    if method.gateway_secret:
        method.gateway_secret = ""
        method.save(update_fields=["gateway_secret", "updated_at"])
        audit_record(
            store=store, actor=actor, action="payment.updated", target=method,
            changes={"gateway_secret": ["•••", "(removed)"]},
        )  # fmt: skip


@transaction.atomic
def method_delete(*, store: Store, actor, method: PaymentMethod) -> None:
    if method.store_id != store.pk:
        raise NotFound("This payment method does not exist in this store.", field="method")
    audit_record(
        store=store, actor=actor, action="payment.deleted", target=method,
        changes={"display_name": [method.display_name, None], "code": [method.code, None]},
    )  # fmt: skip
    method.delete()
    _changed(store)
