"""Shipping services and selectors: rules on save, the audit diff, the cached config."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.audit.models import AuditEntry
from apps.core.exceptions import DomainError
from apps.shipping import selectors, services
from apps.shipping.models import Rate, Zone


def test_overlapping_bands_are_refused_and_nothing_is_saved(store, owner, shipping_setup):
    with pytest.raises(DomainError) as raised:
        services.rate_create(
            store=store, actor=owner, zone=shipping_setup["zone"],
            service=shipping_setup["standard"], name="Bad", kind="weight",
            bands="0-5: 4\n3-8: 5",
        )  # fmt: skip

    assert raised.value.field == "bands"
    assert "overlap" in raised.value.message
    assert not Rate.objects.filter(name="Bad").exists()


def test_upper_band_below_lower_is_refused(store, owner, shipping_setup):
    with pytest.raises(DomainError, match="upper bound 2 is not above the lower bound 5"):
        services.rate_create(
            store=store, actor=owner, zone=shipping_setup["zone"],
            service=shipping_setup["standard"], name="Bad", kind="weight", bands="5-2: 4",
        )  # fmt: skip


def test_max_below_min_is_refused(store, owner, shipping_setup):
    with pytest.raises(DomainError) as raised:
        services.rate_create(
            store=store, actor=owner, zone=shipping_setup["zone"],
            service=shipping_setup["standard"], name="Bad", price="1",
            min_weight="10", max_weight="5",
        )  # fmt: skip

    assert raised.value.field == "max_weight"


def test_tracking_url_needs_its_placeholder(store, owner, shipping_setup):
    with pytest.raises(DomainError) as raised:
        services.service_update(
            store=store, actor=owner, service=shipping_setup["standard"], name="Standard",
            code="dhl-standard", days_min=2, days_max=4,
            tracking_url_template="https://dhl.example/track",
        )  # fmt: skip

    assert raised.value.field == "tracking_url_template"
    assert "{tracking_number}" in raised.value.message


def test_zone_update_is_audited_with_the_diff(store, owner, shipping_setup):
    zone = shipping_setup["zone"]

    services.zone_update(
        store=store, actor=owner, zone=zone, name="Germany", countries="DE, AT",
        postal_exclude="18565",
    )  # fmt: skip

    entry = AuditEntry.objects.filter(action="zone.updated").get()
    assert entry.changes == {
        "countries": [["DE"], ["AT", "DE"]],
        "postal_exclude": [[], ["18565"]],
    }


def test_zone_with_unknown_country_is_refused(store, owner):
    with pytest.raises(DomainError, match="“XX” is not a country code"):
        services.zone_create(store=store, actor=owner, name="Nowhere", countries="DE, XX")

    assert not Zone.objects.exists()


def test_config_is_cached_and_forgotten_on_every_change(
    store, owner, shipping_setup, django_assert_num_queries
):
    selectors.shipping_config(store=store)
    with django_assert_num_queries(0):
        config = selectors.shipping_config(store=store)
    assert [r.name for r in config.zones[0].rates] == ["Standard", "Express"]

    services.rate_update(
        store=store, actor=owner, rate=Rate.objects.get(name="Express"), name="Express",
        service=shipping_setup["express"], price="11.00", max_weight="30",
    )  # fmt: skip

    rate = selectors.shipping_config(store=store).zones[0].rates[1]
    assert rate.price == Decimal("11.00")
    assert rate.excluded_tags == frozenset()


def test_config_build_takes_a_fixed_number_of_queries(
    store, owner, shipping_setup, django_assert_max_num_queries
):
    for number in range(5):
        zone = services.zone_create(store=store, actor=owner, name=f"Z{number}", countries="FR")
        services.rate_create(
            store=store, actor=owner, zone=zone, service=shipping_setup["standard"], price="1"
        )

    with django_assert_max_num_queries(4):
        selectors.shipping_config_build(store=store)


def test_service_for_order_is_a_snapshot(store, owner, shipping_setup):
    snapshot = selectors.service_for_order(store=store, code="DHL-Standard")

    assert snapshot == selectors.OrderService(
        code="dhl-standard",
        carrier_name="DHL",
        service_name="Standard",
        tracking_url_template="https://dhl.example/t?id={tracking_number}",
        days_min=2,
        days_max=4,
    )
    assert snapshot.tracking_url("JD 0001/2") == "https://dhl.example/t?id=JD%200001%2F2"
    assert selectors.service_for_order(store=store, code="no-such") is None


def test_service_for_order_is_per_store(store, other_store, owner, shipping_setup):
    assert selectors.service_for_order(store=other_store, code="dhl-standard") is None


def test_a_service_in_use_cannot_be_deleted(store, owner, shipping_setup):
    with pytest.raises(DomainError, match="rate"):
        services.service_delete(store=store, actor=owner, service=shipping_setup["standard"])


def test_band_gaps_are_warned(store, owner, shipping_setup):
    rate = services.rate_create(
        store=store, actor=owner, zone=shipping_setup["zone"],
        service=shipping_setup["standard"], name="Gappy", kind="weight",
        bands="1-2: 4\n3-5: 5",
    )  # fmt: skip

    assert [w.text for w in selectors.rate_band_warnings([rate])] == [
        "Gappy: carts from 0 kg up to 1 kg get no price from this rate.",
        "Gappy: carts from 2 kg up to 3 kg get no price from this rate.",
        "Gappy: carts of 5 kg and more get no price from this rate.",
    ]


def test_unshipped_countries(store, owner, shipping_setup):
    coverage = selectors.coverage(store=store)

    assert coverage.shipped == frozenset({"DE"})
    assert "France" in coverage.unshipped_names
    assert "Germany" not in coverage.unshipped_names


def test_band_and_order_changes_read_as_words_in_the_audit_log(
    client_for, store, owner, shipping_setup
):
    standard = Rate.objects.get(name="Standard")
    services.rate_update(
        store=store, actor=owner, rate=standard, name="Standard",
        service=shipping_setup["standard"], kind="weight",
        bands="0-2: 4.90\n2-10: 8.90\n10-: 12.90", free_over="50", position="4",
    )  # fmt: skip
    services.zone_update(
        store=store, actor=owner, zone=shipping_setup["zone"], name="Germany",
        countries="DE, AT", position="3",
    )  # fmt: skip

    page = client_for(owner).get("/store/alpha/audit/").content.decode()

    assert (
        "<del>0–2 kg: €4.90; 2–10 kg: €7.90</del> → "
        "<ins>0–2 kg: €4.90; 2–10 kg: €8.90; 10 kg and more: €12.90</ins>"
    ) in page
    assert "<strong>Order in the zone</strong>: <del>0</del> → <ins>4</ins>" in page
    assert "<strong>Order among zones</strong>: <del>0</del> → <ins>3</ins>" in page
    assert "<del>Germany</del> → <ins>Austria, Germany</ins>" in page
    assert "[&#x27;0" not in page and "[[" not in page


def test_subtotal_bands_read_in_the_stores_currency(store, owner, shipping_setup):
    rate = services.rate_create(
        store=store, actor=owner, zone=shipping_setup["zone"], service=shipping_setup["express"],
        name="By subtotal", kind="subtotal", bands="0-20: 6.90\n20-: 0",
    )  # fmt: skip

    entry = AuditEntry.objects.filter(action="rate.created", target_id=str(rate.pk)).get()
    assert entry.changes["bands"] == [None, "€0.00–€20.00: €6.90; €20.00 and more: €0.00"]
