"""An email address longer than the 254 characters an address may have is answered with its
limit, whatever way it was typed or pasted into the page: the browser must not cut it short
(turning it into an invalid address) before the portal can say it is too long."""

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory

LONG_EMAIL = "a" * 250 + "@shop.test"  # 260 characters
TOO_LONG = "An email address has at most 254 characters; this one has 260."


def test_the_invite_form_says_a_long_email_is_too_long(browser_page):
    owner = UserFactory(email="olivia@shop.test")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    page = browser_page
    login(page, owner.email)

    page.goto("/store/acme/settings/staff/")
    page.get_by_label("Email", exact=True).fill(LONG_EMAIL)
    page.get_by_role("button", name="Send invitation").click()

    expect(page.locator("#invite-form .field-error")).to_have_text(TOO_LONG)
    expect(page.get_by_label("Email", exact=True)).to_have_value(LONG_EMAIL)


def test_password_reset_and_login_say_a_long_email_is_too_long(browser_page, db):
    page = browser_page

    page.goto("/password-reset/")
    page.get_by_label("Email").fill(LONG_EMAIL)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator(".field-error")).to_have_text(TOO_LONG)

    page.goto("/login/")
    page.get_by_label("Email").fill(LONG_EMAIL)
    page.get_by_label("Password").fill("whatever-it-is")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".field-error")).to_have_text(TOO_LONG)
    expect(page.get_by_label("Email")).to_have_value(LONG_EMAIL)
