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
