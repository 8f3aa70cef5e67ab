"""``manage.py populate``: many valid partners and products in bulk, or a clear error for bad arguments."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.demo import people
from sdelka.core.demo.bulk import LOAD_SKU_PREFIX
from sdelka.partners import taxids
from sdelka.partners.choices import Country
from sdelka.partners.models import ContactPerson, Counterparty, Partner, PartnerGroup
from sdelka.partners.tests.factories import PartnerGroupFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("populate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def managers(db):
    return [UserFactory(username=f"m{n}", role=Role.MANAGER) for n in range(3)] + [
        UserFactory(username="h", role=Role.HEAD)
    ]


def test_it_adds_partners_each_with_a_counterparty_and_a_contact(managers):
    output, _err = run("--partners", "150", "--batch-size", "40")

    assert Partner.objects.count() == 150
    assert Counterparty.objects.count() == 150
    assert ContactPerson.objects.count() == 150
    assert not Partner.objects.filter(counterparties=None).exists()
    assert not Partner.objects.filter(contacts=None).exists()
    assert "Added 150 partners" in output


def test_partners_are_spread_over_managers_and_groups(managers):
    run("--partners", "400")

    for manager in managers:
        assert Partner.objects.filter(manager=manager).exists(), manager.username
    assert 0.03 <= Partner.objects.filter(manager=None).count() / 400 <= 0.2
    leaves = PartnerGroup.objects.filter(children__isnull=True)
    assert leaves.count() >= 3  # a default tree was made, as there was none
    for leaf in leaves:
        assert Partner.objects.filter(group=leaf).exists(), leaf.name


def test_existing_groups_are_used_rather_than_new_ones(managers):
    clients = PartnerGroupFactory(name="Clients")
    wholesale = PartnerGroupFactory(name="Wholesale", parent=clients)

    run("--partners", "50")

    assert PartnerGroup.objects.count() == 2
    assert set(Partner.objects.exclude(group=None).values_list("group", flat=True)) == {wholesale.pk}


def test_every_record_is_valid_and_tax_ids_pass_their_checksums(managers):
    run("--partners", "200", "--products", "20")

    for model in (Partner, Counterparty, ContactPerson, Product):
        for record in model.objects.all():
            record.full_clean()
    for c in Counterparty.objects.all():
        if c.country == Country.RUSSIA:
            taxids.validate_inn(c.inn)
            taxids.validate_bank_account(c.bank_account, c.bik)
            taxids.validate_bank_account(c.correspondent_account, c.bik, correspondent=True)
        else:
            taxids.validate_bin(c.bin)
            assert people.iban_is_valid(c.bank_account)
    assert Counterparty.objects.filter(country=Country.KAZAKHSTAN).exists()


def test_bulk_rows_have_no_history(managers):
    run("--partners", "10")

    assert Partner.history.count() == 0


def test_the_same_seed_gives_the_same_partners(managers):
    def snapshot():
        return list(
            Counterparty.objects.order_by("pk").values_list("partner__name", "inn", "bin", "bank_account")
        )

    run("--partners", "30", "--seed", "5")
    first = snapshot()
    Partner.objects.all().delete()
    run("--partners", "30", "--seed", "5")

    assert snapshot() == first


def test_products_go_to_groups_and_a_second_run_continues_the_skus(db):
    run("--products", "30")
    run("--products", "20")

    assert Product.objects.count() == 50
    assert Product.objects.filter(sku__startswith=LOAD_SKU_PREFIX).values("sku").distinct().count() == 50
    assert ProductGroup.objects.exists()
    assert not Product.objects.filter(group=None).exists()
    for product in Product.objects.all():
        assert product.cost_price < product.price


def test_without_managers_it_warns_that_partners_are_unassigned(db):
    _out, err = run("--partners", "5")

    assert "no active managers" in err
    assert Partner.objects.filter(manager=None).count() == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Nothing to do"),
        (["--partners", "0"], "--partners must be a positive whole number, got 0"),
        (["--partners", "-5"], "--partners must be a positive whole number"),
        (["--partners", "many"], "--partners must be a positive whole number, got “many”"),
        (["--products", "1.5"], "--products must be a positive whole number"),
        (["--partners", "20000000"], "--partners must be at most"),
        (["--partners", "5", "--seed", "x"], "--seed must be a whole number"),
        (["--partners", "5", "--batch-size", "0"], "--batch-size must be a positive whole number"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_stored(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

    assert Partner.objects.count() == 0
    assert Product.objects.count() == 0
