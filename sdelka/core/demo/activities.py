"""The demo's day-to-day work: interactions with clients, free tasks, reminders and customer claims.

Everything is made through the ordinary services by the user who plausibly did it (the deal's or the partner's
manager, a head for the tasks he gives his team), and then back-dated with bulk updates, as ``timeline``
does for the deals: the services stamp "now", the demo's history ends at ``today``.

- interactions: for most deals one to four — phone calls in and out with a duration, outgoing e-mails recorded
  as already sent (``email_status`` "sent" through ``interaction_create``: the path of "I sent it elsewhere",
  which queues nothing), meetings with a place and an end, and planned interactions ahead of ``today`` for
  some open deals; some answer the one before (their subject is that interaction); about a fifth are left
  not reviewed, most of them due for review by ``today``;
- tasks: three to six free tasks per manager about a deal or a client of theirs, some done, some cancelled,
  some overdue at ``today``, and a couple given by each head to the team's managers;
- reminders: before an open deal's planned close date, on a contact person's birthday (yearly), and at a
  fixed time next week;
- claims: about a dozen over the last ten months on posted sales of the managers' clients, based on the
  sale with products from it; settled (with a compensation sometimes), in progress, registered, a couple
  past their deadline.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.activities.models import Reminder, ReminderRepeat, ReminderTiming, Task, TaskPriority
from sdelka.activities.services.reminders import reminder_create
from sdelka.activities.services.tasks import task_cancel, task_complete, task_create, task_start
from sdelka.claims.choices import ClaimResult
from sdelka.claims.models import Claim
from sdelka.claims.services import claim_create, claim_settle, claim_start
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.documents.choices import SaleStatus
from sdelka.documents.models import Sale
from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind, PlannedStatus
from sdelka.interactions.models import Interaction
from sdelka.interactions.services import interaction_create
from sdelka.partners.models import ContactPerson, Partner

DEAL_SHARE = 0.85  # of the deals that have interactions
NOT_REVIEWED_SHARE = 0.2
REPLY_SHARE = 0.35
PLANNED_SHARE = 0.35  # of the open deals that have an interaction planned ahead
CLAIMS = 13
CLAIM_MONTHS_DAYS = 300

CALL_TOPICS = {
    Direction.OUTGOING: (
        "Уточнение потребности",
        "Согласование условий поставки",
        "Обсуждение сроков поставки",
        "Напоминание об оплате счёта",
        "Уточнение технических характеристик",
    ),
    Direction.INCOMING: (
        "Вопрос по коммерческому предложению",
        "Запрос о сроках отгрузки",
        "Вопрос по закрывающим документам",
        "Запрос скидки на объём",
    ),
}
EMAIL_TOPICS = (
    "Коммерческое предложение",
    "Технические характеристики оборудования",
    "Договор и счёт на согласование",
    "Подтверждение отгрузки",
    "Сертификаты и паспорта на оборудование",
)
MEETING_TOPICS = (
    "Встреча с техническим директором",
    "Презентация оборудования",
    "Переговоры по условиям договора",
    "Выезд на объект клиента",
)
MEETING_PLACES = (
    "Офис клиента",
    "Наш офис, переговорная № 2",
    "Объект клиента, производственная площадка",
    "Ресторан «Пушкин», деловой обед",
)
PLANNED_TOPICS = (
    "Созвониться по итогам рассмотрения КП",
    "Встреча по условиям договора",
    "Презентация новинок",
)
TEXTS = (
    "Клиент подтвердил интерес, ждёт уточнённых сроков.",
    "Обсудили комплектацию и условия оплаты.",
    "Попросили прислать сертификаты и паспорта.",
    "Договорились созвониться после совещания у клиента.",
    "Клиент сравнивает с предложением конкурента, просит скидку.",
)
TASK_TITLES = (
    "Перезвонить клиенту",
    "Подготовить коммерческое предложение",
    "Согласовать спецификацию с техотделом",
    "Отправить акт сверки",
    "Уточнить статус оплаты",
    "Подготовить презентацию для встречи",
    "Проверить отгрузку на складе",
)
TASK_RESULTS = ("Сделано, клиент в курсе.", "Отправлено клиенту.", "Согласовано.")
HEAD_TASK_TITLES = ("Разобрать дебиторку по клиенту", "Подготовить отчёт по сделке для руководства")
CLAIM_DESCRIPTIONS = (
    "Повреждение упаковки и корпуса при доставке",
    "Несоответствие комплектации спецификации",
    "Отказ оборудования в гарантийный период",
    "Пересортица: поставлена другая модель",
    "Недостача при приёмке товара",
    "Нарушение срока поставки",
)
CLAIM_DEMANDS = (
    "Замена товара",
    "Возврат денежных средств за товар",
    "Устранение недостатков за счёт поставщика",
    "Компенсация расходов на доставку",
    "Скидка на следующую поставку",
)
CLAIM_RESULT_COMMENTS = {
    ClaimResult.SATISFIED: "Требование удовлетворено, компенсация согласована.",
    ClaimResult.PARTLY_SATISFIED: "Удовлетворено частично: предложена скидка на следующую поставку.",
    ClaimResult.REJECTED: "Отказано: повреждение по вине покупателя при монтаже.",
}


@dataclass
class ActivityCounts:
    interactions: int = 0
    tasks: int = 0
    reminders: int = 0
    claims: int = 0


def _noop(message: str) -> None:
    pass


def _moment(rng: random.Random, day: date) -> datetime:
    """A moment in working hours of ``day``."""
    return timezone.make_aware(datetime.combine(day, time(9))) + timedelta(minutes=rng.randint(0, 8 * 60))


def _back_date(model: type[Model], created: dict[int, datetime], later: dict[int, datetime] | None = None):
    """Date rows and their history: ``created`` by pk; history rows after the first get ``later`` if given."""
    rows = list(model.objects.filter(pk__in=created))
    for row in rows:
        row.created_at = created[row.pk]
        row.updated_at = (later or {}).get(row.pk, created[row.pk])
    model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=500)
    history = getattr(model, "history", None)
    if history is None:
        return
    records = list(history.model.objects.filter(id__in=created).order_by("id", "history_id"))
    seen: set[int] = set()
    for record in records:
        first = record.id not in seen
        seen.add(record.id)
        record.history_date = (
            created[record.id] if first else (later or {}).get(record.id, created[record.id])
        )
    history.model.objects.bulk_update(records, ["history_date"], batch_size=500)


def create_demo_activities(
    *, rng: random.Random, today: date, progress: Callable[[str], None] = _noop
) -> ActivityCounts:
    counts = ActivityCounts()
    contacts: dict[int, list[ContactPerson]] = defaultdict(list)
    for contact in ContactPerson.objects.order_by("pk"):
        contacts[contact.partner_id].append(contact)
    counts.interactions = _interactions(rng, today, contacts)
    progress(f"{counts.interactions} interactions")
    counts.tasks = _tasks(rng, today)
    counts.reminders = _reminders(rng, today, contacts)
    progress(f"{counts.tasks} free tasks, {counts.reminders} reminders")
    counts.claims = _claims(rng, today)
    progress(f"{counts.claims} customer claims")
    return counts


# --- interactions ------------------------------------------------------------------------------------------


def _interactions(rng: random.Random, today: date, contacts: dict[int, list[ContactPerson]]) -> int:
    deals = list(
        Deal.objects.select_related("partner", "manager").prefetch_related("contacts").order_by("pk")
    )
    created: dict[int, datetime] = {}
    due_for_review: dict[int, int] = defaultdict(int)
    yesterday = today - timedelta(days=1)
    for deal in deals:
        if rng.random() > DEAL_SHARE:
            continue
        manager = deal.manager
        people = list(deal.contacts.all()) or contacts[deal.partner_id]
        end = min(deal.actual_close_date or yesterday, yesterday)
        start = min(deal.start_date, end)
        span = (end - start).days
        days = sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(1, 4)))
        previous: Interaction | None = None
        for day in days:
            data = _interaction_data(rng, deal, manager, people, day)
            if previous is not None and rng.random() < REPLY_SHARE:
                data["subject"] = previous
                if data["kind"] == InteractionKind.EMAIL:
                    data["topic"] = f"Re: {previous.topic}"[:255]
            else:
                data["subject"] = deal
            if rng.random() < NOT_REVIEWED_SHARE:
                data["reviewed"] = False
                review = day + timedelta(days=rng.randint(1, 5))
                data["review_after"] = (
                    review if rng.random() < 0.75 else today + timedelta(days=rng.randint(1, 7))
                )
                if data["review_after"] <= today:
                    due_for_review[manager.pk] += 1
            else:
                data["reviewed"] = True
            interaction = interaction_create(actor=manager, data=data)
            created[interaction.pk] = interaction.starts_at
            previous = interaction
        if deal.status == DealStatus.IN_PROGRESS and rng.random() < PLANNED_SHARE:
            ahead = today + timedelta(days=rng.randint(1, 14))
            planned = interaction_create(
                actor=manager,
                data={
                    "kind": InteractionKind.PLANNED,
                    "status": PlannedStatus.PLANNED,
                    "starts_at": _moment(rng, ahead),
                    "topic": rng.choice(PLANNED_TOPICS),
                    "subject": deal,
                    "contacts": people[:1],
                    "reviewed": True,
                },
            )
            created[planned.pk] = _moment(rng, today - timedelta(days=rng.randint(1, 5)))
    # Every manager has something to review: one more incoming call where the dice gave none.
    for manager in User.objects.filter(role=Role.MANAGER).order_by("pk"):
        if due_for_review[manager.pk]:
            continue
        deal = next((d for d in deals if d.manager_id == manager.pk), None)
        if deal is None:
            continue
        day = today - timedelta(days=rng.randint(1, 3))
        call = interaction_create(
            actor=manager,
            data={
                "kind": InteractionKind.CALL,
                "direction": Direction.INCOMING,
                "starts_at": _moment(rng, day),
                "duration_seconds": rng.randint(60, 600),
                "topic": rng.choice(CALL_TOPICS[Direction.INCOMING]),
                "text": rng.choice(TEXTS),
                "subject": deal,
                "contacts": (list(deal.contacts.all()) or contacts[deal.partner_id])[:1],
                "reviewed": False,
            },
        )
        created[call.pk] = call.starts_at
    _back_date(Interaction, created)
    return len(created)


def _interaction_data(rng: random.Random, deal: Deal, manager: User, people: list, day: date) -> dict:
    chosen = rng.sample(people, min(len(people), rng.choice((1, 1, 2)))) if people else []
    starts_at = _moment(rng, day)
    roll = rng.random()
    emails = [e for person in chosen for e in person.emails] or list(deal.partner.emails)
    base = {"starts_at": starts_at, "contacts": chosen, "text": rng.choice(TEXTS)}
    if roll < 0.3 and emails:
        return {
            **base,
            "kind": InteractionKind.EMAIL,
            "direction": Direction.OUTGOING,
            "topic": f"{rng.choice(EMAIL_TOPICS)} по сделке {deal.number}",
            "email_from": manager.email,
            "email_to": emails[:2],
            "email_status": EmailStatus.SENT,  # recorded as sent: nothing is queued
        }
    if roll < 0.45:
        return {
            **base,
            "kind": InteractionKind.MEETING,
            "topic": rng.choice(MEETING_TOPICS),
            "place": rng.choice(MEETING_PLACES),
            "ends_at": starts_at + timedelta(minutes=rng.choice((45, 60, 90, 120))),
        }
    direction = Direction.OUTGOING if rng.random() < 0.6 else Direction.INCOMING
    return {
        **base,
        "kind": InteractionKind.CALL,
        "direction": direction,
        "duration_seconds": rng.randint(40, 1500),
        "topic": rng.choice(CALL_TOPICS[direction]),
    }


# --- tasks -------------------------------------------------------------------------------------------------


def _tasks(rng: random.Random, today: date) -> int:
    created: dict[int, datetime] = {}
    finished: dict[int, datetime] = {}
    users = list(
        User.objects.filter(role__in=(Role.MANAGER, Role.HEAD)).select_related("team").order_by("pk")
    )
    managers = [u for u in users if u.role == Role.MANAGER]
    for user in managers:
        deals = list(
            Deal.objects.filter(manager=user).select_related("partner").order_by("-start_date", "pk")[:15]
        )
        partners = list(Partner.objects.filter(manager=user).order_by("pk")[:40])
        for number in range(rng.randint(3, 6)):
            subject = (
                rng.choice(deals)
                if deals and rng.random() < 0.6
                else (rng.choice(partners) if partners else None)
            )
            # The first one of each manager is overdue; the others before, around and after ``today``.
            due_day = today - timedelta(days=rng.randint(1, 10) if number == 0 else rng.randint(-14, 60))
            outcome = (
                "open"
                if number == 0 or due_day >= today
                else rng.choice(("done", "done", "done", "cancelled", "open"))
            )
            _one_task(rng, today, user, user, subject, due_day, outcome, created, finished)
    for head in (u for u in users if u.role == Role.HEAD):
        team = [m for m in managers if m.team_id == head.team_id]
        for _ in range(2 if team else 0):
            member = rng.choice(team)
            deal = Deal.objects.filter(manager=member).order_by("-start_date", "pk").first()
            due_day = today + timedelta(days=rng.randint(-5, 10))
            _one_task(rng, today, head, member, deal, due_day, "open", created, finished, HEAD_TASK_TITLES)
    _back_date(Task, created, finished)
    Task.objects.bulk_update(
        [Task(pk=pk, completed_at=moment) for pk, moment in finished.items()],
        ["completed_at"],
        batch_size=500,
    )
    return len(created)


def _one_task(rng, today, author, assignee, subject, due_day, outcome, created, finished, titles=TASK_TITLES):
    task = task_create(
        actor=author,
        data={
            "title": rng.choice(titles),
            "description": f"По клиенту {subject.partner if isinstance(subject, Deal) else subject}"
            if subject
            else "",
            "assignee": assignee,
            "due_at": timezone.make_aware(datetime.combine(due_day, time(rng.choice((10, 12, 15, 17))))),
            "priority": rng.choice(
                (TaskPriority.LOW, TaskPriority.NORMAL, TaskPriority.NORMAL, TaskPriority.HIGH)
            ),
            "subject": subject,
        },
    )
    created[task.pk] = _moment(rng, min(due_day, today) - timedelta(days=rng.randint(2, 10)))
    if outcome == "done":
        task_complete(actor=assignee, task=task, result=rng.choice(TASK_RESULTS))
        finished[task.pk] = max(_moment(rng, due_day - timedelta(days=rng.randint(0, 2))), created[task.pk])
    elif outcome == "cancelled":
        task_cancel(actor=author, task=task, result="Клиент отказался, неактуально.")
        finished[task.pk] = max(_moment(rng, due_day), created[task.pk])
    elif rng.random() < 0.4:
        task_start(actor=assignee, task=task)


# --- reminders ---------------------------------------------------------------------------------------------


def _reminders(rng: random.Random, today: date, contacts: dict[int, list[ContactPerson]]) -> int:
    now = timezone.make_aware(datetime.combine(today, time(8)))
    made: dict[int, datetime] = {}
    for user in User.objects.filter(role=Role.MANAGER).order_by("pk"):
        deal = (
            Deal.objects.filter(
                manager=user, status=DealStatus.IN_PROGRESS, planned_close_date__gt=today + timedelta(days=3)
            )
            .order_by("planned_close_date", "pk")
            .first()
        )
        if deal is not None:
            reminder = reminder_create(
                actor=user,
                now=now,
                data={
                    "target_type": "deals.deal",
                    "target_id": deal.pk,
                    "text": "Уточнить у клиента готовность к подписанию и оплате",
                    "timing": ReminderTiming.RELATIVE,
                    "date_field": "planned_close_date",
                    "offset_days": -3,
                    "at_time": time(10),
                },
            )
            made[reminder.pk] = _moment(rng, today - timedelta(days=rng.randint(1, 20)))
        partners = list(Partner.objects.filter(manager=user).order_by("pk").values_list("pk", flat=True))
        people = [c for pk in partners for c in contacts[pk] if c.birthday]
        for person in rng.sample(people, min(2, len(people))):
            reminder = reminder_create(
                actor=user,
                now=now,
                data={
                    "target_type": "partners.contactperson",
                    "target_id": person.pk,
                    "text": "Поздравить с днём рождения",
                    "timing": ReminderTiming.RELATIVE,
                    "date_field": "birthday",
                    "offset_days": 0,
                    "at_time": time(9),
                },
            )
            made[reminder.pk] = _moment(rng, today - timedelta(days=rng.randint(20, 200)))
        if partners:
            reminder = reminder_create(
                actor=user,
                now=now,
                data={
                    "target_type": "partners.partner",
                    "target_id": rng.choice(partners),
                    "text": "Позвонить узнать, как работает поставленное оборудование",
                    "timing": ReminderTiming.FIXED,
                    "remind_at": timezone.make_aware(
                        datetime.combine(
                            today + timedelta(days=rng.randint(5, 9)), time(rng.choice((10, 11, 14)))
                        )
                    ),
                    "repeat": ReminderRepeat.NONE,
                },
            )
            made[reminder.pk] = _moment(rng, today - timedelta(days=rng.randint(0, 3)))
    _back_date(Reminder, made)
    return len(made)


# --- claims ------------------------------------------------------------------------------------------------


def _claims(rng: random.Random, today: date) -> int:
    sales = list(
        Sale.objects.filter(
            status=SaleStatus.POSTED,
            amount_gross__gt=0,
            partner__manager__role=Role.MANAGER,
            date__gte=today - timedelta(days=CLAIM_MONTHS_DAYS),
            date__lte=today - timedelta(days=5),
        )
        .select_related("partner__manager")
        .order_by("pk")
    )
    chosen = rng.sample(sales, min(CLAIMS, len(sales)))
    dated = []
    for sale in chosen:
        day = min(sale.date + timedelta(days=rng.randint(3, 30)), today - timedelta(days=1))
        dated.append((day, sale))
    dated.sort(key=lambda item: (item[0], item[1].pk))  # numbered in the order they came
    plans = []
    for day, _sale in dated:
        age = (today - day).days
        if age > 25:
            status = "settled" if rng.random() < 0.85 else "in_progress"
        elif age > 10:
            status = rng.choice(("settled", "settled", "in_progress", "registered"))
        else:
            status = rng.choice(("in_progress", "registered"))
        plans.append(status)
    if plans and "registered" not in plans:
        plans[-1] = "registered"  # the latest is just registered
    # A couple are past their deadline (ten days) and not settled yet.
    overdue = sum(
        1 for (day, _), s in zip(dated, plans, strict=True) if s != "settled" and (today - day).days > 10
    )
    for index in reversed(range(len(plans))):
        if overdue >= 2:
            break
        if plans[index] == "settled" and (today - dated[index][0]).days > 10:
            plans[index] = "in_progress"
            overdue += 1
    created: dict[int, datetime] = {}
    settled: dict[int, datetime] = {}
    for (day, sale), status in zip(dated, plans, strict=True):
        manager = sale.partner.manager
        registered_at = _moment(rng, day)
        products = list(
            {
                line.product_id: line.product for line in sale.lines.select_related("product").order_by("pk")
            }.values()
        )
        claim = claim_create(
            actor=manager,
            data={
                "partner": sale.partner,
                "counterparty": sale.counterparty,
                "sale": sale,
                "deal": sale.deal,
                "description": rng.choice(CLAIM_DESCRIPTIONS),
                "demand": rng.choice(CLAIM_DEMANDS),
                "registered_at": registered_at,
                "products": rng.sample(products, min(len(products), rng.choice((1, 1, 2)))),
            },
        )
        created[claim.pk] = registered_at
        if status != "registered":
            claim_start(actor=manager, claim=claim)
        if status == "settled":
            result = rng.choice(
                (
                    ClaimResult.SATISFIED,
                    ClaimResult.PARTLY_SATISFIED,
                    ClaimResult.PARTLY_SATISFIED,
                    ClaimResult.REJECTED,
                )
            )
            compensation = None
            if result != ClaimResult.REJECTED and rng.random() < 0.7:
                share = Decimal(rng.choice(("0.05", "0.1", "0.15"))) / (
                    2 if result == ClaimResult.PARTLY_SATISFIED else 1
                )
                compensation = (sale.amount_gross * share).quantize(Decimal("0.01"))
            claim_settle(
                actor=manager,
                claim=claim,
                result=result,
                comment=CLAIM_RESULT_COMMENTS[result],
                compensation=compensation,
            )
            settled_day = min(day + timedelta(days=rng.randint(2, 9)), today - timedelta(days=1))
            settled[claim.pk] = max(_moment(rng, settled_day), registered_at + timedelta(minutes=30))
    _back_date(Claim, created, settled)
    Claim.objects.bulk_update(
        [Claim(pk=pk, settled_at=moment) for pk, moment in settled.items()], ["settled_at"], batch_size=500
    )
    return len(created)
