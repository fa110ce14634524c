from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from apps.core.demo import DEMO_LOGINS, DEMO_PASSWORD, SCALES, Progress, demo_loaded, seed_all
from apps.core.files import private_files_delete_of_store
from apps.core.management.base import PortalCommand
from apps.core.models import Store
from apps.core.portal import stores_delete


class Command(PortalCommand):
    help = "Create the demo stores with staff (one login per role) and history in every area."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (same seed, same data)."
        )
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo stores and their users first."
        )
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when the demo store exists."
        )

    def handle(self, *args, seed, scale, reset, if_missing, **options):
        if settings.PRODUCTION:
            # checked before anything is read or written
            raise CommandError(
                "seed_demo creates demo logins with a published password: it never runs with "
                "MERCHANT_PORTAL_ENV=production."
            )
        if demo_loaded():
            if if_missing:
                self.stdout.write("Demo store already loaded.")
                return
            if not reset:
                raise CommandError("The demo store exists already; pass --reset to recreate it.")
            self._delete_demo()
        self.stdout.write(f"Seeding the demo store (seed {seed}, scale {scale})…")
        seed_all(seed=seed, scale=scale, progress=Progress(self.stderr._out))
        self.stdout.write(self.style.SUCCESS("Demo store ready. Logins:"))
        for email, _name, role in DEMO_LOGINS:
            self.stdout.write(f"  {role:<8} {email} / {DEMO_PASSWORD}")

    @transaction.atomic
    def _delete_demo(self):
        stores = Store.objects.filter(handle__in=["demo", "northwind"])
        for store_id in stores.values_list("pk", flat=True):
            private_files_delete_of_store(store_id)  # its imports and exports, on commit
        stores_delete(stores)
        get_user_model().objects.filter(email__endswith="@demo.test").delete()
