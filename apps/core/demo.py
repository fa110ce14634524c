"""The demo store: realistic data created through the product's own services.

``seed_demo`` runs every app's seeder (``apps.core.portal.DemoSeeder``, registered in the app's
``portal.py``) in order; each takes a ``DemoContext`` (the stores and users made so far, a seeded
``random.Random``, the scale and a progress reporter) and must write only through services (or
the bulk COPY path the product itself uses).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field

from celery import current_app
from django.db import transaction
from django.test import override_settings

from apps.core.models import Store
from apps.core.portal import DemoSeeder, contributions

DEMO_PASSWORD = "merchant-demo"  # noqa: S105 - documented demo login, dev only
DEMO_STORE_HANDLE = "demo"
DEMO_LOGINS = [
    ("owner@demo.test", "Olivia Owner", "owner"),
    ("manager@demo.test", "Max Manager", "manager"),
    ("support@demo.test", "Sam Support", "support"),
]
SCALES = {"small": 1, "medium": 5, "large": 100}


class Progress:
    """A one-line progress bar on stderr: ``[#####     ] 50% staff (3 of 6)``."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width

    def step(self, label: str, done: int, total: int) -> None:
        total = max(total, 1)
        filled = int(self.width * done / total)
        bar = "#" * filled + " " * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(
            f"\r[{bar}] {100 * done // total:3d}% {label} ({done:,} of {total:,}){end}"
        )
        self.stream.flush()


@dataclass
class DemoContext:
    rng: random.Random
    scale: str
    progress: Progress
    stores: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    @property
    def factor(self) -> int:
        return SCALES[self.scale]


def demo_seeders() -> list[DemoSeeder]:
    return contributions(DemoSeeder)


def seed_all(*, seed: int, scale: str, progress: Progress | None = None) -> DemoContext:
    app = current_app  # the project's Celery app (merchant_portal/celery.py)
    context = DemoContext(rng=random.Random(seed), scale=scale, progress=progress or Progress())
    # the demo's invitations and notifications go nowhere, not to the console: tasks queued
    # while seeding run here, with the in-memory mail backend (and need no broker)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        # one transaction: a seeder that fails leaves no half-made demo behind
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            for seeder in demo_seeders():
                seeder.seed(context)
    finally:
        app.conf.task_always_eager = eager
    return context


def demo_loaded() -> bool:
    return Store.objects.filter(handle=DEMO_STORE_HANDLE).exists()
