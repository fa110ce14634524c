"""Payment method pages and services: owner edits, manager reads, support nothing; the
gateway credential is write-only; fees and totals are checked."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEntry
from apps.core.exceptions import DomainError
from apps.payments import selectors, services
from apps.payments.models import PaymentMethod


@pytest.fixture
def card(store, owner):
    return services.method_create(
        store=store, actor=owner, kind="card", code="card", display_name="Card",
        gateway="Stripe", fee_percent="2.9", gateway_secret="sk_live_abcdefgh1234",
    )  # fmt: skip


def form_data(**changes):
    data = {
        "kind": "card", "code": "card", "display_name": "Card", "gateway": "Stripe",
        "fee_fixed": "", "fee_percent": "2.9", "is_enabled": "on", "sort_order": "0",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("role", "list_status", "edit_status", "post_status"),
    [("owner", 200, 200, 302), ("manager", 200, 200, 403), ("support", 403, 403, 403)],
)
def test_payment_pages_by_role(
    client_for, make_member, store, card, role, list_status, edit_status, post_status
):
    client = client_for(make_member(store, role))

    assert client.get("/store/alpha/payments/").status_code == list_status
    assert client.get(f"/store/alpha/payments/{card.pk}/").status_code == edit_status
    response = client.post(f"/store/alpha/payments/{card.pk}/", form_data(display_name="X"))
    assert response.status_code == post_status
    assert client.get("/store/alpha/payments/new/").status_code == (200 if role == "owner" else 403)


def test_manager_sees_the_method_read_only(client_for, manager, card):
    page = client_for(manager).get(f"/store/alpha/payments/{card.pk}/").content.decode()

    assert "Read-only" in page
    assert "Save payment method" not in page
    assert "disabled" in page


def test_the_credential_is_never_rendered(client_for, owner, card):
    page = client_for(owner).get(f"/store/alpha/payments/{card.pk}/").content.decode()

    assert "sk_live_abcdefgh1234" not in page
    assert "••••1234" in page


def test_a_blank_credential_on_edit_keeps_the_stored_one(client_for, owner, card):
    response = client_for(owner).post(
        f"/store/alpha/payments/{card.pk}/", form_data(gateway_secret="", fee_percent="3")
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.gateway_secret == "sk_live_abcdefgh1234"
    entry = AuditEntry.objects.filter(action="payment.updated").get()
    assert entry.changes == {"fee_percent": ["2.90", "3.00"]}


def test_a_new_credential_is_audited_masked(client_for, owner, card):
    client_for(owner).post(
        f"/store/alpha/payments/{card.pk}/", form_data(gateway_secret="sk_live_new_99999")
    )

    card.refresh_from_db()
    assert card.gateway_secret == "sk_live_new_99999"
    entry = AuditEntry.objects.filter(action="payment.updated").get()
    assert entry.changes == {"gateway_secret": ["•••", "••• (changed)"]}
    assert "sk_live" not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_percent_over_100_is_refused_inline(client_for, owner):
    response = client_for(owner).post(
        "/store/alpha/payments/new/", form_data(fee_percent="120", max_total="10", min_total="50")
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "A percent fee is at most 100." in page
    assert not PaymentMethod.objects.exists()


def test_max_total_below_min_is_refused(store, owner):
    with pytest.raises(DomainError) as raised:
        services.method_create(
            store=store, actor=owner, kind="bnpl", code="later", display_name="Later",
            min_total="50", max_total="10",
        )  # fmt: skip

    assert raised.value.field == "max_total"


def test_unknown_shipping_service_is_refused(store, owner):
    with pytest.raises(DomainError, match="no shipping service with the code own-courier"):
        services.method_create(
            store=store, actor=owner, kind="cash_on_delivery", code="cod",
            display_name="COD", shipping_service_codes=["own-courier"],
        )  # fmt: skip


def test_method_for_order_is_a_snapshot_without_credentials(store, other_store, card):
    snapshot = selectors.method_for_order(store=store, code="CARD")

    assert snapshot == selectors.OrderPaymentMethod(
        code="card",
        name="Card",
        kind="card",
        kind_label="Card (through a gateway)",
        gateway="Stripe",
        test_mode=False,
    )
    assert selectors.method_for_order(store=other_store, code="card") is None


def test_another_stores_method_is_404(client_for, make_member, other_store, card):
    outsider = client_for(make_member(other_store, "owner"))

    assert outsider.get(f"/store/bravo/payments/{card.pk}/").status_code == 404
    assert outsider.post(f"/store/bravo/payments/{card.pk}/delete/").status_code == 404


def test_every_error_of_a_save_shows_at_once(client_for, owner):
    response = client_for(owner).post(
        "/store/alpha/payments/new/",
        form_data(gateway="", fee_percent="120", min_total="50", max_total="10"),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "A percent fee is at most 100." in page
    assert "Name the card gateway, e.g. Stripe." in page
    assert "The maximum order total (€10.00) is below the minimum (€50.00)." in page


def test_the_typed_credential_survives_a_form_error_without_being_cached(client_for, owner):
    response = client_for(owner).post(
        "/store/alpha/payments/new/",
        form_data(fee_percent="120", gateway_secret="sk_live_typed_1234"),
    )

    assert response.status_code == 400
    assert 'value="sk_live_typed_1234"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_yen_store_refuses_a_fee_with_decimals(client_for, owner, store):
    store.currency = "JPY"
    store.save()

    response = client_for(owner).post("/store/alpha/payments/new/", form_data(fee_fixed="0.50"))

    assert response.status_code == 400
    assert "JPY prices have no decimals; write the fixed fee like 1." in response.content.decode()
    response = client_for(owner).post("/store/alpha/payments/new/", form_data(fee_fixed="30"))
    assert response.status_code == 302


def test_the_list_names_the_shipping_services_a_method_is_limited_to(
    client_for, owner, store, shipping_setup
):
    services.method_create(
        store=store, actor=owner, kind="cash_on_delivery", code="cod", display_name="COD",
        shipping_service_codes=["dhl-express"],
    )  # fmt: skip

    page = client_for(owner).get("/store/alpha/payments/").content.decode()

    assert "Only with DHL Express" in page
    assert "Only with dhl-express" not in page


def test_the_read_only_page_has_no_editors_credential_help(client_for, manager, owner, card):
    read_only = client_for(manager).get(f"/store/alpha/payments/{card.pk}/").content.decode()
    editable = client_for(owner).get(f"/store/alpha/payments/{card.pk}/").content.decode()

    assert "Gateway credentials stored: <code>••••1234</code>." in read_only
    assert "Leave empty to keep the stored one" not in read_only
    assert "Type new ones below" not in read_only
    assert "Leave empty to keep the stored one" in editable
