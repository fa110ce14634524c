"""TableQuery: search, filters, sorting, pagination and the links that carry the state."""

from django.test import RequestFactory

from apps.audit.models import AuditEntry
from apps.audit.services import audit_record
from apps.core.tables import ChoiceFilter, Column, TableQuery

COLUMNS = [
    Column("when", "When", "created_at"),
    Column("who", "Who", "actor_label"),
    Column("action", "What", "action"),
    Column("changes", "Changes"),
]
TYPE_FILTER = ChoiceFilter(
    "type",
    "Object type",
    [("core.store", "Store"), ("accounts.user", "User")],
    lambda qs, value: qs.filter(target_type=value),
)


def _table(params=None, **options):
    request = RequestFactory().get("/store/alpha/audit/", params or {})
    return TableQuery(
        request=request,
        queryset=AuditEntry.objects.all(),
        columns=COLUMNS,
        search_fields=("actor_label", "action"),
        filters=[TYPE_FILTER],
        **{"default_sort": "-when", **options},
    )


def _record(store, actor, action, target=None):
    return audit_record(store=store, actor=actor, action=action, target=target or store)


def test_search_matches_any_search_field_ignoring_case(store, owner, support):
    by_owner = _record(store, owner, "store.updated")
    by_support = _record(store, support, "staff.invited")

    assert list(_table({"q": "OWNER@"}).page.object_list) == [by_owner]
    assert list(_table({"q": "invited"}).page.object_list) == [by_support]
    assert list(_table({"q": "  nothing  "}).page.object_list) == []


def test_a_custom_search_function_replaces_the_default(store, owner):
    entry = _record(store, owner, "store.updated")

    table = _table({"q": "7"}, search=lambda qs, q: qs.filter(action="store.updated"))

    assert list(table.page.object_list) == [entry]


def test_choice_filter_applies_a_known_value_and_ignores_an_unknown_one(store, owner):
    on_store = _record(store, owner, "store.updated")
    on_user = _record(store, owner, "account.updated", target=owner)

    filtered = _table({"type": "accounts.user"})
    unknown = _table({"type": "no.such"})

    assert list(filtered.page.object_list) == [on_user]
    assert filtered.is_filtered is True
    assert list(unknown.page.object_list) == [on_user, on_store]
    assert unknown.is_filtered is False
    assert unknown.chips == []


def test_sort_by_a_column_both_ways_with_a_stable_tiebreaker(store, owner, support):
    a = _record(store, owner, "b.action")
    b = _record(store, support, "a.action")
    c = _record(store, owner, "a.action")

    assert list(_table({"sort": "action"}).page.object_list) == [b, c, a]
    assert list(_table({"sort": "-action"}).page.object_list) == [a, c, b]


def test_an_unknown_or_unsortable_sort_falls_back_to_the_default(store, owner):
    older = _record(store, owner, "z.action")
    newer = _record(store, owner, "a.action")

    for sort in ["nonsense", "changes", "-changes", "created_at"]:
        table = _table({"sort": sort})
        assert table.sort == "-when", sort
        assert list(table.page.object_list) == [newer, older], sort


def test_without_any_default_sort_the_newest_row_comes_first(store, owner):
    older = _record(store, owner, "a")
    newer = _record(store, owner, "b")

    table = _table(default_sort="")

    assert list(table.page.object_list) == [newer, older]


def test_page_out_of_range_shows_the_last_page(store, owner):
    entries = [_record(store, owner, f"action.{n}") for n in range(30)]

    table = _table({"page": "99"})

    assert table.page.number == 2
    assert list(table.page.object_list) == entries[::-1][25:]


def test_page_that_is_not_a_number_shows_the_first_page(store, owner):
    [_record(store, owner, f"action.{n}") for n in range(30)]

    assert _table({"page": "two"}).page.number == 1


def test_per_page_accepts_only_the_offered_sizes(store, owner):
    [_record(store, owner, f"action.{n}") for n in range(60)]

    assert len(_table({"per_page": "50"}).page.object_list) == 50
    assert _table({"per_page": "7"}).page_size == 25
    assert _table({"per_page": "lots"}).page_size == 25


def test_an_empty_table_has_one_empty_page(db):
    table = _table({"page": "3"})

    assert table.page.number == 1
    assert list(table.page.object_list) == []
    assert table.previous_url is None
    assert table.next_url is None


def test_url_keeps_the_other_params_and_drops_the_page(db):
    table = _table({"q": "owner", "type": "core.store", "sort": "who", "page": "2", "empty": ""})

    assert table.url(sort="-who") == "/store/alpha/audit/?q=owner&type=core.store&sort=-who"
    assert table.url(q=None) == "/store/alpha/audit/?type=core.store&sort=who"
    assert table.url(page=3) == "/store/alpha/audit/?q=owner&type=core.store&sort=who&page=3"
    assert _table({"page": "2"}).url() == "/store/alpha/audit/"


def test_chips_name_each_active_filter_with_a_link_that_removes_it(db):
    table = _table({"q": "owner", "type": "core.store", "sort": "who"})

    assert [(chip.label, chip.remove_url) for chip in table.chips] == [
        ("Search: owner", "/store/alpha/audit/?type=core.store&sort=who"),
        ("Object type: Store", "/store/alpha/audit/?q=owner&sort=who"),
    ]
    assert table.hidden_params == {"sort": "who"}


def test_headers_link_to_sorting_and_flip_the_current_column(db):
    table = _table({"sort": "who"})

    cells = [(cell.column.key, cell.url, cell.direction) for cell in table.headers]

    assert cells == [
        ("when", "/store/alpha/audit/?sort=when", None),
        ("who", "/store/alpha/audit/?sort=-who", "asc"),
        ("action", "/store/alpha/audit/?sort=action", None),
        ("changes", None, None),
    ]
    flipped = _table({"sort": "-who"}).headers[1]
    assert (flipped.url, flipped.direction) == ("/store/alpha/audit/?sort=who", "desc")


def test_previous_and_next_links_keep_the_filters(store, owner):
    [_record(store, owner, f"action.{n}") for n in range(60)]

    table = _table({"q": "action", "page": "2"})

    assert table.previous_url == "/store/alpha/audit/?q=action&page=1"
    assert table.next_url == "/store/alpha/audit/?q=action&page=3"
    assert [c.value for c in _table({"type": "core.store"}).filter_controls] == ["core.store"]
