def test_a_missing_page_says_so_in_the_portals_look(owner, client_for):
    response = client_for(owner).get("/store/nowhere/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Go to your store" in response.content


def test_a_page_the_role_cannot_open_names_the_role(store, support, client_for):
    response = client_for(support).get(f"/store/{store.handle}/settings/")

    assert response.status_code == 403
    assert b"Your role can't open this page" in response.content
    assert b"You are support of Alpha Goods" in response.content
