"""The interaction pages: the list with filters, the kind-dependent form, editing, and the deal's timeline tab."""

from django.urls import reverse

from sdelka.deals.tests.factories import DealFactory
from sdelka.interactions.models import Interaction
from sdelka.interactions.tests.factories import InteractionFactory
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory


def test_the_form_follows_the_kind_and_records_a_meeting(manager, page_client_for):
    deal = DealFactory(manager=manager)
    client = page_client_for(manager)
    url = reverse("interactions:interaction_create")
    assert "Meeting" in client.get(url).content.decode()
    form = client.get(f"{url}?kind=meeting&subject=deal:{deal.pk}").content.decode()
    assert 'name="place"' in form and 'name="duration_seconds"' not in form
    response = client.post(
        f"{url}?kind=meeting",
        {
            "topic": "Visit",
            "starts_at": "2026-03-01T10:00",
            "ends_at": "2026-03-01T11:00",
            "place": "Office",
            "subject": f"deal:{deal.pk}",
        },
    )
    assert response.status_code == 302
    meeting = Interaction.objects.get()
    assert meeting.partner == deal.partner and meeting.deal == deal and meeting.place == "Office"


def test_the_form_shows_a_foreign_contact_error_and_stores_nothing(manager, page_client_for):
    partner = PartnerFactory(manager=manager)
    other = ContactPersonFactory(partner=PartnerFactory(manager=manager))
    response = page_client_for(manager).post(
        reverse("interactions:interaction_create") + "?kind=call",
        {
            "topic": "x",
            "starts_at": "2026-03-01T10:00",
            "direction": "incoming",
            "partner": partner.pk,
            "contacts": [other.pk],
        },
    )
    assert response.status_code == 200
    assert "A contact person belongs to another partner." in response.content.decode()
    assert not Interaction.objects.exists()


def test_the_list_filters_by_kind_and_edit_saves(manager, page_client_for, django_assert_max_num_queries):
    call = InteractionFactory(responsible=manager, topic="The call")
    for _ in range(5):
        InteractionFactory(responsible=manager, kind="meeting", direction="", topic="A meeting")
    client = page_client_for(manager)
    with django_assert_max_num_queries(15):
        content = client.get(reverse("interactions:interaction_list") + "?kind=call").content.decode()
    assert "The call" in content and "A meeting" not in content
    response = client.post(
        reverse("interactions:interaction_edit", args=[call.pk]),
        {
            "topic": "Renamed",
            "starts_at": "2026-03-01T10:00",
            "direction": "incoming",
            "partner": call.partner_id,
            "responsible": manager.pk,
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.topic == "Renamed" and call.direction == "incoming"


def test_the_deal_page_has_a_timeline_tab(manager, page_client_for):
    deal = DealFactory(manager=manager)
    InteractionFactory(
        responsible=manager, partner=deal.partner, topic="About the deal"
    ).__class__.objects.update(deal=deal)
    content = (
        page_client_for(manager)
        .get(reverse("deals:deal_detail", args=[deal.pk]) + "?tab=timeline")
        .content.decode()
    )
    assert "About the deal" in content and reverse("interactions:email_from_deal", args=[deal.pk]) in content
