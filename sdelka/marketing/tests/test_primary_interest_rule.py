"""The source-type rule of a primary interest: a source must be a record of the channel's source type."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sdelka.accounts.tests.factories import UserFactory
from sdelka.deals import services as deal_services
from sdelka.deals.tests.factories import DealKindFactory
from sdelka.marketing.choices import SourceType
from sdelka.marketing.services import primary_interest_clean
from sdelka.marketing.tests.factories import MarketingEventFactory, channel_of
from sdelka.partners import services as partner_services
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import ContactPersonFactory, IndividualFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def make_source(source_type: str, owner):
    return {
        SourceType.USER: lambda: UserFactory(),
        SourceType.PARTNER: lambda: PartnerFactory(manager=owner),
        SourceType.CONTACT: lambda: ContactPersonFactory(partner__manager=owner),
        SourceType.INDIVIDUAL: lambda: IndividualFactory(),
        SourceType.EVENT: lambda: MarketingEventFactory(),
    }[source_type]()


@pytest.mark.parametrize("source_type", SourceType.values)
def test_a_source_of_the_channels_type_is_stored_on_the_partner(manager, source_type):
    channel = channel_of(source_type)
    source = make_source(source_type, manager)

    partner = partner_services.partner_create(
        actor=manager,
        data={"name": "Lead", "primary_interest_channel": channel, "primary_interest_source": source},
    )

    partner.refresh_from_db()
    assert partner.primary_interest_channel == channel
    assert partner.primary_interest_source == source
    assert partner.primary_interest_source_type == source_type


@pytest.mark.parametrize("source_type", SourceType.values)
def test_a_source_of_another_type_is_refused_and_nothing_is_stored(manager, source_type):
    channel = channel_of(source_type)
    other_type = next(kind for kind in SourceType.values if kind != source_type)
    wrong = make_source(other_type, manager)

    with pytest.raises(ValidationError) as refused:
        partner_services.partner_create(
            actor=manager,
            data={"name": "Lead", "primary_interest_channel": channel, "primary_interest_source": wrong},
        )

    message = refused.value.message_dict["primary_interest_source"][0]
    assert str(SourceType(source_type).label) in message
    assert channel.name in message
    assert not Partner.objects.filter(name="Lead").exists()


def test_a_channel_without_a_source_is_allowed(manager):
    channel = channel_of(SourceType.PARTNER)

    partner = partner_services.partner_create(
        actor=manager, data={"name": "Lead", "primary_interest_channel": channel}
    )

    assert partner.primary_interest_channel == channel
    assert partner.primary_interest_source is None


def test_a_channel_that_takes_no_source_refuses_one(manager):
    channel = channel_of("")

    with pytest.raises(ValidationError) as refused:
        primary_interest_clean(channel=channel, source=PartnerFactory(manager=manager), actor=manager)

    assert "takes no source" in refused.value.message_dict["primary_interest_source"][0]


def test_a_source_without_a_channel_is_refused(manager):
    with pytest.raises(ValidationError) as refused:
        primary_interest_clean(channel=None, source=PartnerFactory(manager=manager), actor=manager)

    assert "primary_interest_channel" in refused.value.message_dict


def test_a_partner_the_actor_does_not_see_is_not_a_source(manager, outsider):
    channel = channel_of(SourceType.PARTNER)
    foreign = PartnerFactory(manager=outsider)

    with pytest.raises(ValidationError) as refused:
        primary_interest_clean(channel=channel, source=foreign, actor=manager)

    assert refused.value.message_dict["primary_interest_source"] == ["Source not found."]


def test_the_database_keeps_at_most_one_source(manager):
    partner = PartnerFactory(manager=manager)
    Partner.objects.filter(pk=partner.pk).update(primary_interest_source_user=manager)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(primary_interest_source_partner=PartnerFactory())


def test_changing_the_channel_alone_drops_a_source_of_the_old_one(manager):
    by_partner, by_user = channel_of(SourceType.PARTNER), channel_of(SourceType.USER)
    partner = partner_services.partner_create(
        actor=manager,
        data={
            "name": "Lead",
            "primary_interest_channel": by_partner,
            "primary_interest_source": PartnerFactory(manager=manager),
        },
    )

    partner_services.partner_update(
        actor=manager, partner=partner, data={"primary_interest_channel": by_user}
    )

    partner.refresh_from_db()
    assert partner.primary_interest_channel == by_user
    assert partner.primary_interest_source is None


def test_updating_other_fields_keeps_the_primary_interest(manager):
    channel = channel_of(SourceType.USER)
    partner = partner_services.partner_create(
        actor=manager,
        data={"name": "Lead", "primary_interest_channel": channel, "primary_interest_source": manager},
    )

    partner_services.partner_update(actor=manager, partner=partner, data={"comment": "called"})

    partner.refresh_from_db()
    assert (partner.primary_interest_channel, partner.primary_interest_source) == (channel, manager)


def test_a_wrong_source_on_update_changes_nothing(manager):
    channel = channel_of(SourceType.USER)
    partner = partner_services.partner_create(
        actor=manager,
        data={"name": "Lead", "primary_interest_channel": channel, "primary_interest_source": manager},
    )

    with pytest.raises(ValidationError):
        partner_services.partner_update(
            actor=manager,
            partner=partner,
            data={"comment": "x", "primary_interest_source": MarketingEventFactory()},
        )

    partner.refresh_from_db()
    assert partner.primary_interest_source == manager
    assert partner.comment == ""


# --- deals -----------------------------------------------------------------------------------------------------


def _deal_data(partner, **extra) -> dict:
    return {"name": "Supply", "partner": partner, "kind": DealKindFactory(), **extra}


def test_a_new_deal_takes_the_primary_interest_of_its_client(manager):
    event = MarketingEventFactory()
    channel = channel_of(SourceType.EVENT)
    client = partner_services.partner_create(
        actor=manager,
        data={"name": "Lead", "primary_interest_channel": channel, "primary_interest_source": event},
    )

    deal = deal_services.deal_create(actor=manager, data=_deal_data(client))

    deal.refresh_from_db()
    assert deal.primary_interest_channel == channel
    assert deal.primary_interest_source == event


def test_a_new_deal_keeps_its_own_primary_interest(manager):
    client = partner_services.partner_create(
        actor=manager,
        data={"name": "Lead", "primary_interest_channel": channel_of(SourceType.EVENT)},
    )
    own = channel_of(SourceType.USER)

    deal = deal_services.deal_create(
        actor=manager,
        data=_deal_data(client, primary_interest_channel=own, primary_interest_source=manager),
    )

    assert deal.primary_interest_channel == own
    assert deal.primary_interest_source == manager


def test_a_deal_with_a_wrong_source_is_not_created(manager):
    client = PartnerFactory(manager=manager)

    with pytest.raises(ValidationError) as refused:
        deal_services.deal_create(
            actor=manager,
            data=_deal_data(
                client,
                primary_interest_channel=channel_of(SourceType.EVENT),
                primary_interest_source=PartnerFactory(manager=manager),
            ),
        )

    assert "Marketing event" in refused.value.message_dict["primary_interest_source"][0]
    assert not client.deals.exists()


def test_a_deal_update_validates_the_source(manager):
    client = PartnerFactory(manager=manager)
    deal = deal_services.deal_create(actor=manager, data=_deal_data(client))
    channel = channel_of(SourceType.INDIVIDUAL)

    with pytest.raises(ValidationError):
        deal_services.deal_update(
            actor=manager,
            deal=deal,
            version=deal.version,
            data={"primary_interest_channel": channel, "primary_interest_source": manager},
        )
    individual = IndividualFactory()
    deal_services.deal_update(
        actor=manager,
        deal=deal,
        version=deal.version,
        data={"primary_interest_channel": channel, "primary_interest_source": individual},
    )

    deal.refresh_from_db()
    assert deal.primary_interest_source == individual
