import datetime

import factory

from sdelka.documents.models import Contract
from sdelka.partners.tests.factories import CounterpartyFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    counterparty = factory.SubFactory(CounterpartyFactory)
    number = factory.Sequence(lambda n: f"D-{n:04d}")
    date = datetime.date(2026, 1, 15)


def deal_with_goods(*, manager, kind=None, lines=(("100.00", "2"), ("50.50", "3")), **deal_fields):
    """A deal of ``manager``'s client with a counterparty and goods of interest (price, quantity) at 22 % VAT."""
    from decimal import Decimal

    from sdelka.catalog.tests.factories import ProductFactory
    from sdelka.deals.models import DealProduct
    from sdelka.deals.tests.factories import DealFactory, DealKindFactory
    from sdelka.partners.tests.factories import PartnerFactory

    partner = PartnerFactory(manager=manager, is_client=True)
    counterparty = CounterpartyFactory(partner=partner)
    deal = DealFactory(
        manager=manager,
        partner=partner,
        counterparty=counterparty,
        kind=kind or DealKindFactory(),
        **deal_fields,
    )
    for price, quantity in lines:
        product = ProductFactory(
            price=Decimal(price),
            cost_price=(Decimal(price) * Decimal("0.6")).quantize(Decimal("0.01")),
            vat_rate="22",
        )
        DealProduct.objects.create(
            deal=deal, product=product, quantity=Decimal(quantity), price=Decimal(price)
        )
    return deal


def draft_document(model, *, owner=None, lines: int = 1):
    """A draft document of ``model`` for a client (a supplier for a supplier order) managed by ``owner``."""
    from decimal import Decimal

    from sdelka.accounts.tests.factories import UserFactory
    from sdelka.catalog.tests.factories import ProductFactory
    from sdelka.documents.models import PurchaseOrder
    from sdelka.documents.services import document_create
    from sdelka.partners.tests.factories import PartnerFactory

    supplier = model is PurchaseOrder
    partner = PartnerFactory(manager=owner, is_client=not supplier, is_supplier=supplier)
    return document_create(
        model,
        actor=None,
        data={"partner": partner, "manager": owner or UserFactory()},
        lines=[{"product": ProductFactory(), "quantity": Decimal("1"), "price": Decimal("10.00")}] * lines,
    )


def deal_expense(*, owner=None):
    from decimal import Decimal

    from sdelka.accounts.tests.factories import UserFactory
    from sdelka.deals.tests.factories import DealFactory
    from sdelka.documents.services import expense_create

    deal = DealFactory(manager=owner or UserFactory())
    return expense_create(
        actor=None,
        data={"deal": deal, "date": deal.start_date, "kind": "delivery", "amount": Decimal("100.00")},
    )
