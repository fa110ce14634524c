def test_global_search_finds_staff_for_an_owner(owner, manager, store, client_for):
    response = client_for(owner).get(f"/store/{store.handle}/search/", {"q": "manager@"})

    assert response.status_code == 200
    assert b"manager@alpha.test" in response.content


def test_global_search_partial_for_htmx_and_short_queries(owner, store, client_for):
    client = client_for(owner)

    partial = client.get(f"/store/{store.handle}/search/", {"q": "ada"}, HTTP_HX_REQUEST="true")
    short = client.get(f"/store/{store.handle}/search/", {"q": "a"}, HTTP_HX_REQUEST="true")

    assert partial.content.lstrip().startswith(b'<div id="search-results"')
    assert b"<html" not in partial.content
    assert b"Ada Owner" in partial.content
    assert b"Type at least 2 characters" in short.content


def test_global_search_hides_areas_the_role_cannot_see(support, owner, store, client_for):
    response = client_for(support).get(f"/store/{store.handle}/search/", {"q": "owner"})

    assert b"owner@alpha.test" not in response.content
    assert b"Nothing matches" in response.content
