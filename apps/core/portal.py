"""What each app adds to the portal, collected at start-up: core never lists the apps.

Every app declares its part in its own ``apps/<app>/portal.py``, which ``CoreConfig.ready()``
imports (``autodiscover_modules("portal")``)::

    from apps.core.portal import NavItem, register_nav
    from apps.shipping.permissions import MANAGE_SHIPPING  # register_permission(…) there

    register_nav(NavItem("Shipping", "shipping:zone-list", MANAGE_SHIPPING, order=60))

The kinds of contribution:

- ``NavItem``: a sidebar entry with its permission; ``order`` follows UI.md (Home 0, Orders 20,
  Customers 30, Catalog 40, Payments 50, Shipping 60, Overlays 70, Analytics 80, Reports 90,
  Settings 100).
- ``SearchProvider``: a group of the top bar's global search, for roles with its permission.
- ``SetupStep``: a step of Home's setup guide, shown to the roles that can act on it.
- ``DemoSeeder``: the app's part of ``seed_demo``, run in ``order``.
- ``RoleDescription``: the app's part of a role's description ("catalog (read-only)").
- ``Use``: what the app does with something every area shares — the admin API ("api") or a
  store setting (its field name, "currency") — so the setup guide's and the settings' words
  name only what exists: ``register_use("api", "products", order=40)``.
- ``PagePanel``: a card another app adds to a page it does not own (the order page's
  storefront session, the customer page's carts): the page names itself ("order", "customer")
  and renders every panel registered for it with one ``{% page_panels "order" order %}``; a
  panel shows to the roles with its permission, and ``context(request=, obj=)`` gives its
  template's values (``None``: nothing to show).
- ``ApiUrls``: the app's admin API routes, a URL module that ``apps/api/urls.py`` includes under
  ``/api/v1/`` in the ``api`` namespace (``register_api_urls("apps.shipping.api_urls", order=60)``);
  its views check ``USE_API`` and their own ``required_perm`` through ``apps.api.permissions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.models import Store
from apps.core.roles import Perm, Role

if TYPE_CHECKING:
    from apps.core.demo import DemoContext
    from apps.core.search import SearchHit


class SearchFunction(Protocol):
    def __call__(self, *, store: Store, query: str, limit: int) -> list[SearchHit]: ...


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str  # reversed with the store's handle
    perm: str  # a Perm of core or a permission an app registered
    order: int
    icon: str = ""
    # URL namespaces ("catalog:") or view names that highlight the entry; default: url_name's app
    active_for: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.label

    @property
    def active_prefixes(self) -> tuple[str, ...]:
        return self.active_for or (self.url_name.partition(":")[0] + ":",)


@dataclass(frozen=True)
class SearchProvider:
    label: str
    perm: str  # a Perm of core or a permission an app registered
    search: SearchFunction
    order: int = 0
    # the list page that searches the same words (``?q=``), linked when the group is capped
    more_url_name: str = ""

    @property
    def key(self) -> str:
        return self.label


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    description: str
    action_label: str
    url_name: str  # reversed with the store's handle
    perm: str  # who can act on it; other roles don't see the step
    is_done: Callable[[Store], bool]
    order: int = 0


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    seed: Callable[[DemoContext], None]
    order: int  # seeders run in this order: an area's data after what it depends on

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class StoreCleanup:
    """What an app clears before its stores are deleted: rows a protected foreign key would
    otherwise keep (a category tree's parents, the orders that keep their customer)."""

    name: str
    clear: Callable[[QuerySet], None]  # given the stores about to be deleted
    order: int

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class RoleDescription:
    role: Role
    text: str  # lower case, joined into a sentence with the other apps' parts
    order: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.role, self.text)


@dataclass(frozen=True)
class Use:
    subject: str  # "api", or a store setting's field name ("currency", "timezone")
    text: str  # "products" for the API; a whole sentence for a setting
    order: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.subject, self.text)


@dataclass(frozen=True)
class ApiUrls:
    module: str  # dotted path of a URL module ("apps.shipping.api_urls")
    order: int = 0

    @property
    def key(self) -> str:
        return self.module


class PanelContext(Protocol):
    def __call__(self, *, request: HttpRequest, obj: Any) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class PagePanel:
    page: str  # the page that shows it: "order", "customer"
    name: str
    template: str
    context: PanelContext
    perm: str  # a Perm of core or a permission an app registered
    order: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.page, self.name)


Contribution = (
    NavItem
    | SearchProvider
    | SetupStep
    | DemoSeeder
    | StoreCleanup
    | RoleDescription
    | Use
    | ApiUrls
    | PagePanel
)
C = TypeVar(
    "C",
    NavItem,
    SearchProvider,
    SetupStep,
    DemoSeeder,
    StoreCleanup,
    RoleDescription,
    Use,
    ApiUrls,
    PagePanel,
)

_contributions: list[Contribution] = []


def register(item: C) -> C:
    """Add ``item`` to the portal; the same kind with the same key twice is a mistake."""
    for existing in _contributions:
        if type(existing) is type(item) and existing.key == item.key:
            raise ValueError(f"{type(item).__name__} {item.key!r} is registered already")
    _contributions.append(item)
    return item


def unregister(item: Contribution) -> None:
    _contributions.remove(item)


def contributions(kind: type[C]) -> list[C]:
    """Every registered contribution of ``kind``, in its ``order``."""
    return sorted(
        (item for item in _contributions if type(item) is kind), key=lambda item: item.order
    )


def register_nav(item: NavItem) -> NavItem:
    return register(item)


def register_search(provider: SearchProvider) -> SearchProvider:
    return register(provider)


def register_setup_step(step: SetupStep) -> SetupStep:
    return register(step)


def register_demo_seeder(seeder: DemoSeeder) -> DemoSeeder:
    return register(seeder)


def register_store_cleanup(cleanup: StoreCleanup) -> StoreCleanup:
    return register(cleanup)


def stores_delete(stores: QuerySet) -> None:
    """Delete ``stores`` with everything they own: each app first clears what its protected
    foreign keys would keep, then the database cascades the rest."""
    for cleanup in contributions(StoreCleanup):
        cleanup.clear(stores)
    stores.delete()


def register_api_urls(module: str, *, order: int) -> ApiUrls:
    return register(ApiUrls(module, order))


def register_page_panel(panel: PagePanel) -> PagePanel:
    return register(panel)


def page_panels(page: str) -> list[PagePanel]:
    """The panels registered for ``page``, in their order."""
    return [panel for panel in contributions(PagePanel) if panel.page == page]


def register_role_description(role: Role, text: str, *, order: int) -> RoleDescription:
    return register(RoleDescription(role, text, order))


def register_use(subject: str, text: str, *, order: int) -> Use:
    return register(Use(subject, text, order))


def uses(subject: str) -> list[str]:
    """What the registered areas do with ``subject``, in their order."""
    return [item.text for item in contributions(Use) if item.subject == subject]


NOT_USED_YET = "No area of the portal uses it yet."


def uses_sentences(subject: str) -> str:
    """A store setting's uses as sentences, or that nothing uses it yet."""
    return " ".join(uses(subject)) or NOT_USED_YET


def join_words(parts: list[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


# --- role descriptions ----------------------------------------------------------------------------
# what core says of each role around the parts the apps contribute: (with parts, without)
_ROLE_SENTENCES: dict[str, tuple[str, str]] = {
    Role.OWNER: ("Everything, including {parts}.", "Everything."),
    Role.MANAGER: ("{parts}.", "The store's home page."),
    Role.SUPPORT: ("{parts}. No settings.", "The store's home page. No settings."),
}


def role_description(role: str) -> str:
    parts = [item.text for item in contributions(RoleDescription) if item.role == role]
    with_parts, without_parts = _ROLE_SENTENCES[role]
    if not parts:
        return without_parts
    sentence = with_parts.format(parts=join_words(parts))
    return sentence[0].upper() + sentence[1:]


class _RoleDescriptions(Mapping[str, str]):
    """``ROLE_DESCRIPTIONS[role]``: built from the registry each time it is read."""

    def __getitem__(self, role: str) -> str:
        if role not in Role.values:
            raise KeyError(role)
        return role_description(role)

    def __iter__(self) -> Iterator[str]:
        return iter(Role.values)

    def __len__(self) -> int:
        return len(Role.values)


ROLE_DESCRIPTIONS: Mapping[str, str] = _RoleDescriptions()


# --- core's own part ------------------------------------------------------------------------------
register_nav(
    NavItem("Home", "core:home", Perm.VIEW_HOME, order=0, icon="home", active_for=("core:home",))
)
# the store's pages run in its time zone (tenancy.resolve_store activates it)
register_use("timezone", "Dates and times on the store's pages are shown in it.", order=0)
