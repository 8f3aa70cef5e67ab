"""Documents made at the same moment never share a number, and a sale posted twice at once posts once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sdelka.accounts.tests.factories import UserFactory
from sdelka.documents.models import Quote, Sale, SalesFact
from sdelka.documents.services import quote_from_deal, sale_from_deal, sale_post
from sdelka.documents.tests.factories import deal_with_goods

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks and concurrent connections (PostgreSQL)"
)


def _race(count: int, work) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def attempt():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            outcomes.append(work())
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_simultaneous_documents_get_different_numbers():
    manager = UserFactory()
    deal = deal_with_goods(manager=manager)

    outcomes = _race(4, lambda: quote_from_deal(deal, actor=manager).number)

    assert len(outcomes) == 4 and "refused" not in outcomes
    assert len(set(outcomes)) == 4
    assert Quote.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_sale_posted_twice_at_once_is_posted_once():
    manager = UserFactory()
    deal = deal_with_goods(manager=manager)
    sale = sale_from_deal(deal, actor=manager)

    outcomes = _race(2, lambda: sale_post(Sale(pk=sale.pk), actor=manager).status)

    assert sorted(outcomes) == ["posted", "refused"]
    assert SalesFact.objects.filter(sale=sale).count() == sale.lines.count()
