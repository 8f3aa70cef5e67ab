"""The demo's web form on a small hand-made company: one active form, two UTM mappings, and requests of
the past days that made clients, matched a known one and caught a bot."""

from __future__ import annotations

import random
from datetime import date

import pytest

from sdelka.core.demo.weblead import create_demo_weblead
from sdelka.deals.tests.factories import DealKindFactory
from sdelka.marketing.weblead_models import LeadForm, LeadOutcome, LeadSubmission, UtmMapping
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def test_the_demo_makes_a_form_with_mappings_and_past_requests(manager, marketer):
    DealKindFactory(name="Typical sale")
    known = ContactPersonFactory(partner=PartnerFactory(manager=manager), emails=["buyer@client.ru"])

    logged = create_demo_weblead(rng=random.Random(1), today=TODAY)

    form = LeadForm.objects.get()
    assert form.active and form.manager == manager
    assert UtmMapping.objects.count() == 2
    assert UtmMapping.objects.filter(form__isnull=True).count() == 1
    submissions = list(LeadSubmission.objects.order_by("created_at"))
    assert logged == len(submissions) == 5
    outcomes = [s.outcome for s in submissions]
    assert outcomes.count(LeadOutcome.CREATED) == 3
    assert outcomes.count(LeadOutcome.SPAM) == 1
    matched = next(s for s in submissions if s.outcome == LeadOutcome.MATCHED)
    assert (matched.partner, matched.contact) == (known.partner, known)
    assert all(s.created_at.date() < TODAY for s in submissions)
    assert all(s.deal.start_date == s.created_at.date() for s in submissions if s.deal_id)
    ads = next(s for s in submissions if s.data.get("utm_source") == "yandex")
    assert ads.partner.primary_interest_channel.name == "Контекстная реклама"


def test_the_demo_makes_nothing_without_a_manager(marketer):
    DealKindFactory()

    assert create_demo_weblead(rng=random.Random(1), today=TODAY) == 0
    assert not LeadForm.objects.exists()
