"""Fold the storefront events stored since the last run into sessions, carts and the rollups
now: the same code the beat job runs every minute."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from apps.events import partitions, rollup


class Command(BaseCommand):
    help = "Fold new storefront events into the analytics rollups (what the beat job runs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partitions",
            action="store_true",
            help="Also create the coming months' event partitions and drop those past retention.",
        )

    def handle(self, *args, **options):
        if options["partitions"]:
            touched = partitions.partitions_maintain()
            dropped = ", ".join(touched["dropped"]) or "none"
            self.stdout.write(
                f"Partitions ready up to {touched['created'][-1]}; dropped: {dropped}."
            )
        started = time.monotonic()
        result = rollup.refresh()
        self.stdout.write(
            f"Folded {result.events:,} events into {result.hours:,} store-hours and "
            f"{result.days:,} store-days in {time.monotonic() - started:.2f} s."
        )
