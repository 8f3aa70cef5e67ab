"""The data migration ships the default deal kinds, their stages and the lost reasons, in Russian."""

import pytest

from sdelka.deals.choices import ProcessType
from sdelka.deals.models import DealKind, LostReason

pytestmark = pytest.mark.django_db

STAGES = [
    ("Первичный контакт", 10),
    ("Коммерческое предложение", 30),
    ("Согласование условий", 60),
    ("Исполнение обязательств", 90),
]


def stages(name: str) -> list[tuple[str, int]]:
    kind = DealKind.objects.get(name=name)
    return list(kind.stages.order_by("order").values_list("name", "probability"))


def test_it_ships_a_typical_sale_with_four_stages():
    assert DealKind.objects.get(name="Типовая продажа").process_type == ProcessType.TYPICAL
    assert stages("Типовая продажа") == STAGES


def test_it_ships_a_kind_with_manual_stages():
    kind = DealKind.objects.get(name="Сделка с ручным переходом по этапам")
    assert kind.process_type == ProcessType.MANUAL
    assert stages(kind.name) == STAGES


def test_it_ships_other_deals_without_stages():
    kind = DealKind.objects.get(name="Прочие сделки")
    assert kind.process_type == ProcessType.NON_PROCESS
    assert not kind.stages.exists()


def test_every_default_kind_is_active():
    assert set(DealKind.objects.filter(active=True).values_list("name", flat=True)) >= {
        "Типовая продажа",
        "Сделка с ручным переходом по этапам",
        "Прочие сделки",
    }


def test_it_ships_the_lost_reasons():
    assert set(LostReason.objects.values_list("name", flat=True)) >= {
        "Высокая цена",
        "Выбран конкурент",
        "Нет бюджета",
        "Сроки не устраивают",
        "Клиент не отвечает",
        "Потребность отпала",
    }
