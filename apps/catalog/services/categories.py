"""Categories: create, change (rename and/or re-parent, one atomic step), move, delete.

Two siblings (same parent, or both at the top level) never share a name, whatever its case: the
services refuse it with a message and the database has the same rule as a constraint
(``category_unique_sibling_name``), so an import's "Apparel > Shirts" always means one category.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from apps.audit.services import audit_record, changes_between
from apps.catalog import inputs
from apps.catalog.models import (
    Category,
    Product,
)
from apps.catalog.services.common import _category_for, _snapshot
from apps.core import configcache
from apps.core.exceptions import DomainError, NotFound
from apps.core.models import Store


def _store_config_changed(store: Store) -> None:
    """Shipping rates name the categories they exclude, and quotes read the category ancestry
    from the same cache: a created, renamed, re-parented or deleted category gives the store's
    cached checkout config a new version (now, and again once committed)."""
    configcache.config_version_bump(store.pk)
    transaction.on_commit(lambda: configcache.config_version_bump(store.pk))


def _unique_slug(store: Store, base: str, exclude_pk: int | None = None) -> str:
    base = (base or "category")[:130]
    taken = set(
        Category.objects.for_store(store)
        .filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _siblings(store: Store, parent_id: int | None) -> QuerySet[Category]:
    return (
        Category.objects.for_store(store)
        .filter(parent_id=parent_id)
        .order_by("position", "name", "id")
    )


def _renumber(store: Store, parent_id: int | None, ordered: list[Category] | None = None) -> None:
    siblings = ordered if ordered is not None else list(_siblings(store, parent_id))
    changed = []
    for index, category in enumerate(siblings):
        if category.position != index:
            category.position = index
            changed.append(category)
    if changed:
        Category.objects.bulk_update(changed, ["position"])


def _category_name(name: str) -> str:
    return inputs.line(
        name,
        field="name",
        label="name",
        limit_key="category_name",
        required=True,
        required_message="Enter a name.",
    )


def _check_sibling_name(
    store: Store, *, name: str, parent: Category | None, exclude_pk: int | None = None
) -> None:
    clash = (
        Category.objects.for_store(store)
        .filter(parent_id=parent.pk if parent else None, name__iexact=name)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        where = f"under “{parent.name}”" if parent else "at the top level"
        raise DomainError(
            f"There is already a category named “{clash.name}” {where}; choose another name.",
            field="name",
        )


def _save_category(category: Category, **kwargs) -> None:
    """Save; the database's sibling-name rule (a concurrent twin) becomes the same message."""
    try:
        with transaction.atomic():
            if category.pk:
                category.save(**kwargs)
            else:
                category.save()
    except IntegrityError:
        raise DomainError(
            f"There is already a category named “{category.name}” here; choose another name.",
            field="name",
        ) from None


@transaction.atomic
def category_create(
    *, store: Store, actor, name: str, parent: Category | int | None = None, slug: str = ""
) -> Category:
    name = _category_name(name)
    parent_category = _category_for(store, parent)
    if slug:
        slug = slugify(slug)
        if Category.objects.for_store(store).filter(slug=slug).exists():
            raise DomainError(f"Another category already uses “{slug}”.", field="slug")
    else:
        slug = _unique_slug(store, slugify(name))
    _check_sibling_name(store, name=name, parent=parent_category)
    parent_id = parent_category.pk if parent_category else None
    position = _siblings(store, parent_id).count()
    category = Category(
        store=store, name=name, slug=slug, parent=parent_category, position=position
    )
    _save_category(category)
    _store_config_changed(store)
    audit_record(
        store=store,
        actor=actor,
        action="category.created",
        target=category,
        changes={"name": [None, name], "parent": [None, str(parent_category or "") or None]},
    )
    return category


def _lock_category(store: Store, category: Category | int) -> Category:
    pk = category.pk if isinstance(category, Category) else category
    found = Category.objects.for_store(store).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("This category does not exist in this store.", field="category")
    return found


@transaction.atomic
def category_move(*, store: Store, actor, category: Category, direction: str) -> Category:
    """Swap the category with its previous (``up``) or next (``down``) sibling."""
    if direction not in {"up", "down"}:
        raise DomainError("Move a category up or down.", field="direction")
    category = _lock_category(store, category)
    siblings = list(_siblings(store, category.parent_id))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == category.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(store, category.parent_id, siblings)
        audit_record(
            store=store,
            actor=actor,
            action="category.moved",
            target=category,
            changes={"position": [index, target]},
        )
    category.refresh_from_db()
    return category


UNSET: Any = object()  # "not given": ``parent=None`` means "to the top level"


def _check_not_inside_itself(store: Store, category: Category, parent: Category | None) -> None:
    ancestor, seen = parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk == category.pk:
            raise DomainError(
                "A category cannot be moved inside itself or one of its subcategories.",
                field="parent",
            )
        seen.add(ancestor.pk)
        ancestor = (
            Category.objects.for_store(store).filter(pk=ancestor.parent_id).first()
            if ancestor.parent_id
            else None
        )


@transaction.atomic
def category_change(
    *, store: Store, actor, category: Category, name: Any = UNSET, parent: Any = UNSET
) -> Category:
    """Rename the category and/or put it (with its subtree) under ``parent`` (``None``: the top
    level), as one change: either all of it is saved or, when any part is refused, nothing.

    The new name is checked against the siblings it will have under the new parent. A name
    clash is reported on ``name`` when the name changes, otherwise on ``parent``.
    """
    category = _lock_category(store, category)
    before = _snapshot(category, ["name"])
    new_name = category.name if name is UNSET else _category_name(name)
    old_parent_id, old_parent = category.parent_id, category.parent
    new_parent = old_parent if parent is UNSET else _category_for(store, parent)
    new_parent_id = new_parent.pk if new_parent else None
    is_moving = new_parent_id != old_parent_id
    if is_moving:
        _check_not_inside_itself(store, category, new_parent)
    if new_name == category.name and not is_moving:
        return category
    try:
        _check_sibling_name(store, name=new_name, parent=new_parent, exclude_pk=category.pk)
    except DomainError as error:
        field = "name" if new_name != category.name else "parent"
        raise DomainError(error.message, field=field) from None
    category.name = new_name
    fields = ["name", "updated_at"]
    if is_moving:
        category.parent = new_parent
        category.position = _siblings(store, new_parent_id).count()
        fields += ["parent", "position"]
    _save_category(category, update_fields=fields)
    _store_config_changed(store)
    changes = changes_between(before, _snapshot(category, ["name"]))
    if changes:
        audit_record(
            store=store, actor=actor, action="category.updated", target=category, changes=changes
        )
    if is_moving:
        _renumber(store, old_parent_id)
        audit_record(
            store=store,
            actor=actor,
            action="category.moved",
            target=category,
            changes={
                "parent": [str(old_parent) if old_parent else None, str(new_parent or "") or None]
            },
        )
    return category


@transaction.atomic
def category_delete(*, store: Store, actor, category: Category) -> None:
    """Delete the category; its subcategories move up one level, its products lose it."""
    category = _lock_category(store, category)
    parent_id = category.parent_id
    product_count = Product.objects.for_store(store).filter(category=category).count()
    children = list(_siblings(store, category.pk))
    staying = {c.name.lower(): c.name for c in _siblings(store, parent_id).exclude(pk=category.pk)}
    for child in children:
        if child.name.lower() in staying:
            raise DomainError(
                f"“{category.name}” can't be deleted yet: its subcategory “{child.name}” would "
                f"move up next to another “{staying[child.name.lower()]}”. Rename or move one "
                "of them first.",
                field="category",
            )
    offset = _siblings(store, parent_id).count()
    for index, child in enumerate(children):
        child.parent_id = parent_id
        child.position = offset + index
    # its own name is freed first: a subcategory of the same name takes its place
    Category.objects.filter(pk=category.pk).update(name=f"#{category.pk} (deleted)")
    Category.objects.bulk_update(children, ["parent", "position"])
    Product.objects.for_store(store).filter(category=category).update(category=None)
    audit_record(
        store=store,
        actor=actor,
        action="category.deleted",
        target=category,
        changes={"name": [category.name, None], "products": [product_count, 0]},
    )
    category.delete()
    _store_config_changed(store)
    _renumber(store, parent_id)
