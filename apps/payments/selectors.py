"""Payment reads: the list behind the page, the engine's config (cached per store), and the
snapshot orders take of a method."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core import configcache
from apps.core.models import Store
from apps.core.selectors import object_get
from apps.payments import engine
from apps.payments.models import MethodKind, PaymentMethod

CONFIG_CACHE_SECONDS = 60 * 60


def method_list(*, store: Store) -> QuerySet[PaymentMethod]:
    return PaymentMethod.objects.for_store(store)


def method_get(*, store: Store, method_id: int) -> PaymentMethod:
    return object_get(method_list(store=store), not_found="No such payment method.", pk=method_id)


def payment_config_forget(store: Store) -> None:
    """Every write to the store's payment methods calls this (apps/core/configcache.py)."""
    configcache.config_version_bump(store.pk)


def payment_config_build(*, store: Store) -> engine.PaymentConfig:
    kinds = dict(MethodKind.choices)
    methods = tuple(
        engine.MethodSpec(
            code=method.code,
            name=method.display_name,
            kind=method.kind,
            kind_label=kinds.get(method.kind, method.kind),
            instructions=method.instructions,
            is_enabled=method.is_enabled,
            fee_fixed=method.fee_fixed,
            fee_percent=method.fee_percent,
            fee_cap=method.fee_cap,
            min_total=method.min_total,
            max_total=method.max_total,
            countries=frozenset(method.countries),
            service_codes=frozenset(method.shipping_service_codes),
            test_mode=method.test_mode,
            sort_order=method.sort_order,
        )
        for method in method_list(store=store)
    )
    return engine.PaymentConfig(currency=store.currency, methods=methods)


def payment_config(*, store: Store) -> engine.PaymentConfig:
    """Cached like the shipping config: the process's copy while the store's version holds."""
    return configcache.store_config(
        "payments",
        store.pk,
        lambda: payment_config_build(store=store),
        timeout=CONFIG_CACHE_SECONDS,
        usable=lambda config: config.currency == store.currency,
    )


@dataclass(frozen=True)
class OrderPaymentMethod:
    code: str
    name: str
    kind: str
    kind_label: str
    gateway: str
    test_mode: bool


def method_for_order(*, store: Store, code: str) -> OrderPaymentMethod | None:
    """The store's payment method with ``code`` as plain data an order keeps (never its
    credentials), or None."""
    method = method_list(store=store).filter(code=str(code or "").strip().lower()).first()
    if method is None:
        return None
    return OrderPaymentMethod(
        code=method.code,
        name=method.display_name,
        kind=method.kind,
        kind_label=method.get_kind_display(),
        gateway=method.gateway,
        test_mode=method.test_mode,
    )
