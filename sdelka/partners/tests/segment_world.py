"""A small hand-made set of partners for the segment tests, and a plain-Python reading of the segment rules.

Five partners (Alpha … Epsilon) differ in every field a rule can test; ``python_match`` decides a rule over
the attributes recorded here, independently of the database compiler, so a property test can compare both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from sdelka.accounts.tests.factories import UserFactory
from sdelka.analytics.choices import Subject
from sdelka.analytics.models import ClassificationResult, ClassifiedPeriod
from sdelka.analytics.services.settings import classification_settings_get
from sdelka.analytics.tests.classification_data import sell
from sdelka.marketing.tests.factories import AdChannelFactory
from sdelka.partners.models import Tag
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory, PartnerGroupFactory

TODAY = datetime.date(2026, 6, 15)
# The last closed periods as of TODAY.
LAST_QUARTER = datetime.date(2026, 1, 1)
LAST_MONTH = datetime.date(2026, 5, 1)
CLASS_OPERATOR_PERIODS = {"in_quarter": LAST_QUARTER, "in_month": LAST_MONTH}


@dataclass
class Facts:
    partner: object
    group_path: str | None
    channel_path: str | None
    tag_ids: set[int]
    created: datetime.date
    #: (date, revenue, gross profit, sale id)
    sales: list[tuple[datetime.date, Decimal, Decimal, int]] = field(default_factory=list)
    has_email_contact: bool = False
    #: {period start: (abc, xyz, stage)}
    classes: dict = field(default_factory=dict)


@dataclass
class World:
    partners: dict[str, object]
    facts: dict[int, Facts]
    groups: dict[str, object]
    channels: dict[str, object]
    users: dict[str, object]
    tags: dict[str, object]

    def names(self, queryset) -> set[str]:
        by_pk = {partner.pk: name for name, partner in self.partners.items()}
        return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}


def _classify(period_type: str, start: datetime.date, rows: list[tuple]) -> None:
    period = ClassifiedPeriod.objects.create(
        subject=Subject.CLIENTS,
        criterion=classification_settings_get().criterion,
        period_type=period_type,
        period_start=start,
        classified_at=timezone.now(),
        rows=len(rows),
    )
    for position, (partner, abc, xyz, stage) in enumerate(rows, start=1):
        ClassificationResult.objects.create(
            period=period,
            subject_id=partner.pk,
            name=partner.name,
            position=position,
            abc=abc,
            xyz=xyz,
            stage=stage,
            cell=abc + xyz if abc and xyz else "",
        )


def build_world() -> World:
    root = PartnerGroupFactory(name="Wholesale")
    child = PartnerGroupFactory(name="Wholesale Moscow", parent=root)
    other = PartnerGroupFactory(name="Retail")
    ch_root = AdChannelFactory(name="Internet")
    ch_child = AdChannelFactory(name="Search", parent=ch_root)
    ch_other = AdChannelFactory(name="Exhibitions")
    m1, m2 = UserFactory(username="seg_m1"), UserFactory(username="seg_m2")
    vip, tender = Tag.objects.create(name="VIP"), Tag.objects.create(name="tender")

    spec = {
        "Alpha": dict(
            group=child, manager=m1, kind="company", region="Moscow", channel=ch_child, tags=[vip],
            created=datetime.date(2026, 1, 10), flags=dict(is_client=True),
        ),
        "Beta": dict(
            group=root, manager=m2, kind="person", region="Moscow region", channel=ch_root, tags=[tender],
            created=datetime.date(2025, 12, 1), flags=dict(is_client=True, is_supplier=True),
        ),
        "Gamma": dict(
            group=other, manager=None, kind="company", region="Kazan", channel=None, tags=[],
            created=datetime.date(2026, 6, 10), flags=dict(is_client=False, is_supplier=True),
        ),
        "Delta": dict(
            group=None, manager=m1, kind="company", region="", channel=ch_other, tags=[vip, tender],
            created=datetime.date(2026, 3, 1), flags=dict(is_client=False, is_competitor=True),
        ),
        "Epsilon": dict(
            group=child, manager=None, kind="person", region="moscow", channel=None, tags=[],
            created=datetime.date(2026, 6, 14), flags=dict(is_client=False, is_other=True),
        ),
    }  # fmt: skip
    partners, facts = {}, {}
    for name, data in spec.items():
        partner = PartnerFactory(
            name=name,
            group=data["group"],
            manager=data["manager"],
            kind=data["kind"],
            region=data["region"],
            primary_interest_channel=data["channel"],
            **data["flags"],
        )
        partner.tags.set(data["tags"])
        created = timezone.make_aware(datetime.datetime.combine(data["created"], datetime.time(12)))
        type(partner).objects.filter(pk=partner.pk).update(created_at=created)
        partners[name] = partner
        facts[partner.pk] = Facts(
            partner=partner,
            group_path=data["group"].path if data["group"] else None,
            channel_path=data["channel"].path if data["channel"] else None,
            tag_ids={tag.pk for tag in data["tags"]},
            created=data["created"],
        )

    def sale(name: str, day: datetime.date, revenue: str, cost: str = "0.00") -> None:
        partner = partners[name]
        made = sell(partner, day, (None, revenue, cost), manager=partner.manager or m2)
        facts[partner.pk].sales.append((day, Decimal(revenue), Decimal(revenue) - Decimal(cost), made.pk))

    sale("Alpha", datetime.date(2026, 6, 1), "1000.00", "600.00")
    sale("Alpha", datetime.date(2026, 6, 10), "500.00", "100.00")
    sale("Beta", datetime.date(2025, 11, 1), "300.00")
    sale("Delta", datetime.date(2026, 5, 20), "200.00")
    sale("Delta", datetime.date(2026, 6, 5), "-50.00")
    sale("Epsilon", datetime.date(2026, 4, 1), "5000.00", "4900.00")

    ContactPersonFactory(partner=partners["Alpha"], emails=["buyer@alpha.example"])
    ContactPersonFactory(partner=partners["Beta"], emails=[])
    ContactPersonFactory(partner=partners["Gamma"], emails=["info@gamma.example", "ceo@gamma.example"])
    for name in ("Alpha", "Gamma"):
        facts[partners[name].pk].has_email_contact = True

    quarter = [
        (partners["Alpha"], "A", "X", "regular"),
        (partners["Beta"], "B", "Z", "lost"),
        (partners["Delta"], "C", "Y", "one_time"),
    ]
    _classify("quarter", LAST_QUARTER, quarter)
    _classify("month", LAST_MONTH, [(partners["Alpha"], "A", "", "regular")])
    for partner, abc, xyz, stage in quarter:
        facts[partner.pk].classes[LAST_QUARTER] = (abc, xyz, stage)
    facts[partners["Alpha"].pk].classes[LAST_MONTH] = ("A", "", "regular")

    return World(
        partners=partners,
        facts=facts,
        groups={"root": root, "child": child, "other": other},
        channels={"root": ch_root, "child": ch_child, "other": ch_other},
        users={"m1": m1, "m2": m2},
        tags={"vip": vip, "tender": tender},
    )


# --- the rules read in plain Python ------------------------------------------------------------------------


def _window(value: dict, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if "days" in value:
        return today - datetime.timedelta(days=value["days"]), today
    return datetime.date.fromisoformat(value["from"]), datetime.date.fromisoformat(value["to"])


def _paths(model, ids) -> list[str]:
    return list(model.objects.filter(pk__in=ids).values_list("path", flat=True))


def python_match(rule: dict, facts: Facts, today: datetime.date = TODAY) -> bool:
    from sdelka.marketing.models import AdChannel
    from sdelka.partners.models import PartnerGroup

    partner, op, value = facts.partner, rule["operator"], rule["value"]
    name = rule["field"]
    if name == "group":
        if op == "is_empty":
            return facts.group_path is None
        return any((facts.group_path or "").startswith(path) for path in _paths(PartnerGroup, value))
    if name == "interest_channel":
        if op == "is_empty":
            return facts.channel_path is None
        return any((facts.channel_path or "").startswith(path) for path in _paths(AdChannel, value))
    if name == "manager":
        return partner.manager_id is None if op == "is_empty" else partner.manager_id in value
    if name in ("is_client", "is_supplier", "is_competitor", "is_other"):
        return getattr(partner, name) is value
    if name == "kind":
        return partner.kind in value
    if name == "region":
        region, text = partner.region.lower(), value.lower()
        return region == text if op == "equals" else text in region
    if name == "tags":
        return bool(facts.tag_ids & set(value))
    if name == "created":
        created = facts.created
        if op == "before":
            return created < datetime.date.fromisoformat(value)
        if op == "after":
            return created > datetime.date.fromisoformat(value)
        if op == "between":
            return datetime.date.fromisoformat(value[0]) <= created <= datetime.date.fromisoformat(value[1])
        return created >= today - datetime.timedelta(days=value)
    if name in ("sales_revenue", "sales_gross_profit", "sales_count"):
        start, end = _window(value, today)
        inside = [sale for sale in facts.sales if start <= sale[0] <= end]
        if name == "sales_count":
            measured = Decimal(len({sale[3] for sale in inside}))
        else:
            index = 1 if name == "sales_revenue" else 2
            measured = sum((sale[index] for sale in inside), Decimal("0"))
        amount = Decimal(value["amount"])
        return measured >= amount if op == "gte" else measured <= amount
    if name == "last_purchase":
        purchases = [sale[0] for sale in facts.sales if sale[1] > 0]
        if op == "never":
            return not purchases
        recent = any(day >= today - datetime.timedelta(days=value) for day in purchases)
        if op == "more_than_or_never":
            return not recent
        return bool(purchases) and not recent
    if name in ("abc_class", "xyz_class", "relationship_stage"):
        classes = facts.classes.get(CLASS_OPERATOR_PERIODS.get(op))
        if classes is None:
            return False
        index = {"abc_class": 0, "xyz_class": 1, "relationship_stage": 2}[name]
        return classes[index] in value
    if name == "has_email_contact":
        return facts.has_email_contact is value
    raise AssertionError(name)


def python_members(world: World, rules: list[dict], match: str, today: datetime.date = TODAY) -> set[str]:
    found = set()
    for name, partner in world.partners.items():
        results = [python_match(rule, world.facts[partner.pk], today) for rule in rules]
        if all(results) if match == "all" else any(results):
            found.add(name)
    return found
