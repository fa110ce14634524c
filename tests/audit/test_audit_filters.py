"""The audit log's filters (person, kind, object type) never scan the store's whole log: kinds
and types come from the registry, people from an index walk, one probe per person."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts import services as account_services
from apps.audit.registry import action_text
from apps.audit.selectors import audit_actions, audit_actors, audit_target_types
from apps.audit.services import audit_record
from apps.catalog import services as catalog_services


def test_the_audit_page_reads_no_distinct_over_the_log(store, owner, client_for):
    catalog_services.category_create(store=store, actor=owner, name="Shirts")
    client = client_for(owner)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/store/alpha/audit/")

    assert response.status_code == 200
    scans = [q["sql"] for q in queries if "DISTINCT" in q["sql"] and "audit_auditentry" in q["sql"]]
    assert scans == []


def test_kinds_and_object_types_are_the_registered_ones_entries_or_not(store):
    assert "product.created" in audit_actions(store=store)
    assert action_text("product.created").label == "Product added"
    assert {"catalog.product", "core.store"} <= set(audit_target_types(store=store))


def test_people_are_everyone_with_an_entry_once_with_their_name(store, owner, make_member):
    left = make_member(store, "manager", email="left@alpha.test", full_name="Lee Left")
    key, _raw = account_services.api_key_create(store=store, actor=owner, name="ERP")
    for actor in (owner, owner, left, None):
        audit_record(store=store, actor=actor, action="store.updated", target=store)
    left.memberships.all().delete()  # no longer on the staff: still a filter choice
    other = make_member(store, "support", email="quiet@alpha.test")  # no entry: not listed

    people = audit_actors(store=store)

    assert people == sorted(people)
    assert (owner.email, owner.full_name) in people
    assert ("left@alpha.test", "Lee Left") in people
    assert ("system", "") in people
    assert len(people) == len({label for label, _name in people})
    assert other.email not in [label for label, _name in people]
