"""``manage.py populate``: bulk-create many partners, products, deals and posted sales for load tests and
benchmarks."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sdelka.core.demo.bulk import populate
from sdelka.core.demo.bulk_sales import NothingToSellError, populate_sales

MAX_ROWS = 10_000_000


def _positive(option: str, value: str | int | None, *, maximum: int = MAX_ROWS) -> int | None:
    """The option's value as a positive int, or a one-line CommandError saying what is wrong."""
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise CommandError(f"{option} must be a positive whole number, got “{value}”.") from None
    if number < 1:
        raise CommandError(f"{option} must be a positive whole number, got {number}.")
    if number > maximum:
        raise CommandError(f"{option} must be at most {maximum}, got {number}.")
    return number


class Command(BaseCommand):
    help = (
        "Add many partners (each with one counterparty with valid tax ids and one contact person) and "
        "products, fast, for load tests and benchmarks. Rows are bulk-inserted: they get NO change-history "
        "rows and skip the services' per-record checks (the first rows of every batch are validated with "
        "full_clean). Partners are spread over the active managers and heads of sales (10% unassigned) "
        "and over the leaf partner groups; groups are created when there are none. Deals (with their "
        "timeline events) and posted sales (with their lines and sales facts) go to the clients that have "
        "a counterparty, over the last --months months; numbers come from the services' counters, totals "
        "are the sums of the lines and the facts are what posting writes. Same --seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partners", help="How many partners to add (a positive number).")
        parser.add_argument("--products", help="How many products to add (a positive number).")
        parser.add_argument("--deals", help="How many deals to add (a positive number).")
        parser.add_argument(
            "--sales", help="How many sale lines to add, in posted sales of 1-8 lines (a positive number)."
        )
        parser.add_argument(
            "--months",
            default="24",
            help="Deals and sales are dated over this many months back (default 24).",
        )
        parser.add_argument("--seed", default="1", help="Seed of the random generator (default 1).")
        parser.add_argument(
            "--batch-size", default="5000", help="Rows written per transaction (default 5000)."
        )

    def handle(self, *args, **options):
        partners = _positive("--partners", options.get("partners"))
        products = _positive("--products", options.get("products"))
        deals = _positive("--deals", options.get("deals"))
        sales = _positive("--sales", options.get("sales"))
        months = _positive("--months", options.get("months"), maximum=240)
        batch_size = _positive("--batch-size", options.get("batch_size"), maximum=100_000)
        try:
            seed = int(str(options.get("seed")).strip())
        except ValueError:
            raise CommandError(f"--seed must be a whole number, got “{options.get('seed')}”.") from None
        if not (partners or products or deals or sales):
            raise CommandError("Nothing to do: give --partners, --products, --deals and/or --sales.")

        verbosity = options.get("verbosity", 1)
        started = time.monotonic()
        progress = self.stdout.write if verbosity >= 1 else lambda _m: None
        counts = populate(
            partners=partners or 0,
            products=products or 0,
            seed=seed,
            batch_size=batch_size or 5000,
            progress=progress,
        )
        sales_counts = None
        sales_seconds = 0.0
        if deals or sales:
            sales_started = time.monotonic()
            try:
                sales_counts = populate_sales(
                    deals=deals or 0,
                    sales_lines=sales or 0,
                    seed=seed,
                    months=months or 24,
                    batch_size=batch_size or 5000,
                    progress=progress,
                )
            except NothingToSellError as error:
                raise CommandError(str(error)) from error
            sales_seconds = time.monotonic() - sales_started
        # Fresh planner statistics: without them SQLite sorts a head's 50k partners instead of reading the
        # name index in order (125 ms → 12 ms for the first page at 100k partners).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if partners and not counts.managers:
            self.stderr.write(
                "Warning: there are no active managers or heads of sales, so every partner is unassigned; "
                "add some with `manage.py create_user` first."
            )
        parts = []
        if partners:
            parts.append(
                f"{counts.partners} partners, {counts.counterparties} counterparties, "
                f"{counts.contacts} contact persons"
            )
        if products:
            parts.append(f"{counts.products} products")
        if sales_counts is not None and deals:
            parts.append(f"{sales_counts.deals} deals ({sales_counts.events} events)")
        if sales_counts is not None and sales:
            parts.append(
                f"{sales_counts.sales} posted sales with {sales_counts.lines} lines and "
                f"{sales_counts.facts} sales facts ({sales_counts.lines / max(sales_seconds, 0.001):,.0f} "
                "sale lines a second)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Added {', '.join(parts)} in {time.monotonic() - started:.1f} s.")
        )
