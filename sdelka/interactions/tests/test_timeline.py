"""The timelines of a partner and a deal: everything in date order, newest first, in a fixed number of queries."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from sdelka.documents.models import Quote
from sdelka.documents.services import document_create
from sdelka.documents.tests.factories import deal_with_goods
from sdelka.interactions import services
from sdelka.interactions.timeline import deal_timeline, partner_timeline
from sdelka.partners.services import partner_update


def _history(manager, count: int):
    deal = deal_with_goods(manager=manager)
    now = timezone.now()
    for day in range(count):
        services.interaction_create(
            actor=manager,
            data={
                "kind": "meeting",
                "topic": f"Meeting {day}",
                "subject": deal,
                "starts_at": now - datetime.timedelta(days=day + 1),
            },
        )
        document_create(
            Quote,
            actor=None,
            data={
                "partner": deal.partner,
                "deal": deal,
                "manager": manager,
                "date": timezone.localdate() - datetime.timedelta(days=day, hours=12),
            },
            lines=[
                {"product": deal.products.first().product, "quantity": Decimal("1"), "price": Decimal("5.00")}
            ],
        )
        partner_update(actor=manager, partner=deal.partner, data={"comment": f"note {day}"})
    return deal


def test_the_deal_timeline_is_newest_first_with_every_source(manager):
    deal = _history(manager, 3)
    deal.events.create(at=timezone.now() - datetime.timedelta(days=10), kind="created", user=manager)
    timeline = deal_timeline(user=manager, deal=deal, limit=50)
    times = [entry.at for entry in timeline.entries]
    assert times == sorted(times, reverse=True)
    assert {entry.source for entry in timeline.entries} == {"interaction", "document", "event"}
    assert timeline.entries[-1].source == "event"
    assert not timeline.has_more


def test_the_partner_timeline_includes_its_changes_and_is_cut_with_more(manager):
    deal = _history(manager, 4)
    timeline = partner_timeline(user=manager, partner=deal.partner, limit=5)
    assert len(timeline.entries) == 5 and timeline.has_more
    everything = partner_timeline(user=manager, partner=deal.partner, limit=100)
    assert {"interaction", "document", "history"} <= {entry.source for entry in everything.entries}
    assert [entry.at for entry in everything.entries] == sorted(
        (entry.at for entry in everything.entries), reverse=True
    )


def test_the_timelines_cost_the_same_queries_for_more_records(
    manager, page_client_for, django_assert_max_num_queries
):
    small = _history(manager, 1)
    big = _history(manager, 8)
    client = page_client_for(manager)
    for deal in (small, big):
        with django_assert_max_num_queries(30):
            response = client.get(reverse("deals:deal_detail", args=[deal.pk]) + "?tab=timeline")
        assert response.status_code == 200 and "Meeting 0" in response.content.decode()
        with django_assert_max_num_queries(30):
            response = client.get(
                reverse("partners:partner_detail", args=[deal.partner_id]) + "?tab=timeline"
            )
        assert "Meeting 0" in response.content.decode()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for deal in (small, big):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("partners:partner_detail", args=[deal.partner_id]) + "?tab=timeline")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_partner_interactions_tab_lists_them(manager, page_client_for):
    deal = _history(manager, 2)
    content = (
        page_client_for(manager)
        .get(reverse("partners:partner_detail", args=[deal.partner_id]) + "?tab=interactions")
        .content.decode()
    )
    assert (
        "Meeting 1" in content
        and reverse("interactions:email_from_partner", args=[deal.partner_id]) in content
    )
