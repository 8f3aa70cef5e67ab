"""The demo's segments: key clients (class A), sleeping clients, Moscow-region clients (by rules, evaluated
as the worker would), and a hand-kept list of clients invited to an exhibition. Made by the marketer through
the segment services, after the classification step (the class rule reads the stored classes)."""

from __future__ import annotations

import random
from datetime import date

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.partners.models import Partner
from sdelka.partners.segments import services

RULE_SEGMENTS = (
    {
        "name": "Ключевые клиенты (класс A)",
        "description": "Клиенты класса A по ABC в последнем закрытом квартале.",
        "match": "all",
        "rules": [
            {"field": "is_client", "operator": "is", "value": True},
            {"field": "abc_class", "operator": "in_quarter", "value": ["A"]},
        ],
    },
    {
        "name": "Спящие клиенты: нет покупок 180 дней",
        "description": "Покупали раньше, но не в последние полгода: позвонить и предложить новинки.",
        "match": "all",
        "rules": [
            {"field": "is_client", "operator": "is", "value": True},
            {"field": "last_purchase", "operator": "more_than", "value": 180},
        ],
    },
    {
        "name": "Клиенты Москвы и области",
        "description": "Для приглашений на московские мероприятия.",
        "match": "all",
        "rules": [
            {"field": "is_client", "operator": "is", "value": True},
            {"field": "region", "operator": "contains", "value": "Моск"},
            {"field": "has_email_contact", "operator": "is", "value": True},
        ],
    },
)
MANUAL_NAME = "Приглашения на выставку (вручную)"
MANUAL_SIZE = 12


def create_demo_segments(*, rng: random.Random, today: date) -> int:
    """The segments, evaluated as of ``today``; how many segments were made."""
    author = (
        User.objects.filter(role=Role.MARKETER, is_active=True).order_by("pk").first()
        or User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    )
    made = 0
    for data in RULE_SEGMENTS:
        segment = services.segment_create(actor=author, data={**data, "kind": "rules"})
        services.segment_evaluate(segment=segment, today=today)
        made += 1
    clients = list(Partner.objects.filter(is_client=True).order_by("pk").values_list("pk", flat=True)[:500])
    chosen = sorted(rng.sample(clients, min(MANUAL_SIZE, len(clients))))
    services.segment_create(
        actor=author,
        data={
            "name": MANUAL_NAME,
            "kind": "manual",
            "description": "Клиенты, которым отправлены приглашения на отраслевую выставку.",
        },
        partners=Partner.objects.filter(pk__in=chosen),
    )
    return made + 1
