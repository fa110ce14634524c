"""The catalog's modules follow its responsibilities, so later areas copy a clear shape: the
admin API one module per resource, the bulk-action pages apart from the product pages, and no
page module reaching into another page module's private helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import resolve

import apps.catalog

CATALOG = Path(apps.catalog.__file__).parent


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("/api/v1/products/", "apps.catalog.api.products"),
        ("/api/v1/products/1/", "apps.catalog.api.products"),
        ("/api/v1/products/1/images/", "apps.catalog.api.images"),
        ("/api/v1/products/1/images/2/", "apps.catalog.api.images"),
        ("/api/v1/variants/", "apps.catalog.api.variants"),
        ("/api/v1/variants/1/", "apps.catalog.api.variants"),
        ("/api/v1/variants/1/stock-adjustments/", "apps.catalog.api.stock"),
        ("/api/v1/categories/", "apps.catalog.api.categories"),
        ("/api/v1/categories/1/", "apps.catalog.api.categories"),
        ("/store/alpha/catalog/products/bulk/", "apps.catalog.views.bulk"),
        ("/store/alpha/catalog/products/bulk/3/", "apps.catalog.views.bulk"),
        ("/store/alpha/catalog/products/bulk/3/cancel/", "apps.catalog.views.bulk"),
        ("/store/alpha/catalog/", "apps.catalog.views.products"),
        ("/store/alpha/catalog/products/1/", "apps.catalog.views.products"),
    ],
)
def test_each_route_is_served_by_the_module_of_its_responsibility(path, module):
    assert resolve(path).func.__module__ == module


def test_the_product_pages_hold_no_bulk_action_code():
    source = (CATALOG / "views" / "products.py").read_text()
    defined = {
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    assert not {name for name in defined if "bulk" in name or "confirm" in name}


def test_no_page_module_imports_a_private_name_of_another():
    """A helper two page groups share is public (views/common.py or a selector)."""
    found = []
    for path in (CATALOG / "views").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("apps."):
                found += [
                    f"{path.relative_to(CATALOG)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert found == []
