"""The foundation as a person uses it: log in, switch store, setup guide, invite, 404s."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, StoreFactory, UserFactory


def test_owner_logs_in_switches_store_and_sees_the_setup_guide(browser_page):
    owner = UserFactory(email="olivia@shop.test", full_name="Olivia Owner")
    first = StoreFactory(handle="first-shop", name="First Shop")
    second = StoreFactory(handle="second-shop", name="Second Shop")
    MembershipFactory(user=owner, store=first, role="owner")
    MembershipFactory(user=owner, store=second, role="manager")
    page = browser_page

    login(page, owner.email)

    # two stores: the switcher asks which one
    expect(page.get_by_role("heading", name="Your stores")).to_be_visible()
    page.get_by_role("link", name=re.compile("First Shop")).click()
    expect(page.get_by_role("heading", name="Set up your store")).to_be_visible()
    expect(page.locator("[data-step=staff]")).to_contain_text("Invite your team")
    expect(page.locator(".sidebar .store-name")).to_contain_text("First Shop")

    # switch from the sidebar's store menu
    page.locator(".store-switcher summary").click()
    page.get_by_role("menuitem", name=re.compile("Second Shop")).click()
    expect(page).to_have_url(re.compile(r"/store/second-shop/$"))
    expect(page.locator(".sidebar .store-name")).to_contain_text("Second Shop")
    # a manager sees no Settings in the sidebar
    expect(page.locator(".sidebar-nav")).not_to_contain_text("Settings")
    assert page.js_errors == []


def test_owner_invites_staff_and_the_invitee_accepts(browser_page, new_page, celery_eager):
    owner = UserFactory(email="olivia@shop.test", full_name="Olivia Owner")
    store = StoreFactory(handle="acme", name="Acme")
    MembershipFactory(user=owner, store=store, role="owner")
    page = browser_page
    login(page, owner.email)

    page.get_by_role("link", name="Invite staff").click()
    page.get_by_label("Email", exact=True).fill("not-an-email")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#invite-form .field-error")).to_contain_text("valid email")

    page.get_by_label("Email", exact=True).fill("sam@shop.test")
    page.get_by_label("Role", exact=True).select_option("support")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".toast")).to_contain_text("Invitation sent to sam@shop.test")
    expect(page.locator("[data-invitation='sam@shop.test']")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    invitee = new_page()
    invitee.goto(path)
    expect(invitee.get_by_role("heading", name="Join Acme")).to_be_visible()
    invitee.get_by_label("Your name").fill("Sam Support")
    invitee.get_by_label("Password").fill("a-long-unusual-passphrase")
    invitee.get_by_role("button", name="Accept and join").click()
    expect(invitee.locator(".toast")).to_contain_text("Welcome to Acme")
    expect(invitee.locator(".sidebar .store-name")).to_contain_text("Support")

    # the link worked once
    invitee.goto(path)
    expect(invitee.get_by_role("heading", name="This link can't be used")).to_be_visible()

    # and the owner now sees Sam on the staff list
    page.reload()
    expect(page.locator("[data-staff='sam@shop.test']")).to_contain_text("Sam Support")


def test_another_stores_page_is_not_found(browser_page):
    user = UserFactory(email="ann@shop.test")
    mine = StoreFactory(handle="mine", name="Mine")
    StoreFactory(handle="theirs", name="Theirs")
    MembershipFactory(user=user, store=mine, role="owner")
    page = browser_page
    login(page, user.email)

    response = page.goto("/store/theirs/")
    assert response.status == 404
    response = page.goto("/store/theirs/settings/")
    assert response.status == 404
    response = page.goto("/store/mine/settings/")
    assert response.status == 200
