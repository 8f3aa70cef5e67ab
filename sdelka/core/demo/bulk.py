"""Large amounts of believable data, fast: the engine of ``manage.py populate`` (load tests, benchmarks).

Rows are built in Python and written with ``bulk_create`` in batches, one transaction a batch. That skips
what the services do per record — history rows, scope checks — which is the point: 100 000 partners
through the services would take an hour. Validity is kept another way: tax ids come from the same
generators as the demo, and the first records of every batch are put through ``full_clean`` before the
batch is written, so a generator bug stops the run instead of filling the database with bad rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.catalog.choices import VatRate
from sdelka.catalog.models import Product, ProductGroup
from sdelka.core import tree
from sdelka.core.demo import data, people
from sdelka.partners import taxids
from sdelka.partners.choices import LegalForm, PartnerKind
from sdelka.partners.models import ContactPerson, Counterparty, Partner, PartnerGroup, Tag

LOAD_SKU_PREFIX = "LOAD-"
BULK_TAGS = ("VIP", "тендер", "дилер")

# Created only when the database has no groups of that kind, so the rows are spread over a tree.
DEFAULT_PARTNER_GROUPS = {
    "Клиенты": {"Оптовые клиенты": {"Москва и область": {}, "Регионы": {}}, "Розничные клиенты": {}},
    "Поставщики": {},
    "Конкуренты": {},
}
DEFAULT_PRODUCT_GROUPS = {
    "Оборудование": {"Насосы": {}, "Арматура": {}, "Автоматика": {}},
    "Материалы": {"Трубы": {}, "Фитинги": {}},
    "Услуги": {},
}


@dataclass
class PopulateCounts:
    partners: int = 0
    counterparties: int = 0
    contacts: int = 0
    products: int = 0
    groups_created: list[str] = field(default_factory=list)
    managers: int = 0


def _noop(message: str) -> None:
    pass


def _ensure_groups(model, spec: dict, counts: PopulateCounts, step: Callable[[str], None]) -> list:
    """The leaf groups of ``model``'s tree; a small default tree is created when there are none."""
    if not model.objects.exists():
        created: list[str] = []

        def create(level: dict, parent) -> None:
            for name, children in level.items():
                group = tree.group_create(model, actor=None, name=name, parent=parent)
                created.append(name)
                create(children, group)

        with transaction.atomic():
            create(spec, None)
        counts.groups_created += created
        step(f"no {model._meta.verbose_name_plural} yet: created {', '.join(created)}")
    return list(model.objects.filter(children__isnull=True).order_by("path"))


class _RowMaker:
    """Builds unsaved model instances from one ``Random``; nothing here touches the database."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ru_banks = []
        for name in data.RU_BANKS * 3:  # the same banks in several regions: different BIKs
            bik = taxids.generate_bik(rng)
            self.ru_banks.append((name, bik, people.correspondent_account(bik)))
        self.ru_weights = [r.weight for r in data.RU_REGIONS]
        self.kz_weights = [r.weight for r in data.KZ_REGIONS]

    def _number(self, digits: int) -> str:
        return f"{self.rng.randrange(10**digits):0{digits}d}"

    def _phone(self, code: str) -> str:
        local = str(self.rng.randint(2, 9)) + self._number(9 - len(code))
        return f"+7 ({code}) {local[:-4]}-{local[-4:-2]}-{local[-2:]}"

    def partner(
        self, *, group_ids: list[int | None], manager_ids: list[int | None]
    ) -> tuple[Partner, Counterparty, ContactPerson]:
        rng = self.rng
        kz = rng.random() < 0.2
        country = "KZ" if kz else "RU"
        region = rng.choices(
            data.KZ_REGIONS if kz else data.RU_REGIONS, self.kz_weights if kz else self.ru_weights
        )[0]
        if kz:
            brand = rng.choice(data.KZ_NAME_HEADS) + rng.choice(data.KZ_NAME_TAILS)
        else:
            brand = rng.choice(data.RU_NAME_HEADS) + rng.choice(data.RU_NAME_TAILS).lower()
        city = rng.choice(region.cities)
        name = f"{brand} ({city})"
        domain = people.domain_for(brand, country)
        roll = rng.random()
        address = (
            f"{region.postcode}{self._number(6 - len(region.postcode))}, г. {city}, "
            f"{rng.choice(data.KZ_STREETS if kz else data.RU_STREETS)}, д. {rng.randint(1, 180)}"
        )
        partner = Partner(
            name=name,
            kind=PartnerKind.COMPANY,
            is_client=roll < 0.85,
            is_supplier=0.85 <= roll < 0.93,
            is_competitor=0.93 <= roll < 0.96,
            is_other=roll >= 0.96,
            group_id=rng.choice(group_ids),
            manager_id=rng.choice(manager_ids),
            phones=[self._phone(region.phone_code)],
            emails=[f"info@{domain}"],
            address=address,
            region=region.name,
            website=f"https://{domain}" if rng.random() < 0.5 else "",
        )

        legal_roll = rng.random()
        counterparty = Counterparty(country=country, legal_address=address)
        if legal_roll < 0.15:
            owner = people.person(rng, country=country)
            counterparty.name = f"ИП {owner.full_name}"
            counterparty.legal_form = LegalForm.SOLE_TRADER
            if kz:
                counterparty.bin = taxids.generate_iin(rng)
            else:
                counterparty.inn = taxids.generate_inn_individual(rng)
        else:
            legal_form = LegalForm.JSC if legal_roll < 0.25 else (LegalForm.LLP if kz else LegalForm.LLC)
            abbreviation = {LegalForm.JSC: "АО", LegalForm.LLP: "ТОО", LegalForm.LLC: "ООО"}[legal_form]
            counterparty.name = f"{abbreviation} «{brand}»"
            counterparty.legal_form = legal_form
            if kz:
                counterparty.bin = taxids.generate_bin(rng)
            else:
                counterparty.inn = taxids.generate_inn_legal(rng)
                counterparty.kpp = taxids.generate_kpp(rng, counterparty.inn)
        if kz:
            bank_name, swift, code = rng.choice(data.KZ_BANKS)
            counterparty.bank_name, counterparty.bik = bank_name, swift
            counterparty.bank_account = people.kz_iban(rng, code)
        else:
            bank_name, bik, correspondent = rng.choice(self.ru_banks)
            counterparty.bank_name, counterparty.bik = bank_name, bik
            counterparty.bank_account = taxids.generate_bank_account(rng, bik)
            counterparty.correspondent_account = correspondent

        who = people.person(rng, country=country)
        contact = ContactPerson(
            name=who.full_name,
            position=rng.choice(data.POSITIONS)[0],
            phones=[self._phone(rng.choice(data.KZ_MOBILE_CODES if kz else data.RU_MOBILE_CODES))],
            emails=[people.email_for(who, domain)],
        )
        return partner, counterparty, contact

    def product(self, *, sku: str, group_id: int) -> Product:
        rng = self.rng
        family = rng.choice(data.PRODUCT_FAMILIES)
        size, base = rng.choice(family.sizes)
        price = (Decimal(base) * Decimal(rng.randint(80, 120)) / 100).quantize(Decimal("0.01"))
        markup = Decimal(rng.randint(16, 44)) / 100
        return Product(
            sku=sku,
            name=f"{family.template.format(size=size)}, исп. {rng.randint(1, 99):02d}",
            kind=family.kind,
            unit=family.unit,
            group_id=group_id,
            price=price,
            cost_price=(price / Decimal("1.22") / (1 + markup)).quantize(Decimal("0.01")),
            vat_rate=VatRate.TWENTY_TWO,
        )


def populate(
    *,
    partners: int,
    products: int,
    seed: int = 1,
    batch_size: int = 5000,
    progress: Callable[[str], None] = _noop,
) -> PopulateCounts:
    """Add ``partners`` partners (each with a counterparty and a contact person) and ``products`` products.

    Partners go to the leaf partner groups (5% to none) and to the active managers and heads of sales
    (10% to nobody); with no managers at all every partner is left unassigned.
    """
    rng = random.Random(seed)
    counts = PopulateCounts()
    started = time.monotonic()
    maker = _RowMaker(rng)

    def step(message: str) -> None:
        progress(f"  {message} ({time.monotonic() - started:.1f} s)")

    if partners:
        leaf_groups = _ensure_groups(PartnerGroup, DEFAULT_PARTNER_GROUPS, counts, step)
        group_ids: list[int | None] = [g.pk for g in leaf_groups] * 19 + [None] * len(leaf_groups)
        managers = list(
            User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.HEAD])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        counts.managers = len(managers)
        # 10% unassigned: one None for every nine managers' slots.
        manager_ids: list[int | None] = [*managers * 9, *[None] * max(len(managers), 1)]
        tags = [Tag.objects.get_or_create(name=name)[0] for name in BULK_TAGS]
        TagLink = Partner.tags.through

        done = 0
        while done < partners:
            size = min(batch_size, partners - done)
            rows = [maker.partner(group_ids=group_ids, manager_ids=manager_ids) for _ in range(size)]
            with transaction.atomic():
                # bulk_create sets the new primary keys on the instances (SQLite 3.35+, PostgreSQL).
                Partner.objects.bulk_create([row[0] for row in rows])
                for partner, counterparty, contact in rows:
                    counterparty.partner_id = contact.partner_id = partner.pk
                # One full model check per batch and kind: a generator bug stops the run at once.
                rows[0][0].full_clean()
                rows[0][1].full_clean()
                rows[0][2].full_clean()
                Counterparty.objects.bulk_create([row[1] for row in rows])
                ContactPerson.objects.bulk_create([row[2] for row in rows])
                links = [
                    TagLink(partner_id=row[0].pk, tag_id=rng.choice(tags).pk)
                    for row in rows
                    if rng.random() < 0.05
                ]
                TagLink.objects.bulk_create(links)
            done += size
            counts.partners = counts.counterparties = counts.contacts = done
            step(f"{done}/{partners} partners")

    if products:
        leaf_groups = _ensure_groups(ProductGroup, DEFAULT_PRODUCT_GROUPS, counts, step)
        last = (
            Product.objects.filter(sku__startswith=LOAD_SKU_PREFIX)
            .order_by("-sku")
            .values_list("sku", flat=True)
            .first()
        )
        offset = int(last.removeprefix(LOAD_SKU_PREFIX)) if last else 0
        done = 0
        while done < products:
            size = min(batch_size, products - done)
            batch = [
                maker.product(
                    sku=f"{LOAD_SKU_PREFIX}{offset + done + i + 1:07d}", group_id=rng.choice(leaf_groups).pk
                )
                for i in range(size)
            ]
            with transaction.atomic():
                batch[0].full_clean()
                Product.objects.bulk_create(batch)
            done += size
            counts.products = done
            step(f"{done}/{products} products")
    return counts
