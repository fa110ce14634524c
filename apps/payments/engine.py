"""Payment availability: plain data in, the methods a checkout offers (with their fees) and
every method left out with its reason. No ORM, no request; the simulator, the storefront API
and the tests call ``payment_options``.

A method is offered when it is turned on, the order total is within its minimum and maximum,
the destination country is one it allows (none listed: every country), and the chosen
shipping service is one it allows (none listed: every service; no service chosen yet: the
check waits). Its fee is ``fixed + total × percent / 100``, at most ``cap``, rounded half up
to the currency's decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django_countries import countries

from apps.core.money import money_format, money_rounded

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class MethodSpec:
    code: str
    name: str
    kind: str
    kind_label: str = ""
    instructions: str = ""
    is_enabled: bool = True
    fee_fixed: Decimal = ZERO
    fee_percent: Decimal = ZERO
    fee_cap: Decimal | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    countries: frozenset[str] = frozenset()  # empty: every country
    service_codes: frozenset[str] = frozenset()  # empty: every shipping service
    test_mode: bool = False
    sort_order: int = 0


@dataclass(frozen=True)
class PaymentConfig:
    currency: str
    methods: tuple[MethodSpec, ...] = ()


@dataclass(frozen=True)
class PaymentOption:
    code: str
    name: str
    kind: str
    fee: Decimal
    currency: str
    instructions: str = ""
    test_mode: bool = False


@dataclass(frozen=True)
class PaymentExclusion:
    name: str
    reason: str
    is_turned_off: bool = False  # the storefront API leaves these out: shoppers never see them


@dataclass(frozen=True)
class PaymentAnswer:
    methods: tuple[PaymentOption, ...]
    excluded: tuple[PaymentExclusion, ...]

    @property
    def shopper_exclusions(self) -> tuple[PaymentExclusion, ...]:
        """What a shopper is told was left out: not the methods the owner turned off."""
        return tuple(e for e in self.excluded if not e.is_turned_off)

    @property
    def turned_off(self) -> tuple[PaymentExclusion, ...]:
        return tuple(e for e in self.excluded if e.is_turned_off)


def method_fee(method: MethodSpec, total: Decimal, currency: str) -> Decimal:
    fee = method.fee_fixed + total * method.fee_percent / HUNDRED
    if method.fee_cap is not None:
        fee = min(fee, method.fee_cap)
    return money_rounded(max(fee, ZERO), currency)


def _reason(
    method: MethodSpec,
    *,
    country: str,
    total: Decimal,
    currency: str,
    service: str,
    service_names: Mapping[str, str],
):
    if not method.is_enabled:
        return "turned off"
    if method.min_total is not None and total < method.min_total:
        return (
            f"only for orders of {money_format(method.min_total, currency)} or more; "
            f"this one is {money_format(total, currency)}"
        )
    if method.max_total is not None and total > method.max_total:
        return (
            f"only for orders up to {money_format(method.max_total, currency)}; "
            f"this one is {money_format(total, currency)}"
        )
    if method.countries and country not in method.countries:
        return f"not offered in {countries.name(country) or country}"
    if method.service_codes and service and service not in method.service_codes:
        names = " or ".join(service_names.get(code, code) for code in sorted(method.service_codes))
        return f"only with shipping by {names}"
    return None


def payment_options(
    config: PaymentConfig,
    *,
    country: str,
    total: Decimal,
    service_code: str = "",
    service_names: Mapping[str, str] | None = None,
) -> PaymentAnswer:
    """The methods offered for an order of ``total`` to ``country`` (shipped with
    ``service_code`` when chosen), in their sort order, and the others with reasons
    (``service_names``: code → "DHL Express", to name allowed services in them)."""
    currency = config.currency
    offered: list[PaymentOption] = []
    excluded: list[PaymentExclusion] = []
    for method in sorted(config.methods, key=lambda m: (m.sort_order, m.name, m.code)):
        reason = _reason(
            method,
            country=country,
            total=total,
            currency=currency,
            service=service_code,
            service_names=service_names or {},
        )
        if reason is not None:
            excluded.append(
                PaymentExclusion(
                    method.name, f"{method.name}: {reason}", is_turned_off=not method.is_enabled
                )
            )
            continue
        offered.append(
            PaymentOption(
                code=method.code,
                name=method.name,
                kind=method.kind,
                fee=method_fee(method, total, currency),
                currency=currency,
                instructions=method.instructions,
                test_mode=method.test_mode,
            )
        )
    return PaymentAnswer(methods=tuple(offered), excluded=tuple(excluded))
