"""A rename or move the rules refuse re-opens that category's edit panel with what was typed
and the message next to the field, like the Add form; nothing changes."""

import re

from django.contrib.messages import get_messages

from apps.audit.models import AuditEntry
from apps.catalog.models import Category
from tests.catalog.factories import CategoryFactory

BASE = "/store/alpha/catalog/categories/"


def _edit_panel(page: str, category: Category) -> str:
    """The <details> edit panel of ``category``'s row."""
    row = page[page.index(f'data-category="{category.slug}"') :]
    return row[row.index("<details") : row.index("</details>")]


def test_rename_to_a_siblings_name_keeps_the_panel_open_with_the_typed_name(
    store, owner, client_for
):
    CategoryFactory(store=store, name="Shirts", slug="shirts")
    trousers = CategoryFactory(store=store, name="Trousers", slug="trousers")

    response = client_for(owner).post(f"{BASE}{trousers.pk}/", {"name": "Shirts"}, follow=True)

    # back on the page's own address: a reload shows the page, never posts again
    assert response.redirect_chain == [(BASE, 302)]
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == []
    panel = _edit_panel(response.text, trousers)
    assert re.match(r'<details class="category-edit" open', panel)
    assert (
        f'<input type="text" name="name" id="name-{trousers.pk}" value="Shirts" '
        f'required aria-invalid="true" aria-describedby="name-{trousers.pk}-error" autofocus>'
        in panel
    )
    assert (
        f'<p class="field-error" id="name-{trousers.pk}-error">There is already a category named '
        "“Shirts” at the top level; choose another name.</p>" in panel
    )
    trousers.refresh_from_db()
    assert trousers.name == "Trousers"
    assert AuditEntry.objects.count() == 0


def test_rename_to_nothing_says_so_next_to_the_field(store, owner, client_for):
    trousers = CategoryFactory(store=store, name="Trousers", slug="trousers")

    response = client_for(owner).post(f"{BASE}{trousers.pk}/", {"name": "  "}, follow=True)

    assert response.redirect_chain == [(BASE, 302)]
    panel = _edit_panel(response.text, trousers)
    assert f'<p class="field-error" id="name-{trousers.pk}-error">Enter a name.</p>' in panel
    trousers.refresh_from_db()
    assert trousers.name == "Trousers"


def test_only_the_refused_categorys_panel_opens(store, owner, client_for):
    shirts = CategoryFactory(store=store, name="Shirts", slug="shirts")
    trousers = CategoryFactory(store=store, name="Trousers", slug="trousers")

    response = client_for(owner).post(f"{BASE}{trousers.pk}/", {"name": "Shirts"}, follow=True)

    assert '<details class="category-edit" open' not in _edit_panel(response.text, shirts)
    assert 'value="Shirts" required>' in _edit_panel(response.text, shirts)


def test_move_under_a_parent_with_a_same_named_child_keeps_the_choice_and_says_why(
    store, owner, client_for
):
    apparel = CategoryFactory(store=store, name="Apparel", slug="apparel")
    CategoryFactory(store=store, name="Shirts", slug="apparel-shirts", parent=apparel)
    shirts = CategoryFactory(store=store, name="Shirts", slug="shirts")

    response = client_for(owner).post(
        f"{BASE}{shirts.pk}/parent/", {"parent": str(apparel.pk)}, follow=True
    )

    assert response.redirect_chain == [(BASE, 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == []
    panel = _edit_panel(response.text, shirts)
    assert re.match(r'<details class="category-edit" open', panel)
    assert f'<option value="{apparel.pk}" selected>Apparel</option>' in panel
    assert (
        f'<p class="field-error" id="parent-{shirts.pk}-error">There is already a category '
        "named “Shirts” under “Apparel”; choose another name.</p>" in panel
    )
    shirts.refresh_from_db()
    assert shirts.parent_id is None


def test_a_refused_edit_shows_once_then_the_page_is_plain_again(store, owner, client_for):
    trousers = CategoryFactory(store=store, name="Trousers", slug="trousers")
    client = client_for(owner)
    client.post(f"{BASE}{trousers.pk}/", {"name": "  "}, follow=True)

    reloaded = client.get(BASE)

    assert "Enter a name." not in reloaded.text


def test_move_under_offers_neither_the_category_nor_its_subcategories(store, owner, client_for):
    apparel = CategoryFactory(store=store, name="Apparel", slug="apparel")
    shirts = CategoryFactory(store=store, name="Shirts", slug="shirts", parent=apparel)
    linen = CategoryFactory(store=store, name="Linen", slug="linen", parent=shirts)
    garden = CategoryFactory(store=store, name="Garden", slug="garden")

    page = client_for(owner).get(BASE).text
    panel = _edit_panel(page, apparel)
    offered = re.findall(r'<option value="(\d+)"', panel)

    assert str(garden.pk) in offered
    assert not {str(apparel.pk), str(shirts.pk), str(linen.pk)} & set(offered)
    assert str(apparel.pk) in re.findall(r'<option value="(\d+)"', _edit_panel(page, linen))


def test_a_move_under_a_subcategory_is_refused_on_the_server(store, owner, client_for):
    apparel = CategoryFactory(store=store, name="Apparel", slug="apparel")
    shirts = CategoryFactory(store=store, name="Shirts", slug="shirts", parent=apparel)

    response = client_for(owner).post(
        f"{BASE}{apparel.pk}/parent/", {"parent": str(shirts.pk)}, follow=True
    )

    assert response.redirect_chain == [(BASE, 302)]
    assert "cannot be moved inside itself or one of its subcategories" in _edit_panel(
        response.text, apparel
    )
    apparel.refresh_from_db()
    assert apparel.parent_id is None
