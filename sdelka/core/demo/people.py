"""Small deterministic generators of names, phones, addresses and bank details, driven by one ``Random``.

Tax ids come from :mod:`sdelka.partners.taxids`; what it has no generator for (a Russian correspondent
account, an OGRNIP, a Kazakh IBAN, an INN of a given region) is derived here and checked with its
validators, so every value is valid by the same rules the models apply.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from sdelka.core.demo import data
from sdelka.partners import taxids
from sdelka.partners.choices import Gender

# The first two digits of an INN and a KPP: the region's tax code.
RU_TAX_REGIONS = {
    "Москва": "77", "Московская область": "50", "Санкт-Петербург": "78", "Ленинградская область": "47",
    "Свердловская область": "66", "Республика Татарстан": "16", "Новосибирская область": "54",
    "Краснодарский край": "23", "Нижегородская область": "52", "Самарская область": "63",
    "Челябинская область": "74", "Республика Башкортостан": "02", "Тюменская область": "72",
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    patronymic: str
    gender: str  # sdelka.partners.choices.Gender

    @property
    def full_name(self) -> str:
        """ "Фамилия Имя Отчество", as 1C lists people."""
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """ "Фамилия И. О."."""
        initials = " ".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}"


def person(rng: random.Random, *, country: str, female: bool | None = None) -> Person:
    """A Russian or Kazakh person; in Kazakhstan about a third have Russian names, as in Almaty."""
    if female is None:
        female = rng.random() < 0.4
    kazakh = country == "KZ" and rng.random() < 0.7
    if kazakh:
        first = rng.choice(data.KZ_FEMALE_FIRST if female else data.KZ_MALE_FIRST)
        last = data.surname_for(rng.choice(data.KZ_SURNAMES), female=female)
        patronymic = rng.choice(data.RU_PATRONYMICS)[female] if rng.random() < 0.5 else ""
    else:
        first = rng.choice(data.RU_FEMALE_FIRST if female else data.RU_MALE_FIRST)
        last = data.surname_for(rng.choice(data.RU_SURNAMES), female=female)
        patronymic = rng.choice(data.RU_PATRONYMICS)[female]
    return Person(first, last, patronymic, Gender.FEMALE if female else Gender.MALE)


def birthday(rng: random.Random, *, first_year: int = 1962, last_year: int = 1996) -> date:
    return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def phone(rng: random.Random, code: str) -> str:
    """ "+7 (495) 123-45-67": the code and the local number make the ten digits after +7."""
    local = str(rng.randint(2, 9)) + "".join(str(rng.randrange(10)) for _ in range(9 - len(code)))
    groups = [local[:-4], local[-4:-2], local[-2:]]
    return f"+7 ({code}) {'-'.join(groups)}"


def mobile(rng: random.Random, country: str) -> str:
    return phone(rng, rng.choice(data.KZ_MOBILE_CODES if country == "KZ" else data.RU_MOBILE_CODES))


def domain_for(brand: str, country: str) -> str:
    """A plausible site name for a company: the brand in Latin letters, dashes for spaces."""
    latin = data.translit(brand)
    words = "".join(char if char.isascii() and char.isalnum() else " " for char in latin).split()
    return "-".join(words)[:40].strip("-") + (".kz" if country == "KZ" else ".ru")


def email_for(person_: Person, domain: str) -> str:
    return f"{data.translit(person_.first_name)[0]}.{data.translit(person_.last_name)}@{domain}"


def address(rng: random.Random, region: data.Region) -> tuple[str, str]:
    """(city, postal address) in the region."""
    city = rng.choice(region.cities)
    streets = data.KZ_STREETS if region.country == "KZ" else data.RU_STREETS
    postcode = region.postcode + "".join(str(rng.randrange(10)) for _ in range(6 - len(region.postcode)))
    line = f"{postcode}, г. {city}, {rng.choice(streets)}, д. {rng.randint(1, 180)}"
    roll = rng.random()
    if roll < 0.4:
        line += f", офис {rng.randint(1, 45)}{rng.randint(0, 9)}"
    elif roll < 0.6:
        line += f", стр. {rng.randint(1, 9)}"
    return city, line


# --- tax and bank ids ---------------------------------------------------------------------------------


def _first_valid(candidates, validator) -> str:
    for candidate in candidates:
        try:
            validator(candidate)
        except ValidationError:
            continue
        return candidate
    raise AssertionError("no candidate passed the validator")  # pragma: no cover


def inn_legal(rng: random.Random, region: str | None = None) -> str:
    """A valid 10-digit INN of an organisation, registered in ``region`` when its tax code is known."""
    inn = taxids.generate_inn_legal(rng)
    code = RU_TAX_REGIONS.get(region or "")
    if code is None:
        return inn
    body = code + inn[2:9]
    return _first_valid((body + str(d) for d in range(10)), taxids.validate_inn)


def inn_individual(rng: random.Random, region: str | None = None) -> str:
    """A valid 12-digit INN of a person or sole trader, registered in ``region`` when its code is known."""
    inn = taxids.generate_inn_individual(rng)
    code = RU_TAX_REGIONS.get(region or "")
    if code is None:
        return inn
    body = code + inn[2:10]
    return _first_valid((body + f"{d:02d}" for d in range(100)), taxids.validate_inn)


def ogrnip(rng: random.Random) -> str:
    """A valid 15-digit OGRNIP: 3 + year (2) + region (2) + record (9) + control."""
    body = f"3{rng.randint(4, 24):02d}{rng.randint(1, 99):02d}" + "".join(
        str(rng.randrange(10)) for _ in range(9)
    )
    ogrn = body + str(int(body) % 13 % 10)
    taxids.validate_ogrn(ogrn)
    return ogrn


def correspondent_account(bik: str) -> str:
    """The bank's account at the Bank of Russia: 30101 810 + key + 8 zeros + the last 3 digits of the BIK."""
    return _first_valid(
        (f"30101810{key}00000000{bik[-3:]}" for key in range(10)),
        lambda account: taxids.validate_bank_account(account, bik, correspondent=True),
    )


def kz_iban(rng: random.Random, bank_code: str) -> str:
    """A Kazakh IBAN (KZ, 2 check digits, 3-digit bank code, 13-digit account) with valid ISO 7064 checks."""
    bban = bank_code + "".join(str(rng.randrange(10)) for _ in range(13))
    rearranged = bban + "KZ00"
    number = "".join(str(string.ascii_uppercase.index(c) + 10) if c.isalpha() else c for c in rearranged)
    check = 98 - int(number) % 97
    return f"KZ{check:02d}{bban}"


def iban_is_valid(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(string.ascii_uppercase.index(c) + 10) if c.isalpha() else c for c in rearranged)
    return int(number) % 97 == 1
