import datetime

import factory
from django.utils import timezone

from sdelka.accounts.tests.factories import UserFactory
from sdelka.interactions.choices import Direction, InteractionKind
from sdelka.interactions.models import Interaction
from sdelka.partners.tests.factories import PartnerFactory


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    kind = InteractionKind.CALL
    direction = Direction.OUTGOING
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    topic = factory.Sequence(lambda n: f"Topic {n}")
    responsible = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory, manager=factory.SelfAttribute("..responsible"))
