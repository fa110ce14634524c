from django.apps import apps
from django.http import HttpRequest, HttpResponse

from apps.audit.display import actor_choice_label, audit_rows
from apps.audit.registry import action_text
from apps.audit.selectors import (
    audit_actions,
    audit_actors,
    audit_entry_list,
    audit_target_types,
)
from apps.core.htmx import render_page
from apps.core.roles import Perm
from apps.core.tables import ChoiceFilter, Column, DateRangeFilter, TableQuery
from apps.core.tenancy import store_view

COLUMNS = [
    Column("created_at", "When", "created_at"),
    Column("entry", "What happened"),
    Column("changes", "Changes"),
    Column("ip_address", "Address"),
]


def _type_label(target_type: str) -> str:
    """``accounts.apikey`` -> "API key": the model's own verbose name."""
    try:
        verbose = apps.get_model(target_type)._meta.verbose_name
    except (LookupError, ValueError):
        return target_type
    return verbose[:1].upper() + verbose[1:]


@store_view(Perm.VIEW_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    store = request.store
    people = [(label, actor_choice_label(label, name)) for label, name in audit_actors(store=store)]
    kinds = sorted(
        ((action, action_text(action).label) for action in audit_actions(store=store)),
        key=lambda choice: choice[1].lower(),
    )
    types = [(t, _type_label(t)) for t in audit_target_types(store=store)]
    table = TableQuery(
        request=request,
        queryset=audit_entry_list(store=store),
        columns=COLUMNS,
        search_fields=("actor_label", "action", "target_repr"),
        filters=[
            ChoiceFilter("person", "Person", people, lambda qs, v: qs.filter(actor_label=v)),
            ChoiceFilter("kind", "Kind", kinds, lambda qs, v: qs.filter(action=v)),
            ChoiceFilter("type", "Object type", types, lambda qs, v: qs.filter(target_type=v)),
        ],
        date_range=DateRangeFilter("created_at"),
        default_sort="-created_at",
    )
    rows = audit_rows(store=store, entries=list(table.page.object_list))
    return render_page(
        request,
        "audit/auditentry_list.html",
        {"table": table, "rows": rows},
        partial="audit-table",
    )
