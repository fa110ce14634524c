"""``seed_demo``: the demo store with one login per role, deterministic, loaded once.

The complete demo (every area's seeder) runs once here; the rules of the command itself are
checked with the staff seeder alone, which keeps them fast while other areas grow the demo.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from apps.accounts.models import ApiKey, Invitation, Membership, User
from apps.core import demo
from apps.core.models import Store
from apps.core.portal import DemoSeeder, contributions

DEMO_HANDLES = ["demo", "northwind"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # demo images never land in the project's media folder


def _staff_seeder() -> DemoSeeder:
    return next(seeder for seeder in contributions(DemoSeeder) if seeder.name == "staff")


@pytest.fixture
def staff_only(monkeypatch):
    monkeypatch.setattr(demo, "demo_seeders", lambda: [_staff_seeder()])


def _seed(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _snapshot() -> dict:
    """Everything the demo made, without ids, keys or timestamps."""
    stores = Store.objects.filter(handle__in=DEMO_HANDLES).order_by("handle")
    counts = {}
    for model in apps.get_models():
        field_names = {field.name for field in model._meta.get_fields()}
        if "store" in field_names and model is not Membership:
            counts[model._meta.label] = model._default_manager.filter(store__in=stores).count()
    return {
        "stores": list(
            stores.values_list(
                "handle", "name", "currency", "timezone", "country", "allowed_origins"
            )
        ),
        "staff": list(
            Membership.objects.filter(store__in=stores)
            .order_by("store__handle", "user__email")
            .values_list("store__handle", "user__email", "user__full_name", "role")
        ),
        "invitations": list(
            Invitation.objects.filter(store__in=stores, accepted_at__isnull=True)
            .order_by("email")
            .values_list("store__handle", "email", "role", "revoked_at")
        ),
        "api_keys": list(
            ApiKey.objects.filter(store__in=stores).values_list("store__handle", "name")
        ),
        "counts": counts,
    }


def test_seed_demo_creates_the_demo_store_and_one_login_per_role(db):
    out, err = _seed(seed=1)

    store = Store.objects.get(handle="demo")
    assert store.name == "Acme Outfitters"
    assert sorted(Membership.objects.filter(store=store).values_list("user__email", "role")) == [
        ("manager@demo.test", "manager"),
        ("owner@demo.test", "owner"),
        ("support@demo.test", "support"),
    ]
    for email in ["owner@demo.test", "manager@demo.test", "support@demo.test"]:
        assert User.objects.get(email=email).check_password("merchant-demo")
    assert Membership.objects.get(user__email="owner@demo.test", store__handle="northwind")
    assert "Demo store ready. Logins:" in out
    assert "  owner    owner@demo.test / merchant-demo" in out
    assert "100% staff" in err  # progress is shown
    client = Client()
    login = client.post("/login/", {"username": "manager@demo.test", "password": "merchant-demo"})
    assert login.status_code == 302
    assert client.get("/").status_code == 302


def test_seed_demo_reset_deletes_a_complete_demo(db, monkeypatch):
    """The README's recreate command: every area's demo rows (category trees, customers with
    orders, carriers with rates) go with the stores, not only the staff."""
    _seed(seed=1)
    old_ids = list(Store.objects.filter(handle__in=DEMO_HANDLES).values_list("pk", flat=True))
    monkeypatch.setattr(demo, "demo_seeders", lambda: [_staff_seeder()])

    _seed(seed=1, reset=True)

    assert Store.objects.filter(pk__in=old_ids).count() == 0
    for model in apps.get_models():
        if "store" in {field.name for field in model._meta.get_fields()}:
            left = model._default_manager.filter(store_id__in=old_ids).count()
            assert left == 0, model._meta.label


def test_seed_demo_is_deterministic(db, staff_only):
    _seed(seed=1)
    first = _snapshot()

    _seed(seed=1, reset=True)

    assert _snapshot() == first
    assert first["invitations"] == [("demo", "new.hire@demo.test", "support", None)]
    assert first["api_keys"] == [("demo", "Storefront sync")]


def test_seed_demo_refuses_to_run_twice_without_reset(db, staff_only):
    _seed(seed=1)
    before = _snapshot()
    users_before = User.objects.count()

    with pytest.raises(CommandError) as error:
        _seed(seed=1)

    assert str(error.value) == "The demo store exists already; pass --reset to recreate it."
    assert _snapshot() == before
    assert User.objects.count() == users_before


def test_seed_demo_reset_recreates_the_demo(db, staff_only):
    _seed(seed=1)
    old_store_id = Store.objects.get(handle="demo").pk

    _seed(seed=1, reset=True)

    assert Store.objects.filter(handle="demo").count() == 1
    assert Store.objects.get(handle="demo").pk != old_store_id
    assert User.objects.filter(email__endswith="@demo.test").count() == 3


def test_seed_demo_if_missing_does_nothing_when_loaded(db, staff_only):
    _seed(seed=1)
    before = _snapshot()
    store_id = Store.objects.get(handle="demo").pk

    out, _err = _seed(seed=2, if_missing=True)

    assert out == "Demo store already loaded.\n"
    assert _snapshot() == before
    assert Store.objects.get(handle="demo").pk == store_id


def test_seed_demo_if_missing_seeds_when_absent(db, staff_only):
    _seed(if_missing=True)

    assert Store.objects.filter(handle="demo").exists()


def test_seed_demo_leaves_other_stores_and_users_alone(db, staff_only, store, owner):
    _seed(seed=1)

    _seed(seed=1, reset=True)

    assert Store.objects.filter(handle="alpha").exists()
    assert User.objects.filter(email="owner@alpha.test").exists()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_needs_no_broker_and_sends_no_real_email(staff_only, monkeypatch, tmp_path):
    from django.core import mail

    from apps.core import embedded

    monkeypatch.setenv("CELERY_BROKER_URL", embedded.redis_url(tmp_path / "no-redis.sock"))

    _seed(seed=1)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "manager@demo.test",
        "new.hire@demo.test",
        "support@demo.test",
    ]
    assert Store.objects.filter(handle__in=DEMO_HANDLES).count() == 2


def test_a_seeder_that_fails_leaves_no_half_made_demo(db, monkeypatch):
    def broken(context):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        demo, "demo_seeders", lambda: [_staff_seeder(), DemoSeeder("broken", broken, order=99)]
    )

    with pytest.raises(RuntimeError, match="disk full"):
        _seed(seed=1)

    # nothing stays behind, so the next `manage.py dev` seeds the demo again
    assert not Store.objects.filter(handle__in=DEMO_HANDLES).exists()
    assert not User.objects.filter(email__endswith="@demo.test").exists()


@pytest.mark.parametrize("options", [{}, {"reset": True}, {"if_missing": True}])
def test_seed_demo_refuses_to_run_with_production_settings(db, settings, options):
    settings.ENVIRONMENT = "production"
    settings.PRODUCTION = True
    users_before = User.objects.count()

    with pytest.raises(CommandError) as error:
        _seed(seed=1, **options)

    assert str(error.value) == (
        "seed_demo creates demo logins with a published password: it never runs with "
        "MERCHANT_PORTAL_ENV=production."
    )
    assert not Store.objects.filter(handle__in=DEMO_HANDLES).exists()
    assert User.objects.count() == users_before


def test_seed_demo_with_production_settings_exits_non_zero(db, settings, capsys, monkeypatch):
    from django.core.management import ManagementUtility, base

    settings.ENVIRONMENT = "production"
    settings.PRODUCTION = True
    # run_from_argv closes the connections when it ends; the test still needs its own
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "seed_demo"]).execute()

    assert exit_info.value.code == 1
    assert "never runs with MERCHANT_PORTAL_ENV=production" in capsys.readouterr().err
    assert not Store.objects.filter(handle__in=DEMO_HANDLES).exists()
