"""What the demo company is made of, as plain data: its users, teams, group tree and the record specs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sdelka.accounts.choices import Role

DEMO_SEED = 20260101
DEMO_PASSWORD = "demo12345"
COMPANY_NAME = "ООО «ТехноСнаб»"

RU_CLIENTS = 175
KZ_CLIENTS = 85
RU_PRIVATE_CLIENTS = 4
INDIVIDUALS = 20


@dataclass
class UserSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    team: str | None = None


@dataclass
class GroupSpec:
    key: str
    name: str
    parent: str | None = None


@dataclass
class PartnerSpec:
    """``data`` is what ``partner_create`` takes, minus the group and manager, which are named by key."""

    data: dict
    group: str | None
    manager: str | None  # a username
    tags: list[str]
    counterparties: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)


@dataclass
class ProductSpec:
    data: dict
    group: tuple[str, ...]


@dataclass
class DemoPlan:
    users: list[UserSpec]
    teams: list[str]
    partner_groups: list[GroupSpec]
    partners: list[PartnerSpec]
    individuals: list[dict]
    product_groups: list[tuple[str, ...]]
    products: list[ProductSpec]


TEAM_MOSCOW = "Москва"
TEAM_ALMATY = "Алматы"

USERS = [
    UserSpec("admin", "Ирина", "Волкова", "volkova@technosnab.ru", Role.ADMIN),
    UserSpec("belova", "Анна", "Белова", "belova@technosnab.ru", Role.MARKETER),
    UserSpec("kuznetsov", "Сергей", "Кузнецов", "kuznetsov@technosnab.ru", Role.HEAD, TEAM_MOSCOW),
    UserSpec("ivanov", "Дмитрий", "Иванов", "ivanov@technosnab.ru", Role.MANAGER, TEAM_MOSCOW),
    UserSpec("petrova", "Елена", "Петрова", "petrova@technosnab.ru", Role.MANAGER, TEAM_MOSCOW),
    UserSpec("sokolov", "Алексей", "Соколов", "sokolov@technosnab.ru", Role.MANAGER, TEAM_MOSCOW),
    UserSpec("akhmetov", "Нурлан", "Ахметов", "akhmetov@technosnab.kz", Role.HEAD, TEAM_ALMATY),
    UserSpec("seitkali", "Айгерим", "Сейткали", "seitkali@technosnab.kz", Role.MANAGER, TEAM_ALMATY),
    UserSpec("zhumabaev", "Данияр", "Жумабаев", "zhumabaev@technosnab.kz", Role.MANAGER, TEAM_ALMATY),
    UserSpec("kim", "Ольга", "Ким", "kim@technosnab.kz", Role.MANAGER, TEAM_ALMATY),
]

PARTNER_GROUPS = [
    GroupSpec("clients", "Клиенты"),
    GroupSpec("wholesale", "Оптовые клиенты", "clients"),
    GroupSpec("ru_moscow", "Москва и Московская область", "wholesale"),
    GroupSpec("ru_northwest", "Санкт-Петербург и Северо-Запад", "wholesale"),
    GroupSpec("ru_regions", "Регионы России", "wholesale"),
    GroupSpec("kz", "Казахстан", "clients"),
    GroupSpec("kz_almaty", "Алматы и область", "kz"),
    GroupSpec("kz_astana", "Астана", "kz"),
    GroupSpec("kz_regions", "Регионы Казахстана", "kz"),
    GroupSpec("retail", "Розничные клиенты", "clients"),
    GroupSpec("state", "Бюджетные организации", "clients"),
    GroupSpec("suppliers", "Поставщики"),
    GroupSpec("manufacturers", "Производители", "suppliers"),
    GroupSpec("distributors", "Дистрибьюторы", "suppliers"),
    GroupSpec("competitors", "Конкуренты"),
    GroupSpec("others", "Прочие"),
]
