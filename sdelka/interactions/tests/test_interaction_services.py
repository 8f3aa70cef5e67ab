"""Creating and changing interactions: the kind's rules, the partner's contacts, the subject and its chain."""

import pytest
from django.core.exceptions import ValidationError

from sdelka.deals.tests.factories import DealFactory
from sdelka.interactions import services
from sdelka.interactions.choices import Direction, InteractionKind, PlannedStatus
from sdelka.interactions.models import Interaction
from sdelka.interactions.tests.factories import InteractionFactory
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory


def test_it_records_a_call_with_the_partners_contacts(manager):
    partner = PartnerFactory(manager=manager)
    contact = ContactPersonFactory(partner=partner)
    call = services.interaction_create(
        actor=manager,
        data={
            "kind": InteractionKind.CALL,
            "direction": Direction.INCOMING,
            "topic": "Price request",
            "partner": partner,
            "contacts": [contact],
            "duration_seconds": 95,
        },
    )
    assert call.responsible == manager
    assert list(call.contacts.all()) == [contact]
    assert call.history.count() >= 1


def test_it_refuses_a_contact_person_of_another_partner(manager):
    partner = PartnerFactory(manager=manager)
    stranger = ContactPersonFactory(partner=PartnerFactory(manager=manager))
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            actor=manager,
            data={"kind": "meeting", "topic": "Visit", "partner": partner, "contacts": [stranger]},
        )
    assert "contacts" in error.value.message_dict
    assert not Interaction.objects.exists()


def test_it_refuses_a_subject_of_another_partner(manager):
    partner = PartnerFactory(manager=manager)
    deal = DealFactory(manager=manager)
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            actor=manager,
            data={"kind": "meeting", "topic": "Visit", "partner": partner, "subject": deal},
        )
    assert error.value.message_dict["subject"] == ["The subject belongs to another partner."]


def test_it_refuses_a_subject_the_actor_cannot_see(manager, outsider):
    deal = DealFactory(manager=outsider)
    with pytest.raises(ValidationError) as error:
        services.interaction_create(actor=manager, data={"kind": "meeting", "topic": "x", "subject": deal})
    assert error.value.message_dict["subject"] == ["The subject is not found."]


def test_the_partner_and_the_deal_come_from_the_subject(manager):
    deal = DealFactory(manager=manager)
    meeting = services.interaction_create(
        actor=manager, data={"kind": "meeting", "topic": "Visit", "subject": deal, "place": "Office"}
    )
    assert meeting.partner == deal.partner
    assert meeting.deal == deal
    reply = services.interaction_create(
        actor=manager, data={"kind": "planned", "topic": "Call back", "subject": meeting}
    )
    assert reply.deal == deal
    assert reply.status == PlannedStatus.PLANNED


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "call"}, "direction"),
        ({"kind": "meeting", "direction": "incoming"}, "direction"),
        ({"kind": "call", "direction": "incoming", "place": "Office"}, "place"),
        ({"kind": "meeting", "duration_seconds": 10}, "duration_seconds"),
        ({"kind": "sms", "direction": "outgoing", "status": "done"}, "status"),
        ({"kind": "call", "direction": "outgoing", "email_to": ["a@example.com"]}, "email_to"),
        ({"kind": "email", "direction": "outgoing", "email_status": "queued"}, "email_status"),
    ],
)
def test_it_refuses_fields_the_kind_does_not_have(manager, data, field):
    partner = PartnerFactory(manager=manager)
    with pytest.raises(ValidationError) as error:
        services.interaction_create(actor=manager, data={"topic": "x", "partner": partner, **data})
    assert field in error.value.message_dict


def test_a_meeting_cannot_end_before_it_starts(manager):
    partner = PartnerFactory(manager=manager)
    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            actor=manager,
            data={
                "kind": "meeting",
                "topic": "x",
                "partner": partner,
                "starts_at": now,
                "ends_at": now.replace(year=2000),
            },
        )
    assert "ends_at" in error.value.message_dict


def test_an_interaction_cannot_answer_one_that_answers_it(manager):
    first = InteractionFactory(responsible=manager)
    second = services.interaction_create(
        actor=manager, data={"kind": "meeting", "topic": "x", "subject": first}
    )
    with pytest.raises(ValidationError) as error:
        services.interaction_update(actor=manager, interaction=first, data={"subject": second})
    assert "subject" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.interaction_update(actor=manager, interaction=first, data={"subject": first})


def test_an_interaction_with_replies_is_not_deleted(head, manager):
    first = InteractionFactory(responsible=manager)
    services.interaction_create(actor=manager, data={"kind": "meeting", "topic": "x", "subject": first})
    with pytest.raises(ValidationError):
        services.interaction_delete(actor=head, interaction=first)
    assert Interaction.objects.filter(pk=first.pk).exists()


def test_changing_the_partner_keeps_contacts_only_of_the_new_partner(manager):
    contact = ContactPersonFactory(partner=PartnerFactory(manager=manager))
    call = InteractionFactory(responsible=manager, partner=contact.partner)
    call.contacts.set([contact])
    with pytest.raises(ValidationError) as error:
        services.interaction_update(
            actor=manager, interaction=call, data={"partner": PartnerFactory(manager=manager)}
        )
    assert "contacts" in error.value.message_dict


def test_an_interaction_about_a_marketing_event_names_the_partner_it_was_with(manager):
    from django.core.exceptions import ValidationError as Refused

    from sdelka.interactions.choices import Direction, InteractionKind
    from sdelka.interactions.services import interaction_create
    from sdelka.marketing.tests.factories import MarketingEventFactory
    from sdelka.partners.tests.factories import PartnerFactory

    event = MarketingEventFactory()
    partner = PartnerFactory(manager=manager)
    data = {
        "kind": InteractionKind.CALL,
        "direction": Direction.OUTGOING,
        "topic": "Invitation",
        "subject": event,
    }

    with pytest.raises(Refused) as refused:
        interaction_create(actor=manager, data=data)
    assert "partner" in refused.value.message_dict

    interaction = interaction_create(actor=manager, data={**data, "partner": partner})
    assert interaction.subject == event and interaction.partner == partner and interaction.deal is None
