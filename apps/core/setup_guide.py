"""The store's setup guide: steps that tick themselves from the store's real data.

Each area contributes its steps once its pages exist; a step is done when its query says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from apps.accounts.roles import Perm, role_has
from apps.core.models import Store


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    description: str
    action_label: str
    url_name: str
    perm: Perm
    is_done: Callable[[Store], bool]


@dataclass(frozen=True)
class SetupStepState:
    step: SetupStep
    done: bool
    url: str | None  # None when the viewer's role cannot act on the step


def _staff_invited(store: Store) -> bool:
    from apps.accounts.models import Invitation, Membership

    return (
        Membership.objects.filter(store=store).count() > 1
        or Invitation.objects.for_store(store).exists()
    )


def _api_key_created(store: Store) -> bool:
    from apps.accounts.models import ApiKey

    return ApiKey.objects.for_store(store).exists()


def _product_added(store: Store) -> bool:
    from apps.catalog.models import Product

    return Product.objects.for_store(store).exists()


SETUP_STEPS: list[SetupStep] = [
    SetupStep(
        key="products",
        title="Add your products",
        description="Create your catalog: products with their variants, prices and stock.",
        action_label="Add a product",
        url_name="catalog:product-create",
        perm=Perm.MANAGE_CATALOG,
        is_done=_product_added,
    ),
    SetupStep(
        key="staff",
        title="Invite your team",
        description="Give managers and support staff their own logins with the right role.",
        action_label="Invite staff",
        url_name="accounts:staff-list",
        perm=Perm.MANAGE_STAFF,
        is_done=_staff_invited,
    ),
    SetupStep(
        key="api-key",
        title="Connect your systems",
        description="Create an API key so your storefront or ERP can send orders and products.",
        action_label="Create an API key",
        url_name="accounts:api-key-list",
        perm=Perm.MANAGE_API_KEYS,
        is_done=_api_key_created,
    ),
]


def setup_guide_for(*, store: Store, role: str) -> list[SetupStepState]:
    states = []
    for step in SETUP_STEPS:
        can_act = role_has(role, step.perm)
        url = reverse(step.url_name, kwargs={"handle": store.handle}) if can_act else None
        states.append(SetupStepState(step=step, done=step.is_done(store), url=url))
    return states
