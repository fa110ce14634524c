"""Category reads: the tree, its choices, descendants and one category."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    QuerySet,
)

from apps.catalog.models import (
    Category,
    Product,
)
from apps.core.models import Store
from apps.core.selectors import object_get


@dataclass
class CategoryNode:
    category: Category
    depth: int
    product_count: int  # products directly in this category
    total_count: int  # including subcategories
    children: list[CategoryNode]
    is_first: bool = False
    is_last: bool = False
    # where "Move under" may put it: every category but itself and its subcategories
    move_choices: list[tuple[str, str]] = field(default_factory=list)


def category_list(*, store: Store) -> QuerySet[Category]:
    return Category.objects.for_store(store).order_by("position", "name", "id")


def category_get(*, store: Store, category_id: int) -> Category:
    return object_get(
        Category.objects.for_store(store), not_found="No such category.", pk=category_id
    )


def category_descendant_ids(*, store: Store, category_id: int) -> list[int]:
    """The category and every category below it (empty if it is not the store's)."""
    children: dict[int | None, list[int]] = {}
    known: set[int] = set()
    for pk, parent_id in Category.objects.for_store(store).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
        known.add(pk)
    if category_id not in known:
        return []
    result, stack = [], [category_id]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def category_tree(*, store: Store) -> list[CategoryNode]:
    """The store's categories as a tree with product counts, in two queries."""
    counts = dict(
        Product.objects.for_store(store)
        .filter(category__isnull=False)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    nodes: dict[int, CategoryNode] = {}
    categories = list(category_list(store=store))
    for category in categories:
        nodes[category.pk] = CategoryNode(category, 0, counts.get(category.pk, 0), 0, [])
    roots: list[CategoryNode] = []
    for category in categories:
        node = nodes[category.pk]
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent.children if parent else roots).append(node)

    def finish(siblings: list[CategoryNode], depth: int) -> int:
        total = 0
        for index, node in enumerate(siblings):
            node.depth = depth
            node.is_first = index == 0
            node.is_last = index == len(siblings) - 1
            node.total_count = node.product_count + finish(node.children, depth + 1)
            total += node.total_count
        return total

    finish(roots, 0)
    return roots


def category_flat(*, store: Store) -> list[CategoryNode]:
    """The tree in display order (depth-first), for tables and select boxes."""
    flat: list[CategoryNode] = []

    def walk(siblings: list[CategoryNode]) -> None:
        for node in siblings:
            flat.append(node)
            walk(node.children)

    walk(category_tree(store=store))
    return flat


def category_choices(*, store: Store) -> list[tuple[str, str]]:
    """(id, "Parent › Child") pairs in tree order, for filters and selects (one query)."""
    categories = list(category_list(store=store))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    choices: list[tuple[str, str]] = []

    def walk(parent_id: int | None, prefix: str) -> None:
        for category in children.get(parent_id, []):
            path = f"{prefix} › {category.name}" if prefix else category.name
            choices.append((str(category.pk), path))
            walk(category.pk, path)

    walk(None, "")
    return choices


def category_flat_with_moves(*, store: Store) -> list[CategoryNode]:
    """``category_flat`` with each node's ``move_choices``: a category can't go inside itself
    or one of its own subcategories, so those are never offered."""
    flat = category_flat(store=store)
    choices = category_choices(store=store)

    def subtree(node: CategoryNode) -> set[str]:
        ids = {str(node.category.pk)}
        for child in node.children:
            ids |= subtree(child)
        return ids

    for node in flat:
        below = subtree(node)
        node.move_choices = [(value, label) for value, label in choices if value not in below]
    return flat
