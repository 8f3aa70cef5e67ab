"""Advertising channels: a tree of any depth, refused deletions, source type changes, "with subchannels"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.marketing import selectors, services
from sdelka.marketing.choices import SourceType
from sdelka.marketing.models import AdChannel
from sdelka.marketing.tests.factories import AdChannelFactory, MarketingEventFactory
from sdelka.partners.filters import PartnerFilter
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_a_channel_is_created_under_its_parent_at_any_depth(marketer):
    top = services.ad_channel_create(actor=marketer, data={"name": "Internet"})
    middle = services.ad_channel_create(actor=marketer, data={"name": "Ads", "parent": top})
    leaf = services.ad_channel_create(
        actor=marketer, data={"name": "Search ads", "parent": middle, "source_type": SourceType.EVENT}
    )

    leaf.refresh_from_db()
    assert leaf.path == f"/{top.pk}/{middle.pk}/{leaf.pk}/"
    assert leaf.depth == 2
    assert leaf.history.first().history_user == marketer


def test_a_manager_cannot_create_a_channel(manager):
    with pytest.raises(PermissionDenied):
        services.ad_channel_create(actor=manager, data={"name": "Internet"})


def test_two_siblings_cannot_share_a_name(marketer):
    services.ad_channel_create(actor=marketer, data={"name": "Internet"})

    with pytest.raises(ValidationError) as refused:
        services.ad_channel_create(actor=marketer, data={"name": "internet"})

    assert "name" in refused.value.message_dict
    assert AdChannel.objects.count() == 1


def test_moving_a_channel_moves_its_subtree(marketer):
    a, b = AdChannelFactory(name="A"), AdChannelFactory(name="B")
    child = AdChannelFactory(name="Child", parent=a)
    grandchild = AdChannelFactory(name="Grandchild", parent=child)

    services.ad_channel_update(actor=marketer, channel=child, data={"parent": b})

    grandchild.refresh_from_db()
    assert grandchild.path == f"/{b.pk}/{child.pk}/{grandchild.pk}/"


def test_a_channel_cannot_move_below_itself(marketer):
    top = AdChannelFactory()
    child = AdChannelFactory(parent=top)

    with pytest.raises(ValidationError):
        services.ad_channel_update(actor=marketer, channel=top, data={"parent": child})


def test_a_channel_with_subchannels_is_not_deleted(marketer):
    top = AdChannelFactory()
    AdChannelFactory(parent=top)

    with pytest.raises(ValidationError, match="subchannels"):
        services.ad_channel_delete(actor=marketer, channel=top)


def test_a_channel_in_use_is_not_deleted_and_the_reason_names_the_uses(marketer):
    channel = AdChannelFactory()
    PartnerFactory(primary_interest_channel=channel)
    MarketingEventFactory(channel=channel)

    with pytest.raises(ValidationError) as refused:
        services.ad_channel_delete(actor=marketer, channel=channel)

    assert "partners: 1" in refused.value.messages[0]
    assert "marketing events: 1" in refused.value.messages[0]
    assert AdChannel.objects.filter(pk=channel.pk).exists()


def test_an_unused_channel_is_deleted(marketer):
    channel = AdChannelFactory()

    services.ad_channel_delete(actor=marketer, channel=channel)

    assert not AdChannel.objects.exists()


def test_the_source_type_cannot_change_while_sources_of_it_exist(marketer, manager):
    channel = AdChannelFactory(source_type=SourceType.USER)
    PartnerFactory(primary_interest_channel=channel, primary_interest_source_user=manager)

    with pytest.raises(ValidationError) as refused:
        services.ad_channel_update(actor=marketer, channel=channel, data={"source_type": SourceType.PARTNER})

    assert "source_type" in refused.value.message_dict
    channel.refresh_from_db()
    assert channel.source_type == SourceType.USER


def test_the_source_type_may_change_while_no_source_uses_it(marketer):
    channel = AdChannelFactory(source_type=SourceType.USER)
    PartnerFactory(primary_interest_channel=channel)

    services.ad_channel_update(actor=marketer, channel=channel, data={"source_type": SourceType.PARTNER})

    channel.refresh_from_db()
    assert channel.source_type == SourceType.PARTNER


def test_the_tree_counts_the_users_partners_with_subchannels(manager, outsider):
    top = AdChannelFactory(name="Internet")
    child = AdChannelFactory(name="Site", parent=top)
    PartnerFactory(manager=manager, primary_interest_channel=top)
    PartnerFactory(manager=manager, primary_interest_channel=child)
    PartnerFactory(manager=outsider, primary_interest_channel=child)

    nodes = {node.group.name: node for node in selectors.ad_channel_tree(user=manager)}

    assert (nodes["Internet"].own_count, nodes["Internet"].total_count) == (1, 2)
    assert nodes["Internet"].children[0].total_count == 1


def test_the_partner_filter_by_channel_includes_subchannels(manager):
    top = AdChannelFactory()
    child = AdChannelFactory(parent=top)
    at_top = PartnerFactory(primary_interest_channel=top)
    below = PartnerFactory(primary_interest_channel=child)
    PartnerFactory()

    found = PartnerFilter({"primary_interest_channel": top.pk}, queryset=Partner.objects.all()).qs

    assert set(found) == {at_top, below}
