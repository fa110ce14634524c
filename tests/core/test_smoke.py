def test_store_home_shows_setup_guide_to_a_member(owner, store, client_for):
    response = client_for(owner).get(f"/store/{store.handle}/")

    assert response.status_code == 200
    assert b"Set up your store" in response.content
    assert b"Invite your team" in response.content
