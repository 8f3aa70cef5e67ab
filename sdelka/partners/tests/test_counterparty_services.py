"""Counterparties: tax ids by country and legal form, bank details, and the duplicate guard."""

import pytest
from django.core.exceptions import ValidationError

from sdelka.partners import services
from sdelka.partners.models import Counterparty
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

SBERBANK_INN = "7707083893"
YANDEX_INN = "7736207543"


@pytest.fixture
def partner(manager):
    return PartnerFactory(manager=manager)


def create(actor, partner, **fields):
    data = {"partner": partner, "name": "LLC Test", **fields}
    return services.counterparty_create(actor=actor, data=data)


def test_a_russian_llc_with_a_valid_inn_and_kpp(manager, partner):
    counterparty = create(manager, partner, inn=SBERBANK_INN, kpp="773601001", country="RU", legal_form="llc")
    assert counterparty.tax_id == SBERBANK_INN


def test_a_wrong_inn_checksum_is_refused_and_nothing_stored(manager, partner):
    with pytest.raises(ValidationError) as error:
        create(manager, partner, inn="7707083894")
    assert "checksum" in " ".join(error.value.message_dict["inn"])
    assert not Counterparty.objects.exists()


def test_an_organisation_needs_a_10_digit_inn(manager, partner):
    with pytest.raises(ValidationError) as error:
        create(manager, partner, inn="500100732259", legal_form="llc")
    assert "10 digits" in " ".join(error.value.message_dict["inn"])


def test_a_sole_trader_has_a_12_digit_inn_and_no_kpp(manager, partner):
    create(manager, partner, inn="500100732259", legal_form="sole_trader")
    with pytest.raises(ValidationError) as error:
        create(manager, partner, inn=YANDEX_INN, legal_form="sole_trader", kpp="773601001")
    assert {"inn", "kpp"} <= set(error.value.message_dict)


def test_a_kazakh_counterparty_has_a_bin_not_an_inn(manager, partner):
    with pytest.raises(ValidationError) as error:
        create(manager, partner, country="KZ", legal_form="llp", inn=SBERBANK_INN, bin="120540000205")
    assert set(error.value.message_dict) == {"inn"}
    counterparty = create(manager, partner, country="KZ", legal_form="llp", bin="120540000205")
    assert counterparty.tax_id == "120540000205"


def test_a_wrong_bin_checksum_is_refused(manager, partner):
    with pytest.raises(ValidationError) as error:
        create(manager, partner, country="KZ", legal_form="llp", bin="120540000206")
    assert "bin" in error.value.message_dict


def test_bank_accounts_are_checked_against_the_bik(manager, partner):
    create(manager, partner, inn=SBERBANK_INN, bik="044525225", correspondent_account="30101810400000000225")
    with pytest.raises(ValidationError) as error:
        create(manager, partner, bik="044525225", correspondent_account="30101810400000000226")
    assert "correspondent_account" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create(manager, partner, bank_account="40702810938000000001")
    assert "bik" in error.value.message_dict


def test_spaces_in_tax_ids_are_ignored(manager, partner):
    counterparty = create(manager, partner, inn=" 7707 083893 ")
    assert counterparty.inn == SBERBANK_INN


def test_a_second_counterparty_with_the_same_inn_is_a_duplicate(manager, partner, outsider):
    foreign = PartnerFactory(manager=outsider)
    existing = (
        create(outsider, foreign, inn=SBERBANK_INN)
        if False
        else Counterparty.objects.create(partner=foreign, name="Sber", inn=SBERBANK_INN)
    )

    with pytest.raises(services.DuplicateCounterparty) as error:
        create(manager, partner, inn=SBERBANK_INN)

    assert error.value.existing == [existing]
    assert Counterparty.objects.count() == 1
    confirmed = services.counterparty_create(
        actor=manager, data={"partner": partner, "name": "Branch", "inn": SBERBANK_INN}, allow_duplicate=True
    )
    assert confirmed.pk != existing.pk


def test_a_counterparty_cannot_be_added_to_a_foreign_partner(manager, outsider):
    foreign = PartnerFactory(manager=outsider)
    with pytest.raises(ValidationError) as error:
        create(manager, foreign)
    assert "partner" in error.value.message_dict
    assert not Counterparty.objects.exists()
