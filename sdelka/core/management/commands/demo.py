"""``manage.py demo``: create the demo company ООО «ТехноСнаб» in an empty database and print its logins."""

from __future__ import annotations

import time
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sdelka.accounts.models import User
from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.demo.plan import COMPANY_NAME, DEMO_PASSWORD, USERS, build_plan
from sdelka.core.demo.writer import demo_create, demo_logins
from sdelka.partners.models import Individual, Partner, PartnerGroup


def existing_data() -> list[str]:
    """What the database holds that the demo would clash with or duplicate, e.g. ["304 partners"]."""
    found = []
    for label, model in (
        ("partners", Partner),
        ("partner groups", PartnerGroup),
        ("individuals", Individual),
        ("products", Product),
        ("product groups", ProductGroup),
    ):
        count = model.objects.count()
        if count:
            found.append(f"{count} {label}")
    taken = list(
        User.objects.filter(username__in=[u.username for u in USERS]).values_list("username", flat=True)
    )
    if taken:
        found.append("demo users " + ", ".join(sorted(taken)))
    return found


class Command(BaseCommand):
    help = (
        f"Create the demo company {COMPANY_NAME} (industrial equipment, Russia and Kazakhstan): 10 users in "
        "two teams, about 300 partners with counterparties and contact persons, individuals and about "
        "170 products; about 120 deals with their quotes, orders, sales and expenses, and regular clients' "
        "repeat sales, over the last 24 months; interactions, tasks, reminders and customer claims. The data "
        "are the same on every run (for the same --today). Refuses a database that already has partners, "
        "groups, products, individuals or demo users. Always prints the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If the database already has data, create nothing and just print the logins (exit code 0).",
        )
        parser.add_argument(
            "--today",
            help="The day the demo's 24 months of history end at, YYYY-MM-DD (default: today). The same "
            "day gives the same data.",
        )

    def handle(self, *args, if_empty: bool = False, today: str | None = None, **options):
        verbosity = options.get("verbosity", 1)
        day = None
        if today:
            try:
                day = date.fromisoformat(today.strip())
            except ValueError:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, got “{today}”.") from None
            if day > timezone.localdate():
                raise CommandError(f"--today cannot be in the future, got {day}.")
        found = existing_data()
        if found:
            summary = "; ".join(found)
            if not if_empty:
                raise CommandError(
                    f"The database already has data ({summary}): the demo is only created in an empty "
                    "database. Use --if-empty to skip without an error, or start from a fresh database."
                )
            self.stdout.write(f"The database already has data ({summary}): demo data not created.")
            self._print_logins(created=False)
            return

        if verbosity >= 1:
            self.stdout.write(f"Creating the demo company {COMPANY_NAME}…")
        started = time.monotonic()
        plan = build_plan()
        try:
            counts = demo_create(
                plan, today=day, progress=self.stdout.write if verbosity >= 1 else lambda _m: None
            )
        except ValidationError as error:  # pragma: no cover - the plan is fixed and tested
            raise CommandError(f"Demo data failed validation: {'; '.join(error.messages)}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo company {COMPANY_NAME} created in {time.monotonic() - started:.1f} s: "
                f"{counts.users} users, {counts.partners} partners, {counts.counterparties} counterparties, "
                f"{counts.contacts} contact persons, {counts.individuals} individuals, "
                f"{counts.products} products, {counts.deals} deals, {counts.quotes} quotes, "
                f"{counts.sales_orders} customer orders, {counts.purchase_orders} supplier orders, "
                f"{counts.sales} sales ({counts.returns} returns, {counts.sale_lines} lines, "
                f"{counts.sales_facts} sales facts), {counts.expenses} deal expenses, "
                f"{counts.interactions} interactions, {counts.tasks} tasks, {counts.reminders} reminders, "
                f"{counts.claims} customer claims."
            )
        )
        self._print_logins(created=True)

    def _print_logins(self, *, created: bool) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write(
                "There are no demo users in this database; add a user with `manage.py create_user`."
            )
            return
        self.stdout.write("")
        if created:
            self.stdout.write(f"Demo logins (the password of everyone is {DEMO_PASSWORD}):")
        else:
            self.stdout.write(
                f"Demo logins (made by an earlier `manage.py demo`; the password is {DEMO_PASSWORD} "
                "unless someone changed it):"
            )
        rows = [("username", "password", "role", "team", "name")]
        rows += [(x.username, x.password, x.role, x.team, x.name) for x in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
