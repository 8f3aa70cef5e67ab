#!/usr/bin/env python
"""How fast is the ABC/XYZ classification on a million sale lines? See benchmarks/README.md.

    .venv/bin/python benchmarks/classification.py [--lines 1000000] [--repeat 5] [--json out.json]

Works on its own database (a SQLite file under /tmp by default, or $DATABASE_URL) and its own var/
directory. Like ``sales_facts.py`` it tops the database up with ``manage.py populate`` (which also keeps
the per-month aggregates current), then times, for clients and for products over the last full year:

- the engine (``classification_compute``: ABC + XYZ + stages from the monthly aggregates), and
- the baseline: one hand-written SQL statement computing the same ABC and XYZ classes straight from the
  sale facts (grouping the facts by subject and month, then the same window functions),

and checks that both give the same classes. It also times the engine for one month (weeks from the facts)
and for a manager's scope, and the rebuild of every aggregate.
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
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = Path("/tmp/sdelka-bench-classification")


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
        "--repeat", type=int, default=5, help="timed runs of each case (5), after one untimed"
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=DEFAULT_VAR_DIR,
        help=f"SDELKA_VAR_DIR of the benchmark: secret key and SQLite file ({DEFAULT_VAR_DIR})",
    )
    parser.add_argument("--rebuild", action="store_true", help="also time manage.py analytics_rebuild")
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


def prepare_database(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sdelka.accounts.models import User
    from sdelka.accounts.services import team_get_or_create, user_create
    from sdelka.analytics.models import ClientMonth
    from sdelka.analytics.services.aggregates import sales_aggregates_rebuild
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
                password="bench-password-42",
                role="head" if n in (0, 5) else "manager",
                team=team_get_or_create(name="Bench A" if n < 5 else "Bench B"),
                validate_password=False,
            )
    partners = max(args.partners - Partner.objects.count(), 0)
    products = max(args.products - Product.objects.count(), 0)
    lines = max(args.lines - SalesFact.objects.count(), 0)
    if partners or products or lines:
        started = time.monotonic()
        options = {"seed": "42", "months": str(args.months), "verbosity": 1}
        for name, value in (("partners", partners), ("products", products), ("sales", lines)):
            if value:
                options[name] = str(value)
        call_command("populate", **options)
        print(f"Populated in {time.monotonic() - started:.1f} s")
    if args.rebuild or (SalesFact.objects.exists() and not ClientMonth.objects.exists()):
        # A database populated before the aggregates existed (e.g. sales_facts.py's) gets them now.
        started = time.monotonic()
        months = sales_aggregates_rebuild()
        print(f"Aggregates of {months} months rebuilt in {time.monotonic() - started:.1f} s")


# --- the baseline: one SQL statement straight from the facts ----------------------------------------------


def baseline_sql(subject: str) -> str:
    """ABC (80/95) and XYZ (10/25) of one year by revenue, from the sales facts alone, months as sub-periods."""
    from django.db import connection

    column = "partner_id" if subject == "clients" else "product_id"
    names = "partners_partner" if subject == "clients" else "catalog_product"
    month = "substr(date, 1, 7)" if connection.vendor == "sqlite" else "to_char(date, 'YYYY-MM')"
    squares = "TOTAL" if connection.vendor == "sqlite" else "SUM"
    return f"""
        WITH sub AS (
            SELECT {column} AS sid, {month} AS sp, ROUND(SUM(revenue) * 100) AS v
            FROM documents_salesfact WHERE date >= %s AND date <= %s GROUP BY 1, 2
        ),
        tot AS (SELECT sid, SUM(v) AS value, {squares}(v * v) AS sq FROM sub GROUP BY sid),
        ranked AS (
            SELECT t.sid, t.value, t.sq,
                   SUM(t.value) OVER (ORDER BY t.value DESC, n.name, t.sid
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
                   SUM(t.value) OVER () AS total
            FROM tot t JOIN {names} n ON n.id = t.sid WHERE t.value > 0
        )
        SELECT sid,
               CASE WHEN (running - value) * 100 < 80 * total THEN 'A'
                    WHEN (running - value) * 100 < 95 * total THEN 'B' ELSE 'C' END,
               CASE WHEN 10000 * (12 * sq - value * value) <= 100 * value * value THEN 'X'
                    WHEN 10000 * (12 * sq - value * value) <= 625 * value * value THEN 'Y' ELSE 'Z' END
        FROM ranked
    """


# --- timing -----------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    rows: int
    p50_ms: float
    min_ms: float
    max_ms: float


def time_case(name: str, run: Callable[[], list], repeat: int) -> tuple[Row, list]:
    result = run()  # untimed: warms the page cache and the connection
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - started) * 1000)
    return Row(name, len(result), statistics.median(timings), min(timings), max(timings)), result


def main() -> None:
    args = parse_args()
    configure_environment(args)
    import django

    django.setup()
    prepare_database(args)

    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from sdelka.accounts.models import User
    from sdelka.analytics.models import ClientMonth, ProductMonth
    from sdelka.analytics.periods import Period
    from sdelka.analytics.selectors.classification import Boundaries, classification_compute
    from sdelka.documents.models import SalesFact

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = timezone.localdate()
    year = Period("year", date(today.year - 1, 1, 1))
    month = Period("month", date(today.year - 1, 12, 1))
    boundaries = Boundaries(Decimal(80), Decimal(95), Decimal(10), Decimal(25))
    print(
        f"Data: {SalesFact.objects.count()} sales facts; aggregates: {ClientMonth.objects.count()} client-months, "
        f"{ProductMonth.objects.count()} product-months; year {year.start.year}"
    )
    manager = User.objects.filter(username="bench.seller1").first()

    def engine(subject: str, period: Period = year, user=None) -> Callable[[], list]:
        # Every row built, as storing the classes and the exports need them.
        return lambda: list(
            classification_compute(
                subject=subject, criterion="revenue", period=period, boundaries=boundaries, user=user
            )
        )

    def baseline(subject: str) -> Callable[[], list]:
        def run() -> list:
            with connection.cursor() as cursor:
                cursor.execute(baseline_sql(subject), [year.start, year.end])
                return cursor.fetchall()

        return run

    results, agreement = [], []
    for subject in ("clients", "products"):
        row, rows = time_case(f"{subject}: ABC+XYZ, year, engine (aggregates)", engine(subject), args.repeat)
        results.append(row)
        base_row, base = time_case(
            f"{subject}: ABC+XYZ, year, baseline SQL (facts)", baseline(subject), args.repeat
        )
        results.append(base_row)
        mine = {r.subject_id: (r.abc, r.xyz) for r in rows if r.abc}
        theirs = {sid: (abc, xyz) for sid, abc, xyz in base}
        differing = sum(1 for sid in set(mine) | set(theirs) if mine.get(sid) != theirs.get(sid))
        agreement.append(f"{subject}: {len(mine)} classified, {differing} differ from the baseline")
        results.append(
            time_case(f"{subject}: ABC+XYZ, month (weeks from facts)", engine(subject, month), args.repeat)[0]
        )
        if manager is not None:
            results.append(
                time_case(
                    f"{subject}: ABC+XYZ, year, one manager's scope",
                    engine(subject, user=manager),
                    args.repeat,
                )[0]
            )

    width = max(len(row.case) for row in results)
    print(f"\n{'case'.ljust(width)}  {'rows':>7}  {'p50 ms':>8}  {'min ms':>8}  {'max ms':>8}")
    for row in results:
        print(
            f"{row.case.ljust(width)}  {row.rows:>7}  {row.p50_ms:>8.1f}  {row.min_ms:>8.1f}  {row.max_ms:>8.1f}"
        )
    print()
    for line in agreement:
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"results": [asdict(r) for r in results], "agreement": agreement},
                indent=2,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
