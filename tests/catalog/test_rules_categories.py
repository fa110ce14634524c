"""Sibling categories never share a name (case-insensitive): services, the database, the import."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction

from apps.catalog import services
from apps.catalog.models import Category, Product
from apps.core.exceptions import DomainError
from tests.catalog.io_factories import csv_bytes, media_root, row, upload  # noqa: F401

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def _names(store) -> list[tuple[str, str | None]]:
    return sorted(
        Category.objects.for_store(store).values_list("name", "parent__name"),
        key=lambda pair: (pair[0], pair[1] or ""),
    )


def test_category_create_refuses_a_sibling_with_the_same_name_in_any_case(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    services.category_create(store=store, actor=owner, name="Shirts", parent=apparel)

    error = _refused(
        services.category_create, store=store, actor=owner, name="  SHIRTS ", parent=apparel
    )
    top = _refused(services.category_create, store=store, actor=owner, name="apparel")

    assert (error.field, error.message) == (
        "name",
        "There is already a category named “Shirts” under “Apparel”; choose another name.",
    )
    assert top.message == (
        "There is already a category named “Apparel” at the top level; choose another name."
    )
    assert _names(store) == [("Apparel", None), ("Shirts", "Apparel")]


def test_the_same_name_under_another_parent_is_fine(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    home = services.category_create(store=store, actor=owner, name="Home")

    services.category_create(store=store, actor=owner, name="Sale", parent=apparel)
    services.category_create(store=store, actor=owner, name="Sale", parent=home)

    assert Category.objects.for_store(store).filter(name="Sale").count() == 2


def test_category_rename_refuses_a_sibling_name_and_changes_nothing(store, owner):
    services.category_create(store=store, actor=owner, name="Shirts")
    pants = services.category_create(store=store, actor=owner, name="Pants")

    error = _refused(
        services.category_change, store=store, actor=owner, category=pants, name="shirts"
    )

    assert error.message == (
        "There is already a category named “Shirts” at the top level; choose another name."
    )
    pants.refresh_from_db()
    assert pants.name == "Pants"


def test_category_rename_to_another_case_of_its_own_name_is_allowed(store, owner):
    shirts = services.category_create(store=store, actor=owner, name="shirts")

    services.category_change(store=store, actor=owner, category=shirts, name="Shirts")

    shirts.refresh_from_db()
    assert shirts.name == "Shirts"


def test_category_set_parent_refuses_a_parent_that_has_a_child_of_that_name(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    services.category_create(store=store, actor=owner, name="Sale", parent=apparel)
    sale = services.category_create(store=store, actor=owner, name="Sale")

    error = _refused(
        services.category_change, store=store, actor=owner, category=sale, parent=apparel
    )

    assert (error.field, error.message) == (
        "parent",
        "There is already a category named “Sale” under “Apparel”; choose another name.",
    )
    sale.refresh_from_db()
    assert sale.parent_id is None


def test_category_delete_refuses_when_a_child_would_meet_a_twin(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    services.category_create(store=store, actor=owner, name="Sale", parent=apparel)
    services.category_create(store=store, actor=owner, name="Sale")

    error = _refused(services.category_delete, store=store, actor=owner, category=apparel)

    assert error.message == (
        "“Apparel” can't be deleted yet: its subcategory “Sale” would move up next to another "
        "“Sale”. Rename or move one of them first."
    )
    assert _names(store) == [("Apparel", None), ("Sale", None), ("Sale", "Apparel")]


def test_category_delete_lifts_a_child_with_its_own_name(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    services.category_create(store=store, actor=owner, name="Apparel", parent=apparel)

    services.category_delete(store=store, actor=owner, category=apparel)

    assert _names(store) == [("Apparel", None)]


@pytest.mark.parametrize("parent", [None, "Apparel"])
def test_the_database_refuses_twin_siblings_too(store, parent):
    parent_category = Category.objects.create(store=store, name="Apparel", slug="apparel")
    under = parent_category if parent else None
    Category.objects.create(store=store, name="Shirts", slug="shirts", parent=under)

    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(store=store, name="SHIRTS", slug="shirts-2", parent=under)


def test_the_migration_renames_existing_twins(store, other_store):
    # given twins made before the constraint (dropped for the set-up, restored after)
    constraint = next(
        c for c in Category._meta.constraints if c.name == "category_unique_sibling_name"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Category, constraint)
    try:
        for index, name in enumerate(("Shirts", "shirts", "SHIRTS")):
            Category.objects.create(store=store, name=name, slug=f"s{index}")
        Category.objects.create(store=other_store, name="Shirts", slug="shirts")
        migration = importlib.import_module(
            "apps.catalog.migrations.0006_category_unique_sibling_name"
        )

        migration.rename_duplicate_siblings(django_apps, None)

        assert list(
            Category.objects.for_store(store).order_by("id").values_list("name", flat=True)
        ) == ["Shirts", "shirts (2)", "SHIRTS (3)"]
        assert list(Category.objects.for_store(other_store).values_list("name", flat=True)) == [
            "Shirts"
        ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with connection.schema_editor() as editor:
            editor.add_constraint(Category, constraint)


@pytest.mark.usefixtures("media_root")
def test_import_paths_in_any_case_name_the_one_category(store, owner):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    shirts = services.category_create(store=store, actor=owner, name="Shirts", parent=apparel)
    rows = [
        row(handle="a", sku="A-1", category="Apparel > Shirts"),
        row(handle="b", title="B", sku="B-1", category=" apparel >SHIRTS "),
    ]

    job = services.import_job_create(store=store, actor=owner, upload=upload(csv_bytes(rows)))
    services.import_job_configure(store=store, job=job, mapping=job.mapping, mode="all")
    services.import_job_start(store=store, job=job, actor=owner)

    assert set(Product.objects.for_store(store).values_list("category_id", flat=True)) == {
        shirts.pk
    }
    assert Category.objects.for_store(store).count() == 2


def test_category_delete_page_shows_the_refusal_instead_of_failing(store, owner, client_for):
    apparel = services.category_create(store=store, actor=owner, name="Apparel")
    services.category_create(store=store, actor=owner, name="Sale", parent=apparel)
    services.category_create(store=store, actor=owner, name="Sale")
    client = client_for(owner)

    response = client.post(
        f"/store/{store.handle}/catalog/categories/{apparel.pk}/delete/", follow=True
    )

    assert response.status_code == 200
    assert "its subcategory “Sale” would move up next to another" in response.text
    assert _names(store) == [("Apparel", None), ("Sale", None), ("Sale", "Apparel")]
