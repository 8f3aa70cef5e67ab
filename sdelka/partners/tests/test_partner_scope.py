"""Who sees which partners: own and unassigned for a manager, the team's for a head, all for admins and marketers."""

import pytest

from sdelka.partners import selectors
from sdelka.partners.tests.factories import ContactPersonFactory, CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(manager, teammate, outsider, head):
    return {
        "own": PartnerFactory(name="Own", manager=manager),
        "teammate": PartnerFactory(name="Teammate's", manager=teammate),
        "head": PartnerFactory(name="Head's", manager=head),
        "outsider": PartnerFactory(name="Outsider's", manager=outsider),
        "unassigned": PartnerFactory(name="Unassigned", manager=None),
    }


def names(queryset):
    return {p.name for p in queryset}


def test_a_manager_sees_own_and_unassigned_partners(manager, partners):
    assert names(selectors.partner_list(user=manager)) == {"Own", "Unassigned"}


def test_a_head_sees_the_partners_of_the_team_they_head(head, partners):
    assert names(selectors.partner_list(user=head)) == {"Own", "Teammate's", "Head's", "Unassigned"}


def test_admins_and_marketers_see_every_partner(admin_user, marketer, partners):
    assert len(selectors.partner_list(user=admin_user)) == 5
    assert len(selectors.partner_list(user=marketer)) == 5


def test_a_foreign_partner_is_as_if_missing(manager, partners):
    with pytest.raises(selectors.Partner.DoesNotExist):
        selectors.partner_get(user=manager, pk=partners["outsider"].pk)


def test_counterparties_and_contacts_follow_their_partner(manager, partners):
    mine = CounterpartyFactory(partner=partners["own"])
    CounterpartyFactory(partner=partners["outsider"])
    my_contact = ContactPersonFactory(partner=partners["own"])
    ContactPersonFactory(partner=partners["outsider"])

    assert list(selectors.counterparty_list(user=manager)) == [mine]
    assert list(selectors.contact_person_list(user=manager)) == [my_contact]


def test_group_counts_include_only_visible_partners(manager, outsider):
    from sdelka.partners.tests.factories import PartnerGroupFactory

    group = PartnerGroupFactory(name="Clients")
    PartnerFactory(group=group, manager=manager)
    PartnerFactory(group=group, manager=outsider)
    PartnerFactory(group=group, manager=outsider)

    (node,) = selectors.partner_group_tree(user=manager)
    assert node.total_count == 1
