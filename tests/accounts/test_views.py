"""Accounts pages: login and lock-out, password reset, staff, invitations, API keys, profile,
the store switcher, creating a store and its settings."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client

import merchant_portal.settings as project_settings
from apps.accounts import services
from apps.accounts.models import ApiKey, Invitation, Membership, User
from apps.audit.models import AuditEntry
from apps.core.models import Store
from tests.conftest import TEST_PASSWORD
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "plum-orchard-lantern-42"
WRONG_LOGIN = (
    "That email and password don&#x27;t match an account. Check both and try again; "
    "after 5 failed attempts in a row, logging in is paused for an hour."
)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _logged_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def _login(client, email, password):
    return client.post("/login/", {"username": email, "password": password})


# --- login, lock-out, logout ---------------------------------------------------------------------
def test_login_with_the_right_password_lands_on_the_store(store, owner):
    client = Client()

    response = _login(client, "owner@alpha.test", TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in_user_id(client) == str(owner.pk)
    assert client.get("/")["Location"] == "/store/alpha/"


def test_login_ignores_the_case_of_the_email(store, owner):
    client = Client()

    response = _login(client, "Owner@ALPHA.test", TEST_PASSWORD)

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(owner.pk)


def test_login_with_a_wrong_password_shows_a_clear_message(store, owner):
    client = Client()

    response = _login(client, "owner@alpha.test", "wrong-password")

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_login_is_locked_after_five_failures_even_with_the_right_password(store, owner):
    client = Client()
    statuses = [_login(client, "owner@alpha.test", f"wrong-{n}").status_code for n in range(5)]

    response = _login(client, "owner@alpha.test", TEST_PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    page = response.content.decode()
    assert "Logging in is paused" in page
    assert "There were 5 failed attempts in a row" in page
    assert _logged_in_user_id(client) is None
    # the refused attempt during the lock-out counts too
    assert AccessAttempt.objects.get().failures_since_start == 6


def test_login_lockout_is_not_dodged_by_changing_the_email_case(store, owner):
    client = Client()
    for email in ["owner@alpha.test", "OWNER@alpha.test", "Owner@Alpha.Test", "owner@ALPHA.test"]:
        _login(client, email, "wrong-password")
    _login(client, "oWnEr@alpha.test", "wrong-password")

    response = _login(client, "owner@alpha.test", TEST_PASSWORD)

    assert response.status_code == 429
    assert _logged_in_user_id(client) is None


def test_login_lockout_does_not_lock_another_account(store, owner, manager):
    client = Client()
    for n in range(5):
        _login(client, "owner@alpha.test", f"wrong-{n}")

    response = _login(client, "manager@alpha.test", TEST_PASSWORD)

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(manager.pk)


def test_a_successful_login_resets_the_failure_count(store, owner):
    client = Client()
    for n in range(4):
        _login(client, "owner@alpha.test", f"wrong-{n}")
    _login(client, "owner@alpha.test", TEST_PASSWORD)
    client.post("/logout/")
    for n in range(4):
        _login(client, "owner@alpha.test", f"wrong-again-{n}")

    response = _login(client, "owner@alpha.test", TEST_PASSWORD)

    assert response.status_code == 302


def test_axes_settings_lock_username_and_address_together_for_an_hour():
    assert project_settings.AXES_FAILURE_LIMIT == 5
    assert project_settings.AXES_COOLOFF_TIME == 1
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert project_settings.AXES_RESET_ON_SUCCESS is True
    assert project_settings.AXES_LOCKOUT_TEMPLATE == "accounts/locked_out.html"
    assert project_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert project_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_logout_is_post_only(owner, client_for):
    client = client_for(owner)

    get_response = client.get("/logout/")
    assert get_response.status_code == 405
    assert _logged_in_user_id(client) == str(owner.pk)

    post_response = client.post("/logout/")
    assert post_response.status_code == 302
    assert post_response["Location"] == "/login/"
    assert _logged_in_user_id(client) is None


def test_pages_need_a_login(store):
    response = Client().get("/store/alpha/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/store/alpha/"


# --- password reset ------------------------------------------------------------------------------
def test_password_reset_emails_a_link_that_sets_a_new_password(
    store, owner, settings, django_capture_on_commit_callbacks
):
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/password-reset/", {"email": "owner@alpha.test"})

    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@alpha.test"]
    assert message.subject == "Reset your Merchant Portal password"
    site = re.escape(settings.SITE_URL.rstrip("/"))
    link = re.search(site + r"(/password-reset/[^/]+/[^/]+/)", message.body).group(1)

    set_password_page = client.get(link, follow=True)
    assert set_password_page.status_code == 200
    assert b"Choose a new password" in set_password_page.content
    done = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == "/password-reset/done/"

    assert _login(Client(), "owner@alpha.test", TEST_PASSWORD).status_code == 200
    fresh = Client()
    assert _login(fresh, "owner@alpha.test", NEW_PASSWORD).status_code == 302
    assert _logged_in_user_id(fresh) == str(owner.pk)
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(store):
    response = Client().post("/password-reset/", {"email": "nobody@example.test"})

    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_email_goes_to_the_console_in_dev():
    assert project_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


# --- staff ---------------------------------------------------------------------------------------
def test_staff_page_lists_staff_and_pending_invitations_to_an_owner(
    store, owner, support, client_for
):
    services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="manager"
    )

    response = client_for(owner).get("/store/alpha/settings/staff/")

    assert response.status_code == 200
    assert [m.user.email for m in response.context["memberships"]] == [
        "owner@alpha.test",
        "support@alpha.test",
    ]
    assert [i.email for i in response.context["invitations"]] == ["new.hire@example.test"]
    assert b'data-invitation="new.hire@example.test"' in response.content


@pytest.mark.parametrize("role", ["manager", "support"])
def test_staff_page_is_forbidden_to_other_roles(store, make_member, client_for, role):
    member = make_member(store, role)

    response = client_for(member).get("/store/alpha/settings/staff/")

    assert response.status_code == 403


def test_staff_page_of_another_store_is_not_found(owner, other_store, client_for):
    assert client_for(owner).get("/store/bravo/settings/staff/").status_code == 404
    assert client_for(owner).get("/store/no-such-store/settings/staff/").status_code == 404


def test_invite_through_htmx_with_a_bad_email_returns_the_form_with_inline_errors(
    store, owner, client_for
):
    response = client_for(owner).post(
        "/store/alpha/settings/staff/invite/",
        {"email": "not-an-email", "role": "support"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<form id="invite-form"')
    assert "<html" not in page
    assert '<p class="field-error" id="id_email_error">Enter a valid email address.</p>' in page
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invite_without_htmx_with_a_bad_email_returns_the_page_with_a_400(store, owner, client_for):
    response = client_for(owner).post(
        "/store/alpha/settings/staff/invite/", {"email": "", "role": "support"}
    )

    assert response.status_code == 400
    assert b"<html" in response.content
    assert b"This field is required." in response.content
    assert Invitation.objects.count() == 0


def test_invite_through_htmx_of_a_member_shows_the_rule_inline(store, owner, manager, client_for):
    response = client_for(owner).post(
        "/store/alpha/settings/staff/invite/",
        {"email": "manager@alpha.test", "role": "support"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b"manager@alpha.test is already on this store&#x27;s staff." in response.content
    assert Invitation.objects.count() == 0


def test_invite_through_htmx_sends_the_email_and_redirects(
    store, owner, client_for, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/store/alpha/settings/staff/invite/",
            {"email": "new.hire@example.test", "role": "manager"},
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/store/alpha/settings/staff/"
    assert _messages(response) == ["Invitation sent to new.hire@example.test. The link works once."]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.store) == (
        "new.hire@example.test",
        "manager",
        store,
    )
    assert [m.to for m in mail.outbox] == [["new.hire@example.test"]]


def test_change_role_changes_it(store, owner, support, client_for):
    membership = Membership.objects.get(user=support)

    response = client_for(owner).post(
        f"/store/alpha/settings/staff/{membership.pk}/role/", {"role": "manager"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/settings/staff/"
    membership.refresh_from_db()
    assert membership.role == "manager"
    assert AuditEntry.objects.filter(action="staff.role_changed").count() == 1


def test_change_role_of_the_last_owner_is_refused_with_a_message(store, owner, client_for):
    membership = Membership.objects.get(user=owner)

    response = client_for(owner).post(
        f"/store/alpha/settings/staff/{membership.pk}/role/", {"role": "support"}
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "A store needs at least one owner: make someone else owner first."
    ]
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_change_role_of_another_stores_member_is_not_found(store, owner, other_store, client_for):
    elsewhere = MembershipFactory(store=other_store, role="support")

    response = client_for(owner).post(
        f"/store/alpha/settings/staff/{elsewhere.pk}/role/", {"role": "owner"}
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == "support"


def test_change_role_is_post_only(store, owner, support, client_for):
    membership = Membership.objects.get(user=support)

    response = client_for(owner).get(f"/store/alpha/settings/staff/{membership.pk}/role/")

    assert response.status_code == 405


def test_remove_takes_someone_off_the_staff(store, owner, support, client_for):
    membership = Membership.objects.get(user=support)

    response = client_for(owner).post(f"/store/alpha/settings/staff/{membership.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/settings/staff/"
    assert _messages(response) == [f"{support} was removed from the staff."]
    assert not Membership.objects.filter(user=support).exists()
    assert client_for(support).get("/store/alpha/").status_code == 404


def test_remove_of_the_last_owner_is_refused(store, owner, client_for):
    membership = Membership.objects.get(user=owner)

    response = client_for(owner).post(f"/store/alpha/settings/staff/{membership.pk}/remove/")

    assert response.status_code == 302
    assert _messages(response) == [
        "A store needs at least one owner: make someone else owner first."
    ]
    assert Membership.objects.filter(user=owner, role="owner").exists()


def test_an_owner_leaving_lands_on_the_root(store, owner, make_member, client_for):
    make_member(store, "owner", email="second.owner@alpha.test")
    membership = Membership.objects.get(user=owner)

    response = client_for(owner).post(f"/store/alpha/settings/staff/{membership.pk}/remove/")

    assert response["Location"] == "/"
    assert _messages(response) == ["You left the store."]
    assert not Membership.objects.filter(user=owner).exists()


def test_revoke_invitation_withdraws_it(store, owner, client_for):
    invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )

    response = client_for(owner).post(f"/store/alpha/settings/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 302
    assert _messages(response) == ["Invitation for new.hire@example.test withdrawn."]
    assert Client().get(f"/invitations/{token}/").status_code == 410


def test_revoke_invitation_of_another_store_is_not_found(store, owner, other_store, client_for):
    other_owner = UserFactory(email="owner@bravo.test")
    elsewhere, _ = services.invitation_create(
        store=other_store, invited_by=other_owner, email="new.hire@example.test", role="support"
    )

    response = client_for(owner).post(f"/store/alpha/settings/invitations/{elsewhere.pk}/revoke/")

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None


# --- accepting an invitation ---------------------------------------------------------------------
@pytest.fixture
def invitation_token(store, owner):
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="manager"
    )
    return token


def test_accept_page_shows_the_new_account_form(invitation_token):
    response = Client().get(f"/invitations/{invitation_token}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Join Alpha Goods" in page
    assert "Ada Owner invited <strong>new.hire@example.test</strong> as <strong>manager" in page
    assert 'name="full_name"' in page
    assert 'name="password"' in page


def test_accept_creates_the_account_logs_in_and_lands_on_the_store(invitation_token, store):
    client = Client()

    response = client.post(
        f"/invitations/{invitation_token}/",
        {"full_name": "Nora Hire", "password": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/"
    user = User.objects.get(email="new.hire@example.test")
    assert user.full_name == "Nora Hire"
    assert _logged_in_user_id(client) == str(user.pk)
    assert Membership.objects.get(user=user).role == "manager"
    home = client.get("/store/alpha/")
    assert home.status_code == 200
    assert [str(m) for m in home.context["messages"]] == ["Welcome to Alpha Goods!"]
    assert client.get(f"/invitations/{invitation_token}/").status_code == 410


def test_accept_with_a_weak_password_shows_the_error_and_creates_nothing(invitation_token):
    response = Client().post(
        f"/invitations/{invitation_token}/", {"full_name": "Nora Hire", "password": "123"}
    )

    assert response.status_code == 200
    assert b"This password is too short." in response.content
    assert not User.objects.filter(email="new.hire@example.test").exists()


def test_accept_with_an_existing_account_asks_for_its_password(store, owner):
    existing = UserFactory(email="pat@example.test")
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="pat@example.test", role="support"
    )
    client = Client()

    page = client.get(f"/invitations/{token}/")
    wrong = client.post(f"/invitations/{token}/", {"password": "not-it"})
    right = client.post(f"/invitations/{token}/", {"password": TEST_PASSWORD})

    assert b'name="full_name"' not in page.content
    assert b"An account with this email already exists: enter its password." in wrong.content
    assert right.status_code == 302
    assert right["Location"] == "/store/alpha/"
    assert _logged_in_user_id(client) == str(existing.pk)


def test_accept_while_logged_in_as_someone_else_is_refused(invitation_token, store, client_for):
    someone_else = UserFactory(email="someone@example.test")

    response = client_for(someone_else).post(f"/invitations/{invitation_token}/")

    assert response.status_code == 200
    assert (
        b"This invitation is for new.hire@example.test, but you are logged in as "
        b"someone@example.test." in response.content
    )
    assert not Membership.objects.filter(user=someone_else).exists()


def test_accept_page_for_an_unknown_token_explains(db):
    response = Client().get("/invitations/nonsense/")

    assert response.status_code == 410
    assert b"This invitation link is not valid." in response.content


# --- API keys ------------------------------------------------------------------------------------
def test_api_key_without_a_name_is_refused(store, owner, client_for):
    response = client_for(owner).post("/store/alpha/settings/api-keys/", {"name": ""})

    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert ApiKey.objects.count() == 0


def test_api_key_revoke_from_the_page(store, owner, client_for):
    api_key, raw = services.api_key_create(store=store, actor=owner, name="ERP sync")

    response = client_for(owner).post(f"/store/alpha/settings/api-keys/{api_key.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/settings/api-keys/"
    assert services.api_key_authenticate(raw=raw) is None


def test_api_key_page_is_forbidden_to_a_manager(store, manager, client_for):
    assert client_for(manager).get("/store/alpha/settings/api-keys/").status_code == 403


# --- profile -------------------------------------------------------------------------------------
def test_profile_saves_the_name(owner, client_for):
    client = client_for(owner)

    response = client.post("/account/", {"save_profile": "1", "full_name": "Ada Lovelace"})

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    owner.refresh_from_db()
    assert owner.full_name == "Ada Lovelace"


def test_a_name_change_is_in_the_audit_log_of_each_store_of_the_person(
    store, other_store, owner, client_for
):
    MembershipFactory(user=owner, store=other_store, role="support")
    before = owner.full_name

    client_for(owner).post("/account/", {"save_profile": "1", "full_name": "Ada Lovelace"})

    entries = AuditEntry.objects.filter(action="account.updated").order_by("store_id")
    assert [(e.store_id, e.target_id, e.changes) for e in entries] == [
        (s.pk, str(owner.pk), {"full_name": [before, "Ada Lovelace"]})
        for s in sorted([store, other_store], key=lambda s: s.pk)
    ]
    page = client_for(owner).get("/store/alpha/audit/").content.decode()
    assert "changed their name to “<a" in page
    assert "<del>Ada Owner</del> → <ins>Ada Lovelace</ins>" in page


def test_profile_changes_the_password_and_keeps_the_session(owner, client_for):
    client = client_for(owner)

    response = client.post(
        "/account/",
        {
            "change_password": "1",
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert client.get("/account/").status_code == 200  # still logged in


def test_profile_refuses_a_wrong_old_password(owner, client_for):
    response = client_for(owner).post(
        "/account/",
        {
            "change_password": "1",
            "old_password": "not-it",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert b"Your old password was entered incorrectly." in response.content
    owner.refresh_from_db()
    assert owner.check_password(TEST_PASSWORD)


# --- root redirect, store switcher, creating a store ---------------------------------------------
def test_root_sends_a_one_store_user_to_that_store(owner, client_for):
    response = client_for(owner).get("/")

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/"


def test_root_sends_a_several_store_user_to_the_switcher(owner, other_store, client_for):
    MembershipFactory(user=owner, store=other_store, role="support")
    client = client_for(owner)

    response = client.get("/")

    assert response["Location"] == "/stores/"
    switcher = client.get("/stores/")
    assert [m.store.handle for m in switcher.context["memberships"]] == ["alpha", "bravo"]


def test_root_remembers_the_last_store_used(owner, other_store, client_for):
    MembershipFactory(user=owner, store=other_store, role="support")
    client = client_for(owner)
    client.get("/store/bravo/")

    response = client.get("/")

    assert response["Location"] == "/store/bravo/"


def test_root_forgets_a_last_store_the_user_has_left(owner, other_store, store, client_for):
    membership = MembershipFactory(user=owner, store=other_store, role="support")
    client = client_for(owner)
    client.get("/store/bravo/")
    membership.delete()

    response = client.get("/")

    assert response["Location"] == "/store/alpha/"


def test_create_store_makes_the_user_its_owner(owner, client_for):
    client = client_for(owner)

    response = client.post(
        "/stores/new/",
        {
            "name": "Charlie Crafts",
            "handle": "charlie",
            "currency": "usd",
            "timezone": "America/New_York",
            "country": "us",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/store/charlie/"
    store = Store.objects.get(handle="charlie")
    assert (store.name, store.currency, store.timezone, store.country) == (
        "Charlie Crafts",
        "USD",
        "America/New_York",
        "US",
    )
    assert Membership.objects.get(store=store).user == owner
    assert Membership.objects.get(store=store).role == "owner"
    assert AuditEntry.objects.filter(store=store, action="store.created").count() == 1


def test_create_store_with_a_taken_handle_shows_the_error(owner, store, client_for):
    response = client_for(owner).post(
        "/stores/new/",
        {
            "name": "Copycat",
            "handle": "alpha",
            "currency": "EUR",
            "timezone": "UTC",
            "country": "DE",
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert b'<form id="store-form"' in response.content
    assert "The handle alpha is taken; choose another." in response.content.decode()
    assert Store.objects.filter(handle="alpha").get().name == "Alpha Goods"


def _new_store(client, handle: str, **headers):
    return client.post(
        "/stores/new/",
        {
            "name": "Copycat",
            "handle": handle,
            "currency": "EUR",
            "timezone": "UTC",
            "country": "DE",
        },
        **headers,
    )


@pytest.mark.parametrize("handle", ["ALPHA", "Alpha", " alpha "])
def test_create_store_refuses_a_taken_handle_in_any_case(owner, store, client_for, handle):
    response = _new_store(client_for(owner), handle)

    assert response.status_code == 200
    assert "The handle alpha is taken; choose another." in response.content.decode()
    assert Store.objects.filter(handle__iexact="alpha").count() == 1


def test_create_store_refuses_a_new_handle_matching_an_old_mixed_case_one(owner, client_for):
    Store.objects.create(handle="RV-Attack", name="Old")  # made before the rule

    response = _new_store(client_for(owner), "rv-attack")

    assert response.status_code == 200
    assert "The handle rv-attack is taken; choose another." in response.content.decode()
    assert list(
        Store.objects.filter(handle__iexact="rv-attack").values_list("handle", flat=True)
    ) == ["RV-Attack"]


@pytest.mark.parametrize("handle", ["-lead", "a", "new_store_x", "trail-", "x" * 51])
def test_create_store_refuses_a_handle_outside_the_rule_and_names_it(owner, client_for, handle):
    response = _new_store(client_for(owner), handle)

    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be a store handle: use 3 to 50 lowercase letters, digits and hyphens" in page
    assert list(Store.objects.values_list("handle", flat=True)) == ["alpha"]  # the owner's


def test_create_store_keeps_the_handle_lowercase(owner, client_for):
    response = _new_store(client_for(owner), "Charlie-Crafts")

    assert response["Location"] == "/store/charlie-crafts/"
    assert Store.objects.filter(name="Copycat").get().handle == "charlie-crafts"


def test_a_store_made_before_the_rule_keeps_working(owner, client_for):
    old = Store.objects.create(handle="Old_Shop", name="Old shop")
    MembershipFactory(user=owner, store=old, role="owner")

    response = client_for(owner).get("/store/Old_Shop/")

    assert response.status_code == 200


# --- store settings ------------------------------------------------------------------------------
SETTINGS = {
    "name": "Alpha Goods Ltd",
    "currency": "gbp",
    "timezone": "Europe/London",
    "country": "gb",
    "abandonment_window_minutes": "90",
    "allowed_origins": "https://shop.alpha.example/\n\nhttps://www.alpha.example",
}


def test_store_settings_are_saved_and_audited(store, owner, client_for):
    response = client_for(owner).post("/store/alpha/settings/", SETTINGS)

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/settings/"
    store.refresh_from_db()
    assert store.name == "Alpha Goods Ltd"
    assert store.currency == "GBP"
    assert store.timezone == "Europe/London"
    assert store.country == "GB"
    assert store.abandonment_window_minutes == 90
    assert store.allowed_origins == ["https://shop.alpha.example", "https://www.alpha.example"]
    entry = AuditEntry.objects.get(store=store, action="store.updated")
    assert entry.actor == owner
    assert entry.changes == {
        "abandonment_window_minutes": [60, 90],
        "allowed_origins": [[], ["https://shop.alpha.example", "https://www.alpha.example"]],
        "country": ["DE", "GB"],
        "currency": ["EUR", "GBP"],
        "name": ["Alpha Goods", "Alpha Goods Ltd"],
        "timezone": ["Europe/Berlin", "Europe/London"],
    }


def test_store_settings_show_the_saved_origins_one_per_line(store, owner, client_for):
    store.allowed_origins = ["https://a.example", "https://b.example"]
    store.save()

    response = client_for(owner).get("/store/alpha/settings/")

    assert response.status_code == 200
    assert b"https://a.example\nhttps://b.example</textarea>" in response.content


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (
            "currency",
            "E1R",
            "E1R is not a currency code; choose the store&#x27;s currency from the list.",
        ),
        ("timezone", "Mars/Olympus", "Mars/Olympus is not a known time zone"),
        (
            "allowed_origins",
            "shop.alpha.example",
            "shop.alpha.example is not an origin; write it like https://shop.example.",
        ),
        (
            "abandonment_window_minutes",
            "2",
            "Choose between 5 minutes and 7 days (10,080 minutes).",
        ),
    ],
)
def test_store_settings_show_inline_errors_and_save_nothing(
    store, owner, client_for, field, value, error
):
    response = client_for(owner).post(
        "/store/alpha/settings/", {**SETTINGS, field: value}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<form id="settings-form"')
    assert f'id="id_{field}_error">{error}' in page
    store.refresh_from_db()
    assert (store.name, store.currency, store.timezone, store.allowed_origins) == (
        "Alpha Goods",
        "EUR",
        "Europe/Berlin",
        [],
    )
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "support"])
def test_store_settings_are_for_owners_only(store, make_member, client_for, role):
    member = make_member(store, role)
    client = client_for(member)

    assert client.get("/store/alpha/settings/").status_code == 403
    assert client.post("/store/alpha/settings/", SETTINGS).status_code == 403
    store.refresh_from_db()
    assert store.name == "Alpha Goods"


# --- CSRF and password hashing ---------------------------------------------------------------
def test_posts_without_a_csrf_token_are_refused(store, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    invite = client.post(
        "/store/alpha/settings/staff/invite/", {"email": "x@example.test", "role": "support"}
    )
    settings_post = client.post("/store/alpha/settings/", SETTINGS)
    logout = client.post("/logout/")

    assert (invite.status_code, settings_post.status_code, logout.status_code) == (403, 403, 403)
    assert Invitation.objects.count() == 0
    store.refresh_from_db()
    assert store.name == "Alpha Goods"


def test_posts_with_the_csrf_token_from_the_page_are_accepted(store, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get("/store/alpha/settings/staff/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)

    response = client.post(
        "/store/alpha/settings/staff/invite/",
        {"email": "x@example.test", "role": "support", "csrfmiddlewaretoken": token.decode()},
    )

    assert response.status_code == 302
    assert Invitation.objects.count() == 1


def test_login_post_without_a_csrf_token_is_refused(store, owner):
    client = Client(enforce_csrf_checks=True)

    response = _login(client, "owner@alpha.test", TEST_PASSWORD)

    assert response.status_code == 403
    assert _logged_in_user_id(client) is None


def test_passwords_are_hashed_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("secret words", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")


def test_an_owner_who_steps_down_lands_on_the_store_home(store, owner, make_member, client_for):
    make_member(store, "owner", email="second.owner@alpha.test")
    membership = Membership.objects.get(user=owner)
    client = client_for(owner)

    response = client.post(
        f"/store/alpha/settings/staff/{membership.pk}/role/", {"role": "manager"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/"
    assert client.get(response["Location"]).status_code == 200
    membership.refresh_from_db()
    assert membership.role == "manager"


def test_a_password_reset_lifts_the_login_pause(
    store, owner, settings, django_capture_on_commit_callbacks
):
    client = Client()
    for n in range(5):
        _login(client, "owner@alpha.test", f"wrong-{n}")
    assert _login(client, "owner@alpha.test", TEST_PASSWORD).status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": "owner@alpha.test"})
    site = re.escape(settings.SITE_URL.rstrip("/"))
    link = re.search(site + r"(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_page = client.get(link, follow=True)
    client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = _login(client, "owner@alpha.test", NEW_PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(owner.pk)


def test_the_logged_in_invitee_accepts_with_one_click(invitation_token, store):
    invitee = UserFactory(email="new.hire@example.test")
    client = Client()
    client.force_login(invitee)

    page = client.get(f"/invitations/{invitation_token}/")
    response = client.post(f"/invitations/{invitation_token}/")

    assert b"You are logged in as new.hire@example.test." in page.content
    assert response.status_code == 302
    assert response["Location"] == "/store/alpha/"
    assert Membership.objects.get(user=invitee).role == "manager"


def test_store_settings_saved_through_htmx_redirect_the_page(store, owner, client_for):
    response = client_for(owner).post("/store/alpha/settings/", SETTINGS, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/store/alpha/settings/"
    assert _messages(response) == ["Store settings saved."]


# --- query counts do not grow with the data ------------------------------------------------------
def _query_count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first visit also remembers the store in the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_staff_page_queries_do_not_grow_with_the_staff(store, owner, make_member, client_for):
    client = client_for(owner)
    make_member(store, "support")
    services.invitation_create(
        store=store, invited_by=owner, email="a@example.test", role="support"
    )
    few = _query_count(client, "/store/alpha/settings/staff/")

    for n in range(8):
        make_member(store, "manager")
        services.invitation_create(
            store=store, invited_by=owner, email=f"b{n}@example.test", role="support"
        )
    many = _query_count(client, "/store/alpha/settings/staff/")

    assert many == few


def test_api_key_page_queries_do_not_grow_with_the_keys(store, owner, client_for):
    client = client_for(owner)
    services.api_key_create(store=store, actor=owner, name="Key 0")
    few = _query_count(client, "/store/alpha/settings/api-keys/")

    for n in range(1, 8):
        services.api_key_create(store=store, actor=owner, name=f"Key {n}")
    many = _query_count(client, "/store/alpha/settings/api-keys/")

    assert many == few


def test_change_role_to_an_unknown_role_explains_the_choices(store, owner, support, client_for):
    membership = Membership.objects.get(user=support)

    response = client_for(owner).post(
        f"/store/alpha/settings/staff/{membership.pk}/role/", {"role": "admin"}
    )

    assert response.status_code == 302
    assert _messages(response) == ["Choose one of the roles: owner, manager or support."]
    membership.refresh_from_db()
    assert membership.role == "support"


def test_root_sends_a_user_without_stores_to_the_switcher(db, client_for):
    loner = UserFactory(email="loner@example.test")
    client = client_for(loner)

    response = client.get("/")

    assert response["Location"] == "/stores/"
    page = client.get("/stores/")
    assert b"You are not a member of any store yet." in page.content
