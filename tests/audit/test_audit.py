"""The audit trail: recording changes (secrets masked) and the owner's audit log page."""

import datetime
import decimal
import uuid

import pytest

from apps.accounts import services as account_services
from apps.api.authentication import ApiKeyUser
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record, changes_between
from apps.core.models import Store


# --- changes_between -----------------------------------------------------------------------------
def test_changes_between_lists_only_changed_fields_as_old_new_pairs():
    before = {"name": "Alpha", "currency": "EUR", "country": "DE"}
    after = {"name": "Alpha Ltd", "currency": "EUR", "country": "GB"}

    assert changes_between(before, after) == {
        "country": ["DE", "GB"],
        "name": ["Alpha", "Alpha Ltd"],
    }


def test_changes_between_masks_secrets():
    before = {"password": "old-secret", "key_hash": "a" * 64, "token_hash": "b" * 64}
    after = {"password": "new-secret", "key_hash": "c" * 64, "token_hash": "d" * 64}

    diff = changes_between(before, after)

    assert diff == {
        "key_hash": ["•••", "•••"],
        "password": ["•••", "•••"],
        "token_hash": ["•••", "•••"],
    }


def test_changes_between_makes_values_json_friendly(store):
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")

    diff = changes_between(
        {"price": decimal.Decimal("9.90"), "at": None, "id": None, "store": None, "tags": ()},
        {"price": decimal.Decimal("10.00"), "at": when, "id": ident, "store": store, "tags": ["a"]},
    )

    assert diff == {
        "at": [None, "2026-01-02T03:04:05+00:00"],
        "id": [None, "12345678-1234-5678-1234-567812345678"],
        "price": ["9.90", "10.00"],
        "store": [None, "Alpha Goods"],
        "tags": [[], ["a"]],
    }


def test_changes_between_treats_a_missing_field_as_none():
    assert changes_between({}, {"note": "hi"}) == {"note": [None, "hi"]}
    assert changes_between({"note": None}, {}) == {}


# --- audit_record --------------------------------------------------------------------------------
def test_audit_record_stores_who_what_and_the_target(store, owner):
    entry = audit_record(
        store=store,
        actor=owner,
        action="store.updated",
        target=store,
        changes={"name": ["Alpha", "Alpha Goods"]},
    )

    entry.refresh_from_db()
    assert entry.store == store
    assert entry.actor == owner
    assert entry.actor_label == "owner@alpha.test"
    assert entry.action == "store.updated"
    assert entry.target_type == "core.store"
    assert entry.target_id == str(store.pk)
    assert entry.target_repr == "Alpha Goods"
    assert entry.changes == {"name": ["Alpha", "Alpha Goods"]}


def test_audit_record_without_an_actor_says_system(store):
    entry = audit_record(store=store, actor=None, action="store.updated", target=store)

    assert entry.actor is None
    assert entry.actor_label == "system"
    assert entry.changes == {}


def test_audit_record_masks_secrets_passed_directly(store, owner):
    entry = audit_record(
        store=store,
        actor=owner,
        action="account.updated",
        target=owner,
        changes={"password": ["old-secret", "new-secret"], "full_name": ["A", "B"]},
    )

    entry.refresh_from_db()
    assert entry.changes == {"full_name": ["A", "B"], "password": ["•••", "•••"]}


def test_audit_record_by_an_api_key_names_the_key(store, owner):
    api_key, _raw = account_services.api_key_create(store=store, actor=owner, name="ERP sync")

    entry = audit_record(
        store=store, actor=ApiKeyUser(api_key), action="store.updated", target=store
    )

    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_label == "api-key:ERP sync"


def test_audit_entry_keeps_the_actor_label_after_the_account_is_deleted(store, owner):
    entry = audit_record(store=store, actor=owner, action="store.updated", target=store)

    owner.delete()

    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_label == "owner@alpha.test"


# --- the audit log page --------------------------------------------------------------------------
def _entries(store, actor, count, *, action="store.updated", target=None):
    return [
        audit_record(
            store=store,
            actor=actor,
            action=action,
            target=target or store,
            changes={"name": [f"Name {n}", f"Name {n + 1}"]},
        )
        for n in range(count)
    ]


def test_audit_log_lists_the_stores_entries_newest_first(store, owner, other_store, client_for):
    first, second = _entries(store, owner, 2)
    audit_record(store=other_store, actor=None, action="store.updated", target=other_store)

    response = client_for(owner).get("/store/alpha/audit/")

    assert response.status_code == 200
    assert list(response.context["table"].page.object_list) == [second, first]
    page = response.content.decode()
    assert (
        'Ada Owner changed the store settings “<a href="/store/alpha/settings/">Alpha Goods</a>”'
        in page
    )
    assert "<strong>Name</strong>: <del>Name 1</del> → <ins>Name 2</ins>" in page
    assert "Bravo Supplies" not in page


@pytest.mark.parametrize("role", ["manager", "support"])
def test_audit_log_is_for_owners_only(store, make_member, client_for, role):
    assert client_for(make_member(store, role)).get("/store/alpha/audit/").status_code == 403


def test_audit_log_of_another_store_is_not_found(owner, other_store, client_for):
    assert client_for(owner).get("/store/bravo/audit/").status_code == 404


def test_audit_log_search_matches_person_action_or_object(store, owner, support, client_for):
    account_services.api_key_create(store=store, actor=owner, name="ERP sync")
    _entries(store, support, 1)

    by_action = client_for(owner).get("/store/alpha/audit/", {"q": "API_KEY"})
    by_person = client_for(owner).get("/store/alpha/audit/", {"q": "support@"})
    by_object = client_for(owner).get("/store/alpha/audit/", {"q": "erp"})

    assert [e.action for e in by_action.context["table"].page.object_list] == ["api_key.created"]
    assert [e.actor_label for e in by_person.context["table"].page.object_list] == [
        "support@alpha.test"
    ]
    (found,) = by_object.context["table"].page.object_list
    assert found.target_repr.startswith("ERP sync (")
    assert [chip.label for chip in by_object.context["table"].chips] == ["Search: erp"]


def test_audit_log_filters_by_object_type(store, owner, client_for):
    account_services.api_key_create(store=store, actor=owner, name="ERP sync")
    _entries(store, owner, 2)

    response = client_for(owner).get("/store/alpha/audit/", {"type": "accounts.apikey"})

    table = response.context["table"]
    assert [e.target_type for e in table.page.object_list] == ["accounts.apikey"]
    control = table.filter_controls[2]
    assert control.param == "type"  # every registered type, whether it has entries yet or not
    assert {("accounts.apikey", "API key"), ("core.store", "Store")} <= set(control.choices)
    assert [chip.label for chip in table.chips] == ["Object type: API key"]
    assert b'<option value="accounts.apikey" selected>API key</option>' in response.content


def test_audit_log_sorts_by_time_either_way(store, owner, client_for):
    older, newer = _entries(store, owner, 2)

    ascending = client_for(owner).get("/store/alpha/audit/", {"sort": "created_at"})
    descending = client_for(owner).get("/store/alpha/audit/", {"sort": "-created_at"})

    assert list(ascending.context["table"].page.object_list) == [older, newer]
    assert list(descending.context["table"].page.object_list) == [newer, older]


def test_audit_log_paginates_25_to_a_page(store, owner, client_for):
    entries = _entries(store, owner, 30)

    first = client_for(owner).get("/store/alpha/audit/")
    second = client_for(owner).get("/store/alpha/audit/", {"page": 2})

    assert list(first.context["table"].page.object_list) == entries[::-1][:25]
    assert list(second.context["table"].page.object_list) == entries[::-1][25:]
    assert b"1\xe2\x80\x9325 of 30" in first.content
    assert b"Page 2 of 2" in second.content
    assert first.context["table"].next_url == "/store/alpha/audit/?page=2"


def test_audit_log_answers_htmx_with_the_table_only(store, owner, client_for):
    _entries(store, owner, 1)

    response = client_for(owner).get("/store/alpha/audit/", {"q": "store"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="audit-table" class="table-region">')
    assert "<html" not in page
    assert "table-toolbar" not in page
    assert "Ada Owner changed the store settings" in page


def test_audit_log_with_nothing_matching_says_so(store, owner, client_for):
    _entries(store, owner, 1)

    response = client_for(owner).get("/store/alpha/audit/", {"q": "no such thing"})

    assert b"No entries match these filters." in response.content


def test_audit_entries_of_a_deleted_store_go_with_it(store, owner):
    _entries(store, owner, 2)

    Store.objects.filter(pk=store.pk).delete()

    assert AuditEntry.objects.count() == 0


def test_audit_log_queries_do_not_grow_with_the_entries(store, owner, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner)
    _entries(store, owner, 1)
    client.get("/store/alpha/audit/")  # the first visit also remembers the store in the session
    with CaptureQueriesContext(connection) as few:
        client.get("/store/alpha/audit/")
    _entries(store, owner, 20)
    with CaptureQueriesContext(connection) as many:
        client.get("/store/alpha/audit/")

    assert len(many) == len(few)


def test_audit_record_many_writes_one_entry_per_target_in_batches(store, owner):
    from apps.audit.services import audit_record_many
    from apps.core.models import Store

    written = audit_record_many(
        store=store,
        actor=owner,
        action="store.touched",
        model=Store,
        targets=[(1, "one"), (2, "two"), (3, "three")],
        changes={"status": [None, "archived"], "password": ["a", "b"]},
        batch_size=2,
    )

    entries = list(AuditEntry.objects.filter(action="store.touched").order_by("target_id"))
    assert written == 3
    assert [(e.target_id, e.target_repr) for e in entries] == [
        ("1", "one"),
        ("2", "two"),
        ("3", "three"),
    ]
    assert {e.actor_label for e in entries} == {"owner@alpha.test"}
    assert entries[0].changes == {"status": [None, "archived"], "password": ["•••", "•••"]}
