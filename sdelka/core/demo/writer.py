"""Writes a :class:`~sdelka.core.demo.plan.DemoPlan` through the ordinary services.

Going through the services means every record is validated by its model's ``full_clean`` and gets the
history row a user's edit would, attributed to the user who plausibly made it (a partner's manager, the
administrator for the catalogs, the marketer for private individuals).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.accounts.services import team_get_or_create, user_create
from sdelka.activities.models import Task
from sdelka.catalog.services import product_create, product_group_create
from sdelka.core.demo.activities import create_demo_activities
from sdelka.core.demo.analytics import demo_classification
from sdelka.core.demo.company import create_demo_company
from sdelka.core.demo.deals import create_demo_deals
from sdelka.core.demo.mailing_rules import create_demo_mailing_rules
from sdelka.core.demo.mailings import create_demo_mailing
from sdelka.core.demo.marketing import create_demo_marketing
from sdelka.core.demo.numbering import renumber_by_date
from sdelka.core.demo.repeat_sales import create_repeat_sales
from sdelka.core.demo.segments import create_demo_segments
from sdelka.core.demo.specs import DEMO_PASSWORD, DEMO_SEED, USERS, DemoPlan
from sdelka.core.demo.weblead import create_demo_weblead
from sdelka.documents.models import (
    DealExpense,
    PurchaseOrder,
    Quote,
    Sale,
    SaleLine,
    SalesFact,
    SalesOrder,
)
from sdelka.partners.services import (
    contact_person_create,
    counterparty_create,
    individual_create,
    partner_create,
    partner_group_create,
)


@dataclass
class DemoCounts:
    users: int = 0
    partner_groups: int = 0
    partners: int = 0
    counterparties: int = 0
    contacts: int = 0
    individuals: int = 0
    product_groups: int = 0
    products: int = 0
    deals: int = 0
    quotes: int = 0
    sales_orders: int = 0
    purchase_orders: int = 0
    sales: int = 0
    returns: int = 0
    sale_lines: int = 0
    sales_facts: int = 0
    expenses: int = 0
    interactions: int = 0
    tasks: int = 0
    reminders: int = 0
    claims: int = 0
    mailing_rules: int = 0


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    team: str
    name: str


def _noop(message: str) -> None:
    pass


@transaction.atomic
def demo_create(
    plan: DemoPlan, *, today: date | None = None, progress: Callable[[str], None] = _noop
) -> DemoCounts:
    """Create the demo company in one transaction: all of it, or (on any error) nothing.

    The deals, documents and sales are dated over the 24 months before ``today`` (the local date unless
    given): the same ``today`` gives the same data.
    """
    today = today or timezone.localdate()
    counts = DemoCounts()
    started = time.monotonic()

    def step(message: str) -> None:
        progress(f"  {message} ({time.monotonic() - started:.1f} s)")

    teams = {name: team_get_or_create(name=name) for name in plan.teams}
    users: dict[str, User] = {}
    for spec in plan.users:
        users[spec.username] = user_create(
            username=spec.username,
            password=None,  # type: ignore[arg-type]  # set below, hashed once for everyone
            role=spec.role,
            team=teams[spec.team] if spec.team else None,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            validate_password=False,
        )
    # PBKDF2 takes about half a second a hash by design; every demo user has the same password, so one
    # hash serves them all (it is a valid hash of the demo password whatever the salt).
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(password=make_password(DEMO_PASSWORD))
    counts.users = len(users)
    step(f"{counts.users} users in {len(teams)} teams")
    admin = next(users[u.username] for u in plan.users if u.role == Role.ADMIN)
    marketer = next(users[u.username] for u in plan.users if u.role == Role.MARKETER)

    groups = {}
    for group in plan.partner_groups:
        parent = groups[group.parent] if group.parent else None
        groups[group.key] = partner_group_create(actor=admin, name=group.name, parent=parent)
    counts.partner_groups = len(groups)
    step(f"{counts.partner_groups} partner groups")

    for number, spec in enumerate(plan.partners, start=1):
        manager = users[spec.manager] if spec.manager else None
        actor = manager or admin
        partner = partner_create(
            actor=actor,
            data={
                **spec.data,
                "group": groups[spec.group] if spec.group else None,
                "manager": manager,
                "tags": spec.tags,
            },
        )
        for counterparty in spec.counterparties:
            counterparty_create(actor=actor, data={**counterparty, "partner": partner})
        for contact in spec.contacts:
            contact_person_create(actor=actor, data={**contact, "partner": partner})
        counts.partners += 1
        counts.counterparties += len(spec.counterparties)
        counts.contacts += len(spec.contacts)
        if number % 100 == 0 or number == len(plan.partners):
            step(
                f"{counts.partners} partners, {counts.counterparties} counterparties, "
                f"{counts.contacts} contact persons"
            )

    for individual in plan.individuals:
        individual_create(actor=marketer, data=individual)
    counts.individuals = len(plan.individuals)
    step(f"{counts.individuals} individuals")

    product_groups = {}
    for path in plan.product_groups:
        parent = product_groups[path[:-1]] if len(path) > 1 else None
        product_groups[path] = product_group_create(actor=admin, name=path[-1], parent=parent)
    counts.product_groups = len(product_groups)
    for spec in plan.products:
        product_create(actor=admin, data={**spec.data, "group": product_groups[spec.group]})
    counts.products = len(plan.products)
    step(f"{counts.product_groups} product groups, {counts.products} products")

    create_demo_company()
    counts.deals = create_demo_deals(seed=DEMO_SEED, today=today, progress=step)
    create_repeat_sales(rng=random.Random(DEMO_SEED + 1), today=today, progress=step)
    for model in (Quote, SalesOrder, Sale, PurchaseOrder):
        renumber_by_date(model)
    counts.quotes = Quote.objects.count()
    counts.sales_orders = SalesOrder.objects.count()
    counts.purchase_orders = PurchaseOrder.objects.count()
    counts.sales = Sale.objects.count()
    counts.returns = Sale.objects.filter(amount_gross__lt=0).count()
    counts.sale_lines = SaleLine.objects.count()
    counts.sales_facts = SalesFact.objects.count()
    counts.expenses = DealExpense.objects.count()
    step(
        f"{counts.quotes} quotes, {counts.sales_orders} customer orders, {counts.purchase_orders} supplier "
        f"orders, {counts.sales} sales ({counts.sale_lines} lines), {counts.expenses} expenses"
    )
    activities = create_demo_activities(rng=random.Random(DEMO_SEED + 2), today=today, progress=step)
    counts.interactions = activities.interactions
    counts.tasks = Task.objects.count()  # the free ones and the typical sales' process steps
    counts.reminders = activities.reminders
    counts.claims = activities.claims
    create_demo_marketing(rng=random.Random(DEMO_SEED + 3), today=today, progress=step)
    step(f"{demo_classification(today=today)} classified periods (ABC/XYZ)")
    step(f"{create_demo_segments(rng=random.Random(DEMO_SEED + 9), today=today)} segments")
    counts.mailing_rules = create_demo_mailing_rules(today=today)
    step(f"{counts.mailing_rules} mailing rules")
    create_demo_weblead(rng=random.Random(DEMO_SEED + 7), today=today, with_requests=False)
    step("a web form for leads")
    step(f"{create_demo_mailing(rng=random.Random(DEMO_SEED + 8), today=today)} letters of the demo mailing")
    return counts


def demo_logins() -> list[DemoLogin]:
    """The demo users present in the database, in the plan's order, with the demo password."""
    found = {
        u.username: u
        for u in User.objects.select_related("team").filter(username__in=[s.username for s in USERS])
    }
    logins = []
    for spec in USERS:
        user = found.get(spec.username)
        if user is None:
            continue
        logins.append(
            DemoLogin(
                username=user.username,
                password=DEMO_PASSWORD,
                role=str(Role(user.role).label),
                team=user.team.name if user.team else "—",
                name=user.get_full_name(),
            )
        )
    return logins
