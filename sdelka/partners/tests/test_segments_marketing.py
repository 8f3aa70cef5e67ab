"""Segments as the target audience of a marketing event: chosen on the event form, and a whole segment
invited on the participants tab at once (only the partners the inviter sees; those taking part skipped)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdelka.marketing import services as marketing_services
from sdelka.marketing.models import MarketingEventParticipant
from sdelka.marketing.tests.factories import MarketingEventFactory
from sdelka.partners.segments import services
from sdelka.partners.tests.factories import PartnerFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def segment(db, marketer):
    return services.segment_create(
        actor=marketer,
        data={
            "name": "Moscow",
            "kind": "rules",
            "rules": [{"field": "region", "operator": "equals", "value": "Moscow"}],
        },
    )


def test_an_event_is_aimed_at_segments_from_its_form(page_client_for, marketer, segment):
    response = page_client_for(marketer).post(
        reverse("marketing:event_create"),
        {"name": "Expo", "kind": "exhibition", "start_date": "2026-03-01", "end_date": "2026-03-02",
         "responsible": marketer.pk, "segments": [segment.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    event = segment.marketing_events.get()
    assert event.name == "Expo"


def test_the_event_form_offers_segments_and_editing_keeps_or_clears_them(page_client_for, marketer, segment):
    event = marketing_services.marketing_event_create(
        actor=marketer,
        data={"name": "Expo", "start_date": "2026-03-01", "end_date": "2026-03-01", "segments": [segment]},
    )
    client = page_client_for(marketer)
    page = client.get(reverse("marketing:event_edit", args=[event.pk])).content.decode()
    assert f'<option value="{segment.pk}" selected>Moscow</option>' in page
    marketing_services.marketing_event_update(actor=marketer, event=event, data={"name": "Expo 2"})
    assert list(event.segments.all()) == [segment]
    marketing_services.marketing_event_update(actor=marketer, event=event, data={"segments": []})
    assert not event.segments.exists()


def test_a_whole_segment_is_invited_at_once(page_client_for, head, manager, outsider, marketer):
    mine = PartnerFactory(region="Moscow", manager=manager)
    already = PartnerFactory(region="Moscow", manager=head)
    foreign = PartnerFactory(region="Moscow", manager=outsider)
    PartnerFactory(region="Kazan", manager=manager)
    segment = services.segment_create(
        actor=marketer,
        data={
            "name": "Moscow",
            "kind": "rules",
            "rules": [{"field": "region", "operator": "equals", "value": "Moscow"}],
        },
    )
    event = MarketingEventFactory()
    event.segments.add(segment)
    MarketingEventParticipant.objects.create(event=event, partner=already)
    from sdelka.partners.selectors import partner_list

    # Only the partners the inviter's scope gives (here a head's: their team's, not the outsider's).

    added = marketing_services.event_segment_invite(
        actor=marketer, event=event, segment=segment, partners=partner_list(user=head)
    )
    assert added == 1
    assert set(event.participants.values_list("partner_id", flat=True)) == {mine.pk, already.pk}
    assert not event.participants.filter(partner=foreign).exists()
    assert event.participants.get(partner=mine).history.first().history_user == marketer

    response = page_client_for(marketer).post(
        reverse("marketing:participant_add", args=[event.pk]), {"segment": segment.pk}, **HTMX
    )
    assert response.status_code == 200
    assert "1 participant added." in response.content.decode()
    assert event.participants.filter(partner=foreign).exists()


def test_the_participants_tab_shows_the_target_segments_first(page_client_for, marketer, segment):
    other = services.segment_create(actor=marketer, data={"name": "A list", "kind": "manual"})
    event = MarketingEventFactory()
    event.segments.add(segment)
    page = (
        page_client_for(marketer)
        .get(reverse("marketing:event_detail", args=[event.pk]), {"tab": "participants"})
        .content.decode()
    )
    assert "Target segments:" in page
    assert page.index(f'<option value="{segment.pk}">Moscow (0)</option>') < page.index(
        f'<option value="{other.pk}">A list (0)</option>'
    )


def test_inviting_a_segment_needs_the_right(page_client_for, manager, segment):
    event = MarketingEventFactory()
    response = page_client_for(manager).post(
        reverse("marketing:participant_add", args=[event.pk]), {"segment": segment.pk}
    )
    assert response.status_code == 403
    assert not event.participants.exists()
