import datetime

import factory

from sdelka.accounts.tests.factories import UserFactory
from sdelka.deals.choices import ProcessType
from sdelka.deals.models import Deal, DealKind, LostReason, Stage
from sdelka.partners.tests.factories import PartnerFactory

STAGES = [("Primary contact", 10), ("Commercial proposal", 30), ("Negotiation", 60), ("Fulfilment", 90)]


class DealKindFactory(factory.django.DjangoModelFactory):
    """A kind with the four default stages, unless ``stages=[]`` or it is non-process."""

    class Meta:
        model = DealKind
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kind {n}")
    process_type = ProcessType.TYPICAL

    @factory.post_generation
    def stages(kind, create, extracted, **kwargs):
        if not create or kind.process_type == ProcessType.NON_PROCESS:
            return
        for order, (name, probability) in enumerate(STAGES if extracted is None else extracted, start=1):
            Stage.objects.create(kind=kind, name=name, order=order, probability=probability)


class LostReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LostReason
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Reason {n}")


class DealFactory(factory.django.DjangoModelFactory):
    """A deal in progress at the first stage of its kind, as ``deal_create`` would make it."""

    class Meta:
        model = Deal
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"2026-{n + 1:06d}")
    name = factory.Sequence(lambda n: f"Deal {n:04d}")
    manager = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory, manager=factory.SelfAttribute("..manager"))
    kind = factory.SubFactory(DealKindFactory)
    stage = factory.LazyAttribute(lambda deal: deal.kind.stages.order_by("order").first())
    probability = factory.LazyAttribute(lambda deal: deal.stage.probability if deal.stage else 0)
    start_date = factory.LazyFunction(datetime.date.today)


def stages_of(kind: DealKind) -> list[Stage]:
    return list(kind.stages.order_by("order"))
