"""A claim is a subject of interactions and a record reminders can be set on (relative to its deadline)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sdelka.activities.models import Reminder
from sdelka.activities.services.reminders import reminder_create
from sdelka.activities.tests.task_factories import TaskFactory
from sdelka.claims import services
from sdelka.interactions import services as interaction_services
from sdelka.interactions.models import Interaction
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _claim(actor, **data):
    partner = PartnerFactory(manager=actor)
    return services.claim_create(actor=actor, data={"partner": partner, "description": "Broken pump", **data})


def test_an_interaction_about_a_claim_takes_its_partner(manager):
    claim = _claim(manager)
    call = interaction_services.interaction_create(
        actor=manager, data={"kind": "meeting", "topic": "Inspection of the pump", "subject": claim}
    )
    assert call.partner_id == claim.partner_id and call.subject == claim


def test_an_interaction_cannot_be_about_a_foreign_claim(manager, outsider):
    claim = _claim(outsider)
    with pytest.raises(ValidationError) as error:
        interaction_services.interaction_create(
            actor=manager, data={"kind": "meeting", "topic": "Inspection", "subject": claim}
        )
    assert "subject" in error.value.message_dict
    assert not Interaction.objects.exists()


def test_a_reminder_two_days_before_a_claims_deadline(manager):
    today = timezone.localdate()
    claim = _claim(manager, deadline=today + datetime.timedelta(days=10))
    reminder = reminder_create(
        actor=manager,
        data={
            "target_type": "claims.claim",
            "target_id": claim.pk,
            "text": "Settle the claim",
            "timing": "relative",
            "date_field": "deadline",
            "offset_days": -2,
            "at_time": datetime.time(9, 0),
        },
    )
    assert timezone.localtime(reminder.next_fire_at).date() == today + datetime.timedelta(days=8)


def test_a_reminder_on_a_task_and_not_on_a_foreign_one(manager, outsider):
    now = timezone.now()
    mine, foreign = (
        TaskFactory(assignee=manager, author=manager),
        TaskFactory(assignee=outsider, author=outsider),
    )
    data = {"target_type": "activities.task", "text": "Chase", "remind_at": now + datetime.timedelta(hours=2)}
    reminder_create(actor=manager, data={**data, "target_id": mine.pk})
    with pytest.raises(ValidationError) as error:
        reminder_create(actor=manager, data={**data, "target_id": foreign.pk})
    assert "target_id" in error.value.message_dict
    assert Reminder.objects.count() == 1


def test_deal_and_partner_pages_offer_a_reminder_and_a_task(manager, page_client_for):
    from django.urls import reverse

    from sdelka.deals.tests.factories import DealFactory

    deal = DealFactory(manager=manager)
    client = page_client_for(manager)
    deal_page = client.get(reverse("deals:deal_detail", args=[deal.pk])).content.decode()
    assert f"target_type=deals.deal&amp;target_id={deal.pk}" in deal_page
    assert f"subject_type=deal&amp;subject_id={deal.pk}" in deal_page
    partner_page = client.get(reverse("partners:partner_detail", args=[deal.partner_id])).content.decode()
    assert f"target_type=partners.partner&amp;target_id={deal.partner_id}" in partner_page
    # The links lead to forms that know the record.
    form = client.get(reverse("activities:reminder_create") + f"?target_type=deals.deal&target_id={deal.pk}")
    assert form.status_code == 200
