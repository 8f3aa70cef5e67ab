"""The demo's marketing: advertising channels of every source type (a tree), marketing events over the two
years with participants and expenses, and the primary interest of most clients and their deals.

Made through the marketing, partner and deal services by the marketer (events, channels) and by each
partner's or deal's manager (the primary interest), so every record is validated and has its history;
then back-dated with bulk updates, as the other demo steps do.

Consistency: an event's participants are chosen among the clients whose first deal starts after the
event; such a client's primary interest is the event (channel of its kind), and so is that of their
deals started on or after it. Other clients get a referral (a partner, an employee, a contact person or
a private individual), the website or cold calls; their deals take the client's interest. A client with a
primary interest is back-dated to be created shortly before its first deal (after the event for an
event's client), so the primary interest analysis has new partners in every month.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.deals import services as deal_services
from sdelka.deals.models import Deal
from sdelka.documents.models import SalesFact
from sdelka.marketing import services
from sdelka.marketing.choices import EventKind, ParticipantStatus, SourceType
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.partners import services as partner_services
from sdelka.partners.models import ContactPerson, Individual, Partner

INTEREST_SHARE = 0.85  # of the clients that get a primary interest

# (key, name, parent key, source type)
CHANNELS = (
    ("exhibitions", "Выставки", None, SourceType.EVENT),
    ("industry_fairs", "Отраслевые выставки", "exhibitions", SourceType.EVENT),
    ("regional_fairs", "Региональные выставки", "exhibitions", SourceType.EVENT),
    ("internet", "Интернет", None, ""),
    ("website", "Сайт компании", "internet", ""),
    ("ads", "Контекстная реклама", "internet", SourceType.EVENT),
    ("webinars", "Вебинары", "internet", SourceType.EVENT),
    ("promotions", "Промоакции", None, SourceType.EVENT),
    ("referrals", "Рекомендации", None, ""),
    ("by_client", "Рекомендация клиента", "referrals", SourceType.PARTNER),
    ("by_employee", "Рекомендация сотрудника", "referrals", SourceType.USER),
    ("by_contact", "Рекомендация контактного лица партнера", "referrals", SourceType.CONTACT),
    ("by_person", "Рекомендация частного лица", "referrals", SourceType.INDIVIDUAL),
    ("cold_calls", "Холодные звонки", None, ""),
)

# (name, kind, channel key, days before today it starts, length in days, planned budget, expenses)
EVENTS = (
    (
        "Выставка «Стройэкспо»",
        EventKind.EXHIBITION,
        "industry_fairs",
        690,
        4,
        "450000.00",
        (("Аренда стенда", "280000.00"), ("Печать каталогов", "45000.00"), ("Командировки", "96000.00")),
    ),
    (
        "Вебинар «Насосное оборудование для ЖКХ»",
        EventKind.WEBINAR,
        "webinars",
        560,
        1,
        "30000.00",
        (("Платформа вебинаров", "12000.00"), ("Рассылка приглашений", "8000.00")),
    ),
    (
        "Весенняя кампания контекстной рекламы",
        EventKind.CAMPAIGN,
        "ads",
        420,
        60,
        "200000.00",
        (("Яндекс Директ, март", "70000.00"), ("Яндекс Директ, апрель", "85000.00")),
    ),
    (
        "Выставка «Астана Стройка»",
        EventKind.EXHIBITION,
        "regional_fairs",
        300,
        3,
        "350000.00",
        (("Аренда стенда", "210000.00"), ("Логистика образцов", "64000.00"), ("Командировки", "120000.00")),
    ),
    (
        "Промоакция «Скидка 10% на запорную арматуру»",
        EventKind.PROMOTION,
        "promotions",
        170,
        30,
        "120000.00",
        (("Печать листовок", "18000.00"), ("Скидки по акции (оценка)", "74000.00")),
    ),
    (
        "Вебинар «Автоматизация котельных»",
        EventKind.WEBINAR,
        "webinars",
        60,
        1,
        "25000.00",
        (("Платформа вебинаров", "12000.00"),),
    ),
)
AUDIENCE = "Закупщики и главные инженеры строительных и эксплуатирующих организаций"
OTHER_CHANNELS = ("by_client", "by_employee", "by_contact", "by_person", "website", "cold_calls")
OTHER_WEIGHTS = (3, 1, 1, 1, 4, 2)


@dataclass
class MarketingDemoCounts:
    channels: int = 0
    events: int = 0
    participants: int = 0
    expenses: int = 0
    partners_with_interest: int = 0
    deals_with_interest: int = 0


def _noop(message: str) -> None:
    pass


def _aware(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59))))


def _pick_source(rng, source_type: str, partner: Partner, *, clients, contacts, users, individuals):
    """A source of ``source_type`` for ``partner``: a referrer the partner's manager sees, or None."""

    def visible(manager_id) -> bool:
        return manager_id is None or partner.manager_id is None or manager_id == partner.manager_id

    if source_type == SourceType.PARTNER:
        found = [c for c in clients if c.pk != partner.pk and visible(c.manager_id)]
    elif source_type == SourceType.CONTACT:
        found = [c for c in contacts if c.partner_id != partner.pk and visible(c.partner.manager_id)]
    elif source_type == SourceType.USER:
        found = users
    elif source_type == SourceType.INDIVIDUAL:
        found = individuals
    else:
        found = []
    return rng.choice(found) if found else None


def create_demo_marketing(
    *, rng: random.Random, today: date | None = None, progress: Callable[[str], None] = _noop
) -> MarketingDemoCounts:
    today = today or timezone.localdate()
    counts = MarketingDemoCounts()
    marketer = User.objects.filter(role=Role.MARKETER, is_active=True).order_by("pk").first()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    keeper = marketer or admin

    channels: dict[str, AdChannel] = {}
    for key, name, parent, source_type in CHANNELS:
        channels[key] = services.ad_channel_create(
            actor=keeper,
            data={"name": name, "parent": channels.get(parent), "source_type": source_type},
        )
    counts.channels = len(channels)

    clients = list(Partner.objects.filter(is_client=True).order_by("pk"))
    first_deal = dict(Deal.objects.values_list("partner").annotate(first=Min("start_date")).order_by())
    first_sale = dict(SalesFact.objects.values_list("partner").annotate(first=Min("date")).order_by())
    contacts_of: dict[int, list[ContactPerson]] = defaultdict(list)
    for contact in ContactPerson.objects.select_related("partner").order_by("pk"):
        contacts_of[contact.partner_id].append(contact)

    # --- events with expenses and participants ---
    events: list[MarketingEvent] = []
    event_of: dict[int, MarketingEvent] = {}  # a client brought by an event
    for name, kind, channel_key, days_ago, length, budget, expenses in EVENTS:
        start = today - timedelta(days=days_ago)
        event = services.marketing_event_create(
            actor=keeper,
            data={
                "name": name,
                "kind": kind,
                "start_date": start,
                "end_date": start + timedelta(days=length - 1),
                "channel": channels[channel_key],
                "responsible": keeper,
                "audience": AUDIENCE,
                "planned_budget": Decimal(budget),
            },
        )
        events.append(event)
        for number, (description, amount) in enumerate(expenses):
            services.event_expense_add(
                actor=keeper,
                event=event,
                data={
                    "date": min(start + timedelta(days=number * 3 - 10), today),
                    "description": description,
                    "amount": Decimal(amount),
                },
            )
            counts.expenses += 1
        # Brought by the event: clients whose first deal starts within four months after it.
        brought = [
            p
            for p in clients
            if p.pk not in event_of
            and first_deal.get(p.pk)
            and start <= first_deal[p.pk] <= start + timedelta(days=120)
        ]
        brought = rng.sample(brought, min(len(brought), rng.randint(4, 9)))
        regulars = [p for p in clients if p.pk not in event_of and p not in brought]
        others = rng.sample(regulars, min(len(regulars), rng.randint(3, 8)))
        started = start <= today
        for partner in brought + others:
            contacts = contacts_of.get(partner.pk)
            contact = rng.choice(contacts) if contacts and rng.random() < 0.5 else None
            participant = services.event_participant_add(
                actor=keeper, event=event, partner=partner if contact is None else None, contact=contact
            )
            if started:
                status = rng.choices(
                    [ParticipantStatus.INVITED, ParticipantStatus.REGISTERED, ParticipantStatus.ATTENDED],
                    [1, 1, 4] if partner in brought else [3, 2, 2],
                )[0]
                services.event_participant_set_status(actor=keeper, participant=participant, status=status)
            counts.participants += 1
        for partner in brought:
            event_of[partner.pk] = event
    counts.events = len(events)
    progress(
        f"{counts.channels} advertising channels, {counts.events} marketing events, {counts.participants} participants"
    )

    # --- primary interest of clients and their deals ---
    users = list(User.objects.filter(role__in=[Role.MANAGER, Role.HEAD], is_active=True).order_by("pk"))
    individuals = list(Individual.objects.order_by("pk"))
    all_contacts = [c for group in contacts_of.values() for c in group]
    created: dict[int, datetime] = {}
    for partner in clients:
        event = event_of.get(partner.pk)
        if event is None and rng.random() > INTEREST_SHARE:
            continue
        if event is not None:
            channel, source = event.channel, event
        else:
            channel = channels[rng.choices(OTHER_CHANNELS, OTHER_WEIGHTS)[0]]
            source = _pick_source(
                rng,
                channel.source_type,
                partner,
                clients=clients,
                contacts=all_contacts,
                users=users,
                individuals=individuals,
            )
        actor = partner.manager or admin
        partner_services.partner_update(
            actor=actor,
            partner=partner,
            data={"primary_interest_channel": channel, "primary_interest_source": source},
        )
        counts.partners_with_interest += 1
        firsts = [day for day in (first_deal.get(partner.pk), first_sale.get(partner.pk)) if day]
        first = min(firsts) if firsts else today - timedelta(days=rng.randint(1, 700))
        earliest = event.start_date if event is not None else first - timedelta(days=60)
        day = max(earliest, first - timedelta(days=rng.randint(3, 40)))
        created[partner.pk] = _aware(min(day, first, today), rng)

        deals = Deal.objects.filter(partner=partner).order_by("start_date", "pk")
        for deal in deals:
            if event is not None and deal.start_date < event.start_date:
                continue
            deal_services.deal_update(
                actor=deal.manager if deal.manager_id == partner.manager_id else admin,
                deal=deal,
                version=deal.version,
                data={"primary_interest_channel": channel, "primary_interest_source": source},
            )
            counts.deals_with_interest += 1

    rows = list(Partner.objects.filter(pk__in=created))
    for row in rows:
        row.created_at = min(row.created_at, created[row.pk])
    Partner.objects.bulk_update(rows, ["created_at"], batch_size=500)
    progress(
        f"primary interest of {counts.partners_with_interest} clients and {counts.deals_with_interest} deals"
    )
    return counts
