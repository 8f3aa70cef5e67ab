"""Factories of the web-to-lead form: a form of a typical-sale kind for a manager, and UTM mappings."""

from __future__ import annotations

import factory

from sdelka.marketing.weblead_models import LeadForm, UtmMapping


class LeadFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadForm

    name = factory.Sequence(lambda n: f"Site form {n}")
    deal_kind = factory.SubFactory("sdelka.deals.tests.factories.DealKindFactory")
    manager = factory.SubFactory("sdelka.accounts.tests.factories.UserFactory")


class UtmMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UtmMapping

    channel = factory.SubFactory("sdelka.marketing.tests.factories.AdChannelFactory")


def lead_records(*, manager, channel, event) -> None:
    """A form with a mapping of its own and a global one, and two logged requests (written straight to
    the log: a real request makes a deal, whose number other test data may have taken)."""
    from sdelka.marketing.weblead_models import LeadOutcome, LeadSubmission

    form = LeadFormFactory(manager=manager, name="Site form")
    UtmMappingFactory(form=form, utm_source="yandex", channel=channel, event=event)
    UtmMappingFactory(utm_medium="cpc", channel=channel)
    for outcome in (LeadOutcome.CREATED, LeadOutcome.SPAM):
        LeadSubmission.objects.create(
            form=form, ip_address="10.0.0.1", data={"name": "Ivan Petrov"}, outcome=outcome
        )
