"""Every text field of the accounts and core forms stops at its column's length with a message
next to the field (the input kept), never a database error."""

from django.test import Client

from apps.accounts import services
from apps.accounts.models import ApiKey, Invitation, User
from apps.core.models import Store
from tests.accounts.test_views import SETTINGS

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".example"  # 264 characters


def test_the_long_email_is_a_valid_address_longer_than_the_column():
    assert len(LONG_EMAIL) == 264
    assert User._meta.get_field("email").max_length == 254


def test_invite_of_a_264_character_email_says_so_next_to_the_field(store, owner, client_for):
    response = client_for(owner).post(
        "/store/alpha/settings/staff/invite/", {"email": LONG_EMAIL, "role": "support"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<p class="field-error" id="id_email_error">An email address has at most 254 '
        "characters; this one has 264.</p>" in page
    )
    assert f'value="{LONG_EMAIL}"' in page
    assert Invitation.objects.count() == 0


def test_invite_through_htmx_of_a_long_email_returns_the_form_with_the_error(
    store, owner, client_for
):
    response = client_for(owner).post(
        "/store/alpha/settings/staff/invite/",
        {"email": LONG_EMAIL, "role": "support"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b"An email address has at most 254 characters; this one has 264." in response.content
    assert Invitation.objects.count() == 0


def test_login_with_a_264_character_email_is_refused_without_an_error_page(store):
    response = Client().post("/login/", {"username": LONG_EMAIL, "password": "whatever"})

    assert response.status_code == 200
    assert b"An email address has at most 254 characters; this one has 264." in response.content


def test_password_reset_of_a_long_email_is_refused_next_to_the_field(store):
    response = Client().post("/password-reset/", {"email": LONG_EMAIL})

    assert response.status_code == 200
    assert b"at most 254 characters" in response.content


def test_accepting_with_a_151_character_name_is_refused(store, owner):
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="manager"
    )

    response = Client().post(
        f"/invitations/{token}/",
        {"full_name": "N" * 151, "password": "plum-orchard-lantern-42"},
    )

    assert response.status_code == 200
    assert b"at most 150 characters (it has 151)" in response.content
    assert not User.objects.filter(email="new.hire@example.test").exists()


def test_api_key_of_a_101_character_name_is_refused(store, owner, client_for):
    response = client_for(owner).post("/store/alpha/settings/api-keys/", {"name": "K" * 101})

    assert response.status_code == 400
    assert b"at most 100 characters (it has 101)" in response.content
    assert b'value="' + b"K" * 101 + b'"' in response.content
    assert ApiKey.objects.count() == 0


def test_profile_name_of_151_characters_is_refused(owner, client_for):
    response = client_for(owner).post("/account/", {"save_profile": "1", "full_name": "N" * 151})

    assert response.status_code == 200
    assert b"at most 150 characters (it has 151)" in response.content
    owner.refresh_from_db()
    assert owner.full_name == "Ada Owner"


def test_store_settings_name_of_121_characters_is_refused(store, owner, client_for):
    response = client_for(owner).post("/store/alpha/settings/", {**SETTINGS, "name": "S" * 121})

    assert response.status_code == 200
    assert b'id="id_name_error">Ensure this value has at most 120 characters (it has 121).' in (
        response.content
    )
    store.refresh_from_db()
    assert store.name == "Alpha Goods"


def test_store_settings_origin_longer_than_200_characters_is_refused_in_words(
    store, owner, client_for
):
    origin = "https://" + "o" * 62 + "." + "p" * 62 + "." + "q" * 62 + ".example"
    assert len(origin) > 200

    response = client_for(owner).post(
        "/store/alpha/settings/", {**SETTINGS, "allowed_origins": origin}
    )

    assert response.status_code == 200
    assert (
        f'id="id_allowed_origins_error">An origin has at most 200 characters; this one has '
        f"{len(origin)}.".encode()
    ) in response.content
    store.refresh_from_db()
    assert store.allowed_origins == []


def test_create_store_name_of_121_characters_is_refused(owner, client_for):
    response = client_for(owner).post(
        "/stores/new/",
        {
            "name": "S" * 121,
            "handle": "charlie",
            "currency": "USD",
            "timezone": "UTC",
            "country": "US",
        },
    )

    assert response.status_code in (200, 400)
    assert b"at most 120 characters (it has 121)" in response.content
    assert not Store.objects.filter(handle="charlie").exists()


def test_store_settings_name_every_bad_origin_and_keep_what_was_typed(store, owner, client_for):
    long_origin = "https://" + "o" * 200 + ".example"
    typed = "\n".join(
        ["https://shop.example", "shop.example", "ftp://files.example", long_origin, "nope"]
    )

    response = client_for(owner).post(
        "/store/alpha/settings/", {**SETTINGS, "allowed_origins": typed}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["allowed_origins"] == [
        "Line 2: shop.example is not an origin; write it like https://shop.example.",
        "Line 3: ftp://files.example is not an origin; write it like https://shop.example.",
        f"Line 4: an origin has at most 200 characters; this one has {len(long_origin)}.",
        "Line 5: nope is not an origin; write it like https://shop.example.",
    ]
    assert typed in response.content.decode()
    store.refresh_from_db()
    assert store.allowed_origins == []
