"""The catalog in the global search, and the list's import/export links."""

from tests.catalog.factories import ProductFactory, VariantFactory


def test_global_search_finds_products_by_title_and_sku(store, manager, client_for):
    shirt = ProductFactory(store=store, title="Merino crew shirt", handle="merino-crew")
    VariantFactory(store=store, product=shirt, sku="MER-CREW-M")
    ProductFactory(store=store, title="Canvas tote", handle="canvas-tote")
    client = client_for(manager)

    by_title = client.get(f"/store/{store.handle}/search/", {"q": "merino"})
    by_sku = client.get(f"/store/{store.handle}/search/", {"q": "MER-CREW"})

    assert b"Merino crew shirt" in by_title.content
    assert b"Canvas tote" not in by_title.content
    assert f"/store/{store.handle}/catalog/products/{shirt.pk}/".encode() in by_sku.content


def test_support_search_shows_products_to_answer_stock_questions(store, support, client_for):
    ProductFactory(store=store, title="Merino crew shirt", handle="merino-crew")

    response = client_for(support).get(f"/store/{store.handle}/search/", {"q": "merino"})

    assert b"Merino crew shirt" in response.content


def test_product_list_links_to_import_and_to_export_of_the_current_filter(
    store, manager, client_for
):
    ProductFactory(store=store, title="Merino crew shirt", handle="merino-crew", status="active")

    response = client_for(manager).get(
        f"/store/{store.handle}/catalog/", {"status": "active", "q": "merino"}
    )

    content = response.content.decode()
    assert f'href="/store/{store.handle}/catalog/imports/new/"' in content
    assert f"/store/{store.handle}/catalog/export/?status=active&amp;q=merino" in content
