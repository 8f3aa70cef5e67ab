"""The demo's classification step on a small hand-made book of sales."""

from __future__ import annotations

from datetime import date

import pytest

from sdelka.analytics.models import ClassifiedPeriod
from sdelka.analytics.tests.classification_data import sell
from sdelka.core.demo.analytics import demo_classification
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_stores_every_closed_period_with_its_classes():
    key, small = PartnerFactory(name="Key"), PartnerFactory(name="Small")
    for month in (4, 5, 6, 7):
        sell(key, date(2025, month, 3), (None, "1000"))
    sell(small, date(2025, 6, 3), (None, "10"))
    stored = demo_classification(today=date(2025, 8, 20))
    # Months April…July (4), Q2 (Q3 is open), H1, no full year yet: 6 periods × 2 subjects × 3 criteria.
    assert stored == ClassifiedPeriod.objects.count() == 6 * 6
    quarter = ClassifiedPeriod.objects.get(
        subject="clients", criterion="revenue", period_type="quarter", period_start=date(2025, 4, 1)
    )
    classes = {result.name: (result.abc, result.xyz, result.stage) for result in quarter.results.all()}
    assert classes == {"Key": ("A", "X", "regular"), "Small": ("C", "Z", "one_time")}
