"""Marketing events: dates, participants (once each, moving forward only), expenses, protected deletion."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.marketing import services
from sdelka.marketing.choices import ParticipantStatus
from sdelka.marketing.models import MarketingEvent, MarketingEventParticipant
from sdelka.marketing.tests.factories import MarketingEventFactory, ParticipantFactory
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db
PAST = datetime.date(2026, 1, 10)


def _event_data(**extra) -> dict:
    return {"name": "Stroyexpo", "kind": "exhibition", "start_date": PAST, "end_date": PAST, **extra}


def test_an_event_is_created_with_the_actor_responsible(marketer):
    event = services.marketing_event_create(actor=marketer, data=_event_data(planned_budget=Decimal("500")))

    assert event.responsible == marketer
    assert event.history.first().history_user == marketer


def test_an_event_cannot_end_before_it_starts(marketer):
    with pytest.raises(ValidationError) as refused:
        services.marketing_event_create(
            actor=marketer, data=_event_data(end_date=PAST - datetime.timedelta(days=1))
        )

    assert "end_date" in refused.value.message_dict
    assert not MarketingEvent.objects.exists()


def test_a_negative_budget_is_refused(marketer):
    with pytest.raises(ValidationError) as refused:
        services.marketing_event_create(actor=marketer, data=_event_data(planned_budget=Decimal("-1")))

    assert "planned_budget" in refused.value.message_dict


def test_a_manager_cannot_create_an_event(manager):
    with pytest.raises(PermissionDenied):
        services.marketing_event_create(actor=manager, data=_event_data())


def test_a_partner_takes_part_once(marketer):
    event = MarketingEventFactory(start_date=PAST)
    partner = PartnerFactory()
    services.event_participant_add(actor=marketer, event=event, partner=partner)

    with pytest.raises(ValidationError, match="takes part in the event already"):
        services.event_participant_add(actor=marketer, event=event, partner=partner)

    assert event.participants.count() == 1


def test_a_contact_person_takes_part_with_their_partner_once(marketer):
    event = MarketingEventFactory(start_date=PAST)
    contact = ContactPersonFactory()

    participant = services.event_participant_add(actor=marketer, event=event, contact=contact)

    assert participant.partner == contact.partner
    with pytest.raises(ValidationError):
        services.event_participant_add(actor=marketer, event=event, contact=contact)


def test_a_contact_of_another_partner_is_refused(marketer):
    event = MarketingEventFactory(start_date=PAST)

    with pytest.raises(ValidationError) as refused:
        services.event_participant_add(
            actor=marketer, event=event, partner=PartnerFactory(), contact=ContactPersonFactory()
        )

    assert "contact" in refused.value.message_dict
    assert not event.participants.exists()


def test_many_partners_are_added_at_once_skipping_those_taking_part(marketer):
    event = MarketingEventFactory(start_date=PAST)
    already = ParticipantFactory(event=event).partner
    others = [PartnerFactory(), PartnerFactory()]

    added = services.event_participants_add(
        actor=marketer, event=event, partners=[already, *others, others[0]]
    )

    assert added == 2
    assert set(event.participants.values_list("partner", flat=True)) == {already.pk, *(p.pk for p in others)}


def test_the_status_moves_forward_and_may_skip_a_step(marketer):
    participant = ParticipantFactory(event__start_date=PAST)

    services.event_participant_set_status(
        actor=marketer, participant=participant, status=ParticipantStatus.REGISTERED
    )
    services.event_participant_set_status(
        actor=marketer, participant=participant, status=ParticipantStatus.ATTENDED
    )

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ATTENDED
    skipping = ParticipantFactory(event=participant.event)
    services.event_participant_set_status(
        actor=marketer, participant=skipping, status=ParticipantStatus.ATTENDED
    )
    assert MarketingEventParticipant.objects.get(pk=skipping.pk).status == ParticipantStatus.ATTENDED


def test_the_status_never_goes_back(marketer):
    participant = ParticipantFactory(event__start_date=PAST, status=ParticipantStatus.ATTENDED)

    with pytest.raises(ValidationError, match="cannot go back"):
        services.event_participant_set_status(
            actor=marketer, participant=participant, status=ParticipantStatus.INVITED
        )

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ATTENDED


def test_nobody_attends_an_event_that_has_not_started(marketer):
    future = datetime.date.today() + datetime.timedelta(days=30)
    participant = ParticipantFactory(event__start_date=future)

    with pytest.raises(ValidationError, match="not started"):
        services.event_participant_set_status(
            actor=marketer, participant=participant, status=ParticipantStatus.ATTENDED
        )


def test_an_unknown_status_is_refused(marketer):
    participant = ParticipantFactory(event__start_date=PAST)

    with pytest.raises(ValidationError):
        services.event_participant_set_status(actor=marketer, participant=participant, status="gone")


def test_expenses_are_added_and_a_zero_amount_is_refused(marketer):
    event = MarketingEventFactory(start_date=PAST)

    services.event_expense_add(
        actor=marketer,
        event=event,
        data={"date": PAST, "description": " Stand ", "amount": Decimal("250.00")},
    )
    with pytest.raises(ValidationError) as refused:
        services.event_expense_add(
            actor=marketer, event=event, data={"date": PAST, "description": "Free", "amount": Decimal("0")}
        )

    assert "amount" in refused.value.message_dict
    assert list(event.expenses.values_list("description", "amount")) == [("Stand", Decimal("250.00"))]


def test_an_event_that_is_a_source_of_interest_is_not_deleted(marketer):
    event = MarketingEventFactory()
    PartnerFactory(primary_interest_source_event=event)

    with pytest.raises(ValidationError, match="primary interest source"):
        services.marketing_event_delete(actor=marketer, event=event)

    assert MarketingEvent.objects.filter(pk=event.pk).exists()


def test_an_event_is_deleted_with_its_participants(marketer):
    participant = ParticipantFactory()

    services.marketing_event_delete(actor=marketer, event=participant.event)

    assert not MarketingEventParticipant.objects.exists()
