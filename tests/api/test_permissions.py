"""Who may use the admin API: every endpoint needs ``USE_API``, and its own permission on top."""

from types import SimpleNamespace

import pytest
from rest_framework import exceptions

from apps.api.permissions import HasStoreAccess
from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG
from apps.core.roles import Perm

NO_PERM = None  # a view that declares no required_perm

# role, the view's required_perm, allowed?
TABLE = [
    ("owner", NO_PERM, True),
    ("owner", VIEW_CATALOG, True),
    ("owner", MANAGE_CATALOG, True),
    ("owner", Perm.MANAGE_STAFF, True),
    ("manager", NO_PERM, True),
    ("manager", VIEW_CATALOG, True),
    ("manager", MANAGE_CATALOG, True),
    ("manager", Perm.MANAGE_STAFF, False),
    # support uses the API for what its role does on the pages, no more
    ("support", NO_PERM, True),
    ("support", VIEW_CATALOG, True),
    ("support", MANAGE_CATALOG, False),
    ("support", Perm.MANAGE_STAFF, False),
]


@pytest.mark.parametrize(("role", "required_perm", "allowed"), TABLE)
def test_the_api_checks_use_api_and_the_views_own_permission(role, required_perm, allowed):
    request = SimpleNamespace(
        user=SimpleNamespace(is_authenticated=True), store=object(), role=role
    )
    view = (
        SimpleNamespace() if required_perm is None else SimpleNamespace(required_perm=required_perm)
    )

    if allowed:
        assert HasStoreAccess().has_permission(request, view) is True
    else:
        with pytest.raises(exceptions.PermissionDenied):
            HasStoreAccess().has_permission(request, view)
