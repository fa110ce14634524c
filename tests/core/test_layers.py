"""Layers point one way: feature apps → accounts → core. Checked on the source, with ``ast``.

- Nothing in ``apps/core`` imports another app (``apps.accounts``, ``apps.catalog``, …), at the
  top of a module or inside a function.
- No module in ``apps/`` hides an import of ``apps.*`` inside a function: an import that has to
  be deferred is a layer pointing the wrong way or a cycle to untangle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import apps

APPS_DIR = Path(apps.__file__).parent
CORE_DIR = APPS_DIR / "core"


def _modules(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "migrations" not in path.parts)


def _relative(path: Path) -> str:
    return path.relative_to(APPS_DIR.parent).as_posix()


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Every absolute import in ``path``: (module, inside a function?)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
    return [
        (name, id(node) in in_function) for node in ast.walk(tree) for name in _imported_names(node)
    ]


def _is_other_app(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "apps" and len(parts) > 1 and parts[1] != "core"


def test_the_checks_see_function_level_imports(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import apps.audit\n"
        "def f():\n"
        "    from apps.accounts.models import User\n"
        "    import apps.catalog.models\n"
    )

    assert _imports(module) == [
        ("apps.audit", False),
        ("apps.accounts.models", True),
        ("apps.catalog.models", True),
    ]


def test_core_imports_no_other_app():
    offending = [
        f"{_relative(path)}: {module}"
        for path in _modules(CORE_DIR)
        for module, _in_function in _imports(path)
        if _is_other_app(module)
    ]

    assert offending == []


def test_core_migrations_import_no_other_app():
    offending = [
        f"{_relative(path)}: {module}"
        for path in sorted((CORE_DIR / "migrations").glob("*.py"))
        for module, _in_function in _imports(path)
        if _is_other_app(module)
    ]

    assert offending == []


def test_no_module_in_apps_imports_an_app_inside_a_function():
    found = sorted(
        {
            f"{_relative(path)}: {module}"
            for path in _modules(APPS_DIR)
            for module, in_function in _imports(path)
            if in_function and module.split(".")[0] == "apps"
        }
    )

    assert found == []


# The platform's layers, bottom first; a feature app (catalog, and every later area) sits above
# them all and imports no other feature app but those it declares here: an acyclic table, so
# an area reads another only through that one's selectors and services, one way.
PLATFORM_LAYERS = ["core", "audit", "accounts", "api"]
FEATURE_DEPENDENCIES: dict[str, frozenset[str]] = {
    # orders read catalog variants at ingest, file each order under its customer, and copy
    # the shipping service and payment method they were placed with
    "orders": frozenset({"customers", "catalog", "shipping", "payments"}),
    "shipping": frozenset({"catalog"}),  # rates exclude catalog categories
    "payments": frozenset({"shipping"}),  # methods allow shipping services
    # the storefront API and the checkout simulator: cart lines, quotes, payment methods
    "storefront": frozenset({"catalog", "shipping", "payments"}),
    # the events endpoint goes through the storefront API's front door (key, CORS, limits);
    # the order and customer pages' storefront panels read orders and customers (they never
    # import events: the panels are registered through core's PagePanel)
    "events": frozenset({"storefront", "orders", "customers"}),
}


def _layer(app: str) -> int:
    return PLATFORM_LAYERS.index(app) if app in PLATFORM_LAYERS else len(PLATFORM_LAYERS)


def test_apps_import_only_their_own_layer_or_below():
    found = []
    for app_dir in sorted(p for p in APPS_DIR.iterdir() if (p / "apps.py").exists()):
        app = app_dir.name
        for path in _modules(app_dir):
            for module, _in_function in _imports(path):
                parts = module.split(".")
                if parts[0] != "apps" or len(parts) < 2 or parts[1] == app:
                    continue
                other = parts[1]
                feature_to_feature = _layer(app) == _layer(other) == len(PLATFORM_LAYERS)
                if feature_to_feature and other in FEATURE_DEPENDENCIES.get(app, ()):
                    continue
                if _layer(other) > _layer(app) or feature_to_feature:
                    found.append(f"{_relative(path)}: {module}")

    assert found == []


def test_services_and_selectors_never_import_tasks():
    found = [
        f"{_relative(path)}: {module}"
        for path in _modules(APPS_DIR)
        if {"services", "selectors"} & {path.stem, path.parent.name}
        for module, _in_function in _imports(path)
        if module.split(".")[-1] == "tasks" or ".tasks." in module
    ]

    assert found == []


def test_feature_dependencies_have_no_cycle():
    def reaches(start: str, target: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            dependency == target
            or (dependency not in seen and reaches(dependency, target, seen | {dependency}))
            for dependency in FEATURE_DEPENDENCIES.get(start, ())
        )

    assert [app for app in FEATURE_DEPENDENCIES if reaches(app, app)] == []


def test_shipping_payments_and_the_storefront_read_the_catalog_through_its_selectors():
    offending = [
        f"{_relative(path)}: {module}"
        for app in ("shipping", "payments", "storefront")
        for path in _modules(APPS_DIR / app)
        for module, _in_function in _imports(path)
        if module.startswith("apps.catalog") and not module.startswith("apps.catalog.selectors")
    ]

    assert offending == []
