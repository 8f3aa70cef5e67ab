"""Sales of one client and one product posted at the same moment: the monthly aggregates count them all."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from sdelka.accounts.tests.factories import UserFactory
from sdelka.analytics.models import ClientMonth, ProductMonth
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.documents.models import Sale
from sdelka.documents.services import document_create, sale_post
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks and concurrent connections (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_postings_of_one_client_are_all_counted():
    manager = UserFactory()
    client = PartnerFactory(manager=manager)
    product = ProductFactory(vat_rate="0")
    sales = [
        document_create(
            Sale,
            actor=manager,
            data={"partner": client, "manager": manager, "date": date(2025, 3, day)},
            lines=[{"product": product, "quantity": Decimal("1"), "price": Decimal("100.00")}],
        )
        for day in (1, 2, 3, 4)
    ]
    barrier = threading.Barrier(len(sales))
    errors: list[Exception] = []

    def post(sale):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            sale_post(Sale(pk=sale.pk), actor=manager)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(sale,)) for sale in sales]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    month = ClientMonth.objects.get(partner=client, month=date(2025, 3, 1))
    assert (month.revenue, month.sales_count) == (Decimal("400.00"), 4)
    assert ProductMonth.objects.get(product=product).sales_count == 4
