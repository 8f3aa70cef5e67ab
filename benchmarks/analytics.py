#!/usr/bin/env python
"""Issue 6's benchmark in one run on one set of data: import a million sale lines, then classify and report.

    .venv/bin/python benchmarks/analytics.py [--lines 1000000] [--partners 100000] [--products 20000]
                                             [--deals 200000] [--repeat 3] [--json out.json]
    DATABASE_URL=postgres://user@127.0.0.1:5432/sdelka_analytics .venv/bin/python benchmarks/analytics.py

1. Its own var directory and database (SQLite under /tmp unless DATABASE_URL is set), migrated, with ten
   salespeople in two teams; ``manage.py populate`` adds the partners (each with a counterparty whose INN
   is valid), the products and the deals (size M of the issue: 100 000 / 20 000 / 200 000) — no sales.
2. A CSV of ``--lines`` sale lines is written (the same for the same arguments): documents of 1–8 lines over
   the last 24 months, clients by INN with a long tail, products by SKU, a salesperson's login on each.
3. ``manage.py import_sales`` of that file is timed — it checks the file, creates the posted sales, lines and
   facts and refreshes the per-month aggregates. When the database already holds the file's sales, the run
   is a re-import, which adds nothing (timed and labelled as such): delete the var directory, or the
   PostgreSQL database, to time a first import again.
4. Then, on the data just imported, ``--repeat`` timed runs (after one untimed) of: ABC+XYZ of clients and of
   products for the last full year by the engine with every row built, and beside each the hand-written
   single SQL statement over the sale lines from ``classification.py`` (checked to agree); what the report
   page and the API answer (the first 100 rows and the matrix) computed on demand, storing the year's
   classes (the worker's daily job) and the same page read from the stored classes; the sales funnel of the
   biggest deal kind with stages and the manager screen, for the last 12 months, as an administrator and
   as a head.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = Path("/tmp/sdelka-bench-analytics")
PAGE_ROWS = 100  # rows a page of the report shows


def _classification_module():
    spec = importlib.util.spec_from_file_location(
        "bench_classification", BASE_DIR / "benchmarks/classification.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000, help="sale lines to import (1000000)")
    parser.add_argument("--partners", type=int, default=100_000, help="partners (100000)")
    parser.add_argument("--products", type=int, default=20_000, help="products (20000)")
    parser.add_argument("--deals", type=int, default=200_000, help="deals (200000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each report (3)")
    parser.add_argument("--var-dir", type=Path, default=DEFAULT_VAR_DIR, help=f"({DEFAULT_VAR_DIR})")
    parser.add_argument(
        "--reports-only", action="store_true", help="time the reports on the data there, without importing"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    return parser.parse_args()


def prepare_database(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sdelka.accounts.models import User
    from sdelka.accounts.services import team_get_or_create, user_create
    from sdelka.catalog.models import Product
    from sdelka.deals.models import Deal
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
    if not User.objects.filter(username="bench.admin").exists():
        user_create(
            username="bench.admin", password="bench-password-42", role="admin", validate_password=False
        )
    wanted = {
        "partners": max(args.partners - Partner.objects.count(), 0),
        "products": max(args.products - Product.objects.count(), 0),
        "deals": max(args.deals - Deal.objects.count(), 0),
    }
    options = {name: str(value) for name, value in wanted.items() if value}
    if options:
        started = time.monotonic()
        call_command("populate", seed="42", months="24", verbosity=1, **options)
        print(f"Populated {options} in {time.monotonic() - started:.1f} s")


def write_csv(args, path: Path) -> None:
    """Sale lines of documents referring to the populated clients (by INN) and products (by SKU)."""
    from sdelka.catalog.models import Product
    from sdelka.partners.models import Counterparty

    if path.exists():
        return
    rng = random.Random(7)
    clients = list(
        Counterparty.objects.exclude(inn="")
        .order_by("partner_id")
        .values_list("inn", "partner__name")[: args.partners]
    )
    products = list(Product.objects.order_by("pk").values_list("sku", "name", "price", "cost_price"))
    sellers = [f"bench.seller{n}" for n in range(10)]
    # A long tail: a few clients buy much, most little (the weights of a Pareto-like curve).
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(clients))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    from bisect import bisect_left

    today = date.today()
    first = today - timedelta(days=730)
    started = time.monotonic()
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "date,document,client_id,client_name,client_inn,product_sku,product_name,quantity,revenue,cost,manager\n"
        )
        written, number = 0, 0
        while written < args.lines:
            number += 1
            inn, name = clients[min(bisect_left(cumulative, rng.random() * total), len(clients) - 1)]
            day = first + timedelta(days=rng.randrange(730))
            seller = sellers[hash(inn) % len(sellers)]
            for _ in range(min(rng.randint(1, 8), args.lines - written)):
                sku, product_name, price, cost = products[rng.randrange(len(products))]
                quantity = rng.randint(1, 20)
                name_cell = '"' + name.replace('"', '""') + '"'
                product_cell = '"' + product_name.replace('"', '""') + '"'
                out.write(
                    f"{day.isoformat()},B-{number},,{name_cell},{inn},{sku},{product_cell},{quantity},"
                    f"{price * quantity},{cost * quantity},{seller}\n"
                )
                written += 1
    print(f"Wrote {args.lines} lines ({number} documents) to {path} in {time.monotonic() - started:.1f} s")


def main() -> None:
    args = parse_args()
    bench = _classification_module()
    bench.configure_environment(args)
    import django

    django.setup()
    prepare_database(args)

    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from sdelka.accounts.models import User
    from sdelka.analytics.models import ClassifiedPeriod
    from sdelka.analytics.periods import Period as ClassPeriod
    from sdelka.analytics.selectors.classification import Boundaries, classification_compute
    from sdelka.analytics.selectors.classification_reports import classification_report
    from sdelka.analytics.selectors.dashboard_period import Period
    from sdelka.analytics.selectors.funnel import sales_funnel
    from sdelka.analytics.selectors.managers import manager_performance
    from sdelka.analytics.services.classification import classification_store
    from sdelka.deals.models import Deal, DealKind
    from sdelka.documents.models import SalesFact

    results = []
    if not args.reports_only:
        csv_path = args.var_dir / f"sales-{args.lines}.csv"
        write_csv(args, csv_path)
        before = SalesFact.objects.count()
        started = time.monotonic()
        call_command("import_sales", str(csv_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
        seconds = time.monotonic() - started
        added = SalesFact.objects.count() - before
        label = "import (first)" if added else "re-import (adds nothing)"
        print(f"{label} of {args.lines} lines: {seconds:.1f} s, {added} sales facts added")
        results += [
            bench.Row(f"{label}, {args.lines} lines", added, seconds * 1000, seconds * 1000, seconds * 1000)
        ]

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = timezone.localdate()
    year = ClassPeriod("year", date(today.year - 1, 1, 1))
    boundaries = Boundaries(Decimal(80), Decimal(95), Decimal(10), Decimal(25))
    agreement = []
    admin = User.objects.get(username="bench.admin")
    ClassifiedPeriod.objects.filter(period_type=year.type, period_start=year.start).delete()

    def report_page(subject: str) -> list:
        # What the report page and the API answer: the first page of rows and the matrix.
        report = classification_report(user=admin, subject=subject, criterion="revenue", period=year)
        page = report.rows[:PAGE_ROWS]
        return [*page, *(cell for line in report.matrix for cell in line)]

    for subject in ("clients", "products"):
        row, rows = bench.time_case(
            f"{subject}: ABC+XYZ, year, engine, every row built",
            lambda subject=subject: list(
                classification_compute(
                    subject=subject, criterion="revenue", period=year, boundaries=boundaries
                )
            ),
            args.repeat,
        )
        results.append(row)

        def baseline(subject=subject):
            with connection.cursor() as cursor:
                cursor.execute(bench.baseline_sql(subject), [year.start, year.end])
                return cursor.fetchall()

        base_row, base = bench.time_case(f"{subject}: ABC+XYZ, year, baseline SQL", baseline, args.repeat)
        results.append(base_row)
        mine = {r.subject_id: (r.abc, r.xyz) for r in rows if r.abc}
        theirs = {sid: (abc, xyz) for sid, abc, xyz in base}
        differing = sum(1 for sid in set(mine) | set(theirs) if mine.get(sid) != theirs.get(sid))
        agreement.append(f"{subject}: {len(mine)} classified, {differing} differ from the baseline")
        results.append(
            bench.time_case(
                f"{subject}: report page + matrix, computed on demand",
                lambda subject=subject: report_page(subject),
                args.repeat,
            )[0]
        )
        results.append(
            bench.time_case(
                f"{subject}: store the year's classes (the worker)",
                lambda subject=subject: [
                    classification_store(
                        subject=subject, criterion="revenue", period=year, boundaries=boundaries
                    )
                ],
                args.repeat,
            )[0]
        )
        results.append(
            bench.time_case(
                f"{subject}: report page + matrix, stored classes",
                lambda subject=subject: report_page(subject),
                args.repeat,
            )[0]
        )

    period = Period(today - timedelta(days=365), today)
    staged = Deal.objects.filter(kind__process_type__in=("manual", "typical"))
    biggest = staged.order_by().values("kind").annotate(n=Count("pk")).order_by("-n")
    kind = DealKind.objects.get(pk=biggest.values_list("kind", flat=True)[0])
    for username in ("bench.admin", "bench.seller0"):
        user = User.objects.get(username=username)
        results.append(
            bench.time_case(
                f"funnel of '{kind.name}', 12 months, {username}",
                lambda user=user: sales_funnel(user=user, kind=kind, period=period).stages,
                args.repeat,
            )[0]
        )
        results.append(
            bench.time_case(
                f"manager screen, 12 months, {username}",
                lambda user=user: manager_performance(user=user, period=period).rows,
                args.repeat,
            )[0]
        )

    width = max(len(row.case) for row in results)
    print(f"\n{'case'.ljust(width)}  {'rows':>8}  {'p50 ms':>9}  {'min ms':>9}  {'max ms':>9}")
    for row in results:
        print(
            f"{row.case.ljust(width)}  {row.rows:>8}  {row.p50_ms:>9.1f}  {row.min_ms:>9.1f}  {row.max_ms:>9.1f}"
        )
    print()
    for line in agreement:
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps({"results": [asdict(r) for r in results], "agreement": agreement}, indent=2)
        )


if __name__ == "__main__":
    sys.exit(main())
