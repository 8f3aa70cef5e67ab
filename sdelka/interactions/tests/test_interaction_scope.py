"""Who sees which interaction, the chain both ways, and the list to review."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sdelka.deals.tests.factories import DealFactory
from sdelka.interactions import selectors, services
from sdelka.interactions.tests.factories import InteractionFactory
from sdelka.partners.tests.factories import PartnerFactory


def test_a_foreign_interaction_answers_404_on_pages_and_api(
    manager, outsider, page_client_for, api_client_for
):
    foreign = InteractionFactory(responsible=outsider)
    client = page_client_for(manager)
    assert client.get(reverse("interactions:interaction_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("interactions:interaction_edit", args=[foreign.pk])).status_code == 404
    api = api_client_for(manager)
    assert api.get(f"/api/v1/interactions/{foreign.pk}/").status_code == 404
    assert api.post(f"/api/v1/interactions/{foreign.pk}/reviewed/", {}, format="json").status_code == 404
    assert foreign.pk not in [row["id"] for row in api.get("/api/v1/interactions/").json()["results"]]


def test_a_user_sees_interactions_of_the_deals_and_partners_they_see(manager, teammate, head):
    deal = DealFactory(manager=manager)
    of_deal = InteractionFactory(responsible=teammate, partner=deal.partner)
    services.interaction_update(actor=None, interaction=of_deal, data={"subject": deal})
    of_partner = InteractionFactory(responsible=teammate, partner=PartnerFactory(manager=manager))
    own = InteractionFactory(responsible=manager, partner=PartnerFactory(manager=teammate))
    other = InteractionFactory(responsible=teammate)
    visible = set(selectors.interaction_list(user=manager).values_list("pk", flat=True))
    assert visible == {of_deal.pk, of_partner.pk, own.pk}
    assert other.pk in set(selectors.interaction_list(user=head).values_list("pk", flat=True))


def test_the_chain_is_shown_both_ways(manager, page_client_for):
    first = InteractionFactory(responsible=manager, topic="Request")
    second = services.interaction_create(
        actor=manager, data={"kind": "meeting", "topic": "Answer", "subject": first}
    )
    third = services.interaction_create(
        actor=manager, data={"kind": "planned", "topic": "Follow-up", "subject": second}
    )
    chain = selectors.interaction_chain(user=manager, interaction=second)
    assert chain.ancestors == [first]
    assert [link.interaction for link in chain.replies] == [third]
    root = selectors.interaction_chain(user=manager, interaction=first)
    assert [(link.interaction, link.depth) for link in root.replies] == [(second, 1), (third, 2)]
    page = page_client_for(manager).get(reverse("interactions:interaction_detail", args=[third.pk]))
    assert "Request" in page.content.decode() and "Answer" in page.content.decode()
    page = page_client_for(manager).get(reverse("interactions:interaction_detail", args=[first.pk]))
    assert "Follow-up" in page.content.decode()


def test_the_list_to_review_holds_due_unreviewed_interactions_of_the_user(manager, teammate, page_client_for):
    today = timezone.localdate()
    no_date = InteractionFactory(responsible=manager, topic="No date")
    due = InteractionFactory(responsible=manager, topic="Due", review_after=today)
    InteractionFactory(responsible=manager, topic="Later", review_after=today + datetime.timedelta(days=1))
    InteractionFactory(responsible=manager, topic="Done", reviewed=True)
    InteractionFactory(responsible=teammate, topic="Not mine")
    assert set(selectors.to_review_list(user=manager)) == {no_date, due}
    client = page_client_for(manager)
    content = client.get(reverse("interactions:to_review")).content.decode()
    assert "No date" in content and "Due" in content and "Later" not in content and "Not mine" not in content
    client.post(reverse("interactions:interaction_reviewed", args=[due.pk]))
    assert set(selectors.to_review_list(user=manager)) == {no_date}


def test_delete_needs_a_head(manager, head, page_client_for):
    call = InteractionFactory(responsible=manager)
    assert (
        page_client_for(manager).post(reverse("interactions:interaction_delete", args=[call.pk])).status_code
        == 403
    )
    page_client_for(head).post(reverse("interactions:interaction_delete", args=[call.pk]))
    assert not type(call).objects.filter(pk=call.pk).exists()
