import factory

from sdelka.partners.choices import Country, LegalForm
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup


class PartnerGroupFactory(factory.django.DjangoModelFactory):
    """Groups must get their materialized path, so they are made through the tree service."""

    class Meta:
        model = PartnerGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from sdelka.core.tree import group_create

        return group_create(model_class, actor=None, name=kwargs["name"], parent=kwargs.get("parent"))


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n:04d}")
    is_client = True
    manager = None


class CounterpartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counterparty

    partner = factory.SubFactory(PartnerFactory)
    name = factory.LazyAttribute(lambda c: f"LLC {c.partner.name}")
    legal_form = LegalForm.LLC
    country = Country.RUSSIA
    inn = ""


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    position = "Purchasing manager"


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual

    name = factory.Faker("name")
