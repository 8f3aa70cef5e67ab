#!/usr/bin/env python
"""How fast are the typical analytic queries on the sales facts? See benchmarks/README.md.

    .venv/bin/python benchmarks/sales_facts.py [--lines 1000000] [--repeat 5] [--json out.json]

Works on its own database (a SQLite file under /tmp by default, or $DATABASE_URL) and its own var/
directory, so the development database is never touched. The database is kept between runs: the second
run only tops it up to --lines sale lines (each with its sales fact) and times the queries again.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = Path("/tmp/sdelka-bench-sales")
BENCH_PASSWORD = "bench-password-42"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--lines", type=int, default=1_000_000, help="sale lines (= sales facts) wanted (1000000)"
    )
    parser.add_argument("--partners", type=int, default=20_000, help="partners in the database (20000)")
    parser.add_argument("--products", type=int, default=2_000, help="products in the database (2000)")
    parser.add_argument(
        "--months", type=int, default=24, help="the sales are spread over this many months (24)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed runs of each query (5), after one untimed"
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=DEFAULT_VAR_DIR,
        help=f"SDELKA_VAR_DIR of the benchmark: secret key and SQLite file ({DEFAULT_VAR_DIR})",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    return parser.parse_args()


def configure_environment(args: argparse.Namespace) -> None:
    """Point Django at the benchmark's own var/ dir and database, before anything imports settings."""
    args.var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SDELKA_VAR_DIR": str(args.var_dir),
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{args.var_dir / 'bench.sqlite3'}",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(BASE_DIR))


# --- database -------------------------------------------------------------------------------------------


def prepare_database(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sdelka.accounts.models import User
    from sdelka.accounts.services import team_get_or_create, user_create
    from sdelka.catalog.models import Product
    from sdelka.documents.models import SalesFact
    from sdelka.partners.models import Partner

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    for n in range(10):
        username = f"bench.seller{n}"
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password=BENCH_PASSWORD,
                role="head" if n in (0, 5) else "manager",
                team=team_get_or_create(name="Bench A" if n < 5 else "Bench B"),
                validate_password=False,
            )
    partners = max(args.partners - Partner.objects.count(), 0)
    products = max(args.products - Product.objects.count(), 0)
    lines = max(args.lines - SalesFact.objects.count(), 0)
    if not (partners or products or lines):
        print(f"Data: {SalesFact.objects.count()} sales facts already there, populate skipped")
        return
    started = time.monotonic()
    options = {"seed": "42", "months": str(args.months), "verbosity": 1}
    for name, value in (("partners", partners), ("products", products), ("sales", lines)):
        if value:
            options[name] = str(value)
    call_command("populate", **options)
    print(
        f"Populated in {time.monotonic() - started:.1f} s"
        + (f" ({lines / (time.monotonic() - started):,.0f} lines a second)" if lines else "")
    )


# --- the queries ------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    rows: int
    p50_ms: float
    min_ms: float
    max_ms: float


def build_cases() -> list[tuple[str, Callable[[], list]]]:
    """The reads the reports make: sums over the facts grouped by client, product, manager and month."""
    from django.db import connection
    from django.db.models import Count, Sum
    from django.db.models.functions import Substr, TruncMonth
    from django.utils import timezone

    from sdelka.documents.models import SalesFact

    today = timezone.localdate()
    year = today.year - 1
    year_range = (date(year, 1, 1), date(year, 12, 31))
    quarter_range = (date(year, 10, 1), date(year, 12, 31))
    month_first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month_range = (month_first, today.replace(day=1) - timedelta(days=1))
    in_year = SalesFact.objects.filter(date__range=year_range).order_by()
    top_client = (
        in_year.values("partner_id")
        .annotate(revenue=Sum("revenue"))
        .order_by("-revenue")
        .values_list("partner_id", flat=True)
        .first()
    )
    sums = {"revenue": Sum("revenue"), "gross_profit": Sum("gross_profit")}
    cases = [
        (
            "revenue by client, one year (ABC of clients)",
            lambda: list(in_year.values("partner_id").annotate(**sums).order_by("-revenue")),
        ),
        (
            "sale documents by client, one year (ABC by documents)",
            lambda: list(in_year.values("partner_id").annotate(documents=Count("sale_id", distinct=True))),
        ),
        (
            "revenue by product by month, one year (XYZ of products)",
            lambda: list(in_year.values("product_id", month=TruncMonth("date")).annotate(**sums)),
        ),
        (
            "revenue by client by month, one year (XYZ of clients)",
            lambda: list(in_year.values("partner_id", month=TruncMonth("date")).annotate(**sums)),
        ),
        (
            "revenue by manager by month, all months",
            lambda: list(
                SalesFact.objects.order_by().values("manager_id", month=TruncMonth("date")).annotate(**sums)
            ),
        ),
        (
            "top 20 clients with names, one quarter",
            lambda: list(
                SalesFact.objects.filter(date__range=quarter_range)
                .order_by()
                .values("partner_id", "partner__name")
                .annotate(**sums)
                .order_by("-revenue")[:20]
            ),
        ),
        (
            "one client by month, one year",
            lambda: list(
                in_year.filter(partner_id=top_client).values(month=TruncMonth("date")).annotate(**sums)
            ),
        ),
        (
            "total of last month (dashboard)",
            lambda: [SalesFact.objects.filter(date__range=month_range).aggregate(**sums)],
        ),
    ]
    if connection.vendor == "sqlite":
        # SQLite has no date functions Django can use: TruncMonth calls a Python function per row. The
        # stored date is ISO text, so its first seven characters are the month, computed by SQLite itself.
        month = Substr("date", 1, 7)
        cases.append(
            (
                "revenue by product by month, one year, month = substr(date) (SQLite)",
                lambda: list(in_year.annotate(month=month).values("product_id", "month").annotate(**sums)),
            )
        )
        cases.append(
            (
                "revenue by manager by month, all months, month = substr(date) (SQLite)",
                lambda: list(
                    SalesFact.objects.order_by()
                    .annotate(month=month)
                    .values("manager_id", "month")
                    .annotate(**sums)
                ),
            )
        )
    return cases


def time_cases(repeat: int) -> list[Row]:
    results = []
    for name, run in build_cases():
        run()  # untimed: warms the page cache and the connection
        timings = []
        rows = 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(run())
            timings.append((time.perf_counter() - started) * 1000)
        results.append(Row(name, rows, statistics.median(timings), min(timings), max(timings)))
    return results


def main() -> None:
    args = parse_args()
    configure_environment(args)
    import django

    django.setup()
    prepare_database(args)

    from django.db import connection

    from sdelka.documents.models import Sale, SalesFact
    from sdelka.partners.models import Partner

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    facts, sales, partners = SalesFact.objects.count(), Sale.objects.count(), Partner.objects.count()
    print(f"Data: {facts} sales facts in {sales} sales, {partners} partners")
    results = time_cases(args.repeat)
    width = max(len(row.case) for row in results)
    print(f"\n{'query'.ljust(width)}  {'rows':>7}  {'p50 ms':>8}  {'min ms':>8}  {'max ms':>8}")
    for row in results:
        print(
            f"{row.case.ljust(width)}  {row.rows:>7}  {row.p50_ms:>8.1f}  {row.min_ms:>8.1f}  {row.max_ms:>8.1f}"
        )
    if args.json:
        payload = {
            "facts": facts,
            "sales": sales,
            "partners": partners,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
