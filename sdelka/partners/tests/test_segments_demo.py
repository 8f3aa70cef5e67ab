"""The demo's segments on a small hand-made set: made by the marketer, evaluated as of the demo's day."""

from __future__ import annotations

import random

from sdelka.core.demo.segments import MANUAL_NAME, create_demo_segments
from sdelka.partners.models import Segment
from sdelka.partners.tests.segment_world import TODAY, build_world


def test_the_demo_makes_evaluated_segments(db, marketer):
    world = build_world()
    world.partners["Beta"].region = "Московская область"
    world.partners["Beta"].save()
    from sdelka.partners.tests.factories import ContactPersonFactory

    ContactPersonFactory(partner=world.partners["Beta"], emails=["beta@example.com"])

    assert create_demo_segments(rng=random.Random(1), today=TODAY) == 4

    def members(name):
        return set(Segment.objects.get(name=name).members.values_list("name", flat=True))

    assert members("Ключевые клиенты (класс A)") == {"Alpha"}
    # Beta last bought 2025-11-01, more than 180 days before TODAY; Alpha bought this month.
    assert members("Спящие клиенты: нет покупок 180 дней") == {"Beta"}
    assert members("Клиенты Москвы и области") == {"Beta"}
    manual = Segment.objects.get(name=MANUAL_NAME)
    assert manual.kind == "manual" and manual.member_count == 2  # the two clients of the set
    assert all(segment.created_by == marketer for segment in Segment.objects.all())
    assert Segment.objects.filter(kind="rules", evaluated_at__isnull=True).count() == 0
