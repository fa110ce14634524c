"""The audit log reads as sentences, shows changes as before → after, links to what still
exists, filters by date, person and kind, and records the client's address."""

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import Membership
from apps.audit.models import AuditEntry
from apps.audit.registry import action_text, register_action, unregister_action
from apps.audit.services import audit_record
from apps.catalog import services as catalog_services
from apps.catalog.models import Product
from apps.core.origin import TASK, running_as
from tests.catalog.factories import ProductFactory, VariantFactory


@pytest.fixture
def olivia(store, make_member):
    return make_member(store, "owner", email="olivia@alpha.test", full_name="Olivia Owner")


def _rows(response):
    return response.context["rows"]


# --- sentences -----------------------------------------------------------------------------------
def test_audit_log_names_the_person_and_the_object_in_a_sentence(store, olivia, client_for):
    api_key, _raw = account_services.api_key_create(store=store, actor=olivia, name="ERP")
    account_services.api_key_revoke(store=store, actor=olivia, api_key=api_key)

    response = client_for(olivia).get("/store/alpha/audit/")

    revoked, created = _rows(response)
    assert revoked.text == "Olivia Owner revoked the API key “ERP”"
    assert created.text == "Olivia Owner created the API key “ERP”"
    assert revoked.url == "/store/alpha/settings/api-keys/"
    page = response.content.decode()
    assert (
        'Olivia Owner revoked the API key “<a href="/store/alpha/settings/api-keys/">ERP</a>”'
        in page
    )
    assert "<code>api_key.revoked</code>" not in page


def test_audit_log_shows_option_changes_field_by_field(store, olivia, client_for):
    variant = VariantFactory(product=ProductFactory(store=store, title="Tee"), sku="TEE-M")
    audit_record(
        store=store,
        actor=olivia,
        action="variant.updated",
        target=variant,
        changes={"option_values": [{"Size": "M"}, {"Size": "L"}], "price": ["19.90", "21.00"]},
    )

    response = client_for(olivia).get("/store/alpha/audit/")

    (row,) = _rows(response)
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("Size", "M", "L"),
        ("Price", "€19.90", "€21.00"),
    ]
    page = response.content.decode()
    assert "<strong>Size</strong>: <del>M</del> → <ins>L</ins>" in page
    assert "{&#x27;Size&#x27;" not in page
    assert row.text == "Olivia Owner changed the variant “TEE-M”"
    assert row.url == f"/store/alpha/catalog/variants/{variant.pk}/"


def test_audit_log_links_only_to_objects_that_still_exist(store, olivia, client_for):
    kept = ProductFactory(store=store, title="Kept")
    gone = ProductFactory(store=store, title="Gone")
    audit_record(store=store, actor=olivia, action="product.created", target=kept)
    audit_record(store=store, actor=olivia, action="product.created", target=gone)
    gone.delete()

    response = client_for(olivia).get("/store/alpha/audit/")

    by_text = {row.text: row.url for row in _rows(response)}
    assert by_text == {
        "Olivia Owner added the product “Kept”": f"/store/alpha/catalog/products/{kept.pk}/",
        "Olivia Owner added the product “Gone”": None,
    }


def test_audit_log_links_staff_changes_to_the_staff_page(store, olivia, make_member, client_for):
    manager = make_member(store, "manager", email="mark@alpha.test", full_name="Mark Manager")
    membership = Membership.objects.get(user=manager, store=store)
    account_services.membership_change_role(
        store=store, actor=olivia, membership=membership, role="support"
    )

    (row,) = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert row.text == "Olivia Owner changed the role of “Mark Manager”"
    assert row.url == "/store/alpha/settings/staff/"
    assert [(c.label, c.before, c.after) for c in row.changes] == [("Role", "Manager", "Support")]


def test_audit_log_names_api_keys_and_the_system_as_actors(store, olivia, client_for):
    AuditEntry.objects.create(
        store=store,
        actor_label="api-key:ERP sync",
        action="store.updated",
        target_type="core.store",
        target_id=str(store.pk),
        target_repr="Alpha Goods",
    )
    audit_record(store=store, actor=None, action="store.updated", target=store)

    texts = [row.text for row in _rows(client_for(olivia).get("/store/alpha/audit/"))]

    assert texts == [
        "The system changed the store settings “Alpha Goods”",
        "API key “ERP sync” changed the store settings “Alpha Goods”",
    ]


def test_an_unregistered_action_still_reads_as_words(store, olivia, client_for):
    audit_record(store=store, actor=olivia, action="store.touched", target=store)

    (row,) = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert row.text == "Olivia Owner: store touched “Alpha Goods”"


def test_apps_register_their_own_sentences():
    register_action("widget.polished", "polished the widget “{target}”", label="Widget polished")
    try:
        assert action_text("widget.polished").label == "Widget polished"
        with pytest.raises(ValueError, match="widget.polished is registered already"):
            register_action("widget.polished", "again “{target}”", label="Again")
    finally:
        unregister_action("widget.polished")


# --- filters -------------------------------------------------------------------------------------
def _at(entry, when):
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)


def test_audit_log_filters_by_date_range_in_the_stores_time_zone(store, olivia, client_for):
    berlin = store.tzinfo
    early = audit_record(store=store, actor=olivia, action="store.updated", target=store)
    inside = audit_record(store=store, actor=olivia, action="store.updated", target=store)
    late = audit_record(store=store, actor=olivia, action="store.updated", target=store)
    _at(early, datetime.datetime(2026, 3, 1, 23, 30, tzinfo=berlin))
    _at(inside, datetime.datetime(2026, 3, 2, 0, 30, tzinfo=berlin))  # 1 March in UTC
    _at(late, datetime.datetime(2026, 3, 4, 0, 30, tzinfo=berlin))

    response = client_for(olivia).get(
        "/store/alpha/audit/", {"from": "2026-03-02", "to": "2026-03-03"}
    )

    table = response.context["table"]
    assert [e.pk for e in table.page.object_list] == [inside.pk]
    assert [chip.label for chip in table.chips] == ["From: 2 Mar 2026", "To: 3 Mar 2026"]
    assert b'type="date" name="from" id="audit-table-from" value="2026-03-02"' in response.content


def test_audit_log_filter_form_has_an_apply_button_and_dates_that_submit_it(
    store, olivia, client_for
):
    page = client_for(olivia).get("/store/alpha/audit/").content.decode()

    toolbar = page[page.index('<form class="table-toolbar"') :]
    toolbar = toolbar[: toolbar.index("</form>")]
    assert '<button type="submit" class="button">Apply</button>' in toolbar
    assert "<noscript>" not in toolbar
    assert 'type="date" name="from" id="audit-table-from" value="" data-autosubmit ' in toolbar
    assert 'type="date" name="to" id="audit-table-to" value="" data-autosubmit ' in toolbar


def test_audit_log_ignores_a_malformed_date(store, olivia, client_for):
    audit_record(store=store, actor=olivia, action="store.updated", target=store)

    response = client_for(olivia).get("/store/alpha/audit/", {"from": "yesterday"})

    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 1
    assert response.context["table"].chips == []


def test_audit_log_filters_by_person_and_kind(store, olivia, make_member, client_for):
    support = make_member(store, "support", email="sam@alpha.test", full_name="")
    api_key, _raw = account_services.api_key_create(store=store, actor=olivia, name="ERP")
    audit_record(store=store, actor=support, action="store.updated", target=store)

    by_person = client_for(olivia).get("/store/alpha/audit/", {"person": "sam@alpha.test"})
    by_kind = client_for(olivia).get("/store/alpha/audit/", {"kind": "api_key.created"})

    assert [e.actor_label for e in by_person.context["table"].page.object_list] == [
        "sam@alpha.test"
    ]
    assert [e.action for e in by_kind.context["table"].page.object_list] == ["api_key.created"]
    controls = {c.param: list(c.choices) for c in by_kind.context["table"].filter_controls}
    assert controls["person"] == [
        ("olivia@alpha.test", "Olivia Owner"),
        ("sam@alpha.test", "sam"),
    ]
    # every registered kind, by its label (from the registry: no scan of the log)
    assert {
        ("api_key.created", "API key created"),
        ("store.updated", "Store settings changed"),
    } <= set(controls["kind"])
    assert [label.lower() for _, label in controls["kind"]] == sorted(
        label.lower() for _, label in controls["kind"]
    )
    assert [chip.label for chip in by_kind.context["table"].chips] == ["Kind: API key created"]
    assert [chip.label for chip in by_person.context["table"].chips] == ["Person: sam"]


def test_audit_log_filters_travel_in_the_pagination_links(store, olivia, client_for):
    for _ in range(30):
        audit_record(store=store, actor=olivia, action="store.updated", target=store)

    response = client_for(olivia).get(
        "/store/alpha/audit/", {"kind": "store.updated", "from": "2000-01-01"}
    )

    assert (
        response.context["table"].next_url
        == "/store/alpha/audit/?kind=store.updated&from=2000-01-01&page=2"
    )


# --- the client's address ------------------------------------------------------------------------
def test_audit_entries_record_the_clients_address(store, olivia, client_for):
    client = client_for(olivia)

    client.post("/store/alpha/settings/api-keys/", {"name": "ERP"}, REMOTE_ADDR="203.0.113.7")

    entry = AuditEntry.objects.get(action="api_key.created")
    assert entry.ip_address == "203.0.113.7"
    page = client.get("/store/alpha/audit/").content.decode()
    assert "203.0.113.7" in page


def test_audit_address_ignores_a_forged_forwarded_for_without_a_proxy(store, olivia, client_for):
    client_for(olivia).post(
        "/store/alpha/settings/api-keys/",
        {"name": "ERP"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    assert AuditEntry.objects.get(action="api_key.created").ip_address == "203.0.113.7"


@override_settings(
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
)
def test_audit_address_behind_one_proxy_is_the_forwarded_client(store, olivia, client_for):
    client_for(olivia).post(
        "/store/alpha/settings/api-keys/",
        {"name": "ERP"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    assert AuditEntry.objects.get(action="api_key.created").ip_address == "198.51.100.1"


def test_audit_record_takes_an_explicit_address_and_none_outside_a_request(store, olivia):
    explicit = audit_record(
        store=store, actor=olivia, action="store.updated", target=store, ip_address="192.0.2.9"
    )
    outside = audit_record(store=store, actor=olivia, action="store.updated", target=store)

    assert explicit.ip_address == "192.0.2.9"
    assert outside.ip_address is None


def test_audit_log_says_background_job_where_a_task_wrote_the_entry(store, olivia, client_for):
    with running_as(TASK, "apps.catalog.tasks.some_task"):
        audit_record(store=store, actor=olivia, action="store.updated", target=store)

    page = client_for(olivia).get("/store/alpha/audit/").content.decode()

    cell = page[page.index('<td data-label="Address"') :]
    cell = cell[: cell.index("</td>")]
    assert "Background job" in cell
    assert "—" not in cell


def test_audit_log_says_a_reversed_date_range_is_reversed_and_keeps_the_dates(
    store, olivia, client_for
):
    audit_record(store=store, actor=olivia, action="store.updated", target=store)

    response = client_for(olivia).get(
        "/store/alpha/audit/", {"from": "2026-03-05", "to": "2026-03-01"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "No entries match" not in page
    error = re.search(r'<p id="audit-table-date-error"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "“From” (5 Mar 2026) is after “To” (1 Mar 2026)" in error
    assert 'name="from" id="audit-table-from" value="2026-03-05"' in page
    assert 'name="to" id="audit-table-to" value="2026-03-01"' in page
    assert 'aria-invalid="true"' in page
    assert len(response.context["table"].page.object_list) == 1  # the range is not applied


def test_audit_log_dates_in_order_show_no_date_error(store, olivia, client_for):
    page = (
        client_for(olivia)
        .get("/store/alpha/audit/", {"from": "2026-03-01", "to": "2026-03-01"})
        .content.decode()
    )

    assert re.search(r'<p id="audit-table-date-error"[^>]*>\s*</p>', page)
    assert 'aria-invalid="true"' not in page


def test_audit_log_shows_the_exact_time_on_hover(store, olivia, client_for):
    entry = audit_record(store=store, actor=olivia, action="store.updated", target=store)
    _at(entry, timezone.now() - datetime.timedelta(hours=3))

    page = client_for(olivia).get("/store/alpha/audit/").content.decode()

    assert "3\xa0hours ago</time>" in page


# --- values read as words, not as stored data ----------------------------------------------------
def _lines(row) -> list[tuple]:
    return [(c.label, c.before, c.after) for c in row.changes]


def test_audit_log_names_an_added_image_by_its_file_name_without_the_path(
    store, olivia, client_for
):
    product = ProductFactory(store=store, title="Tee")
    audit_record(
        store=store,
        actor=olivia,
        action="product.image_added",
        target=product,
        changes={"image": [None, "stores/4/products/1788/721aef0c9d/ok.jpg"]},
    )
    audit_record(
        store=store,
        actor=olivia,
        action="product.image_removed",
        target=product,
        changes={"image": ["stores/4/products/1788/721aef0c9d/old.png", None]},
    )

    removed, added = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert _lines(added) == [("Image added", None, "ok.jpg")]
    assert _lines(removed) == [("Image removed", None, "old.png")]
    page = client_for(olivia).get("/store/alpha/audit/").content.decode()
    assert "<strong>Image added</strong>: ok.jpg" in page
    assert "stores/4/products" not in page


def test_audit_log_hides_internal_fields_like_the_position(store, olivia, client_for):
    variant = VariantFactory(product=ProductFactory(store=store, title="Tee"), sku="TEE-M")
    audit_record(
        store=store,
        actor=olivia,
        action="variant.created",
        target=variant,
        changes={"sku": [None, "TEE-M"], "position": [None, 0]},
    )

    (row,) = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert _lines(row) == [("SKU", None, "TEE-M")]  # a creation: no "before"


def test_audit_log_writes_prices_in_the_stores_currency(store, olivia, client_for):
    variant = VariantFactory(product=ProductFactory(store=store, title="Tee"), sku="TEE-M")
    audit_record(
        store=store,
        actor=olivia,
        action="variant.updated",
        target=variant,
        changes={
            "price": ["19.90", "1234.50"],
            "compare_at_price": [None, "1500.00"],
            "cost": ["4.5", None],
        },
    )

    (row,) = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert _lines(row) == [
        ("Compare-at price", "—", "€1,500.00"),
        ("Cost", "€4.50", "—"),
        ("Price", "€19.90", "€1,234.50"),
    ]


def test_audit_log_words_an_older_bulk_price_entry_as_the_change_made(store, olivia, client_for):
    product = ProductFactory(store=store, title="Tee")
    for change in ("+10 %", "-0.5"):
        audit_record(
            store=store,
            actor=olivia,
            action="product.bulk_adjust_price",
            target=product,
            changes={"price": [None, change]},
        )

    lowered, raised = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert [c.after for c in raised.changes] == ["Price raised by 10 %"]
    assert [c.after for c in lowered.changes] == ["Price lowered by €0.50"]


def _bulk_price(store, actor, products, mode, value):
    catalog_services.products_bulk_update(
        store=store,
        actor=actor,
        products=products,
        options=catalog_services.BulkOptions(action="adjust_price", mode=mode, value=value),
    )


def test_audit_log_says_how_a_bulk_action_changed_prices_and_of_how_many_variants(
    store, olivia, client_for
):
    tee = ProductFactory(store=store, title="Tee")
    for sku in ("TEE-S", "TEE-M", "TEE-L"):
        VariantFactory(product=tee, sku=sku, price="20.00")
    cap = ProductFactory(store=store, title="Cap")
    VariantFactory(product=cap, sku="CAP", price="10.00")
    both = Product.objects.filter(store=store)
    _bulk_price(store, olivia, both, "percent", "10")
    _bulk_price(store, olivia, both, "amount", "-0.5")

    rows = _rows(client_for(olivia).get("/store/alpha/audit/"))
    page = client_for(olivia).get("/store/alpha/audit/").content.decode()

    lines = {(row.entry.action, row.target, c.after) for row in rows for c in row.changes}
    assert lines == {
        ("product.bulk_adjust_price", "Tee", "Prices of 3 variants raised by 10 %"),
        ("product.bulk_adjust_price", "Cap", "Price raised by 10 %"),
        ("product.bulk_adjust_price", "Tee", "Prices of 3 variants lowered by €0.50"),
        ("product.bulk_adjust_price", "Cap", "Price lowered by €0.50"),
    }
    assert "—</del> → <ins>+10 %" not in page
    assert "<li>Prices of 3 variants lowered by €0.50</li>" in page


def test_audit_log_words_a_yen_price_change_without_decimals(store, olivia, client_for):
    store.currency = "JPY"
    store.save()
    tee = ProductFactory(store=store, title="Tee")
    VariantFactory(product=tee, sku="TEE", price="2000")
    _bulk_price(store, olivia, Product.objects.filter(store=store), "amount", "-100")

    (row,) = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert [c.after for c in row.changes] == ["Price lowered by ¥100"]


def test_audit_log_says_which_tag_was_added_or_removed(store, olivia, client_for):
    product = ProductFactory(store=store, title="Tee")
    for change in ("+rvw-one", "-rvw-tag"):
        audit_record(
            store=store,
            actor=olivia,
            action="product.bulk_add_tag" if change[0] == "+" else "product.bulk_remove_tag",
            target=product,
            changes={"tags": [None, change]},
        )
    audit_record(
        store=store,
        actor=olivia,
        action="product.updated",
        target=product,
        changes={"tags": [["summer", "linen"], ["linen", "sale"]]},
    )

    edited, removed, added = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert _lines(added) == [("Tag added", None, "rvw-one")]
    assert _lines(removed) == [("Tag removed", None, "rvw-tag")]
    assert _lines(edited) == [("Tag added", None, "sale"), ("Tag removed", None, "summer")]
    page = client_for(olivia).get("/store/alpha/audit/").content.decode()
    assert "<strong>Tag added</strong>: rvw-one" in page
    assert "+rvw-one" not in page


def test_audit_log_says_the_role_someone_joined_as(store, olivia, client_for):
    _invitation, token = account_services.invitation_create(
        store=store, invited_by=olivia, email="rita@alpha.test", role="manager"
    )
    account_services.invitation_accept(
        token=token, user=None, full_name="Rita Reviewer", password="plum-orchard-lantern-42"
    )

    joined, _invited = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert joined.text == "Rita Reviewer joined the store as manager"


def test_a_creation_lists_only_the_fields_it_was_given_without_arrows(store, olivia, client_for):
    product = ProductFactory(store=store, title="Mug")
    audit_record(
        store=store,
        actor=olivia,
        action="product.created",
        target=product,
        changes={
            "title": [None, "Mug"],
            "vendor": [None, ""],
            "option_names": [None, []],
            "tags": [None, None],
            "status": [None, "active"],
        },
    )

    response = client_for(olivia).get("/store/alpha/audit/")

    (row,) = _rows(response)
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("Status", None, "Active"),
        ("Title", None, "Mug"),
    ]
    changes = response.content.decode().split('data-label="Changes"')[1].split("</td>")[0]
    assert "→" not in changes and "—" not in changes
    assert "<strong>Title</strong>: Mug" in changes


def test_an_update_keeps_before_and_after_even_from_nothing(store, olivia, client_for):
    product = ProductFactory(store=store, title="Mug")
    audit_record(
        store=store,
        actor=olivia,
        action="product.updated",
        target=product,
        changes={"vendor": [None, "Kiln Co."]},
    )

    (row,) = _rows(client_for(olivia).get("/store/alpha/audit/"))

    assert [(c.label, c.before, c.after) for c in row.changes] == [("Vendor", "—", "Kiln Co.")]
