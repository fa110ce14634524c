"""Issue #6: login throttling behind a proxy, the invitation password check as a login
attempt, password reset limits and links, API keys shown once after a redirect, and the demo
logins on the login page (dev only)."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

import merchant_portal.settings as project_settings
from apps.accounts import services
from apps.accounts.models import ApiKey, Membership
from apps.core import demo
from tests.conftest import TEST_PASSWORD
from tests.factories import UserFactory

PROXY = "10.0.0.1"  # the load balancer: every request reaches the app from it
ADDRESS_A = "198.51.100.7"
ADDRESS_B = "203.0.113.9"


def _logged_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def _login_from(client, address, email, password):
    return client.post(
        "/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


# --- 1. axes behind a proxy -----------------------------------------------------------------------
@pytest.fixture
def behind_one_proxy(settings):
    for name, value in project_settings.axes_client_address_settings(proxy_count=1).items():
        setattr(settings, name, value)


def test_axes_client_address_settings_trust_the_forwarded_header_only_behind_a_proxy():
    direct = project_settings.axes_client_address_settings(proxy_count=0)
    proxied = project_settings.axes_client_address_settings(proxy_count=2)

    assert direct["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ("REMOTE_ADDR",)
    assert proxied["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # python-ipware counts the proxies listed after the client: the last proxy is REMOTE_ADDR
    assert proxied["AXES_IPWARE_PROXY_COUNT"] == 1


def test_axes_resolves_addresses_with_ipware():
    from axes import helpers

    assert helpers.IPWARE_INSTALLED is True


def test_behind_a_proxy_failures_from_one_address_do_not_lock_the_user_out_elsewhere(
    store, owner, behind_one_proxy
):
    attacker, user = Client(), Client()
    statuses = [
        _login_from(attacker, ADDRESS_A, "owner@alpha.test", f"wrong-{n}").status_code
        for n in range(5)
    ]

    locked = _login_from(attacker, ADDRESS_A, "owner@alpha.test", TEST_PASSWORD)
    elsewhere = _login_from(user, ADDRESS_B, "owner@alpha.test", TEST_PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert _logged_in_user_id(attacker) is None
    assert elsewhere.status_code == 302
    assert _logged_in_user_id(user) == str(owner.pk)
    assert AccessAttempt.objects.get().ip_address == ADDRESS_A


def test_behind_a_proxy_a_forged_forwarded_address_does_not_dodge_the_lockout(
    store, owner, behind_one_proxy
):
    client = Client()
    for n in range(5):
        # the client forges the header; the proxy appends the address it really came from
        _login_from(client, f"192.0.2.{n}, {ADDRESS_A}", "owner@alpha.test", f"wrong-{n}")

    response = _login_from(client, ADDRESS_A, "owner@alpha.test", TEST_PASSWORD)

    assert response.status_code == 429


# --- 2. the invitation's password check is a login attempt ----------------------------------------
@pytest.fixture
def existing_invitee(store, owner):
    user = UserFactory(email="pat@example.test")
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="pat@example.test", role="support"
    )
    return user, token


def test_a_wrong_password_on_the_invitation_counts_as_a_failed_login(existing_invitee):
    _user, token = existing_invitee

    response = Client().post(f"/invitations/{token}/", {"password": "not-it"})

    assert response.status_code == 200
    assert b"An account with this email already exists: enter its password." in response.content
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "pat@example.test"
    assert attempt.failures_since_start == 1


def test_five_wrong_passwords_on_the_invitation_pause_it_and_the_login(existing_invitee):
    user, token = existing_invitee
    client = Client()
    statuses = [
        client.post(f"/invitations/{token}/", {"password": f"wrong-{n}"}).status_code
        for n in range(5)
    ]

    right = client.post(f"/invitations/{token}/", {"password": TEST_PASSWORD})
    login = client.post("/login/", {"username": "pat@example.test", "password": TEST_PASSWORD})

    assert statuses == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert b"Logging in is paused" in right.content
    assert login.status_code == 429
    assert _logged_in_user_id(client) is None
    assert not Membership.objects.filter(user=user).exists()


def test_the_right_password_on_the_invitation_resets_the_failures(existing_invitee):
    user, token = existing_invitee
    client = Client()
    for n in range(4):
        client.post(f"/invitations/{token}/", {"password": f"wrong-{n}"})

    response = client.post(f"/invitations/{token}/", {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)
    assert Membership.objects.get(user=user).role == "support"
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


def test_failed_logins_also_pause_the_invitation(existing_invitee):
    user, token = existing_invitee
    client = Client()
    for n in range(5):
        client.post("/login/", {"username": "pat@example.test", "password": f"wrong-{n}"})

    response = client.post(f"/invitations/{token}/", {"password": TEST_PASSWORD})

    assert response.status_code == 429
    assert not Membership.objects.filter(user=user).exists()


# --- 3. password reset: limits, Celery, links from SITE_URL ---------------------------------------
def _reset(client, email, address="192.0.2.10"):
    return client.post("/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mail_is_queued_on_commit_with_a_link_from_site_url(
    store, owner, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.com/"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _reset(Client(), "owner@alpha.test")

    assert response.status_code == 302
    assert mail.outbox == []  # nothing is sent inside the request
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    link = re.search(r"Choose a new password: (\S+)", mail.outbox[0].body).group(1)
    assert link.startswith("https://portal.example.com/password-reset/")
    assert "testserver" not in mail.outbox[0].body


def test_password_reset_is_limited_per_email(store, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_reset(Client(), "owner@alpha.test", address=f"192.0.2.{n}") for n in range(7)]

    assert [response["Location"] for response in responses] == ["/password-reset/sent/"] * 7
    assert len(mail.outbox) == 5


def test_password_reset_is_limited_per_address(store, django_capture_on_commit_callbacks):
    emails = [f"person{n}@alpha.test" for n in range(7)]
    for email in emails:
        UserFactory(email=email)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [_reset(Client(), email) for email in emails]
        other_address = _reset(Client(), "person6@alpha.test", address="192.0.2.99")

    assert [response.status_code for response in responses] == [302] * 7
    assert other_address.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [*emails[:5], "person6@alpha.test"]
    )


def test_password_reset_over_the_limit_looks_the_same_for_unknown_emails(
    store, owner, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = [_reset(client, "owner@alpha.test") for _ in range(6)]
        unknown = [_reset(client, "nobody@alpha.test") for _ in range(6)]

    locations = {response["Location"] for response in known + unknown}
    assert locations == {"/password-reset/sent/"}
    assert len(mail.outbox) == 5


def test_invitation_links_start_with_site_url(
    store, owner, settings, client_for, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://192.168.1.20:8123"

    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(
            "/store/alpha/settings/staff/invite/", {"email": "new@x.test", "role": "support"}
        )

    link = re.search(r"Accept the invitation: (\S+)", mail.outbox[0].body).group(1)
    assert link.startswith("http://192.168.1.20:8123/invitations/")
    assert Client().get(link.removeprefix("http://192.168.1.20:8123")).status_code == 200


def test_dev_runner_gives_its_processes_the_address_it_serves():
    from apps.core.management.commands.dev import child_environment

    every_interface = "0.0.0.0"  # noqa: S104
    assert child_environment(host=every_interface, port=8123, environ={})["SITE_URL"] == (
        "http://127.0.0.1:8123"
    )
    assert child_environment(host="192.168.1.20", port=9000, environ={})["SITE_URL"] == (
        "http://192.168.1.20:9000"
    )
    given = {"SITE_URL": "https://tunnel.example.com"}
    assert child_environment(host="127.0.0.1", port=8000, environ=given)["SITE_URL"] == (
        "https://tunnel.example.com"
    )


# --- 4. a new API key: post, redirect, shown once -------------------------------------------------
def test_api_key_create_redirects_and_shows_the_key_once(store, owner, client_for):
    client = client_for(owner)

    created = client.post("/store/alpha/settings/api-keys/", {"name": "ERP sync"})

    assert created.status_code == 302
    assert created["Location"] == "/store/alpha/settings/api-keys/"
    assert b"mp_sk_" not in created.content
    api_key = ApiKey.objects.get()
    shown = client.get(created["Location"])
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    raw = shown.context["new_key"]
    assert raw.startswith(f"mp_sk_{api_key.prefix}_")
    assert services.api_key_authenticate(raw=raw) == api_key
    assert raw.encode() in shown.content
    assert "API key “ERP sync” created. Copy it now." in shown.content.decode()

    reloaded = client.get("/store/alpha/settings/api-keys/")

    assert reloaded.status_code == 200
    assert reloaded.context["new_key"] is None
    assert raw.encode() not in reloaded.content
    assert raw.split("_", 3)[3].encode() not in reloaded.content  # the whole secret part
    assert f"mp_sk_{api_key.prefix}_…".encode() in reloaded.content
    assert ApiKey.objects.count() == 1


# --- 6. demo logins on the login page -------------------------------------------------------------
@pytest.fixture
def demo_store(db):
    from tests.factories import StoreFactory

    return StoreFactory(handle=demo.DEMO_STORE_HANDLE, name="Acme Outfitters")


def test_login_page_lists_the_demo_logins_in_dev(settings, demo_store):
    settings.DEBUG = True
    settings.ENVIRONMENT = "dev"

    page = Client().get("/login/").content.decode()

    assert "Demo logins" in page
    for email, _name, role in demo.DEMO_LOGINS:
        assert f"<tr><td>{role.capitalize()}</td><td><code>{email}</code></td></tr>" in page
    assert demo.DEMO_PASSWORD in page


def test_login_page_never_lists_demo_logins_in_production(settings, demo_store):
    settings.DEBUG = True  # even with DEBUG switched on by mistake
    settings.ENVIRONMENT = "production"
    settings.PRODUCTION = True

    page = Client().get("/login/").content.decode()

    assert "Demo logins" not in page
    assert demo.DEMO_PASSWORD not in page


def test_login_page_lists_no_demo_logins_without_the_demo_store(settings, db):
    settings.DEBUG = True

    page = Client().get("/login/").content.decode()

    assert demo.DEMO_PASSWORD not in page


def test_the_axes_settings_raise_no_system_check_warning():
    from django.core import checks

    assert [message.id for message in checks.run_checks() if message.id.startswith("axes")] == []
