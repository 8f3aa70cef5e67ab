"""``manage.py analytics_rebuild``: rebuild the per-month sales aggregates from the sales facts."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from sdelka.analytics.services.aggregates import sales_aggregates_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the per-month sales aggregates of clients and products from the sales facts "
        "(stored classifications are dropped; run 'classify all periods' afterwards)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--classify", action="store_true", help="Then store the classes of every closed period."
        )

    def handle(self, *args, classify: bool = False, **options):
        started = time.monotonic()
        months = sales_aggregates_rebuild()
        self.stdout.write(f"Aggregates of {months} months rebuilt in {time.monotonic() - started:.1f} s.")
        if classify:
            from django.utils import timezone

            from sdelka.analytics.services.classification import classification_store_all

            started = time.monotonic()
            stored = classification_store_all(today=timezone.localdate())
            self.stdout.write(f"{stored} periods classified in {time.monotonic() - started:.1f} s.")
