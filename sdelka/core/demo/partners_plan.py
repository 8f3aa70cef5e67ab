"""The demo's partners, counterparties, contact persons and individuals, planned from one ``Random``."""

from __future__ import annotations

import random

from sdelka.accounts.choices import Role
from sdelka.core.demo import data, people
from sdelka.core.demo.specs import TEAM_ALMATY, TEAM_MOSCOW, USERS, PartnerSpec
from sdelka.partners import taxids
from sdelka.partners.choices import Country, LegalForm, PartnerKind

LEGAL_ABBREVIATIONS = {
    LegalForm.LLC: ("ООО", "Общество с ограниченной ответственностью"),
    LegalForm.JSC: ("АО", "Акционерное общество"),
    LegalForm.LLP: ("ТОО", "Товарищество с ограниченной ответственностью"),
}
STATE_FULL_NAMES = {
    "МУП": "Муниципальное унитарное предприятие",
    "ГУП": "Государственное унитарное предприятие",
    "ГБУ": "Государственное бюджетное учреждение",
    "ФГБУ": "Федеральное государственное бюджетное учреждение",
}


def _weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


class PartnerPlanner:
    """Makes the partners and individuals of the demo, each call taking the next numbers from ``rng``."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_names: set[str] = set()
        ru_banks = []
        for name in data.RU_BANKS:
            bik = taxids.generate_bik(self.rng)
            ru_banks.append((name, bik, people.correspondent_account(bik)))
        self.ru_banks = ru_banks
        self.brands = {"RU": self._brand_pool("RU"), "KZ": self._brand_pool("KZ")}

    # --- names ----------------------------------------------------------------------------------------

    def _brand_pool(self, country: str) -> list[str]:
        rng = self.rng
        if country == "RU":
            heads, tails, named = data.RU_NAME_HEADS, data.RU_NAME_TAILS, data.RU_NAMED_COMPANIES
        else:
            heads, tails, named = data.KZ_NAME_HEADS, data.KZ_NAME_TAILS, ()
        pool = []
        for head in heads:
            for tail in tails:
                if head.lower() == tail.strip().lower():
                    continue
                # Half are written "СтройМонтаж", half "Строймонтаж", as real registrations are.
                joined = head + (tail if tail.startswith(" ") or rng.random() < 0.5 else tail.lower())
                pool.append(joined)
        rng.shuffle(pool)
        pool = list(named) + pool
        # The named ones are spread through the list rather than all first.
        for index in range(len(named)):
            target = rng.randrange(len(pool))
            pool[index], pool[target] = pool[target], pool[index]
        return pool

    def _brand(self, country: str) -> str:
        pool = self.brands[country]
        while True:
            name = pool.pop()
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    # --- pieces -----------------------------------------------------------------------------------

    def _region(self, country: str) -> data.Region:
        regions = data.KZ_REGIONS if country == "KZ" else data.RU_REGIONS
        return _weighted(self.rng, regions, [r.weight for r in regions])

    def _bank_details(self, country: str) -> dict:
        rng = self.rng
        if country == "KZ":
            name, swift, code = rng.choice(data.KZ_BANKS)
            return {"bank_name": name, "bik": swift, "bank_account": people.kz_iban(rng, code)}
        name, bik, correspondent = rng.choice(self.ru_banks)
        return {
            "bank_name": name,
            "bik": bik,
            "bank_account": taxids.generate_bank_account(rng, bik),
            "correspondent_account": correspondent,
        }

    def _counterparty(
        self,
        *,
        country: str,
        legal_form: str,
        brand: str,
        region: data.Region,
        address: str,
        bank: bool = True,
    ) -> dict:
        rng = self.rng
        abbreviation, full = LEGAL_ABBREVIATIONS[legal_form]
        result = {
            "name": f"{abbreviation} «{brand}»",
            "full_name": f"{full} «{brand}»",
            "legal_form": legal_form,
            "country": country,
            "legal_address": address,
        }
        if country == Country.KAZAKHSTAN:
            result["bin"] = taxids.generate_bin(rng)
        else:
            inn = people.inn_legal(rng, region.name)
            result.update(inn=inn, kpp=taxids.generate_kpp(rng, inn), ogrn=taxids.generate_ogrn(rng))
        if bank:
            result.update(self._bank_details(country))
        return result

    def _sole_trader(self, *, country: str, owner: people.Person, region: data.Region, address: str) -> dict:
        rng = self.rng
        name = f"ИП {owner.full_name}"
        result = {
            "name": name,
            "full_name": f"Индивидуальный предприниматель {owner.full_name}",
            "legal_form": LegalForm.SOLE_TRADER,
            "country": country,
            "legal_address": address,
        }
        if country == Country.KAZAKHSTAN:
            result["bin"] = taxids.generate_iin(rng)
        else:
            result.update(inn=people.inn_individual(rng, region.name), ogrn=people.ogrnip(rng))
        if rng.random() < 0.8:
            result.update(self._bank_details(country))
        return result

    def _contacts(self, *, country: str, domain: str, region: data.Region, count: int) -> list[dict]:
        rng = self.rng
        contacts = []
        positions_left = [p for p, _w in data.POSITIONS]
        weights_left = [w for _p, w in data.POSITIONS]
        for index in range(count):
            who = people.person(rng, country=country)
            if index == 0 and rng.random() < 0.5:
                position = rng.choice(data.DIRECTOR_POSITIONS)
            else:
                position = _weighted(rng, positions_left, weights_left)
                at = positions_left.index(position)
                del positions_left[at], weights_left[at]
            phones = [people.mobile(rng, country)]
            if rng.random() < 0.6:
                phones.insert(0, people.phone(rng, region.phone_code) + f" доб. {rng.randint(100, 499)}")
            contact = {
                "name": who.full_name,
                "position": position,
                "phones": phones,
                "emails": [people.email_for(who, domain)],
                "birthday": people.birthday(rng) if rng.random() < 0.45 else None,
                "comment": rng.choice(data.CONTACT_COMMENTS) if rng.random() < 0.15 else "",
            }
            contacts.append(contact)
        return contacts

    def _partner_data(self, *, name: str, country: str, region: data.Region, domain: str, **flags) -> dict:
        rng = self.rng
        _city, address = people.address(rng, region)
        phones = [people.phone(rng, region.phone_code)]
        if rng.random() < 0.3:
            phones.append(people.phone(rng, region.phone_code))
        emails = ["info@" + domain]
        if rng.random() < 0.3:
            emails.append(rng.choice(("zakaz@", "snab@", "office@")) + domain)
        return {
            "name": name,
            "kind": PartnerKind.COMPANY,
            "is_client": flags.get("is_client", False),
            "is_supplier": flags.get("is_supplier", False),
            "is_competitor": flags.get("is_competitor", False),
            "is_other": flags.get("is_other", False),
            "phones": phones,
            "emails": emails,
            "address": address,
            "region": region.name,
            "website": f"https://{domain}" if rng.random() < 0.65 else "",
            "comment": "",
        }

    def _manager(self, country: str, *, unassigned_share: float) -> str | None:
        rng = self.rng
        if rng.random() < unassigned_share:
            return None
        team = TEAM_ALMATY if country == "KZ" else TEAM_MOSCOW
        members = [u for u in USERS if u.team == team]
        return _weighted(
            rng, [u.username for u in members], [1 if u.role == Role.HEAD else 4 for u in members]
        )

    # --- partners ---------------------------------------------------------------------------------

    def client(self, country: str) -> PartnerSpec:
        rng = self.rng
        region = self._region(country)
        roll = rng.random()
        if roll < 0.12:
            legal_form = LegalForm.SOLE_TRADER
        elif country == "RU" and roll < 0.17:
            legal_form = LegalForm.STATE
        elif roll < 0.28:
            legal_form = LegalForm.JSC
        else:
            legal_form = LegalForm.LLP if country == "KZ" else LegalForm.LLC

        owner = people.person(rng, country=country) if legal_form == LegalForm.SOLE_TRADER else None
        if owner is not None:
            name = f"ИП {owner.short_name}"
            domain = people.domain_for(f"ИП {owner.last_name}", country)
        elif legal_form == LegalForm.STATE:
            body = rng.choice(data.STATE_CUSTOMERS)
            name = f"{body}, г. {rng.choice(region.cities)}"
            domain = people.domain_for(body.split("«")[1].rstrip("»") + " " + region.cities[0], country)
        else:
            name = self._brand(country)
            domain = people.domain_for(name, country)
        if owner is not None or legal_form == LegalForm.STATE:
            name = self._unique(name)
            self.used_names.add(name)

        partner = self._partner_data(name=name, country=country, region=region, domain=domain, is_client=True)
        address = partner["address"]
        if owner is not None:
            counterparties = [self._sole_trader(country=country, owner=owner, region=region, address=address)]
            group = "retail"
        elif legal_form == LegalForm.STATE:
            prefix = name.split(" ", 1)[0]
            inn = people.inn_legal(rng, region.name)
            counterparties = [
                {
                    "name": name,
                    "full_name": f"{STATE_FULL_NAMES[prefix]} {name.split(' ', 1)[1]}",
                    "legal_form": LegalForm.STATE,
                    "country": country,
                    "inn": inn,
                    "kpp": taxids.generate_kpp(rng, inn),
                    "ogrn": taxids.generate_ogrn(rng),
                    "legal_address": address,
                    **self._bank_details(country),
                }
            ]
            group = "state"
        else:
            counterparties = [
                self._counterparty(
                    country=country, legal_form=legal_form, brand=name, region=region, address=address
                )
            ]
            if rng.random() < 0.22:
                suffix = next(s for s in ("Сервис", "Регион", "Логистик") if s.lower() not in name.lower())
                second_form = LegalForm.LLP if country == "KZ" else LegalForm.LLC
                counterparties.append(
                    self._counterparty(
                        country=country,
                        legal_form=second_form,
                        brand=f"{name}-{suffix}" if country == "RU" else f"{name} {suffix}",
                        region=region,
                        address=address,
                    )
                )
            group = region.group

        tags = []
        for tag, share in (
            ("VIP", 0.06),
            ("дилер", 0.08),
            ("отсрочка платежа", 0.12),
            ("новый клиент", 0.1),
            ("проектные продажи", 0.06),
        ):
            if rng.random() < share:
                tags.append(tag)
        if legal_form == LegalForm.STATE:
            tags += ["госзаказ", "тендер"]
        elif rng.random() < 0.1:
            tags.append("тендер")
        if rng.random() < 0.2:
            partner["comment"] = rng.choice(data.PARTNER_COMMENTS)
        contacts = self._contacts(
            country=country, domain=domain, region=region, count=_weighted(rng, (1, 2, 3), (35, 40, 25))
        )
        if owner is not None:
            # A sole trader mostly answers the phone themself.
            contacts[0].update(name=owner.full_name, position="Индивидуальный предприниматель")
            contacts[0]["emails"] = [people.email_for(owner, domain)]
        return PartnerSpec(
            data=partner,
            group=group,
            manager=self._manager(country, unassigned_share=0.03),
            tags=sorted(tags),
            counterparties=counterparties,
            contacts=contacts,
        )

    def private_client(self) -> PartnerSpec:
        """A private person buying for themself (a pump for a country house): no company, one INN."""
        rng = self.rng
        region = self._region("RU")
        who = people.person(rng, country="RU")
        _city, address = people.address(rng, region)
        email = f"{data.translit(who.first_name)}.{data.translit(who.last_name)}@" + rng.choice(
            ("mail.ru", "yandex.ru", "gmail.com")
        )
        partner = {
            "name": who.full_name,
            "kind": PartnerKind.PERSON,
            "is_client": True,
            "is_supplier": False,
            "is_competitor": False,
            "is_other": False,
            "phones": [people.mobile(rng, "RU")],
            "emails": [email],
            "address": address,
            "region": region.name,
            "website": "",
            "comment": rng.choice(data.INDIVIDUAL_COMMENTS),
        }
        counterparty = {
            "name": who.full_name,
            "full_name": who.full_name,
            "legal_form": LegalForm.OTHER,
            "country": Country.RUSSIA,
            "inn": people.inn_individual(rng, region.name),
            "legal_address": address,
        }
        self.used_names.add(who.full_name)
        return PartnerSpec(
            data=partner,
            group="retail",
            manager=self._manager("RU", unassigned_share=0.03),
            tags=[],
            counterparties=[counterparty],
            # The person is their own contact, so phoning them works as for any other partner.
            contacts=[{"name": who.full_name, "phones": partner["phones"], "emails": partner["emails"]}],
        )

    def supplier(self, country: str, name: str) -> PartnerSpec:
        rng = self.rng
        region = self._region(country)
        inner = name.split("«", 1)[1].rsplit("»", 1)[0] if "«" in name else name
        if name.startswith("ТД "):
            inner = f"Торговый дом {inner}"
        factory = "завод" in name.lower()
        legal_form = LegalForm.JSC if factory else (LegalForm.LLP if country == "KZ" else LegalForm.LLC)
        domain = people.domain_for(inner, country)
        partner = self._partner_data(
            name=name, country=country, region=region, domain=domain, is_supplier=True, is_client=False
        )
        if rng.random() < 0.15:
            partner["is_client"] = True  # buys spare parts from us too
        self.used_names.add(name)
        counterparty = self._counterparty(
            country=country, legal_form=legal_form, brand=inner, region=region, address=partner["address"]
        )
        head = next(u.username for u in USERS if u.role == Role.HEAD and u.team == (
            TEAM_ALMATY if country == "KZ" else TEAM_MOSCOW
        ))  # fmt: skip
        return PartnerSpec(
            data=partner,
            group="manufacturers" if factory else "distributors",
            manager=None if rng.random() < 0.15 else head,
            tags=["отсрочка платежа"] if rng.random() < 0.3 else [],
            counterparties=[counterparty],
            contacts=self._contacts(country=country, domain=domain, region=region, count=rng.randint(1, 2)),
        )

    def competitor_or_other(self, country: str, name: str, *, competitor: bool) -> PartnerSpec:
        region = self._region(country)
        inner = name.split("«", 1)[1].rsplit("»", 1)[0] if "«" in name else name
        domain = people.domain_for(inner, country)
        flags = {"is_competitor": True} if competitor else {"is_other": True}
        partner = self._partner_data(name=name, country=country, region=region, domain=domain, **flags)
        self.used_names.add(name)
        legal_form = LegalForm.LLP if country == "KZ" else LegalForm.LLC
        counterparty = self._counterparty(
            country=country,
            legal_form=legal_form,
            brand=inner,
            region=region,
            address=partner["address"],
            bank=not competitor,
        )
        return PartnerSpec(
            data=partner,
            group="competitors" if competitor else "others",
            manager=None,
            tags=[],
            counterparties=[counterparty],
            contacts=self._contacts(country=country, domain=domain, region=region, count=1),
        )

    def _unique(self, name: str) -> str:
        candidate, number = name, 2
        while candidate in self.used_names:
            candidate, number = f"{name} ({number})", number + 1
        return candidate

    # --- others -----------------------------------------------------------------------------------

    def individual(self) -> dict:
        rng = self.rng
        country = "KZ" if rng.random() < 0.3 else "RU"
        who = people.person(rng, country=country)
        region = self._region(country)
        result = {
            "name": who.full_name,
            "gender": who.gender,
            "birthday": people.birthday(rng, first_year=1955, last_year=2000) if rng.random() < 0.7 else None,
            "inn": people.inn_individual(rng, region.name) if country == "RU" and rng.random() < 0.4 else "",
            "phones": [people.mobile(rng, country)],
            "emails": [],
            "address": people.address(rng, region)[1] if rng.random() < 0.5 else "",
            "comment": rng.choice(data.INDIVIDUAL_COMMENTS) if rng.random() < 0.5 else "",
        }
        if rng.random() < 0.6:
            mailbox = rng.choice(
                ("mail.ru", "yandex.ru", "gmail.com") if country == "RU" else ("mail.kz", "gmail.com")
            )
            result["emails"] = [f"{data.translit(who.first_name)}.{data.translit(who.last_name)}@{mailbox}"]
        return result
