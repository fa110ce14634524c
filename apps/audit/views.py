from django.apps import apps
from django.http import HttpRequest, HttpResponse

from apps.accounts.roles import Perm
from apps.audit.selectors import audit_entry_list, audit_target_types
from apps.core.htmx import render_page
from apps.core.tables import ChoiceFilter, Column, TableQuery
from apps.core.tenancy import store_view

COLUMNS = [
    Column("created_at", "When", "created_at"),
    Column("actor", "Who", "actor_label"),
    Column("action", "What", "action"),
    Column("target", "Object", "target_repr"),
    Column("changes", "Changes"),
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
    types = audit_target_types(store=request.store)
    table = TableQuery(
        request=request,
        queryset=audit_entry_list(store=request.store),
        columns=COLUMNS,
        search_fields=("actor_label", "action", "target_repr"),
        filters=[
            ChoiceFilter(
                "type",
                "Object type",
                [(t, _type_label(t)) for t in types],
                lambda qs, value: qs.filter(target_type=value),
            )
        ],
        default_sort="-created_at",
    )
    return render_page(
        request, "audit/auditentry_list.html", {"table": table}, partial="audit-table"
    )
