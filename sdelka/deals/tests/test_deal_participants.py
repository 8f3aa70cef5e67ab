"""The deal's environment: partners taking part in a deal besides the client, each with a role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.deals import services
from sdelka.deals.models import DealParticipant
from sdelka.deals.tests.factories import DealFactory
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(manager):
    return DealFactory(manager=manager)


def test_a_partner_joins_the_deal_with_a_role(manager, deal):
    designer = PartnerFactory(name="Проектный институт", manager=manager, is_client=False, is_other=True)

    participant = services.deal_participant_add(
        actor=manager, deal=deal, partner=designer, role=" проектировщик "
    )

    assert participant.role == "проектировщик"
    assert list(deal.participants.all()) == [participant]


def test_the_client_and_repeats_are_refused(manager, deal):
    agent = PartnerFactory(manager=manager)
    services.deal_participant_add(actor=manager, deal=deal, partner=agent, role="agent")

    for partner in (deal.partner, agent):
        with pytest.raises(ValidationError) as error:
            services.deal_participant_add(actor=manager, deal=deal, partner=partner)
        assert "partner" in error.value.message_dict
    assert deal.participants.count() == 1


def test_a_partner_the_user_cannot_see_is_not_found(manager, outsider, deal):
    with pytest.raises(ValidationError) as error:
        services.deal_participant_add(actor=manager, deal=deal, partner=PartnerFactory(manager=outsider))
    assert "partner" in error.value.message_dict


def test_a_marketer_does_not_change_the_environment(marketer, deal):
    with pytest.raises(PermissionDenied):
        services.deal_participant_add(actor=marketer, deal=deal, partner=PartnerFactory())


def test_the_api_lists_adds_and_removes_participants(manager, deal, api_client_for):
    client = api_client_for(manager)
    agent = PartnerFactory(name="Agent", manager=manager)
    url = f"/api/v1/deals/{deal.pk}/participants/"

    added = client.post(url, {"partner": agent.pk, "role": "agent"}, format="json")
    listed = client.get(url).json()
    removed = client.delete(f"{url}{added.json()['id']}/")

    assert added.status_code == 201, added.content
    assert listed == [
        {"id": added.json()["id"], "partner": agent.pk, "partner_name": "Agent", "role": "agent"}
    ]
    assert removed.status_code == 204
    assert not DealParticipant.objects.exists()


def test_the_api_refuses_bad_input_and_foreign_deals(manager, outsider, deal, api_client_for):
    client = api_client_for(manager)
    url = f"/api/v1/deals/{deal.pk}/participants/"
    foreign_deal = DealFactory(manager=outsider)
    foreign_participant = DealParticipant.objects.create(
        deal=foreign_deal, partner=PartnerFactory(manager=outsider)
    )

    assert client.post(url, {"partner": 10**9}, format="json").status_code == 400
    assert client.post(url, {"partner": deal.partner_id}, format="json").status_code == 400
    assert (
        client.post(url, {"partner": PartnerFactory().pk, "role": "x" * 151}, format="json").status_code
        == 400
    )
    assert client.get(f"/api/v1/deals/{foreign_deal.pk}/participants/").status_code == 404
    assert (
        client.delete(f"/api/v1/deals/{foreign_deal.pk}/participants/{foreign_participant.pk}/").status_code
        == 404
    )
    assert client.delete(f"{url}{foreign_participant.pk}/").status_code == 404
    assert DealParticipant.objects.count() == 1
