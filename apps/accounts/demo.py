"""Demo stores and staff, through the same services the portal uses (invite → accept)."""

from __future__ import annotations

from apps.accounts import services
from apps.accounts.models import User
from apps.core.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_STORE_HANDLE, DemoContext


def seed(context: DemoContext) -> None:
    email, name, _role = DEMO_LOGINS[0]
    owner = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    context.users["owner"] = owner
    store = services.store_create(
        owner=owner,
        name="Acme Outfitters",
        handle=DEMO_STORE_HANDLE,
        currency="EUR",
        timezone="Europe/Berlin",
        country="DE",
        allowed_origins=["http://localhost:3000"],
    )
    context.stores["main"] = store
    steps = len(DEMO_LOGINS) + 2
    context.progress.step("staff", 1, steps)
    for index, (email, name, role) in enumerate(DEMO_LOGINS[1:], start=2):
        _invitation, token = services.invitation_create(
            store=store, invited_by=owner, email=email, role=role
        )
        membership = services.invitation_accept(token=token, full_name=name, password=DEMO_PASSWORD)
        context.users[role] = membership.user
        context.progress.step("staff", index, steps)
    # one invitation still waiting, as in any real store
    services.invitation_create(
        store=store, invited_by=owner, email="new.hire@demo.test", role="support"
    )
    services.api_key_create(store=store, actor=owner, name="Storefront sync")
    context.progress.step("staff", steps - 1, steps)
    # a second store owned by the same person, so the store switcher has something to switch
    second = services.store_create(
        owner=owner,
        name="Northwind Home",
        handle="northwind",
        currency="GBP",
        timezone="Europe/London",
        country="GB",
    )
    context.stores["second"] = second
    context.progress.step("staff", steps, steps)
